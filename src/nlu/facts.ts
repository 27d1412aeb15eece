import type { Translate } from '../engine/runTurn';

/** Contact facts, in the order the contact answer lists them: fact name -> i18n key of its label. */
const CONTACT_FACTS: [string, string][] = [
  ['ORG_PHONE', 'faq.contact.phone'],
  ['ORG_WHATSAPP', 'faq.contact.whatsapp'],
  ['ORG_EMAIL', 'faq.contact.email'],
  ['ORG_WEBSITE', 'faq.contact.website'],
  ['ORG_ADDRESS', 'faq.contact.address'],
  ['ORG_HOURS', 'faq.contact.hours'],
  ['ORG_SOCIAL', 'faq.contact.social'],
];

/**
 * Facts composed from the configured ones, for answers that list whatever the association has set:
 * ORG_CONTACT_AR / ORG_CONTACT_EN hold one line per configured contact fact, and stay empty while none
 * is set (so the contact answer says it does not know, and offers a person).
 */
export function deriveFacts(facts: Readonly<Record<string, string>>, t: Translate): Record<string, string> {
  const out: Record<string, string> = {};
  for (const locale of ['ar', 'en'] as const) {
    const suffix = locale.toUpperCase();
    const lines: string[] = [];
    for (const [name, label] of CONTACT_FACTS) {
      const value = (facts[`${name}_${suffix}`] ?? facts[name] ?? '').trim();
      if (value) lines.push(`${t(label, locale)}: ${value}`);
    }
    out[`ORG_CONTACT_${suffix}`] = lines.join('\n');
  }
  return out;
}
