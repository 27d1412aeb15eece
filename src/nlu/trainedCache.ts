import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { NeuralNetworkJson } from '@nlpjs/neural';
import { z } from 'zod';

/** Cached trainings kept per folder: the current content, and a few edits back to undo to. */
const KEEP = 4;
const FILE = /^[0-9a-f]{64}\.json$/;

/** nlp.js's version is part of the key: another version may train other weights from the same examples. */
const NLPJS_VERSION = (JSON.parse(readFileSync(require.resolve('@nlpjs/neural/package.json'), 'utf8')) as { version: string }).version;

/**
 * One network on disk. Its weights are float32 in nlp.js, so they are kept as float32 bytes (base64):
 * exact, and a third of the size of the same numbers as JSON text.
 */
const storedNetwork = z.object({
  features: z.array(z.string()),
  intents: z.array(z.string()),
  weights: z.string(),
  biases: z.array(z.number()),
});
const storedFile = z.object({ networks: z.array(storedNetwork) });

/**
 * Networks trained once per content. Training takes seconds (five networks on the real examples: about
 * eight); every start of the service, every restart and every test that starts it would otherwise train
 * again on the very same examples. The file is named by a hash of everything the training depends on
 * (the training items, the settings, nlp.js's version), so an edit to any example or word trains anew
 * and a file can never answer for other content. An unreadable or damaged file is trained over; a folder
 * that cannot be written only costs the time (the cache is an optimisation, never a source of truth).
 */
export function trainedOnce(dir: string | undefined, inputs: unknown, train: () => NeuralNetworkJson[]): NeuralNetworkJson[] {
  if (!dir) return train();
  const key = createHash('sha256').update(JSON.stringify({ nlpjs: NLPJS_VERSION, inputs })).digest('hex');
  const file = path.join(dir, `${key}.json`);
  const cached = read(file);
  if (cached) return cached;
  const networks = train();
  write(dir, file, networks);
  return networks;
}

function read(file: string): NeuralNetworkJson[] | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = storedFile.safeParse(JSON.parse(text));
    if (!parsed.success) return undefined;
    const networks: NeuralNetworkJson[] = [];
    for (const stored of parsed.data.networks) {
      const bytes = Buffer.from(stored.weights, 'base64');
      const width = stored.features.length;
      if (stored.biases.length !== stored.intents.length || bytes.length !== 4 * width * stored.intents.length) return undefined;
      // Copied out: a Buffer's bytes need not sit at a 4-byte boundary a Float32Array can view.
      const weights = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
      const perceptrons = stored.intents.map((_, i) => [...weights.subarray(i * width, (i + 1) * width), stored.biases[i]!]);
      networks.push({ features: stored.features, intents: stored.intents, perceptrons });
    }
    return networks;
  } catch {
    return undefined;
  }
}

function write(dir: string, file: string, networks: NeuralNetworkJson[]): void {
  const stored = networks.map((net) => {
    const features = net.features ?? [];
    const intents = net.intents ?? [];
    const weights = new Float32Array(features.length * intents.length);
    const biases = intents.map((_, i) => {
      const row = net.perceptrons![i]!;
      weights.set(row.slice(0, features.length), i * features.length);
      return row[features.length]!;
    });
    return { features, intents, weights: Buffer.from(weights.buffer).toString('base64'), biases };
  });
  // Written aside then renamed: a process started meanwhile reads the whole file or none.
  const partial = `${file}.${process.pid}.partial`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(partial, JSON.stringify({ networks: stored }));
    renameSync(partial, file);
    prune(dir);
  } catch {
    // Not writable (a read-only image, a full disk): the next start trains again, nothing worse.
    try {
      rmSync(partial, { force: true });
    } catch {
      /* the folder itself is unusable: nothing was left behind */
    }
  }
}

/** Keeps the newest few trainings: each edit of the content leaves one behind. */
function prune(dir: string): void {
  const files = readdirSync(dir)
    .filter((name) => FILE.test(name))
    .map((name) => ({ name, time: statSync(path.join(dir, name)).mtimeMs }))
    .sort((a, b) => b.time - a.time);
  for (const old of files.slice(KEEP)) rmSync(path.join(dir, old.name), { force: true });
}
