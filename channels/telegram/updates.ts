import type { Update } from 'telegraf/types';
import type { Choice, Inbound, Locale } from '../../src/core/types';
import type { Translate } from '../../src/engine/runTurn';
import type { Logger } from '../../src/log';
import type { Store } from '../../src/store/db';
import { describeError, type TelegramApi } from './api';
import { resolveChoice } from './callbacks';
import { markUnreachable } from './delivery';
import { downloadAttachment } from './files';
import { classifyUpdate, type Classified } from './inbound';
import { answerUnreadable, type NoticeDeps } from './notices';
import { TELEGRAM_TEXT_LIMIT } from './render';
import type { TelegramPort } from './port';

export interface UpdateDeps {
  api: TelegramApi;
  store: Store;
  log: Logger;
  t: Translate;
  port: () => TelegramPort;
  defaultLocale: Locale;
  /** Largest file downloaded (MAX_UPLOAD_MB, and Telegram's 20 MB on its own servers). */
  maxFileBytes: number;
}

type Of<K extends Classified['kind']> = Extract<Classified, { kind: K }>;

/**
 * One update, from the webhook or from long polling: the same path either way. Resolves once the
 * turn is committed (and its replies handed to the outbox); throws when nothing was committed, so
 * Telegram (or the poller) delivers the update again.
 */
export class UpdateHandler {
  private readonly notices: NoticeDeps;

  constructor(private readonly deps: UpdateDeps) {
    this.notices = { store: deps.store, port: deps.port, t: deps.t, defaultLocale: deps.defaultLocale };
  }

  async handle(update: Update): Promise<void> {
    const hasFlow = (id: string) => this.deps.port().engine.flows.flows.has(id);
    const event = classifyUpdate(update, { maxFileBytes: this.deps.maxFileBytes, hasFlow });
    switch (event.kind) {
      case 'message':
        return this.message(event);
      case 'callback':
        return this.callback(event);
      case 'unsupported': {
        const file = event.file;
        return answerUnreadable(this.notices, {
          ...event,
          ...(file ? { recording: () => downloadAttachment(this.deps.api, file, this.deps.maxFileBytes) } : {}),
          placeholder: (locale) => this.deps.t(`telegram.placeholder.${event.what}`, locale),
          notice: 'telegram.unsupported',
        });
      }
      case 'edited':
        return answerUnreadable(this.notices, {
          ...event,
          date: new Date(),
          placeholder: (locale) => this.deps.t('telegram.placeholder.edited', locale, { text: event.text ?? '' }),
          notice: 'telegram.edited',
        });
      case 'membership':
        // Telegram tells us when the person blocks (kicked) or unblocks the bot.
        return markUnreachable(this.deps.store, 'telegram', event.chatId, event.blocked);
      case 'ignored':
        this.deps.log.debug({ channel: 'telegram', updateId: update.update_id, reason: event.reason }, 'telegram update ignored');
        return;
    }
  }

  private async message(event: Of<'message'>): Promise<void> {
    const attachments = await Promise.all(event.files.map((f) => downloadAttachment(this.deps.api, f, this.deps.maxFileBytes)));
    const inbound: Inbound = {
      channel: 'telegram',
      channelMessageId: event.key,
      sender: { id: event.chatId, name: event.name },
      receivedAt: event.date,
    };
    if (event.text) inbound.text = event.text;
    if (event.payload) inbound.payload = event.payload;
    if (event.location) inbound.location = event.location;
    if (attachments.length) inbound.attachments = attachments;
    if (event.locale) inbound.locale = event.locale;
    // Answer Telegram once the update is stored: the replies go out through the outbox after.
    await this.deps.port().receive(inbound, { untilCommitted: true });
  }

  /**
   * A pressed button: stop its spinner, show the choice under the question (keyboard removed), and
   * hand the choice's value to the gateway with its label as the text the transcript shows.
   */
  private async callback(event: Of<'callback'>): Promise<void> {
    const choice = await resolveChoice(this.deps.store, event.chatId, event.data);
    const locale = event.locale ?? this.deps.defaultLocale;
    await this.bestEffort('answerCallbackQuery', () =>
      this.deps.api.call('answerCallbackQuery', { callback_query_id: event.queryId, ...(choice ? {} : { text: this.deps.t('telegram.button_expired', locale) }) }),
    );
    if (!choice) return;
    if (event.message) await this.showChoice(event.chatId, event.message, choice, locale);
    await this.deps.port().receive({
      channel: 'telegram',
      channelMessageId: event.key,
      sender: { id: event.chatId, name: event.name },
      text: choice.label,
      payload: choice.value,
      receivedAt: new Date(),
      ...(event.locale ? { locale: event.locale } : {}),
    });
  }

  private async showChoice(chatId: string, message: { id: number; text?: string }, choice: Choice, locale: Locale): Promise<void> {
    const chosen = this.deps.t('telegram.chosen', locale, { label: choice.label });
    const text = message.text ? `${message.text}\n\n${chosen}` : undefined;
    await this.bestEffort('edit', () =>
      text && text.length <= TELEGRAM_TEXT_LIMIT
        ? this.deps.api.call('editMessageText', { chat_id: chatId, message_id: message.id, text, link_preview_options: { is_disabled: true } })
        : this.deps.api.call('editMessageReplyMarkup', { chat_id: chatId, message_id: message.id }),
    );
  }

  /** Cosmetic calls (spinner, keyboard) must not stop the person's answer from being processed. */
  private async bestEffort(what: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (err) {
      this.deps.log.debug({ channel: 'telegram', call: what, error: describeError(err) }, 'telegram call failed (ignored)');
    }
  }
}
