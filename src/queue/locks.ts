import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

/** Runs work for one key at a time: one message at a time per conversation. */
export interface Locks {
  withLock<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/**
 * In-process: a promise chain per key. Callers run in the order they asked, which is the order the
 * messages arrived — the ordering guarantee single-node mode gives.
 */
export class MemoryLocks implements Locks {
  private readonly tails = new Map<string, Promise<unknown>>();

  async withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Multi-instance: the in-process chain keeps this instance's arrivals in order, and a Redis lease
 * (SET NX PX with a token, released only by its owner) keeps other instances out meanwhile.
 */
export class RedisLocks implements Locks {
  private readonly local = new MemoryLocks();

  constructor(
    private readonly redis: Redis,
    private readonly leaseMs = 30_000,
    private readonly prefix = 'nabta:lock:',
  ) {}

  withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.local.withLock(key, async () => {
      const redisKey = this.prefix + key;
      const token = randomUUID();
      await this.acquire(redisKey, token);
      try {
        return await work();
      } finally {
        await this.redis.eval(RELEASE, 1, redisKey, token).catch(() => undefined);
      }
    });
  }

  private async acquire(key: string, token: string): Promise<void> {
    const deadline = Date.now() + this.leaseMs * 2;
    for (let wait = 2; ; wait = Math.min(wait * 2, 100)) {
      if ((await this.redis.set(key, token, 'PX', this.leaseMs, 'NX')) === 'OK') return;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for lock ${key}`);
      // Another instance holds this conversation; back off briefly and try again.
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
