import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ExampleClassifier } from '../../src/nlu/classifier';
import { trainedOnce } from '../../src/nlu/trainedCache';
import { tempDir } from '../support/app';
import { lexicon, variants } from './smallKb';

const examples = variants.map((v) => ({ text: v.text, intent: v.intent }));
const questions = [...examples.map((e) => e.text), 'ابي اطلب بيتزا', 'what papers do i need', 'متى يطلع الرد'];
const files = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.json'));

describe('trained networks kept by content', () => {
  it('a classifier built again on the same examples loads the training and answers exactly as the trained one', () => {
    const dir = tempDir('nabta-nlu-cache-');
    const trained = new ExampleClassifier(lexicon(), examples, 3, dir);
    expect(files(dir)).toHaveLength(1);
    const written = readFileSync(path.join(dir, files(dir)[0]!), 'utf8');

    const loaded = new ExampleClassifier(lexicon(), examples, 3, dir);
    expect(readFileSync(path.join(dir, files(dir)[0]!), 'utf8')).toBe(written);
    for (const question of questions) expect(loaded.classify(question)).toEqual(trained.classify(question));
    const uncached = new ExampleClassifier(lexicon(), examples, 3);
    for (const question of questions) expect(loaded.classify(question)).toEqual(uncached.classify(question));
  });

  it('trains again when anything it learnt from changes: an example, or the number of networks', () => {
    const dir = tempDir('nabta-nlu-cache-');
    const train = jest.fn(() => [{ features: ['a'], intents: ['about'], perceptrons: [[0.5, 0.25]] }]);
    trainedOnce(dir, { corpus: ['one'], networks: 1 }, train);
    trainedOnce(dir, { corpus: ['one'], networks: 1 }, train);
    expect(train).toHaveBeenCalledTimes(1);
    trainedOnce(dir, { corpus: ['one', 'two'], networks: 1 }, train);
    trainedOnce(dir, { corpus: ['one'], networks: 5 }, train);
    expect(train).toHaveBeenCalledTimes(3);
    expect(files(dir)).toHaveLength(3);
  });

  it('trains over a damaged file instead of failing or answering from it', () => {
    const dir = tempDir('nabta-nlu-cache-');
    const net = { features: ['a', 'b'], intents: ['about', 'contact'], perceptrons: [[0.5, -0.25, 0.125], [0, 1, -1]] };
    const train = jest.fn(() => [net]);
    expect(trainedOnce(dir, 'content', train)).toEqual([net]);
    const file = path.join(dir, files(dir)[0]!);
    for (const damage of [(t: string) => t.slice(0, t.length / 2), (t: string) => t.replace(/"weights":"[^"]*"/, '"weights":"AAAA"'), () => '{"networks":[{}]}']) {
      writeFileSync(file, damage(readFileSync(file, 'utf8')));
      expect(trainedOnce(dir, 'content', train)).toEqual([net]);
    }
    expect(train).toHaveBeenCalledTimes(4);
    expect(trainedOnce(dir, 'content', train)).toEqual([net]);
    expect(train).toHaveBeenCalledTimes(4);
  });

  it('still answers when its folder cannot be written, and keeps only the newest few trainings', () => {
    // A folder under a file can never be made (root ignores permissions, so a read-only folder would not do).
    const aFile = path.join(tempDir('nabta-nlu-cache-'), 'not-a-folder');
    writeFileSync(aFile, '');
    const net = { features: ['a'], intents: ['about'], perceptrons: [[1, 0]] };
    expect(trainedOnce(path.join(aFile, 'nlu'), 'content', () => [net])).toEqual([net]);

    const dir = tempDir('nabta-nlu-cache-');
    for (let edit = 0; edit < 7; edit++) trainedOnce(dir, { edit }, () => [net]);
    expect(files(dir).length).toBe(4);
  });
});
