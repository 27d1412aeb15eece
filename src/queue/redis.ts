import Redis, { type RedisOptions } from 'ioredis';

/** One place that knows how Nabta connects to Redis. BullMQ workers need maxRetriesPerRequest: null. */
export function connectRedis(url: string, options: RedisOptions = {}): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false, ...options });
  // ioredis reconnects by itself; without a listener an outage would crash the process.
  client.on('error', () => undefined);
  return client;
}
