import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadTexts } from '../../src/i18n';
import { loadKnowledge } from '../../src/nlu/knowledge';
import { normalize } from '../../src/nlu/normalize';

const ROOT = path.resolve(__dirname, '../..');
const texts = loadTexts(path.join(ROOT, 'locales'));
const { kb, variants } = loadKnowledge(path.join(ROOT, 'flows/nlu'), texts.hasText);
const FAQ_IDS = ['about', 'eligibility', 'documents', 'response-time', 'services', 'contact', 'other-associations', 'non-saudi', 'service-area', 'privacy', 'data-accuracy'];

describe('the knowledge base', () => {
  it('has exactly the FAQ ids of the web chat API, and the flow/command intents', () => {
    expect([...kb.entries.keys()].sort()).toEqual([...FAQ_IDS].sort());
    const intents = new Set(variants.map((v) => v.intent));
    for (const id of ['support-request', 'status', 'volunteer', 'feedback', 'human', 'greeting']) expect(intents).toContain(id);
  });

  it('quotes the policy on the decision time and never promises "within two weeks"', () => {
    expect(texts.t('faq.response-time.answer', 'ar')).toContain('خلال مدة لا تقل عن أسبوعين');
    expect(texts.t('faq.response-time.answer', 'en')).toContain('not less than two weeks');
    for (const locale of ['ar', 'en'] as const) {
      const all = FAQ_IDS.map((id) => texts.t(`faq.${id}.answer`, locale)).join('\n');
      expect(all).not.toMatch(/خلال أسبوعين|within two weeks/);
      // No invented contact facts: no phone numbers, e-mail addresses or links in any answer.
      expect(all).not.toMatch(/\d{6,}|@|https?:|www\./);
    }
  });

  const questionsOf = (file: string) => readFileSync(path.join(ROOT, 'test/fixtures/faq', file), 'utf8').split(/\r?\n/).slice(1).filter(Boolean);

  it.each([
    ['eval.tsv', 300],
    ['dev.tsv', 250],
  ])('keeps %s apart from the variants the matcher is built from', (file, least) => {
    const built = new Set(variants.map((v) => normalize(v.text)));
    const rows = questionsOf(file);
    expect(rows.length).toBeGreaterThanOrEqual(least);
    const overlap = rows.map((r) => r.slice(r.indexOf('\t') + 1)).filter((q) => built.has(normalize(q)));
    expect(overlap).toEqual([]);
    const offTopic = rows.filter((r) => r.startsWith('fallback'));
    expect(offTopic.length / rows.length).toBeGreaterThanOrEqual(0.15);
  });

  it('keeps the development set (for tuning) apart from the evaluation set (for checking)', () => {
    const evalQuestions = new Set(questionsOf('eval.tsv').map((r) => normalize(r.slice(r.indexOf('\t') + 1))));
    const shared = questionsOf('dev.tsv')
      .map((r) => r.slice(r.indexOf('\t') + 1))
      .filter((q) => evalQuestions.has(normalize(q)));
    expect(shared).toEqual([]);
  });
});
