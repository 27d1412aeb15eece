import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ExampleClassifier } from './classifier';
import { exampleFiles, loadExamples } from './examples';
import { loadKnowledge, type Variant } from './knowledge';
import { Lexicon } from './lexicon';
import { FaqMatcher } from './matcher';
import type { KnowledgeBase } from './types';
import { FaqUnderstander } from './understand';

export { deriveFacts } from './facts';

export interface UnderstandingOptions {
  /** Example files left out (cross-validation). */
  excludeExamples?: readonly string[];
  /** false: the matcher alone. */
  classifier?: boolean;
  /** Where the classifier's trained networks are kept by content (trainedCache.ts); none: trained every time. */
  cacheDir?: string;
}

/**
 * Builds the FAQ understanding and knowledge base from `<flowsDir>/nlu/`: lexicon.yaml, faq.yaml,
 * intents.yaml and the labelled examples in examples/*.tsv.
 */
export function loadUnderstanding(
  flowsDir: string,
  hasText?: (key: string) => boolean,
  options: UnderstandingOptions = {},
): { nlu: FaqUnderstander; kb: KnowledgeBase } {
  const dir = path.join(flowsDir, 'nlu');
  const lexiconFile = path.join(dir, 'lexicon.yaml');
  const { kb, variants } = loadKnowledge(dir, hasText);
  const key = contentKey(lexiconFile, variants, dir, options);
  if (last?.key !== key) last = { key, nlu: understandingFrom(Lexicon.load(lexiconFile), variants, dir, options) };
  return { nlu: last.nlu, kb };
}

/**
 * The last understanding built, by the content it was built from: an app started again in the same
 * process (the tests restart it often) reuses it instead of training for seconds on the same files.
 * Any edit changes the key, so editing a file and starting again still learns from it. Files are named
 * without their folder: a copy of the same content elsewhere (each test's own copy) is the same content.
 * One is kept: cross-validation builds dozens, each needed once.
 */
let last: { key: string; nlu: FaqUnderstander } | undefined;

function contentKey(lexiconFile: string, variants: readonly Variant[], nluDir: string, options: object): string {
  const hash = createHash('sha256').update(readFileSync(lexiconFile)).update(JSON.stringify(variants)).update(JSON.stringify(options));
  for (const file of exampleFiles(nluDir)) hash.update(path.basename(file)).update(readFileSync(file));
  return hash.digest('hex');
}

/**
 * The matcher over these ways of asking and, when lexicon.yaml turns it on, the classifier trained on
 * them and on `<nluDir>/examples/*.tsv` (the benchmark builds a larger knowledge base this way too).
 */
export function understandingFrom(
  lexicon: Lexicon,
  variants: readonly Variant[],
  nluDir: string,
  options: UnderstandingOptions = {},
): FaqUnderstander {
  const matcher = new FaqMatcher(lexicon, variants);
  const settings = lexicon.settings.secondOpinion;
  if (!settings || options.classifier === false) return new FaqUnderstander(matcher);
  const kinds = new Map(variants.map((v) => [v.intent, v.kind]));
  const examples = [...variants.map((v) => ({ text: v.text, intent: v.intent })), ...loadExamples(nluDir, new Set(kinds.keys()), options.excludeExamples)];
  return new FaqUnderstander(matcher, { classifier: new ExampleClassifier(lexicon, examples, settings.networks, options.cacheDir), settings, kinds });
}
