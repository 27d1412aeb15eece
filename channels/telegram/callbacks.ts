import { and, eq } from 'drizzle-orm';
import type { Choice } from '../../src/core/types';
import type { Store } from '../../src/store/db';
import { conversations, messages } from '../../src/store/schema';
import { decodeCallbackData } from './render';

/**
 * The choice a button stands for, read back from the transcript: the message the keyboard was sent
 * with, which must belong to this chat (clients can forge callback data; it then names nothing).
 */
export async function resolveChoice(store: Store, chatId: string, data: string | undefined): Promise<Choice | undefined> {
  const ref = decodeCallbackData(data);
  if (!ref) return undefined;
  const rows = await store.db
    .select({ body: messages.body })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.id, ref.messageId), eq(messages.direction, 'out'), eq(conversations.channel, 'telegram'), eq(conversations.channelUserId, chatId)))
    .limit(1);
  const choices = (rows[0]?.body as { choices?: Choice[] } | null | undefined)?.choices;
  return choices?.[ref.index];
}
