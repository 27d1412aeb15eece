import path from 'node:path';
import { loadKnowledge } from './knowledge';
import { Lexicon } from './lexicon';
import { FaqMatcher } from './matcher';
import type { KnowledgeBase } from './types';

export { deriveFacts } from './facts';

/** Builds the FAQ matcher and knowledge base from `<flowsDir>/nlu/{lexicon,faq,intents}.yaml`. */
export function loadUnderstanding(flowsDir: string, hasText?: (key: string) => boolean): { nlu: FaqMatcher; kb: KnowledgeBase } {
  const dir = path.join(flowsDir, 'nlu');
  const lexicon = Lexicon.load(path.join(dir, 'lexicon.yaml'));
  const { kb, variants } = loadKnowledge(dir, hasText);
  return { nlu: new FaqMatcher(lexicon, variants), kb };
}
