import type { Config } from '../../src/config';
import type { ChannelAdapter, ChannelHost, InboundPort, SendResult, StoredOutbound } from '../../src/core/channel';
import type { Address } from '../../src/core/types';
import type { Logger } from '../../src/log';
import { resolveOpaqueChoice } from './choices';
import { GraphClient } from './graph';
import { CHANNEL, readWebhook, toInbound } from './inbound';
import { WHATSAPP_CLOUD_CAPABILITIES } from './limits';
import { mediaResolver } from './media';
import { whatsappCloudRoutes } from './routes';
import { WhatsAppSender } from './send';
import { applyStatuses } from './statuses';
import { templateSettings } from './templates';
import type { Webhook } from './webhook';

/** Where Meta posts notifications: configure PUBLIC_URL + this path in the app's webhook settings. */
export const WEBHOOK_PATH = '/webhooks/whatsapp';

/** Whether configuration turns the channel on (all four credentials set; config.ts refuses half of them). */
export function whatsappCloudConfigured(config: Config): boolean {
  return Boolean(config.WHATSAPP_CLOUD_ACCESS_TOKEN && config.WHATSAPP_CLOUD_PHONE_NUMBER_ID && config.WHATSAPP_CLOUD_APP_SECRET && config.WHATSAPP_CLOUD_VERIFY_TOKEN);
}

/** Meta's WhatsApp Business Cloud API: signed webhooks in, Graph API calls out. */
export class WhatsappCloudChannel implements ChannelAdapter {
  readonly id = CHANNEL;
  readonly capabilities = WHATSAPP_CLOUD_CAPABILITIES;
  private gateway?: InboundPort;
  private readonly graph: GraphClient;
  private readonly sender: WhatsAppSender;
  private readonly log: Logger;

  constructor(private readonly deps: ChannelHost) {
    const { config } = deps;
    if (!whatsappCloudConfigured(config)) throw new Error('WhatsApp Cloud API is not configured');
    this.log = deps.log.child({ channel: CHANNEL });
    this.graph = new GraphClient({ root: config.WHATSAPP_CLOUD_API_ROOT, token: config.WHATSAPP_CLOUD_ACCESS_TOKEN!, phoneNumberId: config.WHATSAPP_CLOUD_PHONE_NUMBER_ID! });
    this.sender = new WhatsAppSender({ graph: this.graph, store: deps.store, t: deps.texts.t, log: this.log, templates: templateSettings(config) });
  }

  async start(gateway: InboundPort): Promise<void> {
    this.gateway = gateway;
    const { config } = this.deps;
    this.deps.http.use(
      WEBHOOK_PATH,
      whatsappCloudRoutes({
        appSecret: config.WHATSAPP_CLOUD_APP_SECRET!,
        verifyToken: config.WHATSAPP_CLOUD_VERIFY_TOKEN!,
        handle: (webhook) => this.receive(webhook),
        log: this.log,
        rejected: this.deps.rejected,
      }),
    );
  }

  async stop(): Promise<void> {
    this.gateway = undefined;
  }

  send(address: Address, messages: StoredOutbound[]): Promise<SendResult> {
    return this.sender.send(address, messages);
  }

  /** One verified notification: messages through the gateway in order, then delivery statuses. */
  private async receive(webhook: Webhook): Promise<void> {
    const gateway = this.gateway;
    if (!gateway) throw new Error('WhatsApp Cloud channel is stopped');
    const { config, store } = this.deps;
    const content = readWebhook(webhook, config.WHATSAPP_CLOUD_PHONE_NUMBER_ID!);
    if (content.ignored) this.log.debug({ changes: content.ignored }, 'WhatsApp notification for another phone number ignored');
    const resolveMedia = mediaResolver(this.graph, Math.round(config.MAX_UPLOAD_MB * 1024 * 1024), this.log);
    for (const { message, name } of content.messages) {
      const inbound = await toInbound(message, name, resolveMedia);
      if (!inbound) continue;
      const title = message.interactive?.button_reply?.title ?? message.interactive?.list_reply?.title;
      // Answer Meta once the message is stored: the replies go out through the outbox after.
      await gateway.receive(await resolveOpaqueChoice(store, inbound, title), { untilCommitted: true });
    }
    await applyStatuses({ store, sender: this.sender, log: this.log }, content.statuses);
    for (const error of content.errors) this.log.warn({ error }, 'WhatsApp reported an error');
  }
}
