import type { StoredOutbound } from '../../src/core/channel';

const RLI = '\u2067'; // right-to-left isolate: bidi terminals lay the line out right to left
const PDI = '\u2069';
const ARABIC = /[\u0600-\u06FF]/;

/**
 * A message as terminal lines. Arabic lines are isolated as RTL and aligned to the right edge, so
 * terminals with bidi support (VTE, Konsole, mlterm, iTerm2) show them as a person reads them.
 */
export function render(message: StoredOutbound, columns: number): string {
  const who = message.author === 'staff' ? '👤' : '🌱';
  const lines = message.text.split('\n');
  (message.choices ?? []).forEach((c, i) => lines.push(`  ${i + 1}) ${c.label}`));
  return `${lines.map((line, i) => align(`${i === 0 ? `${who} ` : '   '}${line}`, columns)).join('\n')}\n`;
}

function align(line: string, columns: number): string {
  if (!ARABIC.test(line)) return line;
  const pad = Math.max(0, columns - [...line].length - 1);
  return `${' '.repeat(pad)}${RLI}${line}${PDI}`;
}
