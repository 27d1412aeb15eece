/**
 * Cutting text to a platform's limits, the same way on every channel. Lengths are UTF-16 units (how
 * Telegram, WhatsApp and browsers count); a cut never falls inside a surrogate pair (an emoji).
 */

/**
 * Splits a text into parts of at most `max` units, cutting at a blank line, else a line break, else
 * the end of a sentence, else a space (each only in the second half of the window, so parts are not
 * tiny) — never inside a word unless one word is longer than a message.
 */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const cut = cutPoint(rest, max);
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

function cutPoint(text: string, max: number): number {
  const window = text.slice(0, max);
  const floor = Math.floor(max / 2);
  const paragraph = window.lastIndexOf('\n\n');
  if (paragraph >= floor) return paragraph + 2;
  const line = window.lastIndexOf('\n');
  if (line >= floor) return line + 1;
  let sentence = -1;
  for (const m of window.matchAll(/[.!?؟。۔…]+["')»]*\s/g)) sentence = m.index + m[0].length;
  if (sentence >= floor) return sentence;
  const space = window.search(/\s\S*$/);
  if (space >= floor) return space + 1;
  // One very long word: cut it, but not between the two halves of a surrogate pair.
  return isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
}

/** Shortens to at most `max` units, ending with an ellipsis (buttons, list rows, template parameters). */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
