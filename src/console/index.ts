import type { Express, Router } from 'express';
import type Redis from 'ioredis';
import type { Server } from 'socket.io';
import type { Config } from '../config';
import type { Gateway } from '../gateway';
import { autoAssign } from '../handoff/autoAssign';
import { registerHandoffHandlers } from '../handoff/intake';
import type { HandoffQueue } from '../handoff/queue';
import { BullHandoffQueue } from '../handoff/queue.bullmq';
import { MemoryHandoffQueue } from '../handoff/queue.memory';
import { HandoffService } from '../handoff/service';
import { slaHandler } from '../handoff/sla';
import { parseWorkingHours } from '../handoff/workingHours';
import type { Texts } from '../i18n';
import type { Logger } from '../log';
import type { Locks } from '../queue/locks';
import type { EligibilityRule } from '../policy/eligibility';
import type { OutboxRelay } from '../queue/outbox';
import type { RequestsDomain } from '../requests';
import type { Store } from '../store/db';
import { mountConsoleAssets } from './assets';
import { consoleApi } from './router';
import { consoleNamespace } from './socket';

export interface ConsoleDeps {
  config: Config;
  store: Store;
  redis?: Redis;
  gateway: Gateway;
  outbox: OutboxRelay;
  locks: Locks;
  texts: Texts;
  log: Logger;
  http: Express;
  io: Server;
  /** The support requests' back office, served under /api/console/requests. */
  requests: { domain: RequestsDomain; rules: readonly EligibilityRule[] };
  /** The key documents are encrypted with, so staff can open what a beneficiary sent. */
  documentKey?: Buffer;
  /** Extra console API routes (the WhatsApp Web link page); each checks its own roles. */
  routes?: Router[];
}

export interface ConsoleHandle {
  handoffs: HandoffService;
  queue: HandoffQueue;
  /** Puts every waiting conversation back in the queue from PostgreSQL. */
  rebuild(): Promise<number>;
  stop(): Promise<void>;
}

/** Human handoff and the staff console: queue, SLA timers, outbox handlers, API, socket.io, page. */
export async function startConsole(deps: ConsoleDeps): Promise<ConsoleHandle> {
  const { config, store, redis, log } = deps;
  const queue: HandoffQueue = redis ? new BullHandoffQueue(redis, config.QUEUE_PREFIX, log) : new MemoryHandoffQueue();
  let offer = () => undefined as void;
  const { events, presence } = consoleNamespace(deps.io, store, log, () => offer());
  const handoffs = new HandoffService({
    store,
    queue,
    gateway: deps.gateway,
    locks: deps.locks,
    texts: deps.texts,
    events,
    log,
    hours: parseWorkingHours(config.WORKING_HOURS, config.TIME_ZONE),
    sla: { unclaimedMs: config.SLA_UNCLAIMED_MINUTES * 60_000, noReplyMs: config.SLA_NO_REPLY_MINUTES * 60_000 },
  });
  if (config.HANDOFF_AUTO_ASSIGN) {
    handoffs.useAutoAssign((exclude) => autoAssign(handoffs, presence, exclude));
    // An agent signing in takes the next waiting conversation.
    offer = () => handoffs.offer();
  }
  registerHandoffHandlers(deps.outbox, handoffs);
  queue.onTimer(slaHandler(handoffs));

  const api = consoleApi({
    store,
    handoffs,
    log,
    redis,
    keyPrefix: config.QUEUE_PREFIX,
    timeZone: config.TIME_ZONE,
    texts: deps.texts,
    documentKey: deps.documentKey,
    routes: deps.routes,
    requests: { requests: deps.requests.domain, rules: deps.requests.rules },
    login: {
      hours: config.CONSOLE_SESSION_HOURS,
      secure: config.CONSOLE_COOKIE_SECURE ?? config.NODE_ENV === 'production',
      maxFailures: config.LOGIN_MAX_FAILURES,
      lockMinutes: config.LOGIN_LOCK_MINUTES,
      attemptsPerIp: config.LOGIN_ATTEMPTS_PER_IP,
    },
  });
  deps.http.use('/api/console', api.router);
  mountConsoleAssets(deps.http);

  // PostgreSQL is the truth: rebuild at start, when Redis comes back, and now and then (a flush
  // does not announce itself). Adding what is already queued changes nothing.
  const rebuild = () => handoffs.rebuild();
  const safeRebuild = () =>
    void rebuild()
      .then(() => handoffs.offer())
      .catch((err: unknown) => log.warn({ err }, 'handoff queue rebuild failed'));
  await rebuild();
  redis?.on('ready', safeRebuild);
  const timer = setInterval(safeRebuild, config.HANDOFF_RECONCILE_SECONDS * 1000);
  timer.unref();

  return {
    handoffs,
    queue,
    rebuild,
    async stop() {
      clearInterval(timer);
      redis?.off('ready', safeRebuild);
      await queue.close();
    },
  };
}
