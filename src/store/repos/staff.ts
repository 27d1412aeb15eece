import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { staffSessions, staffUsers, type StaffRole } from '../schema';

export type StaffRow = typeof staffUsers.$inferSelect;
/** What the console may show about a member of staff: never the hash or the lock-out counters. */
export type StaffPublic = Pick<StaffRow, 'id' | 'email' | 'name' | 'role' | 'active' | 'capacity'>;

export function publicStaff(row: StaffRow): StaffPublic {
  return { id: row.id, email: row.email, name: row.name, role: row.role, active: row.active, capacity: row.capacity };
}

export async function insertStaff(db: Db, user: { email: string; name: string; role: StaffRole; passwordHash: string; capacity?: number }): Promise<StaffRow> {
  const rows = await db
    .insert(staffUsers)
    .values({ id: randomUUID(), email: user.email.trim().toLowerCase(), name: user.name, role: user.role, passwordHash: user.passwordHash, capacity: user.capacity ?? 5 })
    .returning();
  return rows[0]!;
}

export async function findStaffByEmail(db: Db, email: string): Promise<StaffRow | undefined> {
  const rows = await db.select().from(staffUsers).where(eq(staffUsers.email, email.trim().toLowerCase())).limit(1);
  return rows[0];
}

export async function findStaff(db: Db, id: string): Promise<StaffRow | undefined> {
  const rows = await db.select().from(staffUsers).where(eq(staffUsers.id, id)).limit(1);
  return rows[0];
}

export async function listStaff(db: Db): Promise<StaffRow[]> {
  return db.select().from(staffUsers).orderBy(asc(staffUsers.name));
}

export async function updateStaff(db: Db, id: string, changes: Partial<Pick<StaffRow, 'name' | 'role' | 'active' | 'capacity' | 'passwordHash' | 'failedLogins' | 'lockedUntil'>>): Promise<StaffRow | undefined> {
  const rows = await db.update(staffUsers).set(changes).where(eq(staffUsers.id, id)).returning();
  return rows[0];
}

/**
 * Counts a failed password; locks the account for `lockMs` once `maxFailures` is reached. After a
 * lock-out has run out the count starts again, so one more typo does not lock the account at once.
 */
export async function recordFailedLogin(db: Db, id: string, maxFailures: number, lockMs: number): Promise<StaffRow | undefined> {
  const failures = sql`(case when ${staffUsers.lockedUntil} is not null and ${staffUsers.lockedUntil} <= now() then 0 else ${staffUsers.failedLogins} end + 1)`;
  const rows = await db
    .update(staffUsers)
    .set({
      failedLogins: failures,
      lockedUntil: sql`case when ${failures} >= ${maxFailures} then now() + (${lockMs} * interval '1 millisecond') when ${staffUsers.lockedUntil} <= now() then null else ${staffUsers.lockedUntil} end`,
    })
    .where(eq(staffUsers.id, id))
    .returning();
  return rows[0];
}

export async function recordLogin(db: Db, id: string): Promise<void> {
  await db.update(staffUsers).set({ failedLogins: 0, lockedUntil: null, lastLoginAt: sql`now()` }).where(eq(staffUsers.id, id));
}

export async function insertSession(db: Db, session: { tokenHash: string; staffId: string; csrfToken: string; expiresAt: Date }): Promise<void> {
  await db.insert(staffSessions).values(session);
}

/** The live session of a token hash, with its user (active users only). */
export async function findSession(db: Db, tokenHash: string): Promise<{ csrfToken: string; user: StaffRow } | undefined> {
  const rows = await db
    .select({ csrfToken: staffSessions.csrfToken, user: staffUsers })
    .from(staffSessions)
    .innerJoin(staffUsers, eq(staffUsers.id, staffSessions.staffId))
    .where(and(eq(staffSessions.tokenHash, tokenHash), gt(staffSessions.expiresAt, sql`now()`), eq(staffUsers.active, 1)))
    .limit(1);
  return rows[0];
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.delete(staffSessions).where(eq(staffSessions.tokenHash, tokenHash));
}

export async function deleteSessionsOf(db: Db, staffId: string): Promise<void> {
  await db.delete(staffSessions).where(eq(staffSessions.staffId, staffId));
}
