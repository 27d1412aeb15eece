import { byPriority, type HandoffQueue, type QueueEntry, type TimerJob, type TimerKind } from './queue';

/** Single-node mode: the queue in a Map and timers on setTimeout (rebuilt from PostgreSQL at start). */
export class MemoryHandoffQueue implements HandoffQueue {
  private readonly entries = new Map<number, QueueEntry>();
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; job: TimerJob }>();
  private handler?: (timer: TimerJob) => Promise<void>;

  async add(entry: QueueEntry): Promise<void> {
    if (!this.entries.has(entry.handoffId)) this.entries.set(entry.handoffId, entry);
  }

  async remove(handoffId: number): Promise<void> {
    this.entries.delete(handoffId);
  }

  async list(): Promise<QueueEntry[]> {
    return [...this.entries.values()].sort(byPriority);
  }

  async schedule(job: TimerJob, delayMs: number): Promise<void> {
    const key = `${job.kind}-${job.handoffId}`;
    if (this.timers.has(key)) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      void this.handler?.(job).catch(() => undefined);
    }, delayMs);
    timer.unref();
    this.timers.set(key, { timer, job });
  }

  async cancel(kind: TimerKind, handoffId: number): Promise<void> {
    const key = `${kind}-${handoffId}`;
    clearTimeout(this.timers.get(key)?.timer);
    this.timers.delete(key);
  }

  onTimer(handler: (timer: TimerJob) => Promise<void>): void {
    this.handler = handler;
  }

  async close(): Promise<void> {
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
