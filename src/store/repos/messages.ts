import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { messages } from '../schema';

export type MessageRow = typeof messages.$inferSelect;
export type NewMessage = Omit<typeof messages.$inferInsert, 'direction'>;

/**
 * Records an inbound message. Returns undefined when the channel already delivered this message id:
 * the unique index is the durable half of dedupe (the fast half is in Redis or memory).
 */
export async function insertInbound(db: Db, message: NewMessage): Promise<MessageRow | undefined> {
  const rows = await db.insert(messages).values({ ...message, direction: 'in' }).onConflictDoNothing().returning();
  return rows[0];
}

export async function insertOutbound(db: Db, rows: NewMessage[]): Promise<MessageRow[]> {
  if (rows.length === 0) return [];
  return db
    .insert(messages)
    .values(rows.map((r) => ({ ...r, direction: 'out' as const })))
    .returning();
}

/** Messages of a conversation after a cursor (a message id), oldest first. */
export async function listMessages(
  db: Db,
  conversationId: string,
  options: { after?: number; direction?: 'in' | 'out'; includeInternal?: boolean; limit?: number } = {},
): Promise<MessageRow[]> {
  const conditions = [eq(messages.conversationId, conversationId), gt(messages.id, options.after ?? 0)];
  if (options.direction) conditions.push(eq(messages.direction, options.direction));
  if (!options.includeInternal) conditions.push(eq(messages.internal, 0));
  return db
    .select()
    .from(messages)
    .where(and(...conditions))
    .orderBy(asc(messages.id))
    .limit(options.limit ?? 200);
}

export async function setMessagesStatus(db: Db, ids: number[], status: string, channelMessageId?: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(messages)
    .set({ status, ...(channelMessageId ? { channelMessageId } : {}) })
    .where(inArray(messages.id, ids));
}
