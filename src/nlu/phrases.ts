import { z } from 'zod';
import { loadYaml } from '../engine/yamlFile';
import { normalize } from './normalize';
import type { Intent, Understander, Understanding } from './types';
import { NOT_UNDERSTOOD } from './types';

const intentsSchema = z.strictObject({
  intents: z.record(
    z.string(),
    z.strictObject({ kind: z.enum(['faq', 'flow', 'command']), ar: z.array(z.string()), en: z.array(z.string()) }),
  ),
});

/** Whole-message phrases (greetings, ...): a normalised exact match is certain. */
export class PhraseUnderstander implements Understander {
  private readonly phrases = new Map<string, Intent>();

  constructor(file: string) {
    const { data } = loadYaml(file, intentsSchema);
    for (const [id, def] of Object.entries(data.intents)) {
      for (const phrase of [...def.ar, ...def.en]) this.phrases.set(normalize(phrase), { kind: def.kind, id, score: 1 });
    }
  }

  understand(text: string): Understanding {
    const hit = this.phrases.get(normalize(text));
    return hit ? { confidence: 'high', best: hit, candidates: [hit] } : NOT_UNDERSTOOD;
  }
}
