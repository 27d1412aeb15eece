import type { Locale } from '../core/types';
import type { ExampleClassifier, Opinion } from './classifier';
import { FALLBACK } from './examples';
import type { FaqMatcher } from './matcher';
import { round } from './matcher';
import type { IntentKind, Understander, Understanding } from './types';

/** When the classifier's opinion counts (lexicon.yaml `settings.secondOpinion`). */
export interface SecondOpinionSettings {
  /** Share of the classifier's output an intent needs for the bot to answer it on the classifier's word. */
  answerAt: number;
  /** ...and the share of the message the matcher finds that intent explains (words it has never seen keep this low). */
  minCoverage: number;
  /** Share for `fallback` (off-topic examples) at or above which the bot does not answer, whatever the matcher says. */
  offTopicAt: number;
  /** How many networks vote (default 1): several, each missing a different slice of the examples, waver less with every edit. */
  networks?: number;
}

/**
 * The matcher and the classifier together. The matcher explains the message word by word: it knows
 * when a message is mostly words the knowledge base has never seen (off-topic), and its rules are
 * certain (an exact way of asking, another organisation named). The classifier has learnt from
 * hundreds of real questions which words point where. The bot answers on the classifier's word when
 * it is clear and the matcher sees that intent in the message; it stays silent when the classifier
 * recognises an off-topic question; it asks "did you mean" when only the classifier sees an intent;
 * otherwise the matcher decides. Measured on writers neither was
 * built from: `npm run xval:faq` (README).
 */
export class FaqUnderstander implements Understander {
  constructor(
    readonly matcher: FaqMatcher,
    /** Absent: the matcher alone decides. */
    private readonly second?: { classifier: ExampleClassifier; settings: SecondOpinionSettings; kinds: ReadonlyMap<string, IntentKind> },
  ) {}

  /** The classifier's view of a message, best first (for the explain tool); empty without one. */
  opinions(text: string): Opinion[] {
    return this.second?.classifier.classify(text) ?? [];
  }

  understand(text: string, _locale?: Locale): Understanding {
    const { understanding, reading, ranked, settled } = this.matcher.read(text);
    if (settled || !this.second) return understanding;
    // The matcher has read the message through the lexicon already: the classifier reuses that reading.
    const top = this.second.classifier.top(text, reading);
    if (!top) return understanding;
    const s = this.second.settings;
    if (top.intent === FALLBACK) {
      return top.share >= s.offTopicAt ? { confidence: 'low', ...(understanding.best && { best: understanding.best }), candidates: [] } : understanding;
    }
    const kind = this.second.kinds.get(top.intent);
    const coverage = ranked.find((r) => r.intent === top.intent)?.coverage ?? 0;
    const agrees = understanding.confidence === 'high' && understanding.best?.id === top.intent;
    if (kind && top.share >= s.answerAt) {
      const intent = { kind, id: top.intent, score: round(Math.max(coverage, top.share)) };
      if (coverage >= s.minCoverage || agrees) return { confidence: 'high', best: intent, candidates: [intent] };
      // Clear to the classifier, though the matcher sees too little of it to answer: worth asking.
      if (understanding.confidence === 'low') return { confidence: 'medium', best: intent, candidates: [intent] };
    }
    return understanding;
  }
}
