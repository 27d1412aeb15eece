import type { Attachment, Inbound } from '../../src/core/types';
import type { Webhook, WebhookError, WebhookMedia, WebhookMessage, WebhookStatus } from './webhook';

export const CHANNEL = 'whatsapp-cloud';

/** What one webhook notification carries for our phone number. */
export interface WebhookContent {
  messages: { message: WebhookMessage; name?: string }[];
  statuses: WebhookStatus[];
  errors: WebhookError[];
  /** Changes for other phone numbers of the same business account (not ours to answer). */
  ignored: number;
}

/** Picks our number's messages (with the sender's profile name), statuses and errors out of a notification. */
export function readWebhook(body: Webhook, phoneNumberId: string): WebhookContent {
  const content: WebhookContent = { messages: [], statuses: [], errors: [], ignored: 0 };
  for (const entry of body.entry) {
    for (const change of entry.changes) {
      const value = change.value;
      if (!value || (change.field !== undefined && change.field !== 'messages')) continue;
      if (value.metadata && value.metadata.phone_number_id !== phoneNumberId) {
        content.ignored += 1;
        continue;
      }
      const names = new Map((value.contacts ?? []).map((c) => [c.wa_id, c.profile?.name]));
      for (const message of value.messages ?? []) content.messages.push({ message, name: names.get(message.from) });
      content.statuses.push(...(value.statuses ?? []));
      content.errors.push(...(value.errors ?? []));
    }
  }
  return content;
}

/** A media file announced in a message: its size and type as the Graph API reports them, and the bytes on demand. */
export interface MediaFile {
  size?: number;
  mime?: string;
  fetch: () => Promise<Buffer>;
}

/** Looks media up by id (the adapter's Graph client). */
export type MediaResolver = (media: WebhookMedia) => Promise<MediaFile>;

// Messages that are not something the person said to the bot: a reaction, a number change notice,
// the "chat opened" ping. Acknowledged, never turned into a turn.
const NOT_A_MESSAGE = new Set(['reaction', 'system', 'request_welcome']);

const MEDIA_KINDS: Record<string, Attachment['kind']> = { image: 'image', document: 'document', audio: 'audio', video: 'video', sticker: 'other' };

/**
 * A WhatsApp message as the gateway's Inbound. Buttons and list rows come back as their ids
 * (the choice values we sent), locations as points, media as attachments fetched on demand.
 * Returns undefined for notifications that are not messages.
 */
export async function toInbound(message: WebhookMessage, name: string | undefined, resolveMedia: MediaResolver): Promise<Inbound | undefined> {
  if (NOT_A_MESSAGE.has(message.type)) return undefined;
  const inbound: Inbound = {
    channel: CHANNEL,
    channelMessageId: message.id,
    sender: { id: message.from, phone: `+${message.from}`, ...(name ? { name } : {}) },
    receivedAt: timestampToDate(message.timestamp),
  };
  const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
  if (reply) {
    inbound.payload = reply.id;
  } else if (message.type === 'button' && message.button) {
    // A template's quick reply: its payload when the template set one, else the words on it.
    if (message.button.payload) inbound.payload = message.button.payload;
    else if (message.button.text) inbound.text = message.button.text;
  } else if (message.text) {
    inbound.text = message.text.body;
  } else if (message.location) {
    inbound.location = { lat: message.location.latitude, lng: message.location.longitude };
  } else {
    const kind = Object.keys(MEDIA_KINDS).find((k) => message[k as keyof WebhookMessage] !== undefined);
    const media = kind ? (message[kind as keyof WebhookMessage] as WebhookMedia) : undefined;
    if (kind && media) {
      const file = await resolveMedia(media);
      inbound.attachments = [
        {
          kind: MEDIA_KINDS[kind]!,
          mime: file.mime ?? media.mime_type,
          ...(file.size !== undefined ? { size: file.size } : {}),
          ...(media.filename ? { fileName: media.filename } : {}),
          fetch: file.fetch,
        },
      ];
      const caption = media.caption?.trim();
      if (caption) inbound.text = caption;
    }
  }
  return inbound;
}

/** WhatsApp timestamps are Unix seconds, as strings. */
export function timestampToDate(timestamp: string | number): Date {
  const seconds = Number(timestamp);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : new Date();
}
