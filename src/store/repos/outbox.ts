import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { outbox } from '../schema';

export type OutboxRow = typeof outbox.$inferSelect;
export interface OutboxItem {
  kind: string;
  conversationId?: string;
  payload: Record<string, unknown>;
}

/** Adds work to do after the commit. `leaseSeconds` marks it as taken by the caller, who does it at once. */
export async function enqueueOutbox(db: Db, items: OutboxItem[], leaseSeconds?: number): Promise<OutboxRow[]> {
  if (items.length === 0) return [];
  const leasedUntil = leaseSeconds ? sql`now() + make_interval(secs => ${leaseSeconds})` : null;
  return db
    .insert(outbox)
    .values(items.map((i) => ({ kind: i.kind, conversationId: i.conversationId, payload: i.payload, leasedUntil })))
    .returning();
}

/**
 * Takes up to `limit` rows that are due and not leased by a live worker. SKIP LOCKED lets several
 * instances poll the same table without handing one row to two of them.
 */
export async function claimDueOutbox(db: Db, limit: number, leaseSeconds: number): Promise<OutboxRow[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          isNull(outbox.doneAt),
          isNull(outbox.failedAt),
          lte(outbox.availableAt, sql`now()`),
          or(isNull(outbox.leasedUntil), lte(outbox.leasedUntil, sql`now()`)),
        ),
      )
      .orderBy(asc(outbox.id))
      .limit(limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(outbox)
      .set({ leasedUntil: sql`now() + make_interval(secs => ${leaseSeconds})` })
      .where(inArray(outbox.id, due.map((d) => d.id)))
      .returning();
  });
}

export async function markOutboxDone(db: Db, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.update(outbox).set({ doneAt: sql`now()`, leasedUntil: null }).where(inArray(outbox.id, ids));
}

/** Puts a row back for a later try, or gives up on it for good. `attempts` counts failures. */
export async function markOutboxFailed(db: Db, id: number, error: string, retryInMs: number | null): Promise<void> {
  await db
    .update(outbox)
    .set(
      retryInMs === null
        ? { failedAt: sql`now()`, lastError: error, leasedUntil: null, attempts: sql`${outbox.attempts} + 1` }
        : {
            availableAt: sql`now() + make_interval(secs => ${retryInMs / 1000})`,
            lastError: error,
            leasedUntil: null,
            attempts: sql`${outbox.attempts} + 1`,
          },
    )
    .where(eq(outbox.id, id));
}

export async function pendingOutboxCount(db: Db): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(outbox)
    .where(and(isNull(outbox.doneAt), isNull(outbox.failedAt)));
  return rows[0]?.n ?? 0;
}
