import SearchableMap from 'minisearch/SearchableMap';
import { z } from 'zod';
import { loadYaml } from '../engine/yamlFile';
import { looksArabic, normalize } from './normalize';

/**
 * The lexicon turns a message into the terms the matcher compares: words people write many ways
 * (ابي/ابغى/ودي, اوراق/مستندات/documents) become one concept, function words disappear, clitics
 * (و، ال، ب ... ي، كم، ها) are stripped, and a misspelt word finds its nearest known word.
 * All of it is data (flows/nlu/lexicon.yaml): a content writer adds a synonym without touching code.
 */

const words = z.array(z.string().min(1));

export const lexiconSchema = z.strictObject({
  settings: z.strictObject({
    /** Weighted share of the message's words the best intent explains: at or above it, the bot answers. */
    high: z.number().min(0).max(1),
    /** At or above it (and below `high`), the bot asks "did you mean". Below it: not understood. */
    medium: z.number().min(0).max(1),
    /** Runner-up score / best score above this: two intents are too close to answer either. */
    margin: z.number().min(0).max(1),
    /** Weight of a word the knowledge base never uses (off-topic messages are mostly such words). */
    unknownWeight: z.number().min(0),
    /** A long message need only be explained up to this weight: the story around a question is not off-topic. */
    coverageCap: z.number().min(0),
    /** Least total weight of matched words for any confidence (one weak word is not evidence). */
    minEvidence: z.number().min(0),
    /** Candidates in "did you mean": score at least this share of the best one. */
    candidateRatio: z.number().min(0).max(1),
    /** What MiniSearch ranks: each way of asking, each intent as one document, or both (scores added). */
    granularity: z.enum(['variant', 'intent', 'both']),
    /** Shortest word (letters) that may be corrected to a known word one letter away. */
    fuzzyMinLength: z.number().int().min(2),
    /** From this length on, two letters away. */
    fuzzy2MinLength: z.number().int().min(3),
    /**
     * How much the ranking also asks that one way of asking be said (nearly) whole: 0 ranks by the
     * message's coverage only; 1 multiplies by the best variant's share of its own weight the message
     * says. Keeps "how can i register" on registering rather than on "how can i register as a volunteer".
     */
    fitWeight: z.number().min(0).max(1).optional(),
  }),
  affixes: z.strictObject({
    ar: z.strictObject({ prefixes: words, suffixes: words, minStem: z.number().int().min(2) }),
    en: z.strictObject({ prefixes: words, suffixes: words, minStem: z.number().int().min(2) }),
  }),
  /** Words that carry no meaning for matching (function words, politeness, fillers). */
  stopwords: words,
  /** Concepts whose words are dropped when the message says anything else ("السلام عليكم، وش الأوراق؟"). */
  courtesy: words,
  /** concept -> the ways people write it (any language; a phrase of several words is matched whole). */
  concepts: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'concept names are lower-case ascii'), words),
});
export type LexiconData = z.infer<typeof lexiconSchema>;

/** The concept prefix keeps concepts apart from plain words in the index. */
const CONCEPT = '#';

export class Lexicon {
  readonly settings: LexiconData['settings'];
  /** surface form (normalised) -> concepts */
  private readonly forms = new Map<string, string[]>();
  /** multi-word phrases (normalised), longest first */
  private readonly phrases: { text: string; concepts: string[] }[] = [];
  private readonly stop = new Set<string>();
  private readonly courtesy: Set<string>;
  /** Known words for typo correction: lexicon forms and the plain words of the knowledge base. */
  private readonly known = new SearchableMap<string[]>();
  private readonly cache = new Map<string, string[]>();
  /** Known words by their sound-alike key (ط/ت, ض/ظ/د, ذ/ز, ث/ص/س): "شروت" is read as "شروط". */
  private readonly soundAlike = new Map<string, string[]>();

  constructor(private readonly data: LexiconData) {
    this.settings = data.settings;
    for (const w of data.stopwords) {
      const form = normalize(w);
      // A phrase of function words ("ابي اعرف", "tell me") is removed whole, before the words are read.
      if (form.includes(' ')) {
        this.phrases.push({ text: form, concepts: [] });
        continue;
      }
      this.stop.add(form);
      // A misspelt function word is still a function word, not the nearest content word.
      this.known.set(form, []);
    }
    this.courtesy = new Set(data.courtesy.map((c) => CONCEPT + c));
    for (const [concept, list] of Object.entries(data.concepts)) {
      for (const raw of list) {
        const form = normalize(raw);
        if (!form) continue;
        if (form.includes(' ')) {
          const existing = this.phrases.find((p) => p.text === form && p.concepts.length > 0);
          if (existing) existing.concepts.push(CONCEPT + concept);
          else this.phrases.push({ text: form, concepts: [CONCEPT + concept] });
        } else {
          const list2 = this.forms.get(form) ?? [];
          if (!list2.includes(CONCEPT + concept)) list2.push(CONCEPT + concept);
          this.forms.set(form, list2);
        }
      }
    }
    this.phrases.sort((a, b) => b.text.length - a.text.length);
    for (const [form, concepts] of this.forms) {
      this.known.set(form, concepts);
      this.soundsLike(form, concepts);
    }
  }

