import type Redis from 'ioredis';

/** Remembers message keys already taken, so a webhook's retry is not processed twice. */
export interface Dedupe {
  /** True the first time a key is seen (within the TTL); false afterwards. */
  claim(key: string): Promise<boolean>;
  /** Forgets a key whose processing failed, so the channel's retry is processed. */
  release(key: string): Promise<void>;
}

/** Single-node: a bounded map in memory. The database's unique index still catches what it forgets. */
export class MemoryDedupe implements Dedupe {
  private readonly seen = new Map<string, number>();
  constructor(
    private readonly ttlMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  async claim(key: string): Promise<boolean> {
    const now = Date.now();
    const expires = this.seen.get(key);
    if (expires !== undefined && expires > now) return false;
    this.seen.delete(key);
    this.seen.set(key, now + this.ttlMs);
    if (this.seen.size > this.maxKeys) this.seen.delete(this.seen.keys().next().value!);
    return true;
  }

  async release(key: string): Promise<void> {
    this.seen.delete(key);
  }
}

/** Multi-instance: SET NX with a TTL, shared by every instance. */
export class RedisDedupe implements Dedupe {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
    private readonly prefix = 'nabta:dedupe:',
  ) {}

  async claim(key: string): Promise<boolean> {
    return (await this.redis.set(this.prefix + key, '1', 'EX', this.ttlSeconds, 'NX')) === 'OK';
  }

  async release(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}
