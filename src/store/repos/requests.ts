import { and, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db';
import { counters, OPEN_STATUSES, supportRequests, type RequestStatus } from '../schema';

export type RequestRow = typeof supportRequests.$inferSelect;
export type NewRequest = typeof supportRequests.$inferInsert;

/** `HB-YYYY-NNNNNN`: the year of submission and that year's counter (unique across instances). */
export async function nextReference(db: Db, year: number): Promise<string> {
  const rows = await db
    .insert(counters)
    .values({ name: `support_request:${year}`, value: 1 })
    .onConflictDoUpdate({ target: counters.name, set: { value: sql`${counters.value} + 1` } })
    .returning({ value: counters.value });
  return `HB-${year}-${String(rows[0]!.value).padStart(6, '0')}`;
}

export async function insertRequest(db: Db, row: NewRequest): Promise<RequestRow> {
  return (await db.insert(supportRequests).values(row).returning())[0]!;
}

/** An open (not yet decided) request for the same national ID, by its lookup hash. */
export async function findOpenByIdHash(db: Db, hash: string): Promise<RequestRow | undefined> {
  const rows = await db
    .select()
    .from(supportRequests)
    .where(and(eq(supportRequests.nationalIdHash, hash), inArray(supportRequests.status, [...OPEN_STATUSES])))
    .orderBy(desc(supportRequests.createdAt))
    .limit(1);
  return rows[0];
}

export async function findByReference(db: Db, reference: string): Promise<RequestRow | undefined> {
  return (await db.select().from(supportRequests).where(eq(supportRequests.reference, reference)).limit(1))[0];
}

/** The newest request made from this conversation. */
export async function findLatestByConversation(db: Db, conversationId: string, status?: RequestStatus): Promise<RequestRow | undefined> {
  const where = status
    ? and(eq(supportRequests.conversationId, conversationId), eq(supportRequests.status, status))
    : eq(supportRequests.conversationId, conversationId);
  return (await db.select().from(supportRequests).where(where).orderBy(desc(supportRequests.createdAt)).limit(1))[0];
}

export interface RequestFilter {
  status?: RequestStatus;
  /** Reference, part of the name, the mobile number; `idHash` finds a national ID. */
  q?: string;
  idHash?: string;
  limit?: number;
}

export async function queryRequests(db: Db, filter: RequestFilter): Promise<RequestRow[]> {
  const conditions: SQL[] = [];
  if (filter.status) conditions.push(eq(supportRequests.status, filter.status));
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const any: SQL[] = [ilike(supportRequests.reference, like), ilike(supportRequests.fullName, like), ilike(supportRequests.mobile, like)];
    if (filter.idHash) any.push(eq(supportRequests.nationalIdHash, filter.idHash));
    conditions.push(or(...any)!);
  }
  return db
    .select()
    .from(supportRequests)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(supportRequests.createdAt))
    .limit(filter.limit ?? 500);
}

export async function updateRequest(db: Db, id: string, set: Partial<NewRequest>): Promise<RequestRow> {
  return (await db.update(supportRequests).set({ ...set, updatedAt: new Date() }).where(eq(supportRequests.id, id)).returning())[0]!;
}
