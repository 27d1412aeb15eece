import type { Namespace } from 'socket.io';
import type { StoredOutbound, SendResult } from '../../src/core/channel';
import { SendError } from '../../src/core/errors';
import type { Address } from '../../src/core/types';
import { renderOutbound } from './render';

/** The socket.io room of one conversation: its token, which only its visitor knows. */
export const roomOf = (token: string) => `c:${token}`;

/**
 * Pushes messages to the visitor's open widgets. Nobody connected is not an error: the transcript is
 * durable and the widget catches up with GET …/messages?after=cursor when it comes back.
 */
export function sendToRoom(nsp: Namespace | undefined, address: Address, messages: (StoredOutbound & { createdAt?: Date })[], maxLabel: number): SendResult {
  if (!nsp) throw new SendError('web chat socket server is not running', true);
  nsp.to(roomOf(address.channelUserId)).emit('messages', {
    conversationId: address.channelUserId,
    messages: messages.map((m) => renderOutbound(m, maxLabel)),
  });
  return {};
}
