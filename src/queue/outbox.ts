import { SendError } from '../core/errors';
import type { Logger } from '../log';
import type { Store } from '../store/db';
import { claimDueOutbox, markOutboxDone, markOutboxFailed, type OutboxRow } from '../store/repos/outbox';

/** Does one kind of outbox work (deliver replies, enqueue a handoff, ...). Throws SendError to retry. */
export type OutboxHandler = (payload: Record<string, unknown>, row: OutboxRow) => Promise<void>;

export interface OutboxOptions {
  leaseSeconds: number;
  pollMs: number;
  maxAttempts: number;
  batch?: number;
}

/**
 * Delivers what turns committed. Rows a turn just wrote are dispatched at once by the instance that
 * wrote them; the poller picks up whatever a crash, an outage or a retry left behind.
 */
export class OutboxRelay {
  private readonly handlers = new Map<string, OutboxHandler>();
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private stopped = true;
  private readonly inFlight = new Set<Promise<void>>();
  /** Rows finished in this tick, marked done with one UPDATE (one round trip instead of one per row). */
  private doneBatch?: { ids: number[]; promise: Promise<void> };

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly options: OutboxOptions,
  ) {}

  register(kind: string, handler: OutboxHandler): void {
    this.handlers.set(kind, handler);
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.polling;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Runs rows this instance just committed (already leased to it). */
  dispatch(rows: OutboxRow[]): Promise<void> {
    const work = Promise.all(rows.map((row) => this.run(row))).then(() => undefined);
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return work;
  }

  /** Resolves once every dispatch under way has finished (tests; a webhook answers before delivery). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /** One pass of the poller; returns how many rows it handled. */
  async pollOnce(): Promise<number> {
    const rows = await claimDueOutbox(this.store.db, this.options.batch ?? 50, this.options.leaseSeconds);
    await Promise.all(rows.map((row) => this.run(row)));
    return rows.length;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.polling = this.pollOnce()
        .then((n) => this.schedule(n > 0 ? 0 : this.options.pollMs))
        .catch((err: unknown) => {
          this.log.error({ err }, 'outbox poll failed');
          this.schedule(this.options.pollMs);
        });
    }, delay);
    this.timer.unref();
  }

  private async run(row: OutboxRow): Promise<void> {
    const handler = this.handlers.get(row.kind);
    try {
      if (!handler) throw new SendError(`no handler for outbox kind "${row.kind}"`, true);
      await handler(row.payload, row);
      await this.markDone(row.id);
    } catch (err) {
      await this.failed(row, err).catch((e: unknown) => this.log.error({ err: e, outboxId: row.id }, 'could not record outbox failure'));
    }
  }

  /** Same as markOutboxDone for one row, but rows finishing together share the UPDATE. */
  private markDone(id: number): Promise<void> {
    if (this.doneBatch) {
      this.doneBatch.ids.push(id);
      return this.doneBatch.promise;
    }
    const ids = [id];
    const promise = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.doneBatch = undefined;
      return markOutboxDone(this.store.db, ids);
    });
    this.doneBatch = { ids, promise };
    return promise;
  }

  private async failed(row: OutboxRow, err: unknown): Promise<void> {
    const sendError = err instanceof SendError ? err : undefined;
    const attempts = row.attempts + 1;
    const retryable = (sendError?.retryable ?? true) && attempts < this.options.maxAttempts;
    const retryIn = retryable ? (sendError?.retryAfterMs ?? backoffMs(attempts)) : null;
    const message = err instanceof Error ? err.message : String(err);
    this.log[retryable ? 'warn' : 'error'](
      { outboxId: row.id, kind: row.kind, conversationId: row.conversationId, attempts, retryIn, err },
      retryable ? 'outbox work failed; will retry' : 'outbox work failed for good',
    );
    await markOutboxFailed(this.store.db, row.id, message.slice(0, 500), retryIn);
  }
}

/** 1 s, 2 s, 4 s … capped at 5 minutes, with jitter so retries from many rows do not align. */
export function backoffMs(attempt: number): number {
  const base = Math.min(1000 * 2 ** (attempt - 1), 300_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
