import type { Request, Response } from 'express';
import type { Locale } from '../../src/core/types';
import type { Texts } from '../../src/i18n';

/** A client mistake answered with a status and a message in the request's language. */
export class WebchatError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly vars: Record<string, string | number> = {},
    /** Seconds until the client may try again (429). */
    readonly retryAfter?: number,
  ) {
    super(code);
    this.name = 'WebchatError';
  }
}

/** The request's language: explicit `locale` (query or body), else Accept-Language, else Arabic. */
export function requestLocale(req: Request): Locale {
  const explicit = (req.query?.locale ?? (req.body as { locale?: unknown } | undefined)?.locale) as unknown;
  if (explicit === 'en' || explicit === 'ar') return explicit;
  const header = req.headers['accept-language'];
  if (typeof header === 'string') {
    const first = header.split(',')[0]?.trim().slice(0, 2).toLowerCase();
    if (first === 'en') return 'en';
  }
  return 'ar';
}

/** Writes `{error: {code, message}}`. */
export function sendWebchatError(req: Request, res: Response, texts: Texts, err: WebchatError): void {
  if (err.retryAfter !== undefined) res.setHeader('Retry-After', String(err.retryAfter));
  res.status(err.status).json({ error: { code: err.code, message: texts.t(`webchat.errors.${err.code}`, requestLocale(req), err.vars) } });
}

/** Body-parser and multer failures, mapped to our codes (they carry `type` or `code`, never our texts). */
export function fromParserError(err: unknown, maxFileMb: number): WebchatError | undefined {
  const e = err as { type?: string; code?: string; status?: number };
  if (e.type === 'entity.parse.failed') return new WebchatError(400, 'bad_json');
  if (e.type === 'entity.too.large') return new WebchatError(413, 'too_large');
  if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') return new WebchatError(415, 'bad_request');
  switch (e.code) {
    case 'LIMIT_FILE_SIZE':
      return new WebchatError(413, 'file_too_large', { max: maxFileMb });
    case 'LIMIT_FILE_COUNT':
    case 'LIMIT_UNEXPECTED_FILE':
      return new WebchatError(400, 'too_many_files');
    case 'LIMIT_FIELD_VALUE':
    case 'LIMIT_FIELD_COUNT':
    case 'LIMIT_FIELD_KEY':
    case 'LIMIT_PART_COUNT':
      return new WebchatError(413, 'too_large');
  }
  // Malformed multipart bodies come from busboy as plain errors with a 4xx-ish meaning.
  if (err instanceof Error && /Multipart|Unexpected end of form|Malformed part header|boundary/i.test(err.message)) return new WebchatError(400, 'bad_request');
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return new WebchatError(e.status, 'bad_request');
  return undefined;
}
