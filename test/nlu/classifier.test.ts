import { NeuralNetwork, type TrainingItem } from '@nlpjs/neural';
import { Committee, ExampleClassifier } from '../../src/nlu/classifier';
import { lexicon, variants } from './smallKb';

const shares = (out: Record<string, number> | undefined) => {
  const total = Object.values(out ?? {}).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(out ?? {}).filter(([, v]) => v > 0).map(([k, v]) => [k, v / total]));
};

describe('the classifier’s committee of networks', () => {
  const corpus: TrainingItem[] = [
    { input: { a: 1, b: 1 }, output: { documents: 1 } },
    { input: { b: 1, c: 1 }, output: { eligibility: 1 } },
    { input: { c: 1, d: 1 }, output: { fallback: 1 } },
    { input: { a: 1, d: 1 }, output: { documents: 1 } },
  ];

  it('reads one trained nlp.js network exactly as nlp.js does (by word rather than by intent)', () => {
    const net = new NeuralNetwork({ log: false });
    net.train(corpus);
    const committee = new Committee([net.toJSON()]);
    const inputs: Record<string, number>[] = [{ a: 1 }, { b: 1, c: 1 }, { d: 1, x: 1 }, { a: 1, b: 1, c: 1, d: 1 }];
    for (const input of inputs) {
      const ours = shares(committee.run(input));
      const theirs = shares(net.run(input));
      expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
      for (const intent of Object.keys(theirs)) expect(ours[intent]).toBeCloseTo(theirs[intent]!, 9);
    }
  });

  it('averages several networks, each trained without its own slice of the examples, and still knows every intent', () => {
    const examples = variants.map((v) => ({ text: v.text, intent: v.intent }));
    const five = new ExampleClassifier(lexicon(), examples, 5);
    const right = examples.filter((e) => five.top(e.text)?.intent === e.intent).length;
    expect(right / examples.length).toBeGreaterThanOrEqual(0.9);
    expect(new Set(examples.map((e) => five.top(e.text)?.intent))).toEqual(new Set(examples.map((e) => e.intent)));
  });
});
