import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../log';
import type { Store } from '../store/db';
import type { Metrics } from './metrics';
import { requestLogger } from './requestLog';
import { securityHeaders } from './security';

export interface HttpDeps {
  store: Store;
  log: Logger;
  /** Extra readiness checks (Redis, ...): each throws when its dependency is unreachable. */
  readiness: Record<string, () => Promise<void>>;
  /** Serves GET /metrics when given. */
  metrics?: Metrics;
  logRequests?: boolean;
}

/** The express app: health routes here; channels and the console mount their routers on it. */
export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.use(securityHeaders());
  if (deps.logRequests) app.use(requestLogger(deps.log));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const checks: Record<string, string> = {};
    let ready = true;
    for (const [name, check] of Object.entries({ store: () => deps.store.ping(), ...deps.readiness })) {
      try {
        await withTimeout(check(), 2000);
        checks[name] = 'ok';
      } catch (err) {
        ready = false;
        checks[name] = err instanceof Error ? err.message : 'unreachable';
      }
    }
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });

  if (deps.metrics) app.get('/metrics', deps.metrics.handler);
  return app;
}

/** Last handlers: unknown routes and errors answer JSON, never a stack trace. */
export function finishHttpApp(app: Express, log: Logger): void {
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'غير موجود / Not found' } });
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : 500;
    if (status >= 500) log.error({ err, path: req.path }, 'request failed');
    if (res.headersSent) return;
    res.status(status).json({
      error: status >= 500 ? { code: 'internal', message: 'حدث خطأ غير متوقع / Unexpected error' } : { code: 'bad_request', message: 'طلب غير صالح / Bad request' },
    });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
