import cors from 'cors';
import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { ChannelCapabilities } from '../../src/core/channel';
import { LOCALES, type Locale } from '../../src/core/types';
import type { ReceiveResult } from '../../src/gateway';
import type { Texts } from '../../src/i18n';
import type { Logger } from '../../src/log';
import type { Store } from '../../src/store/db';
import { listMessages } from '../../src/store/repos/messages';
import type { ConversationDirectory } from './directory';
import { fromParserError, requestLocale, sendWebchatError, WebchatError } from './errors';
import { newConversationToken, parseMessageBody, toInbound } from './inbound';
import type { WebchatRateLimiter } from './rateLimit';
import { renderOutbound, renderRow, type WireTurn } from './render';
import { ACCEPTED_MIME, checkUpload, multipartParser } from './upload';

/** The gateway as the web chat needs it: the turn's answer comes back in the HTTP response. */
export interface TurnPort {
  receive(inbound: ReturnType<typeof toInbound>): Promise<ReceiveResult>;
}

export interface RouteDeps {
  port: () => TurnPort;
  store: Store;
  texts: Texts;
  log: Logger;
  directory: ConversationDirectory;
  limiter: WebchatRateLimiter;
  capabilities: ChannelCapabilities;
  maxFileMb: number;
  allowedOrigins: string[] | '*';
  org: (locale: Locale) => { name: string; primaryColor: string };
  /** Counts answers the API refused (4xx) by code, and failures (5xx). */
  rejected?: (code: string) => void;
  failed?: (err: unknown) => void;
}

const STATUS: Record<string, number> = { text_too_long: 413, payload_too_long: 413 };
const CURSOR = /^\d{1,15}$/;

/** /api/webchat: post a message, read the transcript after a cursor, fetch the widget's texts. */
export function webchatRoutes(deps: RouteDeps): Router {
  const router = Router();
  const { capabilities: caps } = deps;
  const json = express.json({ limit: '64kb' });
  const multipart = multipartParser(Math.round(deps.maxFileMb * 1024 * 1024));
  const parseBody: RequestHandler = (req, res, next) => (req.is('multipart/form-data') ? multipart(req, res, next) : json(req, res, next));

  router.use(cors({ origin: deps.allowedOrigins === '*' ? '*' : deps.allowedOrigins, methods: ['GET', 'POST'], maxAge: 600 }));
  router.use((_req, res, next) => {
    // Other sites call this API from the widget.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    next();
  });
  router.use(async (req, _res, next) => {
    // The per-address budget is for the internet. A request from this machine itself, with no client
    // address forwarded by a proxy (a health check, an operator's evaluation run), is not counted:
    // it would otherwise spend one budget shared by everything local. Each conversation keeps its own.
    if (!fromThisMachine(req.ip)) await deps.limiter.consumeIp(req.ip ?? 'unknown');
    next();
  });

  router.post('/messages', parseBody, async (req, res) => {
    const file = checkUpload(req.file);
    const parsed = parseMessageBody(req.body, Boolean(file), caps.maxTextLength);
    if (!parsed.ok) throw new WebchatError(STATUS[parsed.code] ?? 400, parsed.code, parsed.vars);
    let token = parsed.body.conversationId;
    if (token) {
      if (!(await deps.directory.resolve(token))) throw new WebchatError(404, 'conversation_not_found');
      await deps.limiter.consumeConversation(token);
    } else {
      token = newConversationToken();
    }
    const result = await deps.port().receive(toInbound(parsed.body, token, file));
    if (result.conversation) deps.directory.remember(token, result.conversation.id);
    res.json(renderTurn(token, result, caps.maxButtonTitle));
  });

  router.get('/conversations/:id/messages', async (req, res) => {
    const token = String(req.params.id);
    const after = req.query.after === undefined || req.query.after === '' ? 0 : String(req.query.after);
    if (after !== 0 && !CURSOR.test(after)) throw new WebchatError(400, 'bad_cursor');
    const conversationId = await deps.directory.resolve(token);
    if (!conversationId) throw new WebchatError(404, 'conversation_not_found');
    const rows = await listMessages(deps.store.db, conversationId, { after: Number(after), direction: 'out', limit: 200 });
    const messages = rows.map((r) => renderRow(r, caps.maxButtonTitle));
    res.setHeader('Cache-Control', 'no-store');
    res.json({ conversationId: token, messages, cursor: messages.at(-1)?.id ?? Number(after) });
  });

  router.get('/texts', (req, res) => {
    const asked = String(req.query.locale ?? '');
    const locale: Locale = (LOCALES as readonly string[]).includes(asked) ? (asked as Locale) : requestLocale(req);
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json({
      locale,
      dir: locale === 'ar' ? 'rtl' : 'ltr',
      org: deps.org(locale),
      texts: deps.texts.bundle(locale, 'webchat.widget'),
      limits: { maxTextLength: caps.maxTextLength, maxFileMb: deps.maxFileMb, accept: ACCEPTED_MIME },
    });
  });

  router.use((req, res) => sendWebchatError(req, res, deps.texts, new WebchatError(404, 'not_found')));
  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    let known = err instanceof WebchatError ? err : fromParserError(err, deps.maxFileMb);
    if (!known) {
      deps.log.error({ err, path: req.path }, 'web chat request failed');
      deps.failed?.(err);
      known = new WebchatError(500, 'internal');
    } else {
      deps.rejected?.(known.code);
    }
    if (!res.headersSent) sendWebchatError(req, res, deps.texts, known);
  });
  return router;
}

function renderTurn(token: string, result: ReceiveResult, maxLabel: number): WireTurn {
  const replies = result.replies.map((r) => renderOutbound(r, maxLabel));
  const turn: WireTurn = { conversationId: token, replies };
  if (result.expecting) turn.expecting = result.expecting;
  if (result.match) turn.match = result.match;
  if (replies.length) turn.cursor = replies.at(-1)!.id;
  // A retried POST (same messageId) was processed the first time: its replies are in the transcript.
  if (result.duplicate) turn.duplicate = true;
  return turn;
}

/** Loopback, as Express reports it (IPv4, IPv6, or IPv4 mapped into IPv6). */
function fromThisMachine(ip: string | undefined): boolean {
  return ip !== undefined && (ip === '::1' || /^(::ffff:)?127\./.test(ip));
}
