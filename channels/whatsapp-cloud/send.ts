import type { SendResult, StoredOutbound } from '../../src/core/channel';
import { SendError } from '../../src/core/errors';
import type { Address, Locale } from '../../src/core/types';
import type { Translate } from '../../src/engine/runTurn';
import type { Logger } from '../../src/log';
import type { Store } from '../../src/store/db';
import { findConversation } from '../../src/store/repos/conversations';
import { findMessages, recordSendOutcome, type DeliveryError, type MessageRow } from '../../src/store/repos/messages';
import { deliveryErrorOf, isReEngagement, toSendError } from './errors';
import type { GraphClient } from './graph';
import { renderOutbound, type RenderTexts } from './render';
import { templateMessage, type TemplateSettings } from './templates';
import { isWindowOpen } from './window';

export interface SenderDeps {
  graph: GraphClient;
  store: Store;
  t: Translate;
  log: Logger;
  templates: TemplateSettings;
  now?: () => Date;
}

/** Recorded on a message that could not go out because the window closed and no template is configured. */
export const WINDOW_CLOSED_NO_TEMPLATE: DeliveryError = {
  code: 'window_closed_no_template',
  title: 'More than 24 hours since the person last wrote, and no WhatsApp template is configured (WHATSAPP_CLOUD_TEMPLATE_NAME)',
};

/** WhatsApp said the 24-hour window has closed (131047). */
class WindowClosed extends Error {}

/**
 * Delivers outbox batches. Each message is recorded as sent (with its WhatsApp id) the moment it
 * goes, so a retry after a failure half-way sends only what is left. Inside the 24-hour window
 * messages go as they are; outside it, as the configured template, never as free text.
 */
export class WhatsAppSender {
  constructor(private readonly deps: SenderDeps) {}

  async send(address: Address, messages: StoredOutbound[]): Promise<SendResult> {
    const { store } = this.deps;
    const conversation = await findConversation(store.db, address.conversationId);
    const locale: Locale = conversation?.locale === 'en' ? 'en' : 'ar';
    let windowOpen = isWindowOpen(conversation?.lastInboundAt, this.now());
    const done = new Map((await findMessages(store.db, messages.map((m) => m.id))).filter((r) => r.status && r.status !== 'pending').map((r) => [r.id, r]));

    const ids: (string | undefined)[] = [];
    // Messages WhatsApp will never take as they are: recorded failed for staff, the rest still sent.
    const refused: { id: number; error: SendError }[] = [];
    for (const message of messages) {
      const earlier = done.get(message.id);
      if (earlier) {
        ids.push(earlier.channelMessageId ?? undefined);
        continue;
      }
      try {
        ids.push(await this.sendOne(address, message, locale, windowOpen));
      } catch (err) {
        if (err instanceof WindowClosed) {
          windowOpen = false;
          ids.push(await this.sendOne(address, message, locale, false).catch((e: unknown) => this.refuse(message.id, e, refused)));
          continue;
        }
        ids.push(await this.refuse(message.id, err, refused));
      }
    }
    if (refused.length) {
      this.deps.log.warn({ conversationId: address.conversationId, messageIds: refused.map((r) => r.id), reason: refused[0]!.error.message }, 'WhatsApp refused messages');
      throw new SendError(refused[0]!.error.message, false, undefined, refused[0]!.error.code);
    }
    return { channelMessageIds: ids };
  }

  /**
   * A message WhatsApp reported failed because the window had closed (131047 arrives by webhook as
   * often as in the send answer): sent again as the template, or left failed when there is none.
   */
  async resendAsTemplate(row: MessageRow): Promise<void> {
    const { store, log } = this.deps;
    if ((row.body as { whatsappTemplate?: unknown } | null)?.whatsappTemplate) return; // a template cannot hit the window
    const conversation = await findConversation(store.db, row.conversationId);
    if (!conversation) return;
    const locale: Locale = conversation.locale === 'en' ? 'en' : 'ar';
    const template = templateMessage(this.deps.templates, row.author as StoredOutbound['author'], locale, row.text ?? '');
    if (!template) {
      await recordSendOutcome(store.db, row.id, { status: 'failed', error: WINDOW_CLOSED_NO_TEMPLATE });
      return;
    }
    try {
      const id = await this.deps.graph.sendMessage({ to: conversation.channelUserId, ...template.message });
      await recordSendOutcome(store.db, row.id, { status: 'sent', channelMessageId: id, note: { whatsappTemplate: template.name } });
    } catch (err) {
      log.warn({ err, messageId: row.id }, 'WhatsApp template resend failed');
      await recordSendOutcome(store.db, row.id, { status: 'failed', error: deliveryErrorOf(err) });
    }
  }

  /** Every WhatsApp message one stored message becomes; returns the id of the last (the one a status is recorded for). */
  private async sendFree(to: string, message: StoredOutbound, locale: Locale): Promise<string> {
    let last = '';
    for (const part of renderOutbound(message, this.renderTexts(locale))) {
      last = await this.deps.graph.sendMessage({ to, ...part });
    }
    if (message.media && !message.media.url) this.deps.log.warn({ messageId: message.id }, 'WhatsApp: media without a URL was not sent (text only)');
    return last;
  }

  /**
   * One stored message: free inside the window, else the template. Throws WindowClosed when WhatsApp
   * says the window has closed (our clock said open), a SendError otherwise.
   */
  private async sendOne(address: Address, message: StoredOutbound, locale: Locale, windowOpen: boolean): Promise<string> {
    const db = this.deps.store.db;
    if (windowOpen) {
      let id: string;
      try {
        id = await this.sendFree(address.channelUserId, message, locale);
      } catch (err) {
        throw isReEngagement(err) ? new WindowClosed() : err;
      }
      await recordSendOutcome(db, message.id, { status: 'sent', channelMessageId: id });
      return id;
    }
    const template = templateMessage(this.deps.templates, message.author, locale, message.text);
    if (!template) throw new SendError(WINDOW_CLOSED_NO_TEMPLATE.title!, false, undefined, String(WINDOW_CLOSED_NO_TEMPLATE.code));
    const id = await this.deps.graph.sendMessage({ to: address.channelUserId, ...template.message });
    await recordSendOutcome(db, message.id, { status: 'sent', channelMessageId: id, note: { whatsappTemplate: template.name } });
    return id;
  }

  /** A retryable failure goes back to the outbox at once; a final one is recorded on the message for staff. */
  private async refuse(messageId: number, err: unknown, refused: { id: number; error: SendError }[]): Promise<undefined> {
    const error = err instanceof SendError ? err : toSendError(err);
    if (error.retryable) throw error;
    const reason = error.code === WINDOW_CLOSED_NO_TEMPLATE.code ? WINDOW_CLOSED_NO_TEMPLATE : deliveryErrorOf(err);
    await recordSendOutcome(this.deps.store.db, messageId, { status: 'failed', error: reason });
    refused.push({ id: messageId, error });
    return undefined;
  }

  private renderTexts(locale: Locale): RenderTexts {
    const t = (key: string) => this.deps.t(`whatsappCloud.${key}`, locale);
    return { listButton: t('list_button'), pickByNumber: t('pick_by_number'), choose: t('choose') };
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}
