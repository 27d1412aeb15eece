import { EventEmitter } from 'node:events';
import type { Config } from '../../src/config';
import type { ChannelAdapter, ChannelCapabilities, InboundPort, SendResult, StoredOutbound } from '../../src/core/channel';
import { SendError } from '../../src/core/errors';
import type { Address, Locale } from '../../src/core/types';
import type { Texts } from '../../src/i18n';
import type { Logger } from '../../src/log';
import type { Store } from '../../src/store/db';
import { findConversation } from '../../src/store/repos/conversations';
import { whatsappWebLibrary, type WhatsAppWebLibrary, type WwebMessage } from './client';
import { WhatsAppWebConnection } from './connection';
import { CHANNEL_ID, choiceFromAnswer, ignoreReason, textOf, toInbound, type IgnoreReason } from './inbound';
import { DEFAULT_BACKOFF, type Backoff, type LinkStatus } from './link';
import { offeredChoices } from './offered';
import { terminalQr } from './qr';
import { NOT_LINKED_RETRY_MS, sendOne } from './send';

/**
 * No buttons (an unofficial client cannot rely on them): choices are numbered lines. Texts longer
 * than maxTextLength are split; WhatsApp itself allows 65,536 characters, a phone screen far fewer.
 */
export const WHATSAPP_WEB_CAPABILITIES: ChannelCapabilities = {
  maxButtons: 0,
  maxListRows: 50,
  maxButtonTitle: 200,
  maxTextLength: 4000,
  media: ['image', 'document', 'audio', 'video'],
};

/** What tests (and only tests) replace: the library at its event boundary, the backoff, the terminal. */
export interface WhatsAppWebOptions {
  library?: WhatsAppWebLibrary;
  backoff?: Backoff;
  /** Where the QR is printed for the terminal (default stdout). */
  print?: (text: string) => void;
}

export interface WhatsAppWebDeps {
  config: Config;
  store: Store;
  texts: Texts;
  log: Logger;
}

const RECEIVE_ATTEMPTS = 3;
const REMEMBERED_SENDS = 5_000;

/**
 * WhatsApp through whatsapp-web.js: the association's own phone, linked by QR like WhatsApp Web.
 * Unofficial (it automates the web app) — the Cloud API is the production path.
 */
export class WhatsAppWebChannel implements ChannelAdapter {
  readonly id = CHANNEL_ID;
  readonly capabilities = WHATSAPP_WEB_CAPABILITIES;
  /** 'ignored' (a group, a status, our own message …) and 'handled' per incoming message; tests wait on them. */
  readonly events = new EventEmitter<{ ignored: [IgnoreReason, string]; handled: [string]; failed: [unknown, string] }>();
  private readonly connection: WhatsAppWebConnection;
  private readonly library: WhatsAppWebLibrary;
  private gateway?: InboundPort;
  /** One message at a time per person, in arrival order: "2" is read against the reply to "1". */
  private readonly queues = new Map<string, Promise<void>>();
  /** Stored message id -> WhatsApp id: a retried batch does not send again what already went out. */
  private readonly sent = new Map<number, string>();

  constructor(
    private readonly deps: WhatsAppWebDeps,
    options: WhatsAppWebOptions = {},
  ) {
    const { config, log, texts } = deps;
    this.library = options.library ?? whatsappWebLibrary({ dataDir: config.dataDir, chromePath: config.CHROME_PATH });
    const print = options.print ?? ((text: string) => process.stdout.write(text));
    this.connection = new WhatsAppWebConnection({
      library: this.library,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      log,
      onMessage: (message) => this.enqueue(message),
      onQr: (qr) => {
        const heading = (['en', 'ar'] as Locale[]).map((l) => texts.t('whatsappweb.terminal.scan', l)).join('\n');
        terminalQr(qr).then(
          (code) => print(`\n${heading}\n${code}\n`),
          (err: unknown) => log.warn({ err }, 'WhatsApp Web QR could not be drawn'),
        );
      },
    });
  }

