/**
 * Why MiniSearch: the candidate search libraries measured on the same knowledge base and question set.
 *
 *   npm run compare:faq -- [FILE.tsv]      (default test/fixtures/faq/eval.tsv)
 *
 * Each library ranks the knowledge base's ways of asking (flows/nlu) and answers with the top hit's
 * intent, or "fallback" when the top score is under a threshold. The threshold is the best one for
 * that library on this very set (an oracle: it flatters the baselines). Two inputs per library:
 * the normalised message as written, and the lexicon's concepts (the same terms Nabta's matcher
 * indexes). Last row: Nabta's matcher (lexicon + MiniSearch + coverage confidence), whose
 * thresholds are fixed in lexicon.yaml. Only the NLU is compared: greetings and commands the engine
 * answers first (see eval:faq) count here as intents like any other.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { create, insertMultiple, search, type AnyOrama } from '@orama/orama';
import MiniSearch from 'minisearch';
import { loadKnowledge, type Variant } from '../src/nlu/knowledge';
import { Lexicon } from '../src/nlu/lexicon';
import { FaqMatcher } from '../src/nlu/matcher';
import { normalize } from '../src/nlu/normalize';

const file = process.argv[2] ?? 'test/fixtures/faq/eval.tsv';
const rows = readFileSync(file, 'utf8')
  .split('\n')
  .slice(1)
  .filter((l) => l.includes('\t'))
  .map((l) => {
    const [expect, question] = l.split('\t') as [string, string];
    return { expect: expect.split('|'), question };
  });

const nluDir = path.resolve('flows/nlu');
const lexicon = Lexicon.load(path.join(nluDir, 'lexicon.yaml'));
const { variants } = loadKnowledge(nluDir);
const concepts = (text: string) => lexicon.analyze(text).join(' ');

type Ranker = (text: string) => { intent: string; score: number } | undefined;

function miniSearch(input: (t: string) => string): Ranker {
  const ms = new MiniSearch<Variant & { id: number }>({
    fields: ['text'],
    storeFields: ['intent'],
    tokenize: (t) => t.split(/\s+/).filter(Boolean),
    searchOptions: { fuzzy: 0.2, prefix: true, combineWith: 'OR' },
  });
  ms.addAll(variants.map((v, id) => ({ ...v, id, text: input(v.text) })));
  return (text) => {
    const [top] = ms.search(input(text));
    return top ? { intent: top.intent as string, score: top.score } : undefined;
  };
}

function orama(input: (t: string) => string): Ranker {
  const db: AnyOrama = create({
    schema: { text: 'string', intent: 'string' } as const,
    components: { tokenizer: { tokenize: (t: string) => t.split(/\s+/).filter(Boolean), language: 'english', normalizationCache: new Map() } as never },
  }) as AnyOrama;
  void insertMultiple(db, variants.map((v) => ({ text: input(v.text), intent: v.intent })));
  return (text) => {
    const result = search(db, { term: input(text), properties: ['text'], tolerance: 1, limit: 1 }) as { hits: { score: number; document: { intent: string } }[] };
    const top = result.hits[0];
    return top ? { intent: top.document.intent, score: top.score } : undefined;
  };
}

/** Accuracy with the best threshold for this ranker on this set. */
function bestAccuracy(rank: Ranker): { accuracy: number; offTopic: number; ms: number } {
  const started = performance.now();
  const ranked = rows.map((r) => ({ ...r, top: rank(r.question) }));
  const ms = (performance.now() - started) / rows.length;
  const scores = [...new Set(ranked.map((r) => r.top?.score ?? 0))].sort((a, b) => a - b);
  let best = { accuracy: 0, offTopic: 0 };
  for (const threshold of [0, ...scores]) {
    const got = ranked.map((r) => (r.top && r.top.score > threshold ? r.top.intent : 'fallback'));
    const right = got.filter((g, i) => ranked[i]!.expect.includes(g)).length / rows.length;
    const off = ranked.map((r, i) => ({ r, g: got[i] })).filter(({ r }) => r.expect[0] === 'fallback');
    if (right > best.accuracy) best = { accuracy: right, offTopic: off.filter(({ g }) => g === 'fallback').length / Math.max(1, off.length) };
  }
  return { ...best, ms };
}

const nabta = new FaqMatcher(lexicon, variants);
const nabtaRanker = (): { accuracy: number; offTopic: number; ms: number } => {
  const started = performance.now();
  const got = rows.map((r) => {
    const u = nabta.understand(r.question, 'ar');
    return u.confidence === 'high' && u.best ? u.best.id : 'fallback';
  });
  const ms = (performance.now() - started) / rows.length;
  const off = rows.map((r, i) => ({ r, g: got[i] })).filter(({ r }) => r.expect[0] === 'fallback');
  return { accuracy: got.filter((g, i) => rows[i]!.expect.includes(g)).length / rows.length, offTopic: off.filter(({ g }) => g === 'fallback').length / off.length, ms };
};

const table: [string, { accuracy: number; offTopic: number; ms: number }][] = [
  ['MiniSearch, normalised text (fuzzy, prefix)', bestAccuracy(miniSearch(normalize))],
  ['Orama, normalised text (typo tolerance 1)', bestAccuracy(orama(normalize))],
  ['MiniSearch, lexicon concepts', bestAccuracy(miniSearch(concepts))],
  ['Orama, lexicon concepts', bestAccuracy(orama(concepts))],
  ['Nabta: lexicon + MiniSearch + coverage confidence', nabtaRanker()],
];
const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
console.log(`${file}: ${rows.length} questions (thresholds of the first four: the best for each on this set)\n`);
console.log(`${'ranker'.padEnd(52)} right   off-topic  ms/question`);
for (const [name, r] of table) console.log(`${name.padEnd(52)}${pct(r.accuracy)}  ${pct(r.offTopic)}    ${r.ms.toFixed(3)}`);
