import type { ChannelAdapter, ChannelCapabilities, ChannelHost, InboundPort, SendResult, StoredOutbound } from '../../src/core/channel';
import type { Address } from '../../src/core/types';
import { OFFICIAL_DOWNLOAD_LIMIT, TelegramApi } from './api';
import { Poller } from './polling';
import { asTelegramPort, type TelegramPort } from './port';
import { BUTTON_LABEL_LIMIT, TELEGRAM_TEXT_LIMIT } from './render';
import { telegramWebhookRoutes, WEBHOOK_PATH } from './routes';
import { sendToChat } from './send';
import { configureBot } from './setup';
import { UpdateHandler } from './updates';

export const TELEGRAM_CAPABILITIES: ChannelCapabilities = {
  maxButtons: 12,
  maxListRows: 12,
  maxButtonTitle: BUTTON_LABEL_LIMIT,
  maxTextLength: TELEGRAM_TEXT_LIMIT,
  media: ['image', 'document'],
};

/** The updates Nabta reads; everything else Telegram does not even send. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

/**
 * Telegram through the Bot API (telegraf 4's client): webhook mode when TELEGRAM_WEBHOOK_URL is set,
 * long polling otherwise. Both feed the same update handler; replies always leave through the outbox.
 */
export class TelegramChannel implements ChannelAdapter {
  readonly id = 'telegram';
  readonly capabilities = TELEGRAM_CAPABILITIES;
  readonly api: TelegramApi;
  private port?: TelegramPort;
  private poller?: Poller;
  private setup?: Promise<void>;
  private readonly lifetime = new AbortController();
  private running = false;

  constructor(private readonly deps: ChannelHost) {
    const token = deps.config.TELEGRAM_BOT_TOKEN;
    if (!token) throw new Error('TELEGRAM_BOT_TOKEN is not set');
    this.api = new TelegramApi({ token, apiRoot: deps.config.TELEGRAM_API_ROOT });
  }

  get mode(): 'webhook' | 'polling' {
    return this.deps.config.TELEGRAM_WEBHOOK_URL ? 'webhook' : 'polling';
  }

  async start(gateway: InboundPort): Promise<void> {
    this.port = asTelegramPort(gateway);
    const { config, store, texts, log, http } = this.deps;
    const maxUpload = Math.round(config.MAX_UPLOAD_MB * 1024 * 1024);
    const handler = new UpdateHandler({
      api: this.api,
      store,
      log,
      t: texts.t,
      port: () => this.port!,
      defaultLocale: config.DEFAULT_LOCALE,
      maxFileBytes: this.api.official ? Math.min(maxUpload, OFFICIAL_DOWNLOAD_LIMIT) : maxUpload,
    });
    const handle = handler.handle.bind(handler);
    this.running = true;
    const webhook = config.TELEGRAM_WEBHOOK_URL ? { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET!, allowedUpdates: ALLOWED_UPDATES } : undefined;
    if (webhook) {
      http.use(telegramWebhookRoutes({ secret: webhook.secret, handle, log, running: () => this.running, rejected: this.deps.rejected, failed: this.deps.failed }));
      if (!new URL(webhook.url).pathname.endsWith(WEBHOOK_PATH)) log.warn({ channel: 'telegram' }, `TELEGRAM_WEBHOOK_URL should end with ${WEBHOOK_PATH} (unless a proxy rewrites it)`);
    } else {
      this.poller = new Poller(this.api, handle, log, { allowedUpdates: ALLOWED_UPDATES });
      this.poller.start();
    }
    this.setup = configureBot(this.api, { webhook, t: texts.t, defaultLocale: config.DEFAULT_LOCALE }, log, this.lifetime.signal);
    log.info({ channel: 'telegram', mode: this.mode }, 'telegram channel started');
  }

  async stop(): Promise<void> {
    this.running = false;
    this.lifetime.abort();
    await this.poller?.stop();
    await this.setup;
  }

  async send(address: Address, messages: StoredOutbound[]): Promise<SendResult> {
    return sendToChat(this.api, this.deps.store, this.deps.log, address, messages);
  }
}
