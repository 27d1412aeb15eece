import type { Message } from 'telegraf/types';
import type { SendResult, StoredOutbound } from '../../src/core/channel';
import { SendError } from '../../src/core/errors';
import type { Address } from '../../src/core/types';
import type { Logger } from '../../src/log';
import type { Store } from '../../src/store/db';
import { describeError, TelegramError, type TelegramApi } from './api';
import { deliveryState, markUnreachable, recordFailed, recordSent } from './delivery';
import { renderOutbound, type TelegramPart } from './render';

/** Bad Request answers that mean the chat itself is gone, like a 403. */
const CHAT_GONE = /chat not found|user not found|PEER_ID_INVALID|user is deactivated/i;

/**
 * Sends a batch of replies to one chat, in order, through the Bot API. Messages an earlier attempt
 * already sent are skipped; a failure becomes a SendError that tells the outbox what to do next.
 */
export async function sendToChat(api: TelegramApi, store: Store, log: Logger, address: Address, batch: StoredOutbound[]): Promise<SendResult> {
  if (batch.length === 0) return {};
  const chatId = address.channelUserId;
  const state = await deliveryState(store, batch.map((m) => m.id));
  const ids: (string | undefined)[] = [];
  const sentNow: { id: number; channelMessageId: string }[] = [];
  for (const [i, message] of batch.entries()) {
    if (state.sent.has(message.id)) {
      ids.push(state.sent.get(message.id));
      continue;
    }
    try {
      let last: Message | undefined;
      for (const part of renderOutbound(message)) last = await sendPart(api, chatId, part);
      const id = last ? `${chatId}:${last.message_id}` : undefined;
      ids.push(id);
      if (id) sentNow.push({ id: message.id, channelMessageId: id });
    } catch (err) {
      const failure = toSendError(err);
      log.warn({ channel: 'telegram', conversationId: address.conversationId, error: describeError(err), retryable: failure.retryable }, 'telegram send failed');
      await recordSent(store, sentNow);
      if (!failure.retryable) await recordFailed(store, batch.slice(i).map((m) => m.id));
      if (failure.code === 'unreachable') await markUnreachable(store, 'telegram', chatId, true);
      throw failure;
    }
  }
  // They wrote again or unblocked the bot: the conversation is reachable after all.
  if (state.unreachable) await markUnreachable(store, 'telegram', chatId, false);
  return { channelMessageIds: ids };
}

function sendPart(api: TelegramApi, chatId: string, part: TelegramPart): Promise<Message> {
  const markup = part.reply_markup ? { reply_markup: part.reply_markup } : {};
  switch (part.method) {
    case 'sendMessage':
      return api.call('sendMessage', { chat_id: chatId, text: part.text, link_preview_options: { is_disabled: true }, ...markup });
    case 'sendPhoto':
      return api.call('sendPhoto', { chat_id: chatId, photo: part.url, ...(part.caption ? { caption: part.caption } : {}), ...markup });
    case 'sendDocument':
      return api.call('sendDocument', { chat_id: chatId, document: part.url, ...(part.caption ? { caption: part.caption } : {}), ...markup });
  }
}

/**
 * Telegram's answer -> what the outbox does: 429 waits `retry_after`; a blocked bot (403) or a
 * chat that no longer exists gives up and marks the person unreachable; other 400s are our mistake
 * and are not retried; 5xx, timeouts and network failures are retried with backoff.
 */
export function toSendError(err: unknown): SendError {
  if (err instanceof TelegramError) {
    const what = `Telegram ${err.code}: ${err.description}`;
    if (err.code === 429) return new SendError(what, true, Math.max(1, err.parameters?.retry_after ?? 1) * 1000, 'rate_limited');
    if (err.code === 403 || (err.code === 400 && CHAT_GONE.test(err.description))) return new SendError(what, false, undefined, 'unreachable');
    if (err.code === 400) return new SendError(what, false, undefined, 'rejected');
    // 401/404: a revoked or mistyped token; retried with backoff while someone fixes the configuration.
    return new SendError(what, true, undefined, err.code >= 500 ? 'platform' : 'unauthorized');
  }
  const { description } = describeError(err);
  return new SendError(`Telegram unreachable: ${description}`, true, undefined, 'network');
}
