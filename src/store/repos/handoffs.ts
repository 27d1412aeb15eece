import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { conversations, handoffs, ratings } from '../schema';

export type HandoffRow = typeof handoffs.$inferSelect;
const OPEN = ['waiting', 'assigned'] as const;

/**
 * Opens a handoff for a conversation. Returns undefined when one is already open (a retried outbox
 * row, or a person asking twice): the unique partial index decides, on every instance alike.
 */
export async function openHandoff(
  db: Db,
  h: { conversationId: string; channel: string; reason: string; priority: number; flowId?: string | null; slots?: Record<string, unknown> | null },
): Promise<HandoffRow | undefined> {
  const rows = await db
    .insert(handoffs)
    .values({ ...h, status: 'waiting' })
    .onConflictDoNothing({ target: handoffs.conversationId, where: sql`status in ('waiting', 'assigned')` })
    .returning();
  return rows[0];
}

export async function findOpenHandoff(db: Db, conversationId: string): Promise<HandoffRow | undefined> {
  const rows = await db
    .select()
    .from(handoffs)
    .where(and(eq(handoffs.conversationId, conversationId), inArray(handoffs.status, [...OPEN])))
    .limit(1);
  return rows[0];
}

export async function findHandoff(db: Db, id: number): Promise<HandoffRow | undefined> {
  const rows = await db.select().from(handoffs).where(eq(handoffs.id, id)).limit(1);
  return rows[0];
}

/** The most recent handoff of a conversation (the one a rating after close belongs to). */
export async function latestHandoff(db: Db, conversationId: string): Promise<HandoffRow | undefined> {
  const rows = await db.select().from(handoffs).where(eq(handoffs.conversationId, conversationId)).orderBy(desc(handoffs.id)).limit(1);
  return rows[0];
}

/**
 * Atomic claim: one conditional UPDATE. PostgreSQL row locking makes a second concurrent claim
 * re-check `status = 'waiting'` after the first commits, so it updates nothing: exactly one wins.
 */
export async function claimHandoff(db: Db, conversationId: string, staffId: string): Promise<HandoffRow | undefined> {
  const rows = await db
    .update(handoffs)
    .set({ status: 'assigned', assignedTo: staffId, claimedAt: sql`coalesce(${handoffs.claimedAt}, now())` })
    .where(and(eq(handoffs.conversationId, conversationId), eq(handoffs.status, 'waiting')))
    .returning();
  return rows[0];
}

/** Back to the queue (keeps its original waiting time, so nobody loses their place). */
export async function releaseHandoff(db: Db, id: number, fromStaffId?: string): Promise<HandoffRow | undefined> {
  const conditions = [eq(handoffs.id, id), eq(handoffs.status, 'assigned')];
  if (fromStaffId) conditions.push(eq(handoffs.assignedTo, fromStaffId));
  const rows = await db.update(handoffs).set({ status: 'waiting', assignedTo: null }).where(and(...conditions)).returning();
  return rows[0];
}

export async function transferHandoff(db: Db, id: number, toStaffId: string): Promise<HandoffRow | undefined> {
  const rows = await db
    .update(handoffs)
    .set({ status: 'assigned', assignedTo: toStaffId, claimedAt: sql`coalesce(${handoffs.claimedAt}, now())` })
    .where(and(eq(handoffs.id, id), inArray(handoffs.status, [...OPEN])))
    .returning();
  return rows[0];
}

/** Ends a handoff: `closed` by staff, or `left` when the beneficiary leaves the queue. */
export async function endHandoff(db: Db, conversationId: string, status: 'closed' | 'left', by: string, onlyWaiting = false): Promise<HandoffRow | undefined> {
  const rows = await db
    .update(handoffs)
    .set({ status, closedAt: sql`now()`, closedBy: by })
    .where(and(eq(handoffs.conversationId, conversationId), onlyWaiting ? eq(handoffs.status, 'waiting') : inArray(handoffs.status, [...OPEN])))
    .returning();
  return rows[0];
}

