import { and, desc, eq } from 'drizzle-orm';
import type { Choice } from '../../src/core/types';
import type { Db } from '../../src/store/db';
import { findConversationByChannelUser } from '../../src/store/repos/conversations';
import { messages } from '../../src/store/schema';
import { CHANNEL_ID } from './inbound';

const LOOK_BACK = 20;

/**
 * The numbered options the person has in front of them: those of the latest message sent to them
 * since they last wrote. Read from the transcript, so "2" still means the same option after a
 * restart. None while they talk to a member of staff (their digits are for that person), and none
 * once a later message asks an open question (a number, a name) that has no options.
 */
export async function offeredChoices(db: Db, channelUserId: string): Promise<Choice[]> {
  const conversation = await findConversationByChannelUser(db, CHANNEL_ID, channelUserId);
  if (!conversation || conversation.mode === 'human') return [];
  const recent = await db
    .select({ direction: messages.direction, body: messages.body })
    .from(messages)
    .where(and(eq(messages.conversationId, conversation.id), eq(messages.internal, 0)))
    .orderBy(desc(messages.id))
    .limit(LOOK_BACK);
  for (const row of recent) {
    if (row.direction === 'in') return [];
    const body = (row.body ?? {}) as { choices?: Choice[]; expecting?: unknown };
    if (body.choices?.length) return body.choices;
    if (body.expecting) return [];
  }
  return [];
}
