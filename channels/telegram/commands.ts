import type { BotCommand } from 'telegraf/types';
import type { Locale } from '../../src/core/types';
import type { Translate } from '../../src/engine/runTurn';

/**
 * `/start <payload>` deep links (https://t.me/<bot>?start=apply): a QR code on a poster can open a
 * service directly. Each maps to the payload a menu button would carry, so the engine takes the
 * same path as a tap in the menu.
 */
export const DEEP_LINKS: Readonly<Record<string, string>> = {
  apply: 'flow:support-request',
  status: 'flow:status',
  questions: 'flow:questions',
  volunteer: 'flow:volunteer',
  feedback: 'flow:feedback',
  staff: 'cmd:human',
  menu: 'cmd:menu',
};

/** Commands a person can type or pick from the bot's menu, and the payload each stands for. */
export const COMMANDS: Readonly<Record<string, string>> = {
  menu: 'cmd:menu',
  apply: 'flow:support-request',
  status: 'flow:status',
  staff: 'cmd:human',
  cancel: 'cmd:cancel',
  english: 'cmd:lang_en',
  arabic: 'cmd:lang_ar',
};

/** The commands shown in each language's menu (the other language's switch only). */
const MENU: Record<Locale, string[]> = {
  ar: ['menu', 'apply', 'status', 'staff', 'cancel', 'english'],
  en: ['menu', 'apply', 'status', 'staff', 'cancel', 'arabic'],
};

export function commandMenu(locale: Locale, t: Translate): BotCommand[] {
  return MENU[locale].map((command) => ({ command, description: t(`telegram.commands.${command}`, locale) }));
}

const GREETING = 'flow:greeting';

/**
 * The payload of `/start [payload]`: a known deep link, or a flow named directly, or the greeting.
 * A link to a flow this installation does not have greets instead of surprising with a handoff.
 */
export function startPayload(arg: string, hasFlow: (id: string) => boolean): string | undefined {
  const mapped = DEEP_LINKS[arg.toLowerCase()] ?? (arg && hasFlow(arg) ? `flow:${arg}` : undefined);
  const target = mapped && (!mapped.startsWith('flow:') || hasFlow(mapped.slice(5))) ? mapped : GREETING;
  return target === GREETING && !hasFlow('greeting') ? undefined : target;
}

/** `/name@bot args` -> name and args, when the text starts with a bot command. */
export function parseCommand(text: string): { name: string; arg: string } | undefined {
  const m = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\s+([\s\S]*))?$/.exec(text.trim());
  return m ? { name: m[1]!.toLowerCase(), arg: (m[2] ?? '').trim() } : undefined;
}

/** The payload a typed command stands for, or undefined (unknown commands are read as text). */
export function commandPayload(text: string, hasFlow: (id: string) => boolean): string | undefined {
  const command = parseCommand(text);
  if (!command) return undefined;
  if (command.name === 'start') return startPayload(command.arg, hasFlow);
  const payload = COMMANDS[command.name];
  if (payload?.startsWith('flow:') && !hasFlow(payload.slice(5))) return 'cmd:menu';
  return payload;
}
