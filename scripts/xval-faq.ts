/**
 * How well FAQ understanding generalises to a writer it has never seen: each file of labelled
 * examples (flows/nlu/examples/*.tsv, one writer each) is left out in turn, the classifier learns from
 * the others, and the left-out file is routed through the engine as eval:faq does. Shown beside the
 * matcher alone (no classifier), which learns from no example file.
 *
 *   npm run xval:faq [-- --flows DIR] [--locales DIR]
 */
import path from 'node:path';
import { exampleFiles, readLabelled } from '../src/nlu/examples';
import { loadConfig } from '../src/config';
import { loadUnderstanding } from '../src/nlu/index';
import { evaluationEngine, pct, route, tally } from './lib/faq-eval';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return path.resolve(i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback);
}

const flowsDir = arg('--flows', 'flows');
const localesDir = arg('--locales', 'locales');
const files = exampleFiles(path.join(flowsDir, 'nlu'));
if (files.length < 2) {
  process.stderr.write(`xval:faq needs at least two example files in ${path.join(flowsDir, 'nlu', 'examples')}\n`);
  process.exit(2);
}

const alone = evaluationEngine(flowsDir, localesDir, (texts) => loadUnderstanding(flowsDir, texts.hasText, { classifier: false }));
const lines = ['left-out file              questions   matcher alone (off-topic)   with classifier (off-topic)'];
const sums = { a: 0, ao: 0, c: 0, co: 0, offFiles: 0 };
for (const file of files) {
  const rows = readLabelled(file);
  // Each left-out file's networks are kept in a folder of their own (a cache folder keeps its newest few):
  // running again on the same examples, after a change of thresholds or rules, trains nothing.
  const cacheDir = path.join(loadConfig().nluCacheDir, 'xval', path.basename(file, '.tsv'));
  const engine = evaluationEngine(flowsDir, localesDir, (texts) => loadUnderstanding(flowsDir, texts.hasText, { excludeExamples: [file], cacheDir }));
  const a = tally(rows.map((r) => route(alone, r)));
  const c = tally(rows.map((r) => route(engine, r)));
  sums.a += a.right / a.total;
  sums.c += c.right / c.total;
  // A file without off-topic questions says nothing about them.
  if (a.offTopic > 0) {
    sums.ao += a.offTopicRight / a.offTopic;
    sums.co += c.offTopicRight / c.offTopic;
    sums.offFiles++;
  }
  lines.push(
    `${path.basename(file).padEnd(26)} ${String(rows.length).padStart(9)}   ${pct(a.right, a.total).padStart(13)} (${pct(a.offTopicRight, a.offTopic)})   ${pct(c.right, c.total).padStart(15)} (${pct(c.offTopicRight, c.offTopic)})`,
  );
}
const n = files.length;
const o = sums.offFiles;
lines.push(`${'mean'.padEnd(26)} ${''.padStart(9)}   ${pct(sums.a, n).padStart(13)} (${pct(sums.ao, o)})   ${pct(sums.c, n).padStart(15)} (${pct(sums.co, o)})`);
process.stdout.write(`${lines.join('\n')}\n`);
