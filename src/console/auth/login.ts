import express, { Router } from 'express';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { z } from 'zod';
import type { Store } from '../../store/db';
import { audit } from '../../store/repos/audit';
import { findStaffByEmail, publicStaff, recordFailedLogin, recordLogin } from '../../store/repos/staff';
import { ConsoleError } from './guard';
import { verifyPassword } from './passwords';
import { startSession, type SessionOptions } from './sessions';

export interface LoginOptions extends SessionOptions {
  maxFailures: number;
  lockMinutes: number;
  attemptsPerIp: number;
  redis?: Redis;
  keyPrefix: string;
}

const body = z.object({ email: z.string().trim().email().max(200), password: z.string().min(1).max(200) });

/**
 * POST /login. Two brakes: attempts per IP (shared across instances through Redis), and a temporary
 * lock-out of the account after repeated wrong passwords (in PostgreSQL, so every instance agrees).
 */
export function loginRoute(store: Store, options: LoginOptions): Router {
  const router = Router();
  const limiter: RateLimiterAbstract = options.redis
    ? new RateLimiterRedis({ storeClient: options.redis, keyPrefix: `${options.keyPrefix}:login`, points: options.attemptsPerIp, duration: 15 * 60 })
    : new RateLimiterMemory({ keyPrefix: 'login', points: options.attemptsPerIp, duration: 15 * 60 });

  router.post('/login', express.json({ limit: '4kb' }), async (req, res) => {
    try {
      await limiter.consume(req.ip ?? 'unknown');
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      res.setHeader('Retry-After', String(Math.ceil(err.msBeforeNext / 1000)));
      throw new ConsoleError(429, 'too_many_attempts');
    }
    const parsed = body.safeParse(req.body);
    if (!parsed.success) throw new ConsoleError(400, 'bad_request');
    const { email, password } = parsed.data;
    const user = await findStaffByEmail(store.db, email);
    if (user?.lockedUntil && user.lockedUntil > new Date()) {
      res.setHeader('Retry-After', String(Math.ceil((user.lockedUntil.getTime() - Date.now()) / 1000)));
      await audit(store.db, { actor: `staff:${user.id}`, action: 'console.login.locked', subjectType: 'staff', subjectId: user.id, details: { ip: req.ip } });
      throw new ConsoleError(423, 'locked');
    }
    const ok = await verifyPassword(user?.passwordHash, password);
    if (!user || !ok || !user.active) {
      if (user) {
        const after = await recordFailedLogin(store.db, user.id, options.maxFailures, options.lockMinutes * 60_000);
        await audit(store.db, { actor: `staff:${user.id}`, action: 'console.login.failed', subjectType: 'staff', subjectId: user.id, details: { ip: req.ip, failures: after?.failedLogins } });
      }
      throw new ConsoleError(401, 'wrong_credentials');
    }
    await recordLogin(store.db, user.id);
    const { csrfToken } = await startSession(store.db, res, user.id, options);
    await audit(store.db, { actor: `staff:${user.id}`, action: 'console.login', subjectType: 'staff', subjectId: user.id, details: { ip: req.ip } });
    res.json({ user: publicStaff(user), csrfToken });
  });
  return router;
}
