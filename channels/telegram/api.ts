import { Telegram, TelegramError } from 'telegraf';
import type { Opts, Telegram as Methods } from 'telegraf/types';

export const OFFICIAL_API_ROOT = 'https://api.telegram.org';
/** Telegram's own Bot API lets bots download files up to 20 MB; a self-hosted server has no such limit. */
export const OFFICIAL_DOWNLOAD_LIMIT = 20 * 1024 * 1024;
/** A send that takes longer than this is abandoned and retried by the outbox. */
const CALL_TIMEOUT_MS = 20_000;

export interface TelegramSettings {
  token: string;
  apiRoot: string;
}

/**
 * The Bot API as Nabta calls it: telegraf's client with webhook replies off, so every call is a real
 * HTTP request whose answer (and errors: 429, 403 …) we see, and every call bounded in time.
 */
export class TelegramApi {
  readonly client: Telegram;

  constructor(readonly settings: TelegramSettings) {
    this.client = new Telegram(settings.token, { apiRoot: settings.apiRoot, webhookReply: false });
  }

  /** True for Telegram's own servers: the 20 MB download limit applies there. */
  get official(): boolean {
    return new URL(this.settings.apiRoot).host === new URL(OFFICIAL_API_ROOT).host;
  }

  call<M extends keyof Methods>(method: M, payload: Opts<M>, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ReturnType<Methods[M]>> {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? CALL_TIMEOUT_MS);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    // telegraf types its option with the abort-controller polyfill; node-fetch accepts Node's own signal.
    return this.client.callApi(method, payload, { signal: signal as never });
  }

  /** Where a file getFile described is downloaded from (the token is part of it: never log it). */
  fileUrl(filePath: string): string {
    return new URL(`./file/bot${this.settings.token}/${filePath.split('/').map(encodeURIComponent).join('/')}`, withSlash(this.settings.apiRoot)).toString();
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** What a failed call says, fit for logs: no token, no payload (it may hold personal data). */
export function describeError(err: unknown): { code?: number; description: string } {
  if (err instanceof TelegramError) return { code: err.code, description: err.description };
  if (err instanceof Error) return { description: `${err.name}: ${err.message}`.replace(/bot\d+:[A-Za-z0-9_-]+/g, 'bot[redacted]') };
  return { description: String(err) };
}

export { TelegramError };
