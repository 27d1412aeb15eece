import { NeuralNetwork, type TrainingItem } from '@nlpjs/neural';
import type { Lexicon } from './lexicon';

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
 * Training takes a few hundred milliseconds: editing an example and running the evaluation needs no build.
 */
export class ExampleClassifier {
  private readonly net = new NeuralNetwork({ log: false });

  constructor(
    private readonly lexicon: Lexicon,
    examples: readonly { text: string; intent: string }[],
  ) {
    const corpus: TrainingItem[] = [];
    for (const e of examples) {
      const input = this.features(e.text);
      if (Object.keys(input).length > 0) corpus.push({ input, output: { [e.intent]: 1 } });
    }
    this.net.train(corpus);
  }

  /** Every intent with a share of the output, best first; empty when nothing in the message is known. */
  classify(text: string): Opinion[] {
    const out = this.net.run(this.features(text));
    if (!out) return [];
    let total = 0;
    for (const v of Object.values(out)) total += v;
    if (total <= 0) return [];
    return Object.entries(out)
      .filter(([, v]) => v > 0)
      .map(([intent, v]) => ({ intent, share: v / total }))
      .sort((a, b) => b.share - a.share);
  }

  private features(text: string): Record<string, number> {
    const input: Record<string, number> = {};
    for (const term of this.lexicon.analyze(text)) input[term] = 1;
    return input;
  }
}
