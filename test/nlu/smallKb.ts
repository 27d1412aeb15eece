import { Lexicon, type LexiconData } from '../../src/nlu/lexicon';
import type { Variant } from '../../src/nlu/knowledge';

// A small knowledge base whose arithmetic the matcher and understanding tests can follow by hand.

export const settings: LexiconData['settings'] = {
  high: 0.55,
  medium: 0.4,
  margin: 0.9,
  unknownWeight: 0.8,
  coverageCap: 7,
  minEvidence: 0.3,
  candidateRatio: 0.5,
  granularity: 'both',
  fuzzyMinLength: 5,
  fuzzy2MinLength: 8,
};

export function lexicon(overrides: Partial<LexiconData> = {}): Lexicon {
  return new Lexicon({
    settings,
    affixes: {
      ar: { prefixes: ['وال', 'ال', 'و'], suffixes: ['ات', 'ي', 'ه'], minStem: 3 },
      en: { prefixes: [], suffixes: ['s'], minStem: 3 },
    },
    stopwords: ['وش', 'ابي', 'the', 'what'],
    courtesy: ['greet'],
    concepts: {
      greet: ['السلام عليكم', 'هلا'],
      doc: ['اوراق', 'مستندات', 'documents', 'papers'],
      time: ['مده', 'متى', 'how long'],
      reply: ['رد', 'الرد'],
      fee: ['رسوم'],
      volunteer: ['تطوع', 'اتطوع', 'volunteer'],
    },
    ...overrides,
  });
}

export const variants: Variant[] = [
  { intent: 'documents', kind: 'faq', text: 'الاوراق المطلوبه' },
  { intent: 'documents', kind: 'faq', text: 'required documents' },
  { intent: 'response-time', kind: 'faq', text: 'متى الرد' },
  { intent: 'response-time', kind: 'faq', text: 'مدة الرد' },
  { intent: 'volunteer', kind: 'flow', text: 'ابي اتطوع' },
  { intent: 'fees', kind: 'faq', text: 'كم الرسوم' },
  { intent: 'fees', kind: 'faq', text: 'رسوم الرد' },
];
