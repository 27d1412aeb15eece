import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../../src/log';
import { sameSecret, verifySignature } from './signature';
import { webhookSchema, type Webhook } from './webhook';

export interface RouteDeps {
  appSecret: string;
  verifyToken: string;
  /** Processes a verified notification; resolves once everything in it is committed. */
  handle: (webhook: Webhook) => Promise<void>;
  log: Logger;
  /** Counts refused requests by code (metrics). */
  rejected?: (code: string) => void;
}

// Meta's notifications are small JSON documents (media come by id, not inline).
const MAX_BODY = '1mb';

/**
 * /webhooks/whatsapp. GET: Meta's subscription check. POST: notifications, signed with the app
 * secret over the raw bytes — so this route reads the body raw, before any JSON parser, and
 * nothing is looked at until the signature matches. Answers 200 once the gateway committed;
 * any other answer makes Meta deliver the notification again (dedupe makes that harmless).
 */
export function whatsappCloudRoutes(deps: RouteDeps): Router {
  const router = Router();
  const refuse = (res: Response, status: number, code: string) => {
    deps.rejected?.(code);
    res.status(status).json({ error: { code } });
  };

  router.get('/', (req, res) => {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    if (mode !== 'subscribe' || typeof token !== 'string' || !sameSecret(token, deps.verifyToken) || typeof challenge !== 'string') {
      return refuse(res, 403, 'verification_failed');
    }
    res.type('text/plain').send(challenge);
  });

  router.post('/', express.raw({ type: () => true, limit: MAX_BODY }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!verifySignature(raw, req.get('x-hub-signature-256'), deps.appSecret)) return refuse(res, 401, 'bad_signature');
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return refuse(res, 400, 'bad_json');
    }
    const parsed = webhookSchema.safeParse(json);
    if (!parsed.success) {
      deps.log.warn({ issues: parsed.error.issues.slice(0, 5) }, 'WhatsApp webhook of an unknown shape');
      return refuse(res, 400, 'bad_payload');
    }
    if (parsed.data.object !== 'whatsapp_business_account') return void res.sendStatus(200);
    await deps.handle(parsed.data);
    res.sendStatus(200);
  });

  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') return refuse(res, 413, 'too_large');
    if (type === 'request.aborted') return;
    // Nothing was committed for what failed: Meta delivers it again.
    deps.log.error({ err, path: req.path }, 'WhatsApp webhook failed');
    if (!res.headersSent) res.status(500).json({ error: { code: 'internal' } });
  });
  return router;
}
