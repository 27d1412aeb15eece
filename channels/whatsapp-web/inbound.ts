import type { Attachment, Choice, GeoPoint, Inbound, Sender } from '../../src/core/types';
import { normalize } from '../../src/nlu/normalize';
import type { WwebMedia, WwebMessage } from './client';

export const CHANNEL_ID = 'whatsapp-web';

/** Why a message is not for the bot (nothing of it is stored). */
export type IgnoreReason = 'own' | 'group' | 'status' | 'broadcast' | 'newsletter' | 'system';

/** Protocol chatter WhatsApp Web reports as messages: no person wrote these. */
const SYSTEM_TYPES = new Set([
  'e2e_notification', 'notification', 'notification_template', 'gp2', 'group_notification', 'call_log', 'protocol',
  'revoked', 'ciphertext', 'broadcast_notification', 'reaction', 'debug', 'hsm',
]);

/**
 * The association's own messages (its staff typing on the linked phone), groups, status updates,
 * broadcast lists and channels are not conversations with a beneficiary.
 */
export function ignoreReason(msg: WwebMessage): IgnoreReason | undefined {
  if (msg.fromMe) return 'own';
  if (msg.isStatus || msg.from === 'status@broadcast') return 'status';
  if (msg.from.endsWith('@g.us')) return 'group';
  if (msg.broadcast || msg.from.endsWith('@broadcast')) return 'broadcast';
  if (msg.from.endsWith('@newsletter')) return 'newsletter';
  if (SYSTEM_TYPES.has(msg.type)) return 'system';
  return undefined;
}

/** The person: their chat id is where replies go; a `@c.us` id is their number. */
export function senderOf(msg: WwebMessage): Sender {
  const sender: Sender = { id: msg.from };
  const number = /^(\d{6,15})@c\.us$/.exec(msg.from)?.[1];
  if (number) sender.phone = `+${number}`;
  const name = msg._data?.notifyName?.trim();
  if (name) sender.name = name.slice(0, 100);
  return sender;
}

const MEDIA_KIND: Record<string, Attachment['kind']> = { image: 'image', document: 'document', audio: 'audio', ptt: 'audio', video: 'video' };

export interface InboundLimits {
  /** Largest file accepted, in bytes (MAX_UPLOAD_MB): larger ones are refused before decoding. */
  maxBytes: number;
  /** Longer texts are cut: WhatsApp allows 65,536 characters, no answer needs that many. */
  maxTextLength: number;
}

/**
 * The channel-neutral message. Media is downloaded here, before the gateway's transaction, so a slow
 * download never holds a database connection; a file over the limit is described by its size and
 * never handed over (the document step tells the person it is too big).
 */
export async function toInbound(msg: WwebMessage, limits: InboundLimits, payload?: string): Promise<Inbound> {
  const inbound: Inbound = {
    channel: CHANNEL_ID,
    channelMessageId: msg.id._serialized,
    sender: senderOf(msg),
    receivedAt: msg.timestamp > 0 ? new Date(msg.timestamp * 1000) : new Date(),
  };
  const text = textOf(msg)?.slice(0, limits.maxTextLength);
  if (text) inbound.text = text;
  if (payload) inbound.payload = payload;
  const location = locationOf(msg);
  if (location) inbound.location = location;
  if (msg.hasMedia) inbound.attachments = [await download(msg, limits.maxBytes)];
  return inbound;
}

/** What the person typed: a chat's body or a media caption. A location's body is a thumbnail. */
export function textOf(msg: WwebMessage): string | undefined {
  if (msg.type !== 'chat' && !MEDIA_KIND[msg.type]) return undefined;
  return msg.body?.trim() || undefined;
}

function locationOf(msg: WwebMessage): GeoPoint | undefined {
  if (msg.type !== 'location' || !msg.location) return undefined;
  const lat = Number(msg.location.latitude);
  const lng = Number(msg.location.longitude);
  if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return undefined;
  return { lat, lng };
}

async function download(msg: WwebMessage, maxBytes: number): Promise<Attachment> {
  const kind = MEDIA_KIND[msg.type] ?? 'other';
  const declared = msg._data?.size;
  const fileName = safeFileName(msg._data?.filename);
  // WhatsApp tells the size up front: a file over the limit is not even downloaded.
  if (typeof declared === 'number' && declared > maxBytes) return refused(kind, declared, fileName);
  let media: WwebMedia | undefined | null;
  try {
    media = await msg.downloadMedia();
  } catch (err) {
    return failed(kind, fileName, err);
  }
  if (!media?.data) return failed(kind, fileName, new Error('media is no longer available'));
  // base64: 4 characters per 3 bytes; checked before decoding a large string.
  const approx = Math.floor((media.data.length * 3) / 4);
  if (approx > maxBytes + 3) return refused(kind, approx, fileName);
  const bytes = Buffer.from(media.data, 'base64');
  return { kind, mime: media.mimetype, size: bytes.length, fileName: safeFileName(media.filename) ?? fileName, fetch: async () => bytes };
}

function refused(kind: Attachment['kind'], size: number, fileName?: string): Attachment {
  return { kind, size, fileName, fetch: async () => Promise.reject(new Error('file over the size limit')) };
}

function failed(kind: Attachment['kind'], fileName: string | undefined, err: unknown): Attachment {
  return { kind, fileName, fetch: async () => Promise.reject(err) };
}

function safeFileName(name: string | null | undefined): string | undefined {
  const base = name?.split(/[\\/]/).pop()?.trim();
  return base ? base.slice(0, 200) : undefined;
}

/**
 * The value of the option the person picked by typing its number ("2", "٢", "2.") or its label.
 * Undefined when the text is neither: it goes to the bot as it is.
 */
export function choiceFromAnswer(text: string | undefined, choices: Choice[]): string | undefined {
  const typed = normalize(text ?? '');
  if (!typed || choices.length === 0) return undefined;
  if (/^\d{1,2}$/.test(typed)) return choices[Number(typed) - 1]?.value;
  return choices.find((c) => normalize(c.label) === typed)?.value;
}
