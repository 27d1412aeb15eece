import { Queue, Worker, type Job } from 'bullmq';
import type Redis from 'ioredis';
import type { Logger } from '../log';
import { byPriority, type HandoffQueue, type QueueEntry, type TimerJob, type TimerKind } from './queue';

// BullMQ: lower number = served first, and 0 means "no priority"; ours: higher = first.
const bullPriority = (priority: number) => Math.max(1, 100 - priority);
// Custom job ids may not be integers nor contain ':'.
const entryId = (handoffId: number) => `h-${handoffId}`;
const timerId = (kind: TimerKind, handoffId: number) => `${kind}-${handoffId}`;

/**
 * Multi-instance mode. Waiting conversations are jobs of the `handoff` queue that no worker consumes:
 * staff take them by claiming (the database decides who wins; the job is then removed). SLA timers
 * are delayed jobs of `handoff-timers`, run once by whichever instance's worker picks them up.
 */
export class BullHandoffQueue implements HandoffQueue {
  private readonly waiting: Queue;
  private readonly timers: Queue;
  private worker?: Worker;
  private workerConnection?: Redis;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {
    this.waiting = new Queue('handoff', { connection: redis, prefix });
    this.timers = new Queue('handoff-timers', { connection: redis, prefix });
    // Without a listener an 'error' event (Redis gone during shutdown or an outage) would throw.
    for (const queue of [this.waiting, this.timers]) queue.on('error', (err) => log.warn({ err }, 'handoff queue: Redis error'));
  }

  async add(entry: QueueEntry): Promise<void> {
    await this.waiting.add('waiting', entry, { jobId: entryId(entry.handoffId), priority: bullPriority(entry.priority), removeOnComplete: true });
  }

  async remove(handoffId: number): Promise<void> {
    await this.waiting.remove(entryId(handoffId));
  }

  async list(): Promise<QueueEntry[]> {
    const jobs = await this.waiting.getJobs(['prioritized', 'waiting'], 0, 999);
    return jobs.filter((j): j is Job => Boolean(j)).map((j) => j.data as QueueEntry).sort(byPriority);
  }

  async schedule(job: TimerJob, delayMs: number): Promise<void> {
    await this.timers.add(job.kind, job, { jobId: timerId(job.kind, job.handoffId), delay: Math.max(0, Math.round(delayMs)), removeOnComplete: true, removeOnFail: 100, attempts: 3, backoff: { type: 'exponential', delay: 1000 } });
  }

  async cancel(kind: TimerKind, handoffId: number): Promise<void> {
    await this.timers.remove(timerId(kind, handoffId));
  }

  onTimer(handler: (timer: TimerJob) => Promise<void>): void {
    // A worker blocks a connection waiting for jobs: it gets its own, closed with it.
    this.workerConnection = this.redis.duplicate();
    this.worker = new Worker('handoff-timers', (job) => handler(job.data as TimerJob), { connection: this.workerConnection, prefix: this.prefix, concurrency: 5 });
    this.worker.on('failed', (job, err) => this.log.warn({ err, timer: job?.data }, 'SLA timer failed'));
    this.worker.on('error', (err) => this.log.warn({ err }, 'SLA timer worker error'));
  }

  async close(): Promise<void> {
    await this.worker?.close();
    this.workerConnection?.disconnect();
    await this.waiting.close();
    await this.timers.close();
  }
}
