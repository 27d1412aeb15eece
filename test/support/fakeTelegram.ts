import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Telegram Bot API, speaking its real HTTP protocol: POST (or GET)
 * /bot<token>/<method> with JSON, form or multipart parameters, answers `{ok, result}` or
 * `{ok: false, error_code, description, parameters}`, files at /file/bot<token>/<path>, getUpdates
 * long polling with offsets, webhooks set with setWebhook and delivered with the secret header.
 * Nabta reaches it through TELEGRAM_API_ROOT, exactly as it would reach a self-hosted server.
 */
export interface ApiCall {
  method: string;
  params: Record<string, any>;
  /** HTTP status the fake answered (0 while it has not answered yet), and the result it gave (the sent message …). */
  status: number;
  result?: any;
  at: number;
}

export interface Failure {
  code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export const TOO_MANY_REQUESTS = (retryAfter: number): Failure => ({ code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } });
export const BLOCKED: Failure = { code: 403, description: 'Forbidden: bot was blocked by the user' };

interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  bytes: Buffer;
}

const BOT = { id: 7000000001, is_bot: true, first_name: 'Nabta', username: 'nabta_test_bot' };
const SEND_METHODS = new Set(['sendMessage', 'sendPhoto', 'sendDocument']);

export class FakeTelegram {
  readonly token = `${1000000 + Math.floor(Math.random() * 8999999)}:${randomBytes(26).toString('base64url').slice(0, 35)}`;
  readonly calls: ApiCall[] = [];
  webhook?: { url: string; secret_token?: string; allowed_updates?: string[] };
  private server?: Server;
  private readonly events = new EventEmitter();
  private readonly files = new Map<string, StoredFile>();
  private readonly failures: { method: string; failure: Failure; times: number; skip: number }[] = [];
  private readonly blocked = new Set<string>();
  private readonly nextMessageId = new Map<string, number>();
  private readonly messages = new Map<string, Record<string, any>>();
  private updates: Record<string, any>[] = [];
  private updateSeq = 500_000_000 + Math.floor(Math.random() * 1_000_000);
  private pollers: (() => void)[] = [];

