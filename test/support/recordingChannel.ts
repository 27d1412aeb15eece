import type { ChannelAdapter, ChannelCapabilities, InboundPort, SendResult, StoredOutbound } from '../../src/core/channel';
import type { Address, Inbound } from '../../src/core/types';

/**
 * A channel for pipeline tests: it records what the gateway delivers and lets a test wait for it.
 * (Real channels are tested against their platforms' protocols in their own folders.)
 */
export class RecordingChannel implements ChannelAdapter {
  readonly capabilities: ChannelCapabilities = { maxButtons: 10, maxListRows: 10, maxButtonTitle: 64, maxTextLength: 4000, media: ['image', 'document'] };
  readonly sent: { address: Address; message: StoredOutbound }[] = [];
  gateway?: InboundPort;
  private waiters: { count: number; resolve: () => void }[] = [];
  /** Called before recording; throw from it to simulate a failing platform. */
  beforeSend?: (address: Address, messages: StoredOutbound[]) => void | Promise<void>;

  constructor(readonly id = 'test') {}

  async start(gateway: InboundPort): Promise<void> {
    this.gateway = gateway;
  }

  async stop(): Promise<void> {}

  async send(address: Address, messages: StoredOutbound[]): Promise<SendResult> {
    await this.beforeSend?.(address, messages);
    for (const message of messages) this.sent.push({ address, message });
    this.waiters = this.waiters.filter((w) => (this.sent.length >= w.count ? (w.resolve(), false) : true));
    return {};
  }

  /** Resolves once at least `count` messages were delivered in all. */
  waitForSent(count: number): Promise<void> {
    if (this.sent.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  texts(userId?: string): string[] {
    return this.sent.filter((s) => !userId || s.address.channelUserId === userId).map((s) => s.message.text);
  }
}

let counter = 0;
/** An inbound message as an adapter would build it. */
export function inbound(userId: string, text: string, extra: Partial<Inbound> = {}): Inbound {
  counter += 1;
  return {
    channel: 'test',
    channelMessageId: `m-${process.pid}-${Date.now()}-${counter}`,
    sender: { id: userId },
    text,
    receivedAt: new Date(),
    ...extra,
  };
}
