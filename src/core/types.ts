/**
 * Channel-neutral types. Nothing here knows a wire format; adapters convert native <-> these.
 */

export type Locale = 'ar' | 'en';
export const LOCALES: readonly Locale[] = ['ar', 'en'];

/** Known channels. `terminal` is the developers' chat (`npm run chat`). */
export type ChannelId = 'webchat' | 'telegram' | 'whatsapp-cloud' | 'whatsapp-web' | 'botframework' | 'terminal' | (string & {});

export interface Sender {
  /** The person's id on the channel (Telegram chat id, WhatsApp number, web chat token). */
  id: string;
  name?: string;
  phone?: string;
}

export interface Attachment {
  kind: 'image' | 'document' | 'audio' | 'video' | 'other';
  mime?: string;
  size?: number;
  fileName?: string;
  /** Fetches the bytes; adapters bound the size they accept. */
  fetch: () => Promise<Buffer>;
}

export interface GeoPoint {
  lat: number;
  lng: number;
}

/** One message from a beneficiary, as every adapter hands it to the gateway. */
export interface Inbound {
  channel: ChannelId;
  /** The platform's id for this message: the dedupe key with `channel`. */
  channelMessageId: string;
  sender: Sender;
  text?: string;
  /** The value of a pressed button or chosen option. */
  payload?: string;
  attachments?: Attachment[];
  location?: GeoPoint;
  receivedAt: Date;
  /** Language the client or platform suggests; used for a new conversation only. */
  locale?: Locale;
}

export interface Choice {
  label: string;
  value: string;
}

export type SlotKind = 'text' | 'choice' | 'yes_no' | 'number' | 'date' | 'phone' | 'file' | 'location' | (string & {});

/** What the bot waits for now, so a client can show a file picker or a numeric keyboard. */
export interface Expecting {
  slot: string;
  kind: SlotKind;
  options?: Choice[];
}

/** One message from the bot (or staff) to a beneficiary. */
export interface Outbound {
  text: string;
  choices?: Choice[];
  media?: { kind: Attachment['kind']; url?: string; documentId?: string; mime?: string; fileName?: string };
  expecting?: Expecting;
}

/** What handled an inbound message (`match` in the web chat API). */
export interface Match {
  kind: 'faq' | 'flow' | 'command' | 'fallback' | 'answer' | 'relay';
  /** The FAQ entry, flow or command; always `fallback` when kind is fallback (`reason` says which). */
  id: string;
  score?: number;
  /** Why a fallback: not understood, "did you mean" offered, an empty message, an internal error. */
  reason?: 'not-understood' | 'did-you-mean' | 'not-an-answer' | 'empty' | 'error';
}

/** Where a reply goes: the conversation's channel and the person's id on it. */
export interface Address {
  channel: ChannelId;
  channelUserId: string;
  conversationId: string;
}

export type ConversationMode = 'bot' | 'queued' | 'human';
