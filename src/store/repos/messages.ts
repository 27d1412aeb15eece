import { and, asc, desc, eq, gt, inArray, isNull, notInArray, or, sql } from 'drizzle-orm';
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
    // A platform may report "delivered" before the sender records "sent": a status never goes back.
    .where(and(inArray(messages.id, ids), notLaterThan(status)));
}

/** Statuses a message reaches after each one: recording an earlier one over them would lose news. */
const LATER: Record<string, string[]> = { pending: ['sent', 'delivered', 'read', 'failed'], sent: ['delivered', 'read', 'failed'], delivered: ['read', 'failed'], read: ['failed'] };
const notLaterThan = (status: string) => or(isNull(messages.status), notInArray(messages.status, LATER[status] ?? ['__none__']));

/** Outbound messages by row id (a channel checks which of a batch it already sent before a retry). */
export async function findMessages(db: Db, ids: number[]): Promise<MessageRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(messages).where(inArray(messages.id, ids));
}

/** The latest outbound messages of a conversation, newest first (what the person was last shown). */
export async function recentOutbound(db: Db, conversationId: string, limit = 10): Promise<MessageRow[]> {
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.direction, 'out'), eq(messages.internal, 0)))
    .orderBy(desc(messages.id))
    .limit(limit);
}

export interface DeliveryError {
  code?: number | string;
  title?: string;
  details?: string;
}

/**
 * A delivery status a platform reported for the outbound message it gave `channelMessageId` on send.
 * Failures keep their error in the message's body (the console shows it). Returns the row, if one
 * changed: unknown ids (sent by other tools) and statuses older than the row's are ignored.
 */
export async function recordDeliveryStatus(
  db: Db,
  channel: string,
  channelMessageId: string,
  status: 'sent' | 'delivered' | 'read' | 'failed',
  at: Date,
  error?: DeliveryError,
): Promise<MessageRow | undefined> {
  const rows = await db
    .update(messages)
    .set({ status, statusAt: at, ...(error ? { body: withDeliveryError(error) } : {}) })
    .where(and(eq(messages.direction, 'out'), eq(messages.channel, channel), eq(messages.channelMessageId, channelMessageId), notLaterThan(status)))
    .returning();
  return rows[0];
}

/**
 * Records what sending one outbound message just did: the platform's id (sent), or a failure with
 * its reason when the message could not be sent at all. `note` is merged into the body (e.g. that
 * it went as a template).
 */
export async function recordSendOutcome(
  db: Db,
  id: number,
  outcome: { status: 'sent'; channelMessageId: string; note?: Record<string, unknown> } | { status: 'failed'; error: DeliveryError },
): Promise<void> {
  const now = new Date();
  if (outcome.status === 'failed') {
    await db.update(messages).set({ status: 'failed', statusAt: now, body: withDeliveryError(outcome.error) }).where(eq(messages.id, id));
    return;
  }
  const { channelMessageId, note } = outcome;
  await db
    .update(messages)
    // A resend (with its note) replaces the failure staff were shown.
    .set({ status: 'sent', statusAt: now, channelMessageId, ...(note ? { body: sql`(coalesce(${messages.body}, '{}'::jsonb) - 'deliveryError') || ${JSON.stringify(note)}::jsonb` } : {}) })
    // A webhook may already have said "delivered" for this very id; a new id (a resend) starts again.
    .where(and(eq(messages.id, id), or(notLaterThan('sent'), sql`${messages.channelMessageId} is distinct from ${channelMessageId}`)));
}

function withDeliveryError(error: DeliveryError) {
  return sql`coalesce(${messages.body}, '{}'::jsonb) || jsonb_build_object('deliveryError', ${JSON.stringify(error)}::jsonb)`;
}