export async function touchHandoff(db: Db, id: number, who: 'beneficiary' | 'staff'): Promise<void> {
  await db
    .update(handoffs)
    .set(who === 'staff' ? { lastStaffReplyAt: sql`now()` } : { lastBeneficiaryAt: sql`now()` })
    .where(eq(handoffs.id, id));
}

/** Every waiting handoff, best first: the truth the Redis queue is rebuilt from. */
export async function listWaiting(db: Db): Promise<HandoffRow[]> {
  return db.select().from(handoffs).where(eq(handoffs.status, 'waiting')).orderBy(desc(handoffs.priority), asc(handoffs.requestedAt));
}

export async function listAssignedTo(db: Db, staffId: string): Promise<HandoffRow[]> {
  return db.select().from(handoffs).where(and(eq(handoffs.status, 'assigned'), eq(handoffs.assignedTo, staffId))).orderBy(asc(handoffs.claimedAt));
}

/** 1-based place in the queue: those of higher priority, or equal and earlier, go first. */
export async function queuePosition(db: Db, h: HandoffRow): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(handoffs)
    .where(
      and(
        eq(handoffs.status, 'waiting'),
        sql`(${handoffs.priority} > ${h.priority} or (${handoffs.priority} = ${h.priority} and ${handoffs.id} < ${h.id}))`,
      ),
    );
  return (rows[0]?.n ?? 0) + 1;
}

/** Median wait before a claim over the last week, in seconds; undefined with too few samples to be honest. */
export async function recentMedianWaitSeconds(db: Db, minSamples = 3): Promise<number | undefined> {
  const rows = await db
    .select({
      n: sql<number>`count(*)::int`,
      median: sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from ${handoffs.claimedAt} - ${handoffs.requestedAt}))`,
    })
    .from(handoffs)
    .where(sql`${handoffs.claimedAt} is not null and ${handoffs.claimedAt} > now() - interval '7 days'`);
  const row = rows[0];
  return row && row.n >= minSamples && row.median !== null ? Number(row.median) : undefined;
}

export interface DashboardStats {
  waitingNow: number;
  withStaffNow: number;
  handledToday: number;
  medianWaitSecondsToday: number | null;
  csatTrend: { day: string; average: number; count: number }[];
  byChannel: { channel: string; count: number }[];
}

/** The numbers the console's dashboard draws. `timeZone` decides where "today" starts. */
export async function dashboardStats(db: Db, timeZone: string): Promise<DashboardStats> {
  const today = sql`(date_trunc('day', now() at time zone ${timeZone}) at time zone ${timeZone})`;
  const [counts] = await db
    .select({
      waiting: sql<number>`count(*) filter (where ${handoffs.status} = 'waiting')::int`,
      assigned: sql<number>`count(*) filter (where ${handoffs.status} = 'assigned')::int`,
      handled: sql<number>`count(*) filter (where ${handoffs.status} = 'closed' and ${handoffs.closedAt} >= ${today})::int`,
      median: sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from ${handoffs.claimedAt} - ${handoffs.requestedAt})) filter (where ${handoffs.claimedAt} >= ${today})`,
    })
    .from(handoffs);
  const csat = await db
    .select({
      day: sql<string>`to_char(date_trunc('day', ${ratings.createdAt} at time zone ${timeZone}), 'YYYY-MM-DD')`,
      average: sql<number>`round(avg(${ratings.score})::numeric, 2)::float`,
      count: sql<number>`count(*)::int`,
    })
    .from(ratings)
    .where(sql`${ratings.createdAt} > now() - interval '30 days'`)
    .groupBy(sql`1`)
    .orderBy(sql`1`);
  const channels = await db
    .select({ channel: conversations.channel, count: sql<number>`count(*)::int` })
    .from(conversations)
    .where(sql`${conversations.lastActivityAt} > now() - interval '30 days'`)
    .groupBy(conversations.channel)
    .orderBy(desc(sql`2`));
  return {
    waitingNow: counts?.waiting ?? 0,
    withStaffNow: counts?.assigned ?? 0,
    handledToday: counts?.handled ?? 0,
    medianWaitSecondsToday: counts?.median === null || counts?.median === undefined ? null : Math.round(Number(counts.median)),
    csatTrend: csat,
    byChannel: channels,
  };
}
