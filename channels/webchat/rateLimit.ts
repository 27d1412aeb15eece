import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { WebchatError } from './errors';

export interface RateLimits {
  perIpPerMinute: number;
  perConversationPerMinute: number;
}

/**
 * Per-IP and per-conversation budgets. Redis-backed counters when Redis is configured, so every
 * instance shares them; an in-memory insurance limiter takes over while Redis is unreachable.
 */
export class WebchatRateLimiter {
  private readonly ip: RateLimiterAbstract;
  private readonly conversation: RateLimiterAbstract;

  constructor(limits: RateLimits, redis?: Redis) {
    this.ip = make('nabta:rl:ip', limits.perIpPerMinute, redis);
    this.conversation = make('nabta:rl:conv', limits.perConversationPerMinute, redis);
  }

  /** Each throws a 429 WebchatError with the seconds to wait when its budget is spent. */
  consumeIp(ip: string): Promise<void> {
    return take(this.ip, ip);
  }

  consumeConversation(token: string): Promise<void> {
    return take(this.conversation, token);
  }
}

function make(keyPrefix: string, points: number, redis?: Redis): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ keyPrefix, points, duration: 60 });
  if (!redis) return memory;
  return new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration: 60, insuranceLimiter: memory });
}

async function take(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (err) {
    if (err instanceof RateLimiterRes) {
      const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      throw new WebchatError(429, 'rate_limited', { seconds }, seconds);
    }
    throw err;
  }
}
