import type { Attachment, Inbound, Locale } from '../../src/core/types';
import type { Translate } from '../../src/engine/runTurn';
import type { Store } from '../../src/store/db';
import { getOrCreateConversation } from '../../src/store/repos/conversations';
import { insertInbound } from '../../src/store/repos/messages';
import type { Person } from './inbound';
import type { TelegramPort } from './port';

export interface NoticeDeps {
  store: Store;
  port: () => TelegramPort;
  t: Translate;
  defaultLocale: Locale;
}

/** A message the bot will not read: a sticker, a voice note, an edit of an earlier message. */
export interface Unreadable extends Person {
  key: string;
  date: Date;
  /** What the transcript (and staff) see in its place. */
  placeholder: (locale: Locale) => string;
  /** The polite answer's text key. */
  notice: string;
  /** A recording staff can listen to (voice notes): downloaded only when staff will get it. */
  recording?: () => Promise<Attachment>;
}

/**
 * Answers a message the engine cannot use with a short, polite explanation — through the outbox
 * like every reply — and keeps a placeholder in the transcript. While the person waits for or talks
 * with staff, the message goes through the gateway instead, so staff see it live (and hear a voice
 * note) and the bot stays quiet.
 */
export async function answerUnreadable(deps: NoticeDeps, message: Unreadable): Promise<void> {
  const { store, t } = deps;
  const conversation = await getOrCreateConversation(store.db, 'telegram', message.chatId, message.locale ?? deps.defaultLocale, message.name);
  const locale = conversation.state.locale;
  if (conversation.mode !== 'bot') {
    const inbound: Inbound = { channel: 'telegram', channelMessageId: message.key, sender: { id: message.chatId, name: message.name }, receivedAt: message.date };
    if (message.recording) inbound.attachments = [await message.recording()];
    else inbound.text = message.placeholder(locale);
    await deps.port().receive(inbound);
    return;
  }
  const stored = await insertInbound(store.db, {
    conversationId: conversation.id,
    author: 'beneficiary',
    channel: 'telegram',
    channelMessageId: message.key,
    text: message.placeholder(locale),
    body: { unreadable: true },
    createdAt: message.date,
  });
  // Already answered: this is Telegram delivering the same update again.
  if (!stored) return;
  await deps.port().notify(conversation.id, [{ text: t(message.notice, locale) }], 'bot');
}
