import type Redis from 'ioredis';
import type { Namespace, Server } from 'socket.io';
import type { ChannelAdapter, ChannelCapabilities, ChannelHost, InboundPort, SendResult, StoredOutbound } from '../../src/core/channel';
import type { Address, Locale } from '../../src/core/types';
import { mountWidgetAssets } from './assets';
import { ConversationDirectory } from './directory';
import { WebchatRateLimiter } from './rateLimit';
import { webchatRoutes, type TurnPort } from './routes';
import { sendToRoom } from './send';
import { webchatNamespace } from './socket';

/** What a browser shows well. Labels past maxButtonTitle are clipped; the text limit is the API's. */
export const WEBCHAT_CAPABILITIES: ChannelCapabilities = {
  maxButtons: 12,
  maxListRows: 12,
  maxButtonTitle: 80,
  maxTextLength: 4000,
  media: ['image', 'document'],
};

export interface WebchatDeps extends ChannelHost {
  /** The socket.io server (attached to the HTTP server once it listens). */
  io: Server;
  redis?: Redis;
}

/** The website's chat: HTTP API + socket.io push + the embeddable widget. */
export class WebchatChannel implements ChannelAdapter {
  readonly id = 'webchat';
  readonly capabilities = WEBCHAT_CAPABILITIES;
  private port?: TurnPort;
  private nsp?: Namespace;

  constructor(private readonly deps: WebchatDeps) {}

  async start(gateway: InboundPort): Promise<void> {
    // The core's gateway answers receive() with the turn (ReceiveResult); InboundPort leaves it
    // `unknown` for channels that reply only through send().
    this.port = gateway as TurnPort;
    const { config, store, texts, log, http, io, redis } = this.deps;
    const directory = new ConversationDirectory(store);
    const org = (locale: Locale) => ({ name: locale === 'en' ? config.ORG_NAME_EN : config.ORG_NAME_AR, primaryColor: config.ORG_PRIMARY_COLOR });
    const origins = config.WEBCHAT_ALLOWED_ORIGINS.trim();
    http.use(
      '/api/webchat',
      webchatRoutes({
        port: () => this.port!,
        store,
        texts,
        log,
        directory,
        limiter: new WebchatRateLimiter(
          { perIpPerMinute: config.RATE_LIMIT_PER_IP_PER_MINUTE, perConversationPerMinute: config.RATE_LIMIT_PER_CONVERSATION_PER_MINUTE },
          redis,
        ),
        capabilities: this.capabilities,
        maxFileMb: config.WEBCHAT_MAX_FILE_MB,
        allowedOrigins: origins === '*' ? '*' : origins.split(',').map((o) => o.trim()).filter(Boolean),
        org,
        rejected: this.deps.rejected,
        failed: this.deps.failed,
      }),
    );
    mountWidgetAssets(http, texts, (locale) => org(locale).name);
    this.nsp = webchatNamespace(io, directory, texts, log);
  }

  async stop(): Promise<void> {
    // Only this instance's visitors: the others keep their connections (and Redis may be gone).
    this.nsp?.local.disconnectSockets(true);
  }

  async send(address: Address, messages: StoredOutbound[]): Promise<SendResult> {
    return sendToRoom(this.nsp, address, messages, this.capabilities.maxButtonTitle);
  }
}
