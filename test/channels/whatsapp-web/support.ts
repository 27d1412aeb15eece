import type { WhatsAppWebChannel } from '../../../channels/whatsapp-web/adapter';
import type { LinkState } from '../../../channels/whatsapp-web/link';
import type { App } from '../../../src/app';
import { mediaMessage, message, newChatId, type StandInWhatsApp } from './standIn';
import type { WwebMessage } from '../../../channels/whatsapp-web/client';

export function whatsappChannel(app: App): WhatsAppWebChannel {
  return app.gateway.channel('whatsapp-web') as WhatsAppWebChannel;
}

/** Resolves when the link reaches `state` (at once if it is there already). */
export function untilState(channel: WhatsAppWebChannel, state: LinkState): Promise<void> {
  if (channel.link.state === state) return Promise.resolve();
  return nextState(channel, state);
}

/** Resolves the next time the link enters `state`. */
export function nextState(channel: WhatsAppWebChannel, state: LinkState): Promise<void> {
  return new Promise((resolve) => {
    const listener = (snapshot: { state: LinkState }) => {
      if (snapshot.state !== state) return;
      channel.link.off('change', listener);
      resolve();
    };
    channel.link.on('change', listener);
  });
}

/** Resolves when the adapter finished with message `id`: the turn is committed and its replies sent. */
export function processed(channel: WhatsAppWebChannel, id: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (handledId: string) => {
      if (handledId !== id) return;
      cleanup();
      resolve();
    };
    const failed = (err: unknown, failedId: string) => {
      if (failedId !== id) return;
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      channel.events.off('handled', done);
      channel.events.off('failed', failed);
    };
    channel.events.on('handled', done);
    channel.events.on('failed', failed);
  });
}

/** One beneficiary writing from their phone to the association's linked number. */
export class Person {
  constructor(
    private readonly wa: StandInWhatsApp,
    private readonly channel: WhatsAppWebChannel,
    readonly chatId = newChatId(),
  ) {}

  /** Sends a message and returns the texts WhatsApp delivered in answer. */
  async send(msg: WwebMessage): Promise<string[]> {
    const from = this.wa.sent.length;
    const done = processed(this.channel, msg.id._serialized);
    this.wa.current.receive(msg);
    await done;
    return this.wa.textsTo(this.chatId, from);
  }

  say(text: string): Promise<string[]> {
    return this.send(message(this.chatId, text));
  }

  sendFile(bytes: Buffer, file: Parameters<typeof mediaMessage>[2]): Promise<string[]> {
    return this.send(mediaMessage(this.chatId, bytes, file));
  }
}

const RLM = '\u200F';
/** An option line as an Arabic conversation shows it. */
export const option = (n: number, label: string) => `${RLM}${n}. ${label}`;