  /** The link to the phone: state, last QR, since when (console page, tests). */
  get link(): LinkStatus {
    return this.connection.link;
  }

  async start(gateway: InboundPort): Promise<void> {
    this.gateway = gateway;
    // Linking waits for a person to scan a QR: Nabta starts without waiting for it.
    this.connection.start();
  }

  async stop(): Promise<void> {
    await this.connection.stop();
    await Promise.allSettled([...this.queues.values()]);
  }

  async send(address: Address, messages: StoredOutbound[]): Promise<SendResult> {
    const client = this.connection.readyClient;
    if (!client) {
      const { state, retryAt } = this.link.snapshot;
      const wait = retryAt ? Math.max(1_000, retryAt.getTime() - Date.now() + 1_000) : NOT_LINKED_RETRY_MS;
      throw new SendError(`WhatsApp Web is not linked (${state})`, true, wait, 'not_linked');
    }
    const locale = await this.localeOf(address.conversationId);
    const render = {
      hint: this.deps.texts.t('whatsappweb.choose_hint', locale),
      rtl: locale === 'ar',
      maxLength: this.capabilities.maxTextLength,
    };
    const ids: (string | undefined)[] = [];
    for (const message of messages) {
      const already = this.sent.get(message.id);
      if (already) {
        ids.push(already);
        continue;
      }
      if (message.media && !message.media.url) {
        this.deps.log.warn({ channel: this.id, conversationId: address.conversationId, messageId: message.id }, 'stored documents are not sent over WhatsApp Web; text only');
      }
      const id = await sendOne(address.channelUserId, message, {
        client,
        library: this.library,
        render,
        maxMediaBytes: this.deps.config.MAX_UPLOAD_MB * 1024 * 1024,
      });
      if (id) this.remember(message.id, id);
      ids.push(id);
    }
    return { channelMessageIds: ids };
  }

  private enqueue(message: WwebMessage): void {
    const reason = ignoreReason(message);
    if (reason) {
      this.events.emit('ignored', reason, message.id._serialized);
      return;
    }
    const key = message.from;
    const next = (this.queues.get(key) ?? Promise.resolve())
      .then(() => this.handle(message))
      .catch((err: unknown) => {
        this.deps.log.error({ err, channel: this.id, from: message.from }, 'WhatsApp Web message could not be processed');
        this.events.emit('failed', err, message.id._serialized);
      })
      .finally(() => {
        if (this.queues.get(key) === next) this.queues.delete(key);
      });
    this.queues.set(key, next);
  }

  private async handle(message: WwebMessage): Promise<void> {
    const text = textOf(message);
    const choices = text ? await offeredChoices(this.deps.store.db, message.from) : [];
    const inbound = await toInbound(
      message,
      { maxBytes: this.deps.config.MAX_UPLOAD_MB * 1024 * 1024, maxTextLength: this.capabilities.maxTextLength },
      choiceFromAnswer(text, choices),
    );
    // WhatsApp Web does not deliver a message twice: a failure here (the database restarting) is
    // retried a few times before it is given up, loudly.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.gateway!.receive(inbound);
        break;
      } catch (err) {
        if (attempt >= RECEIVE_ATTEMPTS) throw err;
        await new Promise((resolve) => setTimeout(resolve, 500 * 4 ** (attempt - 1)));
      }
    }
    this.events.emit('handled', message.id._serialized);
  }

  private async localeOf(conversationId: string): Promise<Locale> {
    const conversation = await findConversation(this.deps.store.db, conversationId);
    return conversation?.state.locale ?? this.deps.config.DEFAULT_LOCALE;
  }

  private remember(messageId: number, channelId: string): void {
    this.sent.set(messageId, channelId);
    if (this.sent.size > REMEMBERED_SENDS) this.sent.delete(this.sent.keys().next().value!);
  }
}
