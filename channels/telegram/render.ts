import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'telegraf/types';
import type { StoredOutbound } from '../../src/core/channel';
import { clip, splitText } from '../../src/core/text';
import type { Choice } from '../../src/core/types';

/** Telegram's limits (Bot API): message text, callback data bytes. */
export const TELEGRAM_TEXT_LIMIT = 4096;
export const CALLBACK_DATA_LIMIT = 64;
/** Labels longer than this are clipped on the button (the chosen label is shown whole afterwards). */
export const BUTTON_LABEL_LIMIT = 64;
/** Two buttons share a row when both labels are this short; longer ones get a row each. */
const SHORT_LABEL = 18;

/** One Bot API call that shows (part of) an outbound message. */
export type TelegramPart =
  | { method: 'sendMessage'; text: string; reply_markup?: InlineKeyboardMarkup }
  | { method: 'sendPhoto' | 'sendDocument'; url: string; caption?: string; reply_markup?: InlineKeyboardMarkup };

/**
 * Callback data names the stored message and the choice's position in it: opaque, a few bytes long
 * whatever the choice's value, and resolvable by any instance after a restart (the transcript has it).
 */
export function encodeCallbackData(messageId: number, index: number): string {
  return `o:${messageId.toString(36)}:${index.toString(36)}`;
}

export function decodeCallbackData(data: string | undefined): { messageId: number; index: number } | undefined {
  const m = /^o:([0-9a-z]{1,12}):([0-9a-z]{1,3})$/.exec(data ?? '');
  if (!m) return undefined;
  return { messageId: parseInt(m[1]!, 36), index: parseInt(m[2]!, 36) };
}

/** The chat's view of one outbound message: text split at Telegram's limit, choices as an inline keyboard on the last part. */
export function renderOutbound(message: Pick<StoredOutbound, 'id' | 'text' | 'choices' | 'media'>): TelegramPart[] {
  const keyboard = message.choices?.length ? inlineKeyboard(message.id, message.choices) : undefined;
  const parts: TelegramPart[] = [];
  const media = message.media?.url ? message.media : undefined;
  let text = message.text ?? '';
  if (media) {
    // A short text travels as the caption (1024 is Telegram's caption limit); a longer one follows.
    const captioned = text.length <= 1024;
    parts.push({ method: media.kind === 'image' ? 'sendPhoto' : 'sendDocument', url: media.url!, ...(captioned && text ? { caption: text } : {}) });
    if (captioned) text = '';
  }
  for (const chunk of splitText(text, TELEGRAM_TEXT_LIMIT)) parts.push({ method: 'sendMessage', text: chunk });
  if (keyboard) {
    const last = parts.at(-1);
    if (last) last.reply_markup = keyboard;
  }
  return parts;
}

export function inlineKeyboard(messageId: number, choices: Choice[]): InlineKeyboardMarkup {
  const buttons: InlineKeyboardButton.CallbackButton[] = choices.map((c, i) => ({ text: clip(c.label, BUTTON_LABEL_LIMIT), callback_data: encodeCallbackData(messageId, i) }));
  const rows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i++) {
    const a = buttons[i]!;
    const b = buttons[i + 1];
    if (b && a.text.length <= SHORT_LABEL && b.text.length <= SHORT_LABEL) {
      rows.push([a, b]);
      i++;
    } else {
      rows.push([a]);
    }
  }
  return { inline_keyboard: rows };
}

