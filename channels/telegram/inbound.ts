import type { CallbackQuery, Chat, Message, PhotoSize, Update, User } from 'telegraf/types';
import type { Attachment, GeoPoint, Locale } from '../../src/core/types';
import { commandPayload } from './commands';

/** A file Telegram describes in a message; its bytes are fetched with getFile. */
export interface FileRef {
  fileId: string;
  kind: Attachment['kind'];
  size?: number;
  mime?: string;
  fileName?: string;
}

/** Who wrote, as every kind of update carries it. `chatId` is the conversation's key on this channel. */
export interface Person {
  chatId: string;
  name?: string;
  locale?: Locale;
}

/**
 * What an update means for Nabta. The dedupe key is `<chat>:<message id>` (callback queries: their
 * id): a redelivered update carries the same message, and unlike update_id — which Telegram may
 * restart at a random value after a quiet week — it never names two different messages.
 */
export type Classified =
  | ({ kind: 'message'; key: string; text?: string; payload?: string; location?: GeoPoint; files: FileRef[]; date: Date } & Person)
  | ({ kind: 'callback'; key: string; queryId: string; data?: string; message?: { id: number; text?: string } } & Person)
  /** `file`: a voice note or audio file, which the bot cannot read but staff can listen to. */
  | ({ kind: 'unsupported'; key: string; what: UnsupportedKind; date: Date; file?: FileRef } & Person)
  | ({ kind: 'edited'; key: string; text?: string } & Person)
  | { kind: 'membership'; chatId: string; blocked: boolean }
  | { kind: 'ignored'; reason: string };

/** Message kinds the bot cannot read; each has a placeholder text in locales (telegram.placeholder.*). */
export const UNSUPPORTED_KINDS = ['sticker', 'animation', 'voice', 'audio', 'video', 'video_note', 'poll', 'dice', 'game', 'story', 'other'] as const;
export type UnsupportedKind = (typeof UNSUPPORTED_KINDS)[number];

export interface ClassifyOptions {
  /** Largest file the bot will download (photos: the largest size under it is chosen). */
  maxFileBytes: number;
  hasFlow: (id: string) => boolean;
}

/** Reads one update (pure: no I/O). Only private chats are served: requests carry personal data. */
export function classifyUpdate(update: Update, options: ClassifyOptions): Classified {
  if ('message' in update) return classifyMessage(update.message, options);
  if ('callback_query' in update) return classifyCallback(update.callback_query);
  if ('edited_message' in update) {
    const edited = update.edited_message;
    if (edited.chat.type !== 'private') return { kind: 'ignored', reason: 'not a private chat' };
    const text = 'text' in edited ? edited.text : 'caption' in edited ? edited.caption : undefined;
    return { kind: 'edited', key: `${edited.chat.id}:${edited.message_id}:e${edited.edit_date}`, text, ...person(edited.chat, edited.from) };
  }
  if ('my_chat_member' in update) {
    const change = update.my_chat_member;
    if (change.chat.type !== 'private') return { kind: 'ignored', reason: 'not a private chat' };
    return { kind: 'membership', chatId: String(change.chat.id), blocked: change.new_chat_member.status === 'kicked' };
  }
  return { kind: 'ignored', reason: 'update type not used' };
}

function classifyMessage(message: Message, options: ClassifyOptions): Classified {
  if (message.chat.type !== 'private') return { kind: 'ignored', reason: 'not a private chat' };
  const who = person(message.chat, message.from);
  const key = `${message.chat.id}:${message.message_id}`;
  const date = new Date(message.date * 1000);
  const unsupported = unsupportedKind(message);
  if (unsupported) return { kind: 'unsupported', key, what: unsupported, date, ...audioRef(message), ...who };

  const base = { kind: 'message' as const, key, date, files: [] as FileRef[], ...who };
  if ('text' in message) {
    const payload = message.entities?.some((e) => e.type === 'bot_command' && e.offset === 0) ? commandPayload(message.text, options.hasFlow) : undefined;
    return { ...base, text: message.text, ...(payload ? { payload } : {}) };
  }
  if ('photo' in message) return { ...base, text: message.caption, files: [photoRef(message.photo, message.message_id, options.maxFileBytes)] };
  if ('document' in message) {
    const d = message.document;
    const mime = d.mime_type;
    const kind: Attachment['kind'] = mime?.startsWith('image/') ? 'image' : mime === 'application/pdf' ? 'document' : 'other';
    return { ...base, text: message.caption, files: [{ fileId: d.file_id, kind, size: d.file_size, mime, fileName: d.file_name }] };
  }
  if ('venue' in message) return { ...base, text: message.venue.title, location: point(message.venue.location) };
  if ('location' in message) return { ...base, location: point(message.location) };
  if ('contact' in message) return { ...base, text: message.contact.phone_number };
  return { kind: 'unsupported', key, what: 'other', date, ...who };
}

