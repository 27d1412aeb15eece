import { NeuralNetwork, type TrainingItem } from '@nlpjs/neural';
import type { Lexicon } from './lexicon';
import { normalize } from './normalize';

/** Messages of this many terms or more count as one length. */
const MAX_LENGTH = 12;
/** Three unseen words or more count as one. */
const MAX_UNSEEN = 3;
/** Prefix of a written-word feature (apart from the lexicon's concepts and stems). */
const WRITTEN = 'w:';

/** One class and its share (0..1) of the classifier's output for a message. */
export interface Opinion {
  intent: string;
  share: number;
}

/**
 * A second opinion learnt from examples: nlp.js's intent network (one perceptron per intent) over the
 * lexicon's terms, trained at start on the knowledge base's ways of asking and on questions as
 * beneficiaries really wrote them (flows/nlu/examples/), off-topic ones included as `fallback`. It
 * weighs every word of every example against every intent, so it recognises a way of asking that no
 * single variant spells out; the matcher's coverage still decides what is off-topic (see understand.ts).
 * Training takes about two and a half seconds: editing an example and running the evaluation needs no build.
 */
export class ExampleClassifier {
  // Training stops once an epoch improves the error by less than 1e-5 (nlp.js's default, 1e-6, runs about
  // three times as many epochs): on thousands of examples that is twice as fast to start, and
  // leave-one-writer-out scores it higher (xval 95.5 % vs 95.2 %): the longer run fits rare words too well.
  private readonly net = new NeuralNetwork({ log: false, deltaErrorThresh: 1e-5 });
  /** Features seen in two examples or more (a written word seen once is read as "a word never seen"). */
  private readonly vocabulary = new Set<string>();

  constructor(
    private readonly lexicon: Lexicon,
    examples: readonly { text: string; intent: string }[],
  ) {
    const inputs = examples.map((e) => this.features(e.text));
    const counts = new Map<string, number>();
    for (const input of inputs) for (const f of Object.keys(input)) counts.set(f, (counts.get(f) ?? 0) + 1);
    for (const [f, n] of counts) if (n >= 2) this.vocabulary.add(f);
    const corpus: TrainingItem[] = [];
    examples.forEach((e, i) => {
      const input = this.seen(inputs[i]!);
      if (Object.keys(input).length > 0) corpus.push({ input, output: { [e.intent]: 1 } });
    });
    this.net.train(corpus);
  }

  /** Every intent with a share of the output, best first; empty when nothing in the message is known. */
  classify(text: string): Opinion[] {
    const out = this.outputs(text);
    if (!out) return [];
    let total = 0;
    for (const v of Object.values(out)) total += v;
    if (total <= 0) return [];
    return Object.entries(out)
      .filter(([, v]) => v > 0)
      .map(([intent, v]) => ({ intent, share: v / total }))
      .sort((a, b) => b.share - a.share);
  }

  /**
   * The best intent alone (one pass over the outputs: a knowledge base may have hundreds of intents).
   * `reading`: the lexicon's reading of the message (`Lexicon.analyze`), when the caller has it already.
   */
  top(text: string, reading?: readonly string[]): Opinion | undefined {
    const out = this.outputs(text, reading);
    if (!out) return undefined;
    let total = 0;
    let best: string | undefined;
    let bestValue = 0;
    for (const intent in out) {
      const v = out[intent]!;
      total += v;
      if (v > bestValue) {
        bestValue = v;
        best = intent;
      }
    }
    return best === undefined ? undefined : { intent: best, share: bestValue / total };
  }

  /** The network's output per intent (the same object for every call: read it before the next). */
  private outputs(text: string, reading?: readonly string[]): Record<string, number> | undefined {
    return this.net.run(this.seen(this.features(text, reading)));
  }

  /**
   * Written words outside the vocabulary become one feature, "this many words never seen". A network
   * ignores what it was never shown, so without it "ابي اطلب بيتزا" reads as "ابي اطلب" (a request);
   * with it, the words said once in training teach what unknown words mean: mostly, off-topic.
   */
  private seen(input: Record<string, number>): Record<string, number> {
    const out: Record<string, number> = {};
    let unseen = 0;
    for (const [f, v] of Object.entries(input)) {
      if (this.vocabulary.has(f)) out[f] = v;
      else if (f.startsWith(WRITTEN)) unseen++;
    }
    if (unseen > 0) out[`#unseen:${Math.min(unseen, MAX_UNSEEN)}`] = 1;
    return out;
  }

  /**
   * The lexicon's reading (concepts and stems), the words as written (normalised: a word family the
   * lexicon does not know yet, or a form that tells more than its concept), and how long the message
   * is (a story and a two-word query are asked differently). Measured writer by writer with
   * `npm run xval:faq`: the written words add about 2.5 points, the length about 1, the unseen words
   * about 2 on off-topic questions.
   */
  private features(text: string, terms: readonly string[] = this.lexicon.analyze(text)): Record<string, number> {
    const input: Record<string, number> = {};
    for (const term of terms) input[term] = 1;
    for (const word of normalize(text).split(' ')) if (word) input[`${WRITTEN}${word}`] = 1;
    input[`#length:${Math.min(terms.length, MAX_LENGTH)}`] = 1;
    return input;
  }
}
