import express, { Router } from 'express';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Store } from '../store/db';
import { audit } from '../store/repos/audit';
import { cannedReplies } from '../store/schema';
import { ConsoleError, HANDLERS, OVERSEERS, requireRole, staffOf } from './auth/guard';

const body = z.object({ title: z.string().trim().min(1).max(80), text: z.string().trim().min(1).max(2000), locale: z.enum(['ar', 'en']).optional() });

/** Canned replies: data supervisors edit in the console; every handler can insert them. */
export function cannedRoutes(store: Store): Router {
  const router = Router();
  router.get('/canned', requireRole(...HANDLERS), async (_req, res) => {
    res.json({ items: await store.db.select().from(cannedReplies).orderBy(asc(cannedReplies.title)) });
  });
  router.post('/canned', requireRole(...OVERSEERS), express.json({ limit: '8kb' }), async (req, res) => {
    const parsed = body.safeParse(req.body);
    if (!parsed.success) throw new ConsoleError(400, 'bad_request');
    const [row] = await store.db.insert(cannedReplies).values({ ...parsed.data, updatedBy: staffOf(res).id }).returning();
    await audit(store.db, { actor: `staff:${staffOf(res).id}`, action: 'canned.created', subjectType: 'canned', subjectId: String(row!.id) });
    res.status(201).json({ item: row });
  });
  router.delete('/canned/:id', requireRole(...OVERSEERS), async (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id)) throw new ConsoleError(404, 'not_found');
    const rows = await store.db.delete(cannedReplies).where(eq(cannedReplies.id, id)).returning();
    if (!rows.length) throw new ConsoleError(404, 'not_found');
    await audit(store.db, { actor: `staff:${staffOf(res).id}`, action: 'canned.deleted', subjectType: 'canned', subjectId: String(id) });
    res.json({ ok: true });
  });
  return router;
}
