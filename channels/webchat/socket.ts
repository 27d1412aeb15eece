import type { Namespace, Server } from 'socket.io';
import type { Locale } from '../../src/core/types';
import type { Texts } from '../../src/i18n';
import type { Logger } from '../../src/log';
import type { ConversationDirectory } from './directory';
import { roomOf } from './send';

/**
 * The /webchat namespace: a widget connects with `auth: {conversationId}` and joins that
 * conversation's room; staff replies and notifications are pushed there as they happen.
 */
export function webchatNamespace(io: Server, directory: ConversationDirectory, texts: Texts, log: Logger): Namespace {
  const nsp = io.of('/webchat');
  nsp.use((socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as { conversationId?: unknown; locale?: unknown };
    const locale: Locale = auth.locale === 'en' ? 'en' : 'ar';
    const refuse = (code: string) => {
      const err = new Error(code) as Error & { data?: unknown };
      err.data = { code, message: texts.t(`webchat.errors.${code}`, locale) };
      next(err);
    };
    const token = auth.conversationId;
    if (typeof token !== 'string') return refuse('conversation_not_found');
    directory.resolve(token).then(
      (found) => {
        if (!found) return refuse('conversation_not_found');
        socket.data.token = token;
        next();
      },
      (err: unknown) => {
        log.error({ err }, 'web chat socket join failed');
        refuse('internal');
      },
    );
  });
  nsp.on('connection', (socket) => {
    void socket.join(roomOf(socket.data.token as string));
  });
  return nsp;
}
