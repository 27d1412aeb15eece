import { randomUUID } from 'node:crypto';
import type { ChannelAdapter, ChannelCapabilities, InboundPort, SendResult, StoredOutbound } from '../../src/core/channel';
import type { Address, Inbound, Locale } from '../../src/core/types';
import { render } from './render';

/** The developers' and content writers' channel: one person, typing in a terminal. */
export class TerminalAdapter implements ChannelAdapter {
  readonly id = 'terminal';
  readonly capabilities: ChannelCapabilities = { maxButtons: 0, maxListRows: 20, maxButtonTitle: 80, maxTextLength: 4000, media: [] };
  private gateway?: InboundPort;

  constructor(
    private readonly userId: string,
    private readonly write: (text: string) => void,
    private readonly columns: () => number,
    private readonly locale: Locale,
  ) {}

  async start(gateway: InboundPort): Promise<void> {
    this.gateway = gateway;
  }

  async stop(): Promise<void> {}

  /** One typed line to the gateway. A line that is only a number picks the numbered choice. */
  async say(text: string): Promise<void> {
    const message: Inbound = {
      channel: this.id,
      channelMessageId: randomUUID(),
      sender: { id: this.userId, name: 'terminal' },
      text,
      receivedAt: new Date(),
      locale: this.locale,
    };
    await this.gateway?.receive(message);
  }

  async send(_address: Address, messages: StoredOutbound[]): Promise<SendResult> {
    for (const message of messages) this.write(render(message, this.columns()));
    return {};
  }
}
