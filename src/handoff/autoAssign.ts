import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../store/db';
import type { StaffRow } from '../store/repos/staff';
import { handoffs, staffUsers } from '../store/schema';
import { HandoffError } from './errors';
import type { HandoffService } from './service';

/** Who is signed in to the console right now, on any instance. */
export interface Presence {
  onlineStaffIds(): Promise<string[]>;
}

/**
 * The next agent in turn among `online`: active agents under their capacity, the one whose last
 * assignment is oldest first (never assigned = first). Ordering by the database, not by a pointer
 * in memory, keeps the turn fair across instances and restarts.
 */
export async function nextAgent(db: Db, online: string[]): Promise<StaffRow | undefined> {
  if (online.length === 0) return undefined;
  const held = sql<number>`(select count(*) from ${handoffs} h where h.assigned_to = ${staffUsers.id} and h.status = 'assigned')`;
  const lastAssigned = sql`(select max(h.claimed_at) from ${handoffs} h where h.assigned_to = ${staffUsers.id})`;
  const rows = await db
    .select()
    .from(staffUsers)
    .where(and(inArray(staffUsers.id, online), eq(staffUsers.role, 'agent'), eq(staffUsers.active, 1), sql`${held} < ${staffUsers.capacity}`))
    .orderBy(sql`${lastAssigned} asc nulls first`, asc(staffUsers.name), asc(staffUsers.id))
    .limit(1);
  return rows[0];
}

/**
 * Optional round-robin (HANDOFF_AUTO_ASSIGN): hands waiting conversations, best first, to online
 * agents in turn until nobody is free. A claim that loses a race (a person claimed it, another
 * instance assigned it) is skipped; the database decides as it does for manual claims.
 */
export async function autoAssign(service: HandoffService, presence: Presence, exclude: string[] = []): Promise<number> {
  const online = (await presence.onlineStaffIds()).filter((id) => !exclude.includes(id));
  if (online.length === 0) return 0;
  let assigned = 0;
  for (const entry of await service.list()) {
    const agent = await nextAgent(service.deps.store.db, [...new Set(online)]);
    if (!agent) break;
    try {
      await service.claim(entry.conversationId, agent, 'auto-assign');
      assigned++;
    } catch (err) {
      if (!(err instanceof HandoffError)) throw err;
    }
  }
  return assigned;
}
