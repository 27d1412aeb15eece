import { NeuralNetwork, type NeuralNetworkJson, type TrainingItem } from '@nlpjs/neural';
import type { Lexicon } from './lexicon';
import { normalize } from './normalize';
import { trainedOnce } from './trainedCache';

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
 * A network trains in about two and a half seconds (five, the real settings, in about eight): editing an
 * example and running the evaluation needs no build. With a cache folder, content trained once loads in
 * a fraction of that.
 */
export class ExampleClassifier {
  /** The networks' votes (each learnt from all but its own slice of the examples). */
  private readonly committee: Committee;
  /** Features seen in two examples or more (a written word seen once is read as "a word never seen"). */
  private readonly vocabulary = new Set<string>();

  constructor(
    private readonly lexicon: Lexicon,
    examples: readonly { text: string; intent: string }[],
    networks = 1,
    /** Where trained networks are kept by content (trainedCache.ts); none: train every time. */
    cacheDir?: string,
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
    // Training stops once an epoch improves the error by less than 1e-5 (nlp.js's default, 1e-6, runs about
    // three times as many epochs): twice as fast to start on thousands of examples, and leave-one-writer-out
    // scores it higher (xval 95.5 % vs 95.2 %): the longer run fits rare words too well.
    const settings = { log: false, deltaErrorThresh: 1e-5 };
    const nets = trainedOnce(cacheDir, { corpus, networks, settings }, () =>
      Array.from({ length: networks }, (_, slice) => {
        const net = new NeuralNetwork(settings);
        net.train(networks === 1 ? corpus : corpus.filter((_, i) => i % networks !== slice));
        return net.toJSON();
      }),
    );
    this.committee = new Committee(nets);
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
    return this.committee.top(this.seen(this.features(text, reading)));
  }

  /** The networks' mean output per intent (above zero only). */
  private outputs(text: string): Record<string, number> | undefined {
    return this.committee.run(this.seen(this.features(text)));
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

/**
 * Trained networks (nlp.js: one perceptron per intent, output max(0, bias + weights · input)) read by
 * feature instead of by intent: a message costs a few additions per word it has, not a pass over every
 * intent of every network (a 500-entry knowledge base with five networks would otherwise cost about a
 * millisecond a message). Their outputs are averaged: several networks, each missing a different slice of
 * the examples, waver less with every edit of the data than one (leave-one-writer-out: 95.9 % vs 95.4 %).
 */
export class Committee {
  private readonly intents: string[];
  private readonly nets: { bias: Float64Array; columns: Map<string, { intent: Int32Array; weight: Float64Array }> }[];
  private readonly sums: Float64Array;
  private readonly mean: Float64Array;

  constructor(trained: NeuralNetworkJson[]) {
    this.intents = [...new Set(trained.flatMap((t) => t.intents ?? []))];
    const index = new Map(this.intents.map((intent, i) => [intent, i]));
    this.nets = trained.map((t) => {
      const bias = new Float64Array(this.intents.length);
      const columns = new Map<string, { intent: Int32Array; weight: Float64Array }>();
      const features = t.features ?? [];
      const rows = (t.intents ?? []).map((intent, i) => ({ at: index.get(intent)!, weights: t.perceptrons![i]! }));
      for (const row of rows) bias[row.at] = row.weights[features.length]!;
      features.forEach((feature, f) => {
        const nonzero = rows.filter((row) => row.weights[f] !== 0);
        columns.set(feature, { intent: Int32Array.from(nonzero, (row) => row.at), weight: Float64Array.from(nonzero, (row) => row.weights[f]!) });
      });
      return { bias, columns };
    });
    this.sums = new Float64Array(this.intents.length);
    this.mean = new Float64Array(this.intents.length);
  }

  /** Each intent's mean output (only those above zero), or undefined when there are no intents. */
  run(input: Record<string, number>): Record<string, number> | undefined {
    if (!this.vote(input)) return undefined;
    const out: Record<string, number> = {};
    for (let i = 0; i < this.mean.length; i++) if (this.mean[i]! > 0) out[this.intents[i]!] = this.mean[i]!;
    return out;
  }

  /** The intent with the highest mean output and its share of all outputs (one pass, no record of hundreds of intents). */
  top(input: Record<string, number>): Opinion | undefined {
    if (!this.vote(input)) return undefined;
    let total = 0;
    let best = -1;
    for (let i = 0; i < this.mean.length; i++) {
      const v = this.mean[i]!;
      if (v <= 0) continue;
      total += v;
      if (best < 0 || v > this.mean[best]!) best = i;
    }
    return best < 0 ? undefined : { intent: this.intents[best]!, share: this.mean[best]! / total };
  }

  /** Leaves each intent's mean output in `mean`; false when there are no intents. */
  private vote(input: Record<string, number>): boolean {
    if (this.intents.length === 0) return false;
    this.mean.fill(0);
    for (const net of this.nets) {
      this.sums.set(net.bias);
      for (const feature in input) {
        const column = net.columns.get(feature);
        if (!column) continue;
        const value = input[feature]!;
        for (let k = 0; k < column.intent.length; k++) this.sums[column.intent[k]!]! += column.weight[k]! * value;
      }
      for (let i = 0; i < this.sums.length; i++) if (this.sums[i]! > 0) this.mean[i]! += this.sums[i]! / this.nets.length;
    }
    return true;
  }
}