  /** Remembers a known word under its sound-alike key (the first word to claim a key keeps it). */
  private soundsLike(form: string, value: string[]): void {
    const key = soundKey(form);
    if (!this.soundAlike.has(key)) this.soundAlike.set(key, value);
  }

  static load(file: string): Lexicon {
    return new Lexicon(loadYaml(file, lexiconSchema).data);
  }

  /** Remembers a plain word of the knowledge base, so a misspelling of it can be corrected. */
  learn(term: string): void {
    if (term.startsWith(CONCEPT) || this.known.has(term)) return;
    if (term.length >= this.settings.fuzzyMinLength) this.known.set(term, [term]);
    if (term.length >= 3) this.soundsLike(term, [term]);
  }

  /** Drops remembered analyses (after `learn`, a word may now read differently). */
  forget(): void {
    this.cache.clear();
  }

  /** The terms of a message: concepts and stems, function words removed, courtesy dropped when there is more. */
  analyze(text: string): string[] {
    let rest = ` ${normalize(text)} `;
    const terms: string[] = [];
    for (const phrase of this.phrases) {
      const needle = ` ${phrase.text} `;
      while (rest.includes(needle)) {
        terms.push(...phrase.concepts);
        rest = rest.replace(needle, ' | ');
      }
    }
    for (const token of rest.split(' ')) {
      if (!token || token === '|') continue;
      terms.push(...this.term(token));
    }
    const content = terms.filter((t) => !this.courtesy.has(t));
    return content.length > 0 ? content : terms;
  }

  private term(token: string): string[] {
    const cached = this.cache.get(token);
    if (cached) return cached;
    const result = this.resolve(token);
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(token, result);
    return result;
  }

  private resolve(token: string): string[] {
    if (/^\d+$/.test(token)) return [];
    const candidates = this.stems(token);
    for (const c of candidates) {
      if (this.stop.has(c)) return [];
      const concepts = this.forms.get(c);
      if (concepts) return concepts;
    }
    // Letters people write for one another (ط/ت, ض/ظ/د, ذ/ز, ث/ص/س): the word that sounds the same.
    for (const c of candidates) {
      if (c.length < 3) continue;
      const same = this.soundAlike.get(soundKey(c));
      if (same && !same.some((t) => this.courtesy.has(t))) return same;
    }
    const stem = this.stemOf(token);
    // A misspelt word ("الشروت", "documants") is read as the nearest known word, if one is close.
    for (const c of candidates) {
      if (c.length < this.settings.fuzzyMinLength) continue;
      const distance = c.length >= this.settings.fuzzy2MinLength ? 2 : 1;
      const near = this.known.fuzzyGet(c, distance);
      let best: { value: string[]; d: number } | undefined;
      for (const [key, [value, d]] of near) {
        if (d === 0 && key === c) return value;
        // A greeting is short and near many words ("الصلاه" ~ "السلام"): never guessed, only read as written.
        if (value.some((t) => this.courtesy.has(t))) continue;
        // Ties go to the shorter known word: usually the stem rather than a longer relative.
        if (!best || d < best.d) best = { value, d };
      }
      if (best) return best.value;
    }
    return [stem];
  }

  /** The word with its longest prefix and longest suffix removed (the form indexed when nothing else fits). */
  private stemOf(token: string): string {
    const rules = looksArabic(token) ? this.data.affixes.ar : this.data.affixes.en;
    let base = token;
    const p = rules.prefixes.find((x) => base.startsWith(x) && base.length - x.length >= rules.minStem);
    if (p) base = base.slice(p.length);
    const s = rules.suffixes.find((x) => base.endsWith(x) && base.length - x.length >= rules.minStem);
    return s ? base.slice(0, -s.length) : base;
  }

  /** The word, then the word without its clitics: every reading the lexicon may know. */
  private stems(token: string): string[] {
    const rules = looksArabic(token) ? this.data.affixes.ar : this.data.affixes.en;
    const out = [token];
    const withoutPrefix: string[] = [token];
    for (const p of rules.prefixes) {
      if (token.startsWith(p) && token.length - p.length >= rules.minStem) withoutPrefix.push(token.slice(p.length));
    }
    for (const base of withoutPrefix) {
      if (!out.includes(base)) out.push(base);
      for (const s of rules.suffixes) {
        if (base.endsWith(s) && base.length - s.length >= rules.minStem) {
          const stem = base.slice(0, -s.length);
          if (!out.includes(stem)) out.push(stem);
        }
      }
    }
    return out;
  }
}

const SOUND_ALIKE: Record<string, string> = { ط: 'ت', ض: 'د', ظ: 'د', ذ: 'ز', ث: 'س', ص: 'س' };

/** A word with the letters people confuse in writing folded to one (for matching misspellings only). */
export function soundKey(word: string): string {
  return word.replace(/[طضظذثص]/g, (ch) => SOUND_ALIKE[ch] ?? ch);
}

export function isConcept(term: string): boolean {
  return term.startsWith(CONCEPT);
}