  apiRoot = '';
  /**
   * Like a self-hosted server started with --local: getFile gives an absolute path on the disk the
   * bot shares with it, instead of a path under /file/.
   */
  localDir?: string;
  /** getFile and the download say nothing of the size (file_size is optional in the Bot API; chunked download). */
  hideSizes = false;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        if (!res.headersSent) reply(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(err)}` });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.apiRoot = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const wake of this.pollers.splice(0)) wake();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    if (this.localDir) rmSync(this.localDir, { recursive: true, force: true });
  }

  // ---- what a test arranges -----------------------------------------------------------------

  /** Keeps bytes as a file the bot can fetch with getFile; returns its ids as Telegram would. */
  addFile(bytes: Buffer, folder = 'documents', extension = 'dat'): { file_id: string; file_unique_id: string; file_size: number } {
    const file_id = `BQACAgIAAxkBAAI${randomBytes(24).toString('base64url')}`;
    const file_unique_id = `AgAD${randomBytes(6).toString('base64url')}`;
    let file_path = `${folder}/file_${this.files.size}.${extension}`;
    if (this.localDir) {
      file_path = path.join(this.localDir, file_path.replace('/', '_'));
      writeFileSync(file_path, bytes);
    }
    this.files.set(file_id, { file_id, file_unique_id, file_path, bytes });
    return { file_id, file_unique_id, file_size: bytes.length };
  }

  /** Switches to --local mode (absolute file paths on a shared disk). */
  useLocalFiles(): void {
    this.localDir = mkdtempSync(path.join(os.tmpdir(), 'nabta-fake-telegram-'));
  }

  /** The next `times` calls of `method` fail with this answer (after letting `skip` calls through). */
  failNext(method: string, failure: Failure, options: { times?: number; skip?: number } = {}): void {
    this.failures.push({ method, failure, times: options.times ?? 1, skip: options.skip ?? 0 });
  }

  /** The person blocked the bot: sends to their chat answer 403. */
  block(chatId: number | string): void {
    this.blocked.add(String(chatId));
  }

  unblock(chatId: number | string): void {
    this.blocked.delete(String(chatId));
  }

  /** A fresh update id, increasing like Telegram's. */
  nextUpdateId(): number {
    return ++this.updateSeq;
  }

  /** Queues an update for getUpdates (long polling). */
  queueUpdate(update: Record<string, any>): void {
    this.updates.push(update);
    for (const wake of this.pollers.splice(0)) wake();
  }

  /** Posts an update to the webhook as Telegram does (with the secret it was given, unless told otherwise). */
  async deliver(update: Record<string, any>, secret: string | null | undefined = this.webhook?.secret_token): Promise<{ status: number; body: string }> {
    if (!this.webhook) throw new Error('no webhook set');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret !== null && secret !== undefined) headers['x-telegram-bot-api-secret-token'] = secret;
    const res = await fetch(this.webhook.url, { method: 'POST', headers, body: JSON.stringify(update) });
    return { status: res.status, body: await res.text() };
  }

  // ---- what a test reads --------------------------------------------------------------------

  /** Successful calls of `method`, optionally to one chat. */
  ok(method: string, chatId?: number | string): Record<string, any>[] {
    return this.calls.filter((c) => c.method === method && c.status === 200 && (chatId === undefined || String(c.params.chat_id) === String(chatId))).map((c) => c.params);
  }

  /** Texts the bot sent to a chat (messages and captions), in order. */
  sentTexts(chatId: number | string): string[] {
    return this.calls
      .filter((c) => SEND_METHODS.has(c.method) && c.status === 200 && String(c.params.chat_id) === String(chatId))
      .map((c) => String(c.params.text ?? c.params.caption ?? ''));
  }

  /** Resolves with the first call (past or future) that matches. */
  waitForCall(match: (call: ApiCall) => boolean, timeoutMs = 15_000): Promise<ApiCall> {
    const found = this.calls.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('call', listener);
        const recent = this.calls.slice(-8).map((c) => `${c.method} ${c.status} ${JSON.stringify(c.params).slice(0, 120)}`);
        reject(new Error(`the expected Bot API call did not come; the last calls were:\n${recent.join('\n')}`));
      }, timeoutMs);
      const listener = (call: ApiCall) => {
        if (!match(call)) return;
        clearTimeout(timer);
        this.events.off('call', listener);
        resolve(call);
      };
      this.events.on('call', listener);
    });
  }

  /** The inline keyboard's buttons of the last message sent to a chat that had one. */
  lastKeyboard(chatId: number | string): { text: string; callback_data: string }[] {
    const withKeyboard = this.calls.filter((c) => c.status === 200 && String(c.params.chat_id) === String(chatId) && c.params.reply_markup?.inline_keyboard);
    return (withKeyboard.at(-1)?.params.reply_markup.inline_keyboard ?? []).flat();
  }

  /** The message as the fake stored it (after edits). */
  message(chatId: number | string, messageId: number): Record<string, any> | undefined {
    return this.messages.get(`${chatId}:${messageId}`);
  }

  // ---- the HTTP protocol --------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) return this.serveFile(file[1]!, decodeURIComponent(file[2]!), res);
    const api = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!api) return reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const params = { ...Object.fromEntries(url.searchParams), ...(await readParams(req)) };
    // Recorded on arrival (status 0 until answered): a long poll is a call even while it waits.
    const call: ApiCall = { method: api[2]!, params, status: 0, at: Date.now() };
    this.calls.push(call);
    this.events.emit('call', call);
    const answer = api[1] !== this.token ? { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } } : await this.call(call.method, params, res);
    if (!answer) return; // a long poll that ended because the client went away
    call.status = answer.status;
    call.result = (answer.body as { result?: unknown }).result;
    reply(res, answer.status, answer.body);
    this.events.emit('call', call);
  }

  private serveFile(token: string, filePath: string, res: ServerResponse): void {
    const file = [...this.files.values()].find((f) => f.file_path === filePath);
    if (token !== this.token || !file) return reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    res.writeHead(200, { 'content-type': 'application/octet-stream', ...(this.hideSizes ? {} : { 'content-length': file.bytes.length }) });
    // In pieces, as a large file arrives.
    for (let i = 0; i < file.bytes.length; i += 16 * 1024) res.write(file.bytes.subarray(i, i + 16 * 1024));
    res.end();
  }

  private async call(method: string, params: Record<string, any>, res: ServerResponse): Promise<{ status: number; body: unknown } | undefined> {
    const injected = this.failures.find((f) => f.method === method && f.times > 0);
    if (injected && injected.skip > 0) injected.skip -= 1;
    else if (injected) {
      injected.times -= 1;
      const { code, description, parameters } = injected.failure;
      return { status: code, body: { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) } };
    }
    const ok = (result: unknown) => ({ status: 200, body: { ok: true, result } });
    const bad = (description: string, code = 400) => ({ status: code, body: { ok: false, error_code: code, description: code === 400 ? `Bad Request: ${description}` : description } });
    const chatId = params.chat_id === undefined ? undefined : String(params.chat_id);
    if (SEND_METHODS.has(method) || method.startsWith('editMessage')) {
      if (!chatId) return bad('chat_id is empty');
      if (this.blocked.has(chatId) && SEND_METHODS.has(method)) return { status: 403, body: { ok: false, error_code: 403, description: BLOCKED.description } };
      const problem = checkMarkup(params.reply_markup);
      if (problem) return bad(problem);
    }
    switch (method) {
      case 'getMe':
        return ok(BOT);
      case 'setWebhook':
        if (!params.url) return bad('bad webhook: Webhook URL is empty');
        if (params.secret_token !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(String(params.secret_token))) return bad('secret token contains unallowed characters');
        this.webhook = { url: String(params.url), secret_token: params.secret_token, allowed_updates: params.allowed_updates };
        return ok(true);
      case 'deleteWebhook':
        this.webhook = undefined;
        return ok(true);
      case 'getWebhookInfo':
        return ok({ url: this.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: this.updates.length });
      case 'setMyCommands': {
        const commands = params.commands as { command: string; description: string }[] | undefined;
        if (!Array.isArray(commands)) return bad('commands must be an array');
        for (const c of commands) {
          if (!/^[a-z0-9_]{1,32}$/.test(c.command)) return bad('BOT_COMMAND_INVALID');
          if (!c.description || c.description.length > 256) return bad('command description must be non-empty');
        }
        return ok(true);
      }
      case 'getUpdates':
        return this.getUpdates(params, res);
      case 'answerCallbackQuery':
        if (!params.callback_query_id) return bad('query is too old and response timeout expired or query ID is invalid');
        return ok(true);
      case 'sendChatAction':
        return ok(true);
      case 'sendMessage': {
        const text = String(params.text ?? '');
        if (!text.trim()) return bad('message text is empty');
        if (text.length > 4096) return bad('message is too long');
        return ok(this.store(chatId!, { text, ...(params.reply_markup ? { reply_markup: params.reply_markup } : {}) }));
      }
      case 'sendPhoto':
      case 'sendDocument': {
        const media = params.photo ?? params.document;
        if (!media) return bad('there is no photo in the request');
        const caption = params.caption === undefined ? {} : { caption: String(params.caption) };
        return ok(this.store(chatId!, { ...caption, [method === 'sendPhoto' ? 'photo' : 'document']: media }));
      }
      case 'editMessageText':
      case 'editMessageReplyMarkup': {
        const stored = this.messages.get(`${chatId}:${params.message_id}`);
        if (!stored) return bad('message to edit not found');
        const text = method === 'editMessageText' ? String(params.text ?? '') : stored.text;
        if (method === 'editMessageText' && !text.trim()) return bad('message text is empty');
        const markup = params.reply_markup;
        if (text === stored.text && JSON.stringify(markup ?? null) === JSON.stringify(stored.reply_markup ?? null)) {
          return bad('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
        }
        const edited: Record<string, any> = { ...stored, text, edit_date: now() };
        if (markup) edited.reply_markup = markup;
        else delete edited.reply_markup;
        this.messages.set(`${chatId}:${params.message_id}`, edited);
        return ok(edited);
      }
      case 'getFile': {
        const file = this.files.get(String(params.file_id ?? ''));
        if (!file) return bad('invalid file_id');
        if (file.bytes.length > 20 * 1024 * 1024) return bad('file is too big');
        return ok({ file_id: file.file_id, file_unique_id: file.file_unique_id, ...(this.hideSizes ? {} : { file_size: file.bytes.length }), file_path: file.file_path });
      }
      default:
        return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found: method not found' } };
    }
  }

  private store(chatId: string, content: Record<string, unknown>): Record<string, any> {
    const id = (this.nextMessageId.get(chatId) ?? 100) + 1;
    this.nextMessageId.set(chatId, id);
    const message = { message_id: id, from: BOT, chat: { id: Number(chatId), type: 'private' }, date: now(), ...content };
    this.messages.set(`${chatId}:${id}`, message);
    return message;
  }

  /** Long polling: answers at once when updates at or after `offset` wait, else when one comes or `timeout` passes. */
  private async getUpdates(params: Record<string, any>, res: ServerResponse): Promise<{ status: number; body: unknown } | undefined> {
    if (this.webhook) {
      return { status: 409, body: { ok: false, error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" } };
    }
    const offset = Number(params.offset ?? 0);
    // Updates before the offset are confirmed: Telegram forgets them.
    if (offset > 0) this.updates = this.updates.filter((u) => u.update_id >= offset);
    const limit = Math.min(Number(params.limit ?? 100) || 100, 100);
    if (this.updates.length === 0 && Number(params.timeout ?? 0) > 0) {
      const gone = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => finish(false), Number(params.timeout) * 1000);
        const finish = (closed: boolean) => {
          clearTimeout(timer);
          this.pollers = this.pollers.filter((w) => w !== wake);
          res.off('close', onClose);
          resolve(closed);
        };
        const wake = () => finish(false);
        const onClose = () => finish(!res.writableFinished);
        this.pollers.push(wake);
        res.on('close', onClose);
      });
      if (gone || res.destroyed) return undefined;
    }
    return { status: 200, body: { ok: true, result: this.updates.slice(0, limit) } };
  }
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

/** Telegram refuses callback data over 64 bytes and keyboards that are not arrays of arrays. */
function checkMarkup(markup: unknown): string | undefined {
  if (markup === undefined) return undefined;
  const keyboard = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (keyboard === undefined) return undefined;
  if (!Array.isArray(keyboard) || !keyboard.every(Array.isArray)) return "can't parse inline keyboard button: InlineKeyboardButton must be an Object";
  for (const button of keyboard.flat() as { text?: string; callback_data?: string }[]) {
    if (!button.text) return 'BUTTON_TEXT_INVALID';
    if (button.callback_data !== undefined && (Buffer.byteLength(button.callback_data) > 64 || button.callback_data.length === 0)) return 'BUTTON_DATA_INVALID';
  }
  return undefined;
}

/** JSON, urlencoded or multipart bodies, as the Bot API accepts them; JSON-valued form fields are parsed. */
async function readParams(req: IncomingMessage): Promise<Record<string, any>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  if (body.length === 0) return {};
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) return JSON.parse(body.toString('utf8')) as Record<string, any>;
  const form = type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded') ? await new Response(body, { headers: { 'content-type': type } }).formData() : undefined;
  if (!form) return {};
  const params: Record<string, any> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') {
      params[key] = /^[[{]/.test(value) ? safeJson(value) : value;
    } else {
      params[key] = { fileName: value.name, size: value.size, bytes: Buffer.from(await value.arrayBuffer()) };
    }
  }
  return params;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
