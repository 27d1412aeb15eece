/**
 * Matching speed on a knowledge base of 500 entries: the real lexicon and entries, plus synthetic
 * entries built from the real ways of asking's words, each as often as it is used there (so the index
 * has the size of a large KB and the word frequencies of ours).
 * Times `understand()` (matcher and, when lexicon.yaml turns it on, the classifier trained on the
 * variants and flows/nlu/examples/) on the evaluation set's questions: median and p95 per question.
 *
 *   npm run bench:faq [-- --entries 500 --rounds 20]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { understandingFrom } from '../src/nlu/index';
import { loadKnowledge, type Variant } from '../src/nlu/knowledge';
import { Lexicon } from '../src/nlu/lexicon';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const ENTRIES = arg('entries', 500);
const ROUNDS = arg('rounds', 20);
const nluDir = path.resolve('flows/nlu');

const lexicon = Lexicon.load(path.join(nluDir, 'lexicon.yaml'));
const { variants } = loadKnowledge(nluDir);
const realIntents = new Set(variants.map((v) => v.intent)).size;

// Synthetic entries: 12 variants each, 3-7 words drawn from the real ways of asking (deterministic).
// Drawn from the words as used, not from the lexicon's list of spellings: there, a concept with a
// thousand spellings (other organisations' names) would be in a third of the synthetic ways of asking
// and make every question that names one visit them, against 2.4 % of the real ones.
const words = variants.flatMap((v) => v.text.split(/\s+/).filter(Boolean));
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const synthetic: Variant[] = [];
for (let e = realIntents; e < ENTRIES; e++) {
  for (let v = 0; v < 12; v++) {
    const n = 3 + Math.floor(random() * 5);
    const text = Array.from({ length: n }, () => words[Math.floor(random() * words.length)]).join(' ');
    synthetic.push({ intent: `synthetic-${e}`, kind: 'faq', text });
  }
}
const all = [...variants, ...synthetic];
const built = performance.now();
// Trained networks are kept by content (NLU_CACHE_DIR): a second run on the same content loads them.
const matcher = understandingFrom(lexicon, all, nluDir, { cacheDir: loadConfig().nluCacheDir });
const buildMs = performance.now() - built;

const questions = readFileSync('test/fixtures/faq/eval.tsv', 'utf8')
  .split(/\r?\n/)
  .slice(1)
  .filter(Boolean)
  .map((l) => l.slice(l.indexOf('\t') + 1));
for (const q of questions) matcher.understand(q); // warm-up (JIT, caches)

/** Times every question ROUNDS times; `cold` forgets the word cache first (every word analysed afresh). */
function measure(cold: boolean): number[] {
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const q of questions) {
      if (cold) lexicon.forget();
      const start = performance.now();
      matcher.understand(q);
      times.push(performance.now() - start);
    }
  }
  return times.sort((a, b) => a - b);
}
const times = measure(false);
const coldTimes = measure(true);
const pick = (list: number[], p: number) => list[Math.min(list.length - 1, Math.floor(p * list.length))]!;
const at = (p: number) => pick(times, p);
const intents = new Set(all.map((v) => v.intent)).size;
process.stdout.write(
  [
    `knowledge base: ${intents} entries, ${all.length} variants, ${lexicon.settings.secondOpinion ? 'with' : 'no'} classifier (built or loaded in ${buildMs.toFixed(0)} ms)`,
    `questions: ${questions.length} x ${ROUNDS} rounds = ${times.length} matches`,
    `median: ${at(0.5).toFixed(3)} ms   p95: ${at(0.95).toFixed(3)} ms   max: ${times[times.length - 1]!.toFixed(3)} ms`,
    `cold word cache: median ${pick(coldTimes, 0.5).toFixed(3)} ms   p95 ${pick(coldTimes, 0.95).toFixed(3)} ms`,
  ].join('\n') + '\n',
);
