import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Db } from '../../store/db';
import { deleteSession, findSession, insertSession, type StaffRow } from '../../store/repos/staff';

export const SESSION_COOKIE = 'nabta_console';

export interface SessionOptions {
  hours: number;
  secure: boolean;
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Starts a session: a random token in an HttpOnly cookie, its hash and a CSRF token in the database. */
export async function startSession(db: Db, res: Response, staffId: string, options: SessionOptions): Promise<{ csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + options.hours * 3600_000);
  await insertSession(db, { tokenHash: hash(token), staffId, csrfToken, expiresAt });
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    secure: options.secure,
    // Strict: the browser never sends the session on a request another site starts.
    sameSite: 'strict',
    path: '/',
    expires: expiresAt,
  });
  return { csrfToken };
}

export interface Session {
  user: StaffRow;
  csrfToken: string;
  tokenHash: string;
}

/** The session a cookie header names, if it is live and its user active. */
export async function readSession(db: Db, cookieHeader: string | undefined): Promise<Session | undefined> {
  const token = parseCookies(cookieHeader)[SESSION_COOKIE];
  if (!token || token.length > 100) return undefined;
  const tokenHash = hash(token);
  const found = await findSession(db, tokenHash);
  return found ? { ...found, tokenHash } : undefined;
}

export async function endSession(db: Db, req: Request, res: Response): Promise<void> {
  const token = parseCookies(req.headers.cookie)[SESSION_COOKIE];
  if (token) await deleteSession(db, hash(token));
  res.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** Constant-time comparison of the CSRF header with the session's token. */
export function csrfMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A minimal cookie reader: we read one cookie we set ourselves. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 1) continue;
    const name = part.slice(0, i).trim();
    try {
      out[name] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      // A malformed cookie from some other site's script: ignore it.
    }
  }
  return out;
}
