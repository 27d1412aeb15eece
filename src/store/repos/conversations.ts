import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { ChannelId, Locale } from '../../core/types';
import { initialState, type ConversationState } from '../../engine/state';
import type { Db } from '../db';
import { conversations } from '../schema';

export type ConversationRow = typeof conversations.$inferSelect;

/** Long, random, unguessable: the web chat uses conversation ids as bearer tokens. */
export function newConversationId(): string {
  return randomBytes(24).toString('base64url');
}

/** Finds the conversation of a person on a channel, creating it on their first message. */
export async function getOrCreateConversation(
  db: Db,
  channel: ChannelId,
  channelUserId: string,
  locale: Locale,
  displayName?: string,
): Promise<ConversationRow> {
  const found = await findConversationByChannelUser(db, channel, channelUserId);
  if (found) return found;
  const inserted = await db
    .insert(conversations)
    .values({ id: newConversationId(), channel, channelUserId, displayName, locale, mode: 'bot', state: initialState(locale) })
    .onConflictDoNothing()
    .returning();
  // Another instance may have created it between our read and our insert.
  return inserted[0] ?? (await findConversationByChannelUser(db, channel, channelUserId))!;
}

export async function findConversationByChannelUser(db: Db, channel: ChannelId, channelUserId: string): Promise<ConversationRow | undefined> {
  const rows = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.channel, channel), eq(conversations.channelUserId, channelUserId)))
    .limit(1);
  return rows[0];
}

export async function findConversation(db: Db, id: string): Promise<ConversationRow | undefined> {
  const rows = await db.select().from(conversations).where(eq(conversations.id, id)).limit(1);
  return rows[0];
}

/** Saves the engine's state after a turn. */
export async function saveConversationState(db: Db, id: string, state: ConversationState, inbound: boolean): Promise<void> {
  await db
    .update(conversations)
    .set({
      state,
      mode: state.mode,
      locale: state.locale,
      lastActivityAt: sql`now()`,
      ...(inbound ? { lastInboundAt: sql`now()` } : {}),
    })
    .where(eq(conversations.id, id));
}
