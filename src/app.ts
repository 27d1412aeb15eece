import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type Redis from 'ioredis';
import type { Config } from './config';
import type { ChannelAdapter } from './core/channel';
import { buildEngine, type EngineExtensions } from './engine/context';
import { Gateway, type Action, type GatewayObserver } from './gateway';
import type { Texts } from './i18n';
import { createLogger, type Logger } from './log';
import { MemoryDedupe, RedisDedupe, type Dedupe } from './queue/dedupe';
import { MemoryLocks, RedisLocks, type Locks } from './queue/locks';
import { OutboxRelay } from './queue/outbox';
import { connectRedis } from './queue/redis';
import { createHttpApp, finishHttpApp } from './server/http';
import { combineObservers, createMetrics, type Metrics } from './server/metrics';
import { createSocketServer, type SocketServer } from './server/socket';
import { WebchatChannel } from '../channels/webchat/adapter';
import { WhatsappCloudChannel, whatsappCloudConfigured } from '../channels/whatsapp-cloud/adapter';
import { TelegramChannel } from '../channels/telegram/adapter';
import { WhatsAppWebChannel, type WhatsAppWebOptions } from '../channels/whatsapp-web/adapter';
import { whatsappWebRoutes } from './console/whatsappWeb';
import { openStore, type Store } from './store/db';
import { audit } from './store/repos/audit';
import { builtInActions } from './submissions/actions';
import { startConsole, type ConsoleHandle } from './console';
import { HANDOFF_ACTIONS } from './handoff/csat';
import { createRequestsModule, RequestsDomain } from './requests';

export interface AppOptions {
  /** Adapters to run besides the ones configuration turns on. */
  channels?: ChannelAdapter[];
  log?: Logger;
  /** Listen for HTTP (default true). The terminal chat runs without a server. */
  http?: boolean;
  engine?: EngineExtensions;
  actions?: ReadonlyMap<string, Action>;
  observer?: GatewayObserver;
  /** WhatsApp Web: tests replace the library at its event boundary (WhatsApp cannot be reached) and the backoff. */
  whatsappWeb?: WhatsAppWebOptions;
}

export interface App {
  config: Config;
  log: Logger;
  store: Store;
  redis?: Redis;
  texts: Texts;
  gateway: Gateway;
  outbox: OutboxRelay;
  http: Express;
  server?: Server;
  /** socket.io (web chat push; staff console later). */
  sockets: SocketServer;
  metrics: Metrics;
  /** Human handoff: queue, assignment, SLA timers, the staff console's API. */
  console: ConsoleHandle;
  /** Support requests' back office (list, view, documents, decisions, CSV) for the console. */
  requests: RequestsDomain;
  /** The URL people open (set once listening). */
  url: string;
  stop(): Promise<void>;
}

