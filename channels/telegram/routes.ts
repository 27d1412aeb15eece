import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Update } from 'telegraf/types';
import type { Logger } from '../../src/log';

export const WEBHOOK_PATH = '/webhooks/telegram';
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export interface WebhookDeps {
  secret: string;
  handle: (update: Update) => Promise<void>;
  log: Logger;
  /** False once the channel stopped: Telegram is told to come back later (and will). */
  running: () => boolean;
  rejected?: (code: string) => void;
  failed?: (err: unknown) => void;
}

/**
 * POST /webhooks/telegram. Checked before anything is read: a request without Telegram's secret
 * header is refused with 401 (telegraf's own filter would fall through to the next Express
 * handler instead). The update is processed — committed, and its replies handed to the outbox —
 * before the 200, so an update is never acknowledged and then lost; a failure answers 500 and
 * Telegram delivers it again (the gateway's dedupe makes that safe). Replies are never put in the
 * webhook's answer: they are API calls from the outbox, retried and rate-limited like every message.
 */
export function telegramWebhookRoutes(deps: WebhookDeps): Router {
  const router = Router();
  const expected = digest(deps.secret);
  router.post(
    WEBHOOK_PATH,
    (req, res, next) => {
      const given = req.get(SECRET_HEADER);
      if (given === undefined || !timingSafeEqual(digest(given), expected)) {
        deps.rejected?.('telegram_secret');
        res.status(401).json({ ok: false, error: 'unauthorized' });
        return;
      }
      if (!deps.running()) {
        res.status(503).json({ ok: false, error: 'stopping' });
        return;
      }
      next();
    },
    express.json({ limit: '1mb' }),
    async (req, res) => {
      const update = req.body as Partial<Update> | undefined;
      if (!update || typeof update !== 'object' || !Number.isSafeInteger(update.update_id)) {
        deps.rejected?.('telegram_bad_update');
        res.status(400).json({ ok: false, error: 'not an update' });
        return;
      }
      await deps.handle(update as Update);
      res.status(200).json({ ok: true });
    },
  );
  router.use(WEBHOOK_PATH, (err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { type?: string }).type === 'entity.parse.failed' ? 400 : 500;
    if (status === 500) {
      deps.log.error({ err, channel: 'telegram' }, 'telegram update failed; Telegram will deliver it again');
      deps.failed?.(err);
    }
    if (!res.headersSent) res.status(status).json({ ok: false, error: status === 400 ? 'bad json' : 'internal' });
  });
  return router;
}

/** Fixed-length digests, so comparing them takes the same time whatever was sent. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
