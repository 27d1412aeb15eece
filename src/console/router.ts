import { Router, type NextFunction, type Request, type Response } from 'express';
import { desc } from 'drizzle-orm';
import type Redis from 'ioredis';
import { HandoffError } from '../handoff/errors';
import type { HandoffService } from '../handoff/service';
import { LOCALES, type Locale } from '../core/types';
import type { Texts } from '../i18n';
import type { Logger } from '../log';
import type { Store } from '../store/db';
import { audit } from '../store/repos/audit';
import { dashboardStats } from '../store/repos/handoffs';
import { publicStaff } from '../store/repos/staff';
import { auditLog } from '../store/schema';
import { authenticate, ConsoleError, HANDLERS, requireRole, sessionOf, staffOf } from './auth/guard';
import { loginRoute, type LoginOptions } from './auth/login';
import { endSession } from './auth/sessions';
import { cannedRoutes } from './canned';
import { conversationRoutes } from './conversations';
import { requestRoutes, type RequestRoutesDeps } from './requests';
import { userRoutes } from './users';

export interface ConsoleApiDeps {
  store: Store;
  handoffs: HandoffService;
  log: Logger;
  login: Omit<LoginOptions, 'redis' | 'keyPrefix'>;
  redis?: Redis;
  keyPrefix: string;
  timeZone: string;
  /** The support requests' back office (its routes check their own roles). */
  requests: Omit<RequestRoutesDeps, 'store'>;
  texts: Texts;
  /** Decrypts files beneficiaries sent, so staff can open them from the transcript; unset = they cannot. */
  documentKey?: Buffer;
  /** Routes other parts of Nabta add (a channel's link page); each checks its own roles. */
  routes?: Router[];
}

/** /api/console: JSON for the staff console (and anything else staff automate). */
export function consoleApi(deps: ConsoleApiDeps): { router: Router } {
  const { store } = deps;
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // The page's texts: public, the login screen needs them before anyone signs in.
  router.get('/texts', (req, res) => {
    const asked = String(req.query.locale ?? 'ar');
    const locale: Locale = (LOCALES as readonly string[]).includes(asked) ? (asked as Locale) : 'ar';
    // Times show in the association's time zone, whatever the staff device is set to.
    res.json({ locale, dir: locale === 'ar' ? 'rtl' : 'ltr', timeZone: deps.timeZone, texts: deps.texts.bundle(locale, 'console') });
  });
  router.use(loginRoute(store, { ...deps.login, redis: deps.redis, keyPrefix: deps.keyPrefix }));
  router.use(authenticate(store.db));

  router.get('/me', (_req, res) => {
    res.json({ user: publicStaff(staffOf(res)), csrfToken: sessionOf(res).csrfToken });
  });
  router.post('/logout', async (req, res) => {
    await audit(store.db, { actor: `staff:${staffOf(res).id}`, action: 'console.logout', subjectType: 'staff', subjectId: staffOf(res).id });
    await endSession(store.db, req, res);
    res.json({ ok: true });
  });

  router.use(conversationRoutes(store, deps.handoffs, deps.documentKey));
  router.use(userRoutes(store));
  router.use(cannedRoutes(store));

  router.get('/dashboard', requireRole(...HANDLERS), async (_req, res) => {
    res.json(await dashboardStats(store.db, deps.timeZone));
  });

  router.get('/audit', requireRole('admin'), async (_req, res) => {
    res.json({ items: await store.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(200) });
  });

  // The back office of support requests: per-route roles (committee decides, everyone handling beneficiaries views).
  router.use('/requests', requestRoutes({ store, ...deps.requests }));

  for (const routes of deps.routes ?? []) router.use(routes);

  router.use((_req, _res, next) => next(new ConsoleError(404, 'not_found')));
  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    let status = 500;
    let code = 'internal';
    if (err instanceof ConsoleError || err instanceof HandoffError) ({ status, code } = err);
    else if (typeof (err as { status?: unknown }).status === 'number' && (err as { status: number }).status < 500) {
      status = (err as { status: number }).status; // body-parser: bad JSON, too large
      code = 'bad_request';
    } else deps.log.error({ err, path: req.path }, 'console request failed');
    if (!res.headersSent) res.status(status).json({ error: { code } });
  });
  return { router };
}
