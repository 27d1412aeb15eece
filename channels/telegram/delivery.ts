import { eq, inArray, sql } from 'drizzle-orm';
import type { Store } from '../../src/store/db';
import { setMessagesStatus } from '../../src/store/repos/messages';
import { conversations, messages } from '../../src/store/schema';

/** Statuses that mean the platform already has the message (a retry must not send it again). */
const ALREADY_SENT = new Set(['sent', 'delivered', 'read']);

export interface DeliveryState {
  /** Messages of this batch Telegram already accepted (an earlier attempt got part-way), with their ids. */
  sent: Map<number, string | undefined>;
  unreachable: boolean;
}

/**
 * What the transcript knows about a batch before sending it: one query. The outbox sends a turn's
 * replies as one batch; when Telegram refuses the third (429), the retry starts at the third.
 */
export async function deliveryState(store: Store, ids: number[]): Promise<DeliveryState> {
  const rows = await store.db
    .select({ id: messages.id, status: messages.status, channelMessageId: messages.channelMessageId, unreachableAt: conversations.unreachableAt })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(inArray(messages.id, ids));
  const sent = new Map<number, string | undefined>();
  for (const row of rows) if (row.status && ALREADY_SENT.has(row.status)) sent.set(row.id, row.channelMessageId ?? undefined);
  return { sent, unreachable: rows.some((r) => r.unreachableAt !== null) };
}

/** Records the messages that did go out before a failure, so the retry skips them. */
export async function recordSent(store: Store, sent: { id: number; channelMessageId: string }[]): Promise<void> {
  await Promise.all(sent.map((m) => setMessagesStatus(store.db, [m.id], 'sent', m.channelMessageId)));
}

export async function recordFailed(store: Store, ids: number[]): Promise<void> {
  await setMessagesStatus(store.db, ids, 'failed');
}

/** The person blocked the bot (or deleted their account): sends stop and staff can see why. */
export async function markUnreachable(store: Store, channel: string, channelUserId: string, unreachable: boolean): Promise<void> {
  await store.db
    .update(conversations)
    .set({ unreachableAt: unreachable ? sql`now()` : null })
    .where(sql`${conversations.channel} = ${channel} AND ${conversations.channelUserId} = ${channelUserId} AND ${conversations.unreachableAt} IS ${unreachable ? sql`NULL` : sql`NOT NULL`}`);
}
