import type { StoredOutbound } from '../../src/core/channel';
import type { Locale } from '../../src/core/types';
import { WHATSAPP_LIMITS as L } from './limits';
import { clip } from '../../src/core/text';
import type { WhatsAppMessage } from './render';

/**
 * Template messages: the only thing WhatsApp accepts more than 24 hours after the person last wrote.
 * The association names its approved templates in configuration; nothing here invents one.
 */
export interface TemplateSettings {
  /** Used for every author without its own template; empty = none approved. */
  defaultName: string;
  byAuthor: Partial<Record<StoredOutbound['author'], string>>;
  /** Conversation language -> the template's language code in WhatsApp. */
  languages: Partial<Record<Locale, string>>;
  /** The template's body has one variable, {{1}}, that receives the message's text. */
  textParameter: boolean;
}

export interface TemplateConfig {
  WHATSAPP_CLOUD_TEMPLATE_NAME: string;
  WHATSAPP_CLOUD_TEMPLATES: string;
  WHATSAPP_CLOUD_TEMPLATE_LANGUAGES: string;
  WHATSAPP_CLOUD_TEMPLATE_TEXT_PARAMETER: boolean;
}

/** Reads the (already validated) configuration: `staff=name,system=name` and `ar:ar,en:en_US`. */
export function templateSettings(config: TemplateConfig): TemplateSettings {
  return {
    defaultName: config.WHATSAPP_CLOUD_TEMPLATE_NAME.trim(),
    byAuthor: Object.fromEntries(pairs(config.WHATSAPP_CLOUD_TEMPLATES, '=')),
    languages: Object.fromEntries(pairs(config.WHATSAPP_CLOUD_TEMPLATE_LANGUAGES, ':')),
    textParameter: config.WHATSAPP_CLOUD_TEMPLATE_TEXT_PARAMETER,
  };
}

function pairs(list: string, separator: string): [string, string][] {
  return list
    .split(',')
    .map((item) => item.split(separator).map((s) => s.trim()))
    .filter((pair): pair is [string, string] => pair.length === 2 && Boolean(pair[0]) && Boolean(pair[1]));
}

/** The template message that carries `text` outside the window, or undefined when none is configured. */
export function templateMessage(settings: TemplateSettings, author: StoredOutbound['author'], locale: Locale, text: string): { name: string; message: WhatsAppMessage } | undefined {
  const name = settings.byAuthor[author] || settings.defaultName;
  if (!name) return undefined;
  const language = settings.languages[locale] ?? Object.values(settings.languages)[0] ?? locale;
  const template: Record<string, unknown> = { name, language: { code: language } };
  if (settings.textParameter) {
    template.components = [{ type: 'body', parameters: [{ type: 'text', text: templateParameter(text) }] }];
  }
  return { name, message: { type: 'template', template } };
}

/**
 * WhatsApp refuses template variables with line breaks, tabs or more than four spaces in a row, and
 * bodies over 1024 characters: lines become " - "-separated, the text is clipped to fit.
 */
export function templateParameter(text: string): string {
  const flat = text
    .split(/\s*\n+\s*/)
    .filter(Boolean)
    .join(' - ')
    .replace(/[\t ]{2,}/g, ' ')
    .trim();
  return clip(flat || '-', L.templateParameter);
}
