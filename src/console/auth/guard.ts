import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Db } from '../../store/db';
import type { StaffRole } from '../../store/schema';
import type { StaffRow } from '../../store/repos/staff';
import { csrfMatches, readSession, type Session } from './sessions';

/** A refusal with a status and a machine-readable code. */
export class ConsoleError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every console route but login: a live session (401), and on state changes the CSRF token the
 * login returned, in `x-csrf-token` (403). Synchronizer tokens plus SameSite=Strict cookies: the
 * token stops a forged request even from a browser that ignores SameSite.
 */
export function authenticate(db: Db): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const session = await readSession(db, req.headers.cookie);
    if (!session) throw new ConsoleError(401, 'not_signed_in');
    if (!SAFE.has(req.method) && !csrfMatches(session.csrfToken, req.headers['x-csrf-token'])) throw new ConsoleError(403, 'csrf');
    res.locals.session = session;
    next();
  };
}

/** Role check on the server, for every route: the UI hiding a button is never the protection. */
export function requireRole(...roles: StaffRole[]): RequestHandler {
  const allowed = new Set<StaffRole>(roles);
  return (_req, res, next) => {
    if (!allowed.has(staffOf(res).role)) throw new ConsoleError(403, 'forbidden');
    next();
  };
}

export function staffOf(res: Response): StaffRow {
  return (res.locals.session as Session).user;
}

export function sessionOf(res: Response): Session {
  return res.locals.session as Session;
}

/** Roles that handle conversations with beneficiaries. */
export const HANDLERS: StaffRole[] = ['agent', 'supervisor', 'admin'];
export const OVERSEERS: StaffRole[] = ['supervisor', 'admin'];