function classifyCallback(query: CallbackQuery): Classified {
  const message = query.message && 'date' in query.message && query.message.date !== 0 ? query.message : undefined;
  if (message && message.chat.type !== 'private') return { kind: 'ignored', reason: 'not a private chat' };
  // Without the message (too old, or inline), the person's private chat has their user id.
  const chat = message?.chat ?? ({ id: query.from.id, type: 'private', first_name: query.from.first_name } as Chat);
  return {
    kind: 'callback',
    key: `cb:${query.id}`,
    queryId: query.id,
    data: 'data' in query ? query.data : undefined,
    ...(message ? { message: { id: message.message_id, text: 'text' in message ? message.text : undefined } } : {}),
    ...person(chat, query.from),
  };
}

/** Kinds checked before text/photo/document: an animation also carries `document`, a game `text`. */
function unsupportedKind(message: Message): UnsupportedKind | undefined {
  if ('sticker' in message) return 'sticker';
  if ('animation' in message) return 'animation';
  if ('voice' in message) return 'voice';
  if ('audio' in message) return 'audio';
  if ('video' in message) return 'video';
  if ('video_note' in message) return 'video_note';
  if ('poll' in message) return 'poll';
  if ('dice' in message) return 'dice';
  if ('game' in message) return 'game';
  if ('story' in message) return 'story';
  return undefined;
}

/** Voice notes and audio files go to staff as recordings (the bot itself cannot read them). */
function audioRef(message: Message): { file?: FileRef } {
  if ('voice' in message) {
    const v = message.voice;
    return { file: { fileId: v.file_id, kind: 'audio', size: v.file_size, mime: v.mime_type ?? 'audio/ogg', fileName: `voice-${message.message_id}.ogg` } };
  }
  if ('audio' in message) {
    const a = message.audio;
    return { file: { fileId: a.file_id, kind: 'audio', size: a.file_size, mime: a.mime_type, fileName: a.file_name } };
  }
  return {};
}

/**
 * Telegram sends one photo in several sizes. The largest one under the limit is taken; when every
 * size Telegram reports is over it, the smallest is described with its size, so the bot can say
 * "too large" without downloading anything.
 */
export function photoRef(sizes: PhotoSize[], messageId: number, maxBytes: number): FileRef {
  const ordered = [...sizes].sort((a, b) => (a.file_size ?? a.width * a.height) - (b.file_size ?? b.width * b.height));
  const fitting = ordered.filter((s) => s.file_size === undefined || s.file_size <= maxBytes);
  const chosen = fitting.at(-1) ?? ordered[0]!;
  return { fileId: chosen.file_id, kind: 'image', size: chosen.file_size, mime: 'image/jpeg', fileName: `photo-${messageId}.jpg` };
}

function person(chat: Chat, from?: User): Person {
  const name = from ? [from.first_name, from.last_name].filter(Boolean).join(' ') : undefined;
  return { chatId: String(chat.id), ...(name ? { name } : {}), ...(from ? localeOf(from) : {}) };
}

/** Telegram's language_code is an IETF tag (ar, en, en-GB …): only Nabta's languages count. */
function localeOf(from: User): { locale?: Locale } {
  const primary = from.language_code?.split('-')[0]?.toLowerCase();
  return primary === 'ar' || primary === 'en' ? { locale: primary } : {};
}

function point(location: { latitude: number; longitude: number }): GeoPoint {
  return { lat: location.latitude, lng: location.longitude };
}
