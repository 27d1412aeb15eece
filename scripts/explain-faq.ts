/**
 * Shows how the FAQ matcher reads questions: the terms after the lexicon, the confidence and the top
 * intents with their scores. For content writers tuning flows/nlu/*.yaml.
 *
 *   npx tsx scripts/explain-faq.ts "وش الاوراق المطلوبه" "how long does it take"
 *   FLOWS_DIR=/path/to/flows npx tsx scripts/explain-faq.ts "…"   (another copy of the content)
 */
import { loadConfig } from '../src/config';
import { loadUnderstanding } from '../src/nlu/index';

const config = loadConfig();
const { nlu } = loadUnderstanding(config.flowsDir, undefined, { cacheDir: config.nluCacheDir });
for (const question of process.argv.slice(2)) {
  const { terms, ranked } = nlu.matcher.rank(question);
  const u = nlu.understand(question);
  process.stdout.write(`${question}\n  terms: ${terms.join(' ') || '(none)'}\n  ${u.confidence}: ${u.best?.id ?? '-'}\n`);
  for (const r of ranked.slice(0, 4)) {
    process.stdout.write(`    ${r.intent.padEnd(20)} score ${r.score.toFixed(2)}  coverage ${r.coverage.toFixed(2)}  fit ${r.fit.toFixed(2)}  evidence ${r.evidence.toFixed(1)}\n`);
  }
  const opinions = nlu.opinions(question).slice(0, 3);
  if (opinions.length > 0) process.stdout.write(`  classifier: ${opinions.map((o) => `${o.intent} ${o.share.toFixed(2)}`).join(', ')}\n`);
}
