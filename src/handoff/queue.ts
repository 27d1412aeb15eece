/** One waiting conversation as the queue holds it. */
export interface QueueEntry {
  handoffId: number;
  conversationId: string;
  channel: string;
  reason: string;
  /** Higher first. */
  priority: number;
  waitingSince: string;
}

/** SLA timers: nobody claimed the conversation / nobody answered the beneficiary in time. */
export type TimerKind = 'unclaimed' | 'no-reply';
export interface TimerJob {
  kind: TimerKind;
  handoffId: number;
  conversationId: string;
  /** ISO time the timer started; the check compares the handoff's activity with it. */
  since: string;
}

/**
 * The handoff queue and its timers. BullMQ on Redis in multi-instance mode, an in-process version in
 * single-node mode. PostgreSQL stays the truth: both are rebuilt from the `handoffs` table.
 */
export interface HandoffQueue {
  /** Adds a waiting conversation; adding one already there changes nothing. */
  add(entry: QueueEntry): Promise<void>;
  remove(handoffId: number): Promise<void>;
  /** Best first: priority, then waiting time. */
  list(): Promise<QueueEntry[]>;
  /** Schedules a timer unless the same kind is already pending for this handoff. */
  schedule(timer: TimerJob, delayMs: number): Promise<void>;
  cancel(kind: TimerKind, handoffId: number): Promise<void>;
  /** Starts running due timers through `handler` (one instance runs each timer once). */
  onTimer(handler: (timer: TimerJob) => Promise<void>): void;
  close(): Promise<void>;
}

/** Queue order: priority first, then who has waited longest. */
export function byPriority(a: QueueEntry, b: QueueEntry): number {
  return b.priority - a.priority || a.waitingSince.localeCompare(b.waitingSince) || a.handoffId - b.handoffId;
}
