import { splitText } from '../../src/core/text';
import type { Choice, Outbound } from '../../src/core/types';

const RLM = '\u200F';

export interface RenderOptions {
  /** The line under numbered options ("أرسل رقم اختيارك"), in the person's language. */
  hint: string;
  /** Arabic conversation: each option line starts right to left even when its label is Latin. */
  rtl: boolean;
  /** Longest single WhatsApp message we send; longer texts are split. */
  maxLength: number;
}

/**
 * A message as WhatsApp text: the text, then its choices as numbered lines and a short hint.
 * WhatsApp Web has no buttons an unofficial client can rely on, so the person answers with the
 * number (or the label); the adapter turns that back into the option's value.
 */
export function renderText(message: Pick<Outbound, 'text' | 'choices'>, options: RenderOptions): string[] {
  const parts = [message.text.trim()];
  if (message.choices?.length) parts.push(numbered(message.choices, options.rtl), options.hint);
  return splitText(parts.filter(Boolean).join('\n\n'), options.maxLength);
}

/** "1. label" per option; a label that already starts with its own number ("5 - ممتازة") keeps just that. */
export function numbered(choices: Choice[], rtl: boolean): string {
  return choices
    .map((c, i) => {
      const n = String(i + 1);
      const line = new RegExp(`^${n}(?!\\d)`).test(c.label.trim()) ? c.label.trim() : `${n}. ${c.label.trim()}`;
      return rtl ? `${RLM}${line}` : line;
    })
    .join('\n');
}

