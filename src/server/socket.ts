import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import type Redis from 'ioredis';
import { Server } from 'socket.io';

export interface SocketServer {
  io: Server;
  attach(server: HttpServer): void;
  close(): Promise<void>;
}

/**
 * One socket.io server for the web chat and the staff console (each a namespace). With Redis, rooms are
 * shared across instances: a reply committed on instance A reaches a widget connected to B.
 */
export function createSocketServer(options: { allowedOrigins: string; redis?: Redis }): SocketServer {
  const origins = options.allowedOrigins.trim();
  const io = new Server({
    serveClient: false,
    // Polling fallback needs CORS from the sites that embed the widget; websockets do not.
    cors: { origin: origins === '*' ? '*' : origins.split(',').map((o) => o.trim()).filter(Boolean), methods: ['GET', 'POST'] },
    maxHttpBufferSize: 64 * 1024,
  });
  const clients: Redis[] = [];
  if (options.redis) {
    const pub = options.redis.duplicate();
    const sub = options.redis.duplicate();
    clients.push(pub, sub);
    // Like the main client: ioredis reconnects by itself, an outage must not crash the process.
    for (const client of clients) client.on('error', () => undefined);
    io.adapter(createAdapter(pub, sub, { key: 'nabta:io' }));
  }
  return {
    io,
    attach: (server) => void io.attach(server),
    async close() {
      io.local.disconnectSockets(true);
      // Unsubscribe every namespace (web chat, console) before the Redis clients go, so nothing pending rejects after shutdown.
      await Promise.allSettled([...io._nsps.keys()].map((name) => io.of(name).adapter.close()));
      io.engine?.close();
      await Promise.allSettled(clients.map((client) => client.quit()));
    },
  };
}