/** The composition root: config -> store -> queue -> engine -> gateway -> server -> channels. */
export async function startApp(config: Config, options: AppOptions = {}): Promise<App> {
  const log = options.log ?? createLogger({ level: config.LOG_LEVEL, pretty: config.PRETTY_LOGS });
  const requests = createRequestsModule(config);
  const actions = new Map([...builtInActions, ...HANDOFF_ACTIONS, ...requests.actions, ...(options.actions ?? [])]);
  const { engine, texts } = buildEngine(config, {
    ...options.engine,
    validators: new Map([...requests.validators, ...(options.engine?.validators ?? [])]),
    optionSources: new Map([...requests.optionSources, ...(options.engine?.optionSources ?? [])]),
    actions: new Set(actions.keys()),
  });
  const store = await openStore({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir, poolSize: config.DATABASE_POOL_SIZE });
  const redis = config.REDIS_URL ? connectRedis(config.REDIS_URL) : undefined;
  const dedupe: Dedupe = redis ? new RedisDedupe(redis, config.DEDUPE_TTL_SECONDS) : new MemoryDedupe(config.DEDUPE_TTL_SECONDS * 1000);
  const locks: Locks = redis ? new RedisLocks(redis) : new MemoryLocks();
  const outbox = new OutboxRelay(store, log, { leaseSeconds: config.OUTBOX_LEASE_SECONDS, pollMs: config.OUTBOX_POLL_MS, maxAttempts: config.OUTBOX_MAX_ATTEMPTS });
  const metrics = createMetrics();
  const gateway = new Gateway({
    store,
    dedupe,
    locks,
    engine,
    outbox,
    log,
    actions,
    attachments: requests.attachments,
    observer: combineObservers(metrics.observer, options.observer),
    leaseSeconds: config.OUTBOX_LEASE_SECONDS,
    defaultLocale: config.DEFAULT_LOCALE,
  });
  const http = createHttpApp({
    store,
    log,
    readiness: redis ? { redis: async () => void (await redis.ping()) } : {},
    metrics: config.METRICS_ENABLED ? metrics : undefined,
    logRequests: config.LOG_REQUESTS,
  });
  const sockets = createSocketServer({ allowedOrigins: config.WEBCHAT_ALLOWED_ORIGINS, redis });
  const whatsappWeb = config.WHATSAPP_WEB_ENABLED ? new WhatsAppWebChannel({ config, store, texts, log }, options.whatsappWeb) : undefined;
  // The back office's decisions go out through the gateway (same outbox as every reply).
  const requestsDomain = new RequestsDomain({ store, keys: requests.keys, t: texts.t, notifier: gateway });
  const consoleHandle = await startConsole({
    config, store, redis, gateway, outbox, locks, texts, log, http, io: sockets.io,
    requests: { domain: requestsDomain, rules: requests.rules },
    documentKey: requests.keys.documents,
    routes: whatsappWeb ? [whatsappWebRoutes({ link: () => whatsappWeb.link.snapshot })] : [],
  });
  const webchat = config.WEBCHAT_ENABLED
    ? [
        new WebchatChannel({
          config, store, texts, log, http, io: sockets.io, redis,
          rejected: (code) => metrics.rejected('webchat', code),
          failed: () => metrics.observer.failed?.('http', undefined),
        }),
      ]
    : [];
  // Telegram runs when its bot token is set (webhook or long polling, see channels/telegram).
  const telegram = config.TELEGRAM_BOT_TOKEN
    ? [
        new TelegramChannel({
          config, store, texts, log, http,
          rejected: (code) => metrics.rejected('telegram', code),
          failed: () => metrics.observer.failed?.('http', undefined),
        }),
      ]
    : [];
  // WhatsApp Cloud API runs when its four credentials are set (see channels/whatsapp-cloud).
  const whatsappCloud = whatsappCloudConfigured(config)
    ? [new WhatsappCloudChannel({ config, store, texts, log, http, rejected: (code) => metrics.rejected('whatsapp-cloud', code) })]
    : [];
  const channels = [...webchat, ...telegram, ...(whatsappWeb ? [whatsappWeb] : []), ...whatsappCloud, ...(options.channels ?? [])];
  for (const channel of channels) {
    gateway.addChannel(channel);
    await channel.start(gateway);
  }
  finishHttpApp(http, log);
  outbox.start();

  let server: Server | undefined;
  let url = '';
  if (options.http !== false) {
    server = createServer(http);
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(config.PORT, config.HOST, () => resolve());
    });
    sockets.attach(server);
    const port = (server.address() as AddressInfo).port;
    url = config.PUBLIC_URL ?? `http://${config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST}:${port}`;
  }

  return {
    config,
    log,
    store,
    redis,
    texts,
    gateway,
    outbox,
    http,
    server,
    sockets,
    metrics,
    console: consoleHandle,
    requests: requestsDomain,
    url,
    async stop() {
      await sockets.close();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server?.closeAllConnections();
      for (const channel of channels) await channel.stop().catch(() => undefined);
      await outbox.stop();
      await consoleHandle.stop();
      await store.close();
      // quit() waits for replies still on the wire; disconnect() would reject them ("Connection is closed").
      await redis?.quit().catch(() => undefined);
    },
  };
}
