import { EventEmitter } from 'node:events';

/**
 * Where the link to the association's phone stands:
 * starting -> qr (waiting for a scan) -> authenticated -> ready; a drop -> disconnected ->
 * reconnecting (after a backoff) -> qr | authenticated | ready; stopped when Nabta stops.
 */
export type LinkState = 'stopped' | 'starting' | 'qr' | 'authenticated' | 'ready' | 'disconnected' | 'reconnecting';

export interface LinkSnapshot {
  state: LinkState;
  /** When this state began. */
  since: Date;
  /** The QR to scan, while the state is `qr`. */
  qr?: string;
  /** Failed attempts in a row (0 once ready). */
  attempt: number;
  /** When the next connection attempt starts (reconnecting). */
  retryAt?: Date;
  /** Why the link dropped (the library's reason, or an error message). */
  reason?: string;
}

export interface Backoff {
  minMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { minMs: 2_000, maxMs: 5 * 60_000 };

/**
 * Exponential backoff with jitter: min·2^(attempt-1), capped at max, then a random point in its
 * upper half, so a fleet of restarts (or WhatsApp's own hiccup) does not retry in lockstep.
 */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const exp = Math.min(backoff.maxMs, backoff.minMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/** The current state plus a 'change' event per transition (the console and tests wait on it). */
export class LinkStatus extends EventEmitter<{ change: [LinkSnapshot] }> {
  private current: LinkSnapshot = { state: 'stopped', since: new Date(), attempt: 0 };

  get snapshot(): LinkSnapshot {
    return { ...this.current };
  }

  get state(): LinkState {
    return this.current.state;
  }

  set(state: LinkState, details: Partial<Omit<LinkSnapshot, 'state' | 'since'>> = {}): void {
    // A new QR replaces the old one without a new "since": the person is still at the same step.
    const since = state === this.current.state && state === 'qr' ? this.current.since : new Date();
    this.current = { state, since, attempt: details.attempt ?? this.current.attempt, qr: details.qr, retryAt: details.retryAt, reason: details.reason };
    this.emit('change', this.snapshot);
  }
}
