import path from 'node:path';
import { z } from 'zod';
import { DataFileError, loadYaml } from '../engine/yamlFile';
import type { FaqEntry, IntentKind, KnowledgeBase } from './types';

const i18nKey = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be an i18n key like faq.about.answer');
const id = z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits or - (starting with a letter)');
const variants = z.array(z.string().min(1).max(500));

export const faqFileSchema = z.strictObject({
  entries: z.array(
    z.strictObject({
      id,
      title: i18nKey,
      answer: i18nKey,
      requires: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/)).optional(),
      unknownAnswer: i18nKey.optional(),
      followUp: z.array(z.strictObject({ label: i18nKey, value: z.string().min(1).max(64) })).max(3).optional(),
      ar: variants.min(1),
      en: variants.min(1),
    }),
  ),
});

export const intentsFileSchema = z.strictObject({
  intents: z.record(id, z.strictObject({ kind: z.enum(['faq', 'flow', 'command']), ar: variants, en: variants })),
});

/** One way of asking for one intent: what the matcher indexes. */
export interface Variant {
  intent: string;
  kind: IntentKind;
  text: string;
}

export interface KnowledgeData {
  kb: KnowledgeBase;
  variants: Variant[];
}

/** Reads flows/nlu/faq.yaml and flows/nlu/intents.yaml; checks ids are unique and texts exist. */
export function loadKnowledge(nluDir: string, hasText?: (key: string) => boolean): KnowledgeData {
  const faqFile = path.join(nluDir, 'faq.yaml');
  const faq = loadYaml(faqFile, faqFileSchema);
  const intents = loadYaml(path.join(nluDir, 'intents.yaml'), intentsFileSchema);
  const entries = new Map<string, FaqEntry>();
  const variants: Variant[] = [];
  const problems: { path: string; line?: number; reason: string }[] = [];

  faq.data.entries.forEach((e, i) => {
    const at = (...p: (string | number)[]) => ({ path: ['entries', i, ...p].join('.'), line: faq.lineOf(['entries', i, ...p]) });
    if (entries.has(e.id)) problems.push({ ...at('id'), reason: `entry id "${e.id}" appears twice` });
    if (e.requires?.length && !e.unknownAnswer) problems.push({ ...at('requires'), reason: 'an entry that requires facts needs an unknownAnswer' });
    const keys: [string, string][] = [
      [e.answer, 'answer'],
      [e.title, 'title'],
      ...(e.unknownAnswer ? [[e.unknownAnswer, 'unknownAnswer'] as [string, string]] : []),
      ...(e.followUp ?? []).map((f, j) => [f.label, `followUp.${j}.label`] as [string, string]),
    ];
    for (const [key, where] of keys) {
      if (hasText && !hasText(key)) problems.push({ path: `entries.${i}.${where}`, line: faq.lineOf(['entries', i]), reason: `text "${key}" is missing from a locale` });
    }
    const { ar, en, ...entry } = e;
    entries.set(e.id, entry);
    for (const text of [...ar, ...en]) variants.push({ intent: e.id, kind: 'faq', text });
  });
  for (const [intentId, def] of Object.entries(intents.data.intents)) {
    if (entries.has(intentId)) problems.push({ path: `intents.${intentId}`, reason: `"${intentId}" is already an FAQ entry in faq.yaml` });
    for (const text of [...def.ar, ...def.en]) variants.push({ intent: intentId, kind: def.kind, text });
  }
  if (problems.length > 0) throw new DataFileError(faq.file, problems);
  return { kb: { entries }, variants };
}
