import express, { Router } from 'express';
import { z } from 'zod';
import type { Store } from '../store/db';
import { audit } from '../store/repos/audit';
import { deleteSessionsOf, findStaffByEmail, insertStaff, listStaff, publicStaff, updateStaff } from '../store/repos/staff';
import { STAFF_ROLES } from '../store/schema';
import { ConsoleError, HANDLERS, requireRole, staffOf } from './auth/guard';
import { hashPassword, PASSWORD_MIN_LENGTH } from './auth/passwords';

export const newUserSchema = z.object({
  email: z.string().trim().email().max(200),
  name: z.string().trim().min(1).max(100),
  role: z.enum(STAFF_ROLES),
  password: z.string().min(PASSWORD_MIN_LENGTH).max(200),
  capacity: z.number().int().min(1).max(50).optional(),
});
const patchSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  role: z.enum(STAFF_ROLES).optional(),
  active: z.boolean().optional(),
  capacity: z.number().int().min(1).max(50).optional(),
  password: z.string().min(PASSWORD_MIN_LENGTH).max(200).optional(),
});

/** Staff accounts: admins manage them; handlers may list colleagues (to transfer a conversation). */
export function userRoutes(store: Store): Router {
  const router = Router();
  const json = express.json({ limit: '8kb' });

  router.get('/staff', requireRole(...HANDLERS), async (_req, res) => {
    const rows = await listStaff(store.db);
    res.json({ items: rows.filter((u) => u.active && HANDLERS.includes(u.role)).map((u) => ({ id: u.id, name: u.name, role: u.role })) });
  });

  const admin = requireRole('admin');
  router.get('/users', admin, async (_req, res) => {
    res.json({ items: (await listStaff(store.db)).map(publicStaff) });
  });

  router.post('/users', admin, json, async (req, res) => {
    const parsed = newUserSchema.safeParse(req.body);
    if (!parsed.success) throw new ConsoleError(400, 'bad_request');
    if (await findStaffByEmail(store.db, parsed.data.email)) throw new ConsoleError(409, 'email_taken');
    const { password, ...rest } = parsed.data;
    const user = await insertStaff(store.db, { ...rest, passwordHash: await hashPassword(password) });
    await audit(store.db, { actor: `staff:${staffOf(res).id}`, action: 'staff.created', subjectType: 'staff', subjectId: user.id, details: { role: user.role } });
    res.status(201).json({ user: publicStaff(user) });
  });

  router.patch('/users/:id', admin, json, async (req, res) => {
    const parsed = patchSchema.safeParse(req.body);
    if (!parsed.success) throw new ConsoleError(400, 'bad_request');
    const { password, active, ...rest } = parsed.data;
    const changes = { ...rest, ...(active === undefined ? {} : { active: active ? 1 : 0 }), ...(password ? { passwordHash: await hashPassword(password) } : {}) };
    const user = await updateStaff(store.db, String(req.params.id).slice(0, 100), changes);
    if (!user) throw new ConsoleError(404, 'not_found');
    // A disabled account or a new password ends every open session of that person.
    if (active === false || password) await deleteSessionsOf(store.db, user.id);
    await audit(store.db, { actor: `staff:${staffOf(res).id}`, action: 'staff.updated', subjectType: 'staff', subjectId: user.id, details: { fields: Object.keys(parsed.data) } });
    res.json({ user: publicStaff(user) });
  });

  return router;
}
