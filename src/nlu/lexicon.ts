import SearchableMap from 'minisearch/SearchableMap';
import { z } from 'zod';
import { loadYaml } from '../engine/yamlFile';
import { arabiziSpellings, looksArabizi } from './arabizi';
import { looksArabic, normalize } from './normalize';

/**
 * The lexicon turns a message into the terms the matcher compares: words people write many ways
 * (ابي/ابغى/ودي, اوراق/مستندات/documents) become one concept, function words disappear, clitics
 * (و، ال، ب ... ي، كم، ها) are stripped, and a misspelt word finds its nearest known word.
 * All of it is data (flows/nlu/lexicon.yaml): a content writer adds a synonym without touching code.
 */

const words = z.array(z.string().min(1));
/** A concept's words; a list among them (a YAML alias, one list shared by several concepts) counts as its words. */
const conceptWords = z.array(z.union([z.string().min(1), words])).transform((list) => list.flat());

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
    /** When the classifier trained on flows/nlu/examples/ may decide (src/nlu/understand.ts); absent: the matcher alone. */
    secondOpinion: z
      .strictObject({
        answerAt: z.number().min(0).max(1),
        minCoverage: z.number().min(0).max(1),
        offTopicAt: z.number().min(0).max(1.01),
        /** How many networks vote (each trained without its own slice of the examples). */
        networks: z.number().int().min(1).max(9).optional(),
      })
      .optional(),
  }),
  affixes: z.strictObject({
    ar: z.strictObject({ prefixes: words, suffixes: words, minStem: z.number().int().min(2) }),
    en: z.strictObject({ prefixes: words, suffixes: words, minStem: z.number().int().min(2) }),
  }),
  /** Words that carry no meaning for matching (function words, politeness, fillers). */
  stopwords: words,
  /** Concepts whose words are dropped when the message says anything else ("السلام عليكم، وش الأوراق؟"). */
  courtesy: words,
  /**
   * Words after which comes a name that says nothing about the question (a neighbourhood, a street:
   * "ساكنه بحي الخالديه"): the marker and the next word are read as `concept` (a courtesy concept, so
   * dropped when the message asks something), not as the service area's "حي" and an unknown word.
   */
  /** `absorbs`: concepts just before a marker that belong to the name ("ساكن بحي النايفيه": living there is the story too). */
  nameMarkers: z.strictObject({ concept: z.string(), words, absorbs: words.optional() }).optional(),
  /** Arabic typed in Latin letters and digits ("5adamatkm"): which Latin letters stand for which Arabic ones (arabizi.ts). */
  arabizi: z.strictObject({ letters: z.record(z.string().min(1), words), shortVowels: words }).optional(),
  /**
   * Words that name an organisation by what follows ("جمعية"): followed by words the lexicon does not
   * know ("جمعية التنمية الأسرية", "جمعية إكرام"), or by words of the `names` concepts ("جمعية الأيتام"),
   * the word and its name are read as `concept` (another association); followed by anything else
   * ("الجمعية وش رقمها", "جمعية تساعد") it is read as usual.
   */
  organisationNames: z.strictObject({ concept: z.string(), words, names: words.optional() }).optional(),
  /**
   * Another organisation (a government office, a bank, an app): a message naming one is about it, not
   * about us, unless it also addresses us (one of `addressed`: "عندكم", "انتم", "الجمعيه"...). Such a
   * message is not answered ("رقم جوال الدفاع المدني" is not a question about our phone).
   */
  elsewhere: z
    .strictObject({
      concept: z.string(),
      addressed: words,
      /** Intents where naming another organisation is part of asking (students volunteer for their school's hours). */
      except: z.array(z.string()).optional(),
    })
    .optional(),
  /** concept -> fixed weight, for concepts that say little on their own (a city everyone lives in). */
  weights: z.record(z.string(), z.number().min(0)).optional(),
  /** concept -> the ways people write it (any language; a phrase of several words is matched whole). */
  concepts: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'concept names are lower-case ascii'), conceptWords),
});
export type LexiconData = z.infer<typeof lexiconSchema>;

/** The concept prefix keeps concepts apart from plain words in the index. */
const CONCEPT = '#';
/** A phrase may carry a conjunction on its first word ("وراتب الضمان"); '' is the phrase as written. */
const PHRASE_CONJUNCTIONS = ['', 'و', 'ف'];
/** A pictograph (🙏, ⭐, 👍). Normalisation drops them; a concept may list some, and they count as its word. */
const PICTOGRAPH = /\p{Extended_Pictographic}/gu;

export class Lexicon {
  readonly settings: LexiconData['settings'];
  /** surface form (normalised) -> concepts */
  private readonly forms = new Map<string, string[]>();
  /** multi-word phrases (normalised), longest first */
  private readonly phrases: { text: string; concepts: string[] }[] = [];
  /** first word -> the phrases starting with it, longest first (a message is only checked for its own words' phrases) */
  private readonly phrasesByFirst = new Map<string, { text: string; concepts: string[] }[]>();
  private readonly stop = new Set<string>();
  private readonly courtesy: Set<string>;
  /** Known words for typo correction: lexicon forms and the plain words of the knowledge base. */
  private readonly known = new SearchableMap<string[]>();
  private readonly cache = new Map<string, string[]>();
  /** Name markers (normalised) and the concept a marker and its name are read as. */
  private readonly markers = new Set<string>();
  private readonly markerConcept: string;
  private readonly markerAbsorbs: Set<string>;
  /** Words that name an organisation by the name that follows, the concept they are read as, and the concepts a name may be made of. */
  private readonly organisationWords = new Set<string>();
  private readonly organisationConcept: string;
  private readonly nameConcepts: Set<string>;
  /** Words (normalised, clitics stripped) that show a message addresses the association. */
  private readonly addressed = new Set<string>();
  /** Pictographs the concepts list ("🙏" in thanks, "⭐" in rating), each read as its concepts. */
  private readonly pictographs = new Map<string, string[]>();
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
    this.markerConcept = CONCEPT + (data.nameMarkers?.concept ?? '');
    this.markerAbsorbs = new Set((data.nameMarkers?.absorbs ?? []).map((c) => CONCEPT + c));
    for (const w of data.nameMarkers?.words ?? []) this.markers.add(normalize(w));
    this.organisationConcept = CONCEPT + (data.organisationNames?.concept ?? '');
    this.nameConcepts = new Set((data.organisationNames?.names ?? []).map((c) => CONCEPT + c));
    for (const w of data.organisationNames?.words ?? []) this.organisationWords.add(normalize(w));
    for (const w of data.elsewhere?.addressed ?? []) this.addressed.add(normalize(w));
    for (const [concept, list] of Object.entries(data.concepts)) {
      for (const raw of list) {
        const form = normalize(raw);
        if (!form) {
          // Normalisation keeps no pictograph: "🙏" is read from the message as written (see analyze).
          for (const picture of new Set(raw.match(PICTOGRAPH))) addConcept(this.pictographs, picture, CONCEPT + concept);
        } else if (form.includes(' ')) {
          const existing = this.phrases.find((p) => p.text === form && p.concepts.length > 0);
          if (existing) existing.concepts.push(CONCEPT + concept);
          else this.phrases.push({ text: form, concepts: [CONCEPT + concept] });
        } else {
          addConcept(this.forms, form, CONCEPT + concept);
        }
      }
    }
    this.phrases.sort((a, b) => b.text.length - a.text.length);
    for (const p of this.phrases) {
      const first = p.text.slice(0, p.text.indexOf(' '));
      const list = this.phrasesByFirst.get(first) ?? [];
      list.push(p);
      this.phrasesByFirst.set(first, list);
    }
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
    const normal = normalize(text);
    let rest = ` ${normal} `;
    const terms: string[] = [];
    for (const phrase of this.phrasesIn(normal)) {
      // A conjunction joins a phrase to what came before ("وراتب الضمان"): the phrase is still whole.
      for (const lead of PHRASE_CONJUNCTIONS) {
        const needle = ` ${lead}${phrase.text} `;
        while (rest.includes(needle)) {
          terms.push(...phrase.concepts);
          rest = rest.replace(needle, ' | ');
        }
      }
    }
    const tokens = rest.split(' ');
    // A message with one word of Arabizi ("wsh 5adamatkm") is written so throughout: its other Latin
    // words ("tgdmon") may be Arabizi without a digit, where English has no reading for them.
    const rules = this.data.arabizi;
    const arabiziMessage = rules !== undefined && tokens.some((t) => looksArabizi(t, rules));
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (!token || token === '|') continue;
      if (this.markers.has(token) && tokens[i + 1] && tokens[i + 1] !== '|') {
        if (terms.length > 0 && this.markerAbsorbs.has(terms[terms.length - 1]!)) terms.pop();
        terms.push(this.markerConcept);
        i++;
        continue;
      }
      if (this.organisationWords.has(token)) {
        let end = i + 1;
        while (end < tokens.length && this.namePart(tokens[end]!)) end++;
        if (end > i + 1) {
          terms.push(this.organisationConcept);
          i = end - 1;
          continue;
        }
      }
      terms.push(...(arabiziMessage ? this.inArabiziMessage(token) : this.term(token)));
    }
    // A reply of "👍" or "🙏🌹" is thanks, "⭐⭐⭐⭐⭐" a rating: the pictographs the lexicon lists count once
    // each; the rest (most of them: 😂, 🌸) say nothing about what the person wants.
    if (this.pictographs.size > 0) for (const picture of new Set(text.match(PICTOGRAPH))) terms.push(...(this.pictographs.get(picture) ?? []));
    const content = terms.filter((t) => !this.courtesy.has(t));
    return content.length > 0 ? content : terms;
  }

  /** The phrases that may occur in a (normalised) message: those starting with one of its words, longest first. */
  private phrasesIn(normal: string): { text: string; concepts: string[] }[] {
    const found: { text: string; concepts: string[] }[] = [];
    const seen = new Set<string>();
    for (const word of new Set(normal.split(' '))) {
      const firsts = PHRASE_CONJUNCTIONS.some((c) => c && word.length > 2 && word.startsWith(c)) ? [word, word.slice(1)] : [word];
      for (const first of firsts) {
        if (seen.has(first)) continue;
        seen.add(first);
        const list = this.phrasesByFirst.get(first);
        if (list) found.push(...list);
      }
    }
    return found.length > 1 ? found.sort((a, b) => b.text.length - a.text.length) : found;
  }

  /** The concept that names another organisation, when the lexicon has one. */
  get elsewhereConcept(): string | undefined {
    return this.data.elsewhere ? CONCEPT + this.data.elsewhere.concept : undefined;
  }

  /** Whether naming another organisation leaves this intent answerable. */
  answersDespiteElsewhere(intent: string): boolean {
    return this.data.elsewhere?.except?.includes(intent) ?? false;
  }

  /** Whether the message speaks to the association ("عندكم", "انتم", "الجمعيه"), clitics stripped. */
  addressesUs(text: string): boolean {
    for (const token of normalize(text).split(' ')) {
      if (this.stems(token).some((s) => this.addressed.has(s))) return true;
    }
    return false;
  }

  /** A fixed weight for a concept term, if the lexicon sets one. */
  fixedWeight(term: string): number | undefined {
    return term.startsWith(CONCEPT) ? this.data.weights?.[term.slice(1)] : undefined;
  }

  /** Every concept term with a fixed weight. */
  fixedWeights(): [string, number][] {
    return Object.entries(this.data.weights ?? {}).map(([concept, w]) => [CONCEPT + concept, w]);
  }

  /** A word of a message written in Arabizi: a Latin word the lexicon does not know is read through its Arabic spellings, if they say one thing. */
  private inArabiziMessage(token: string): string[] {
    const reading = this.term(token);
    if (!/^[a-z]+$/.test(token) || reading.length !== 1 || reading[0]!.startsWith(CONCEPT) || this.known.has(reading[0]!)) return reading;
    return this.spelledInArabic(token)?.reading ?? reading;
  }

  /** Whether a word can be part of an organisation's name: unknown to the lexicon and the knowledge base, or of a `names` concept. */
  private namePart(token: string): boolean {
    if (!token || token === '|') return false;
    const reading = this.term(token);
    if (reading.length !== 1) return false;
    const [t] = reading as [string];
    return t.startsWith(CONCEPT) ? this.nameConcepts.has(t) : !this.known.has(t) && !this.stop.has(t);
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
    // A word the lexicon knows as written is that word, even when it also reads as a preposition and a
    // function word ("بلديه" is a municipality, not "ب" + "لديه").
    const whole = this.forms.get(token);
    if (whole) return whole;
    // Arabic typed in Latin letters ("3ndkom", "t7mon"): what its likeliest Arabic spellings the lexicon
    // knows as written say, when they agree; a word two ways ("5adamatkm": خدماتكم or خادماتكم) is not
    // guessed (an unknown word); a word no spelling of which is known is read as its fullest spelling
    // is, typos included.
    if (this.data.arabizi && looksArabizi(token, this.data.arabizi)) {
      const spelled = this.spelledInArabic(token);
      if (spelled) return spelled.reading ?? (spelled.ambiguous ? [this.stemOf(spelled.fullest)] : this.resolve(spelled.fullest));
    }
    // A function word with a conjunction or preposition on it ("وما", "ومن", "فهل") is still a function
    // word, however short what is left (stems keep at least minStem letters, so they would miss it).
    if (this.conjoinedStopword(token)) return [];
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
      if (same && this.guessable(same)) return same;
    }
    // Fast typing doubles a letter ("خيرر", "صباحوو", "عليكمم"); Arabic writes a doubled letter once
    // (with a shadda), so the word written with it once is the word meant, greetings included.
    if (looksArabic(token)) {
      for (const once of singled(token)) {
        const known = this.knownAsWritten(once);
        if (known) return known;
      }
    }
    // Two words typed without the space between them ("ابيقدم", "غيرالسعودي", "وشالجمعيه"): each part
    // a word the lexicon knows as written, so a misspelling of one word is not split into two.
    const parts = this.runTogether(token);
    if (parts) return parts;
    const stem = this.stemOf(token);
    // A misspelt word ("الشروت", "documants") is read as the nearest known word, if one is close.
    for (const c of candidates) {
      if (c.length < this.settings.fuzzyMinLength) continue;
      const distance = c.length >= this.settings.fuzzy2MinLength ? 2 : 1;
      const near = this.known.fuzzyGet(c, distance);
      let best: { value: string[]; d: number } | undefined;
      for (const [key, [value, d]] of near) {
        if (d === 0 && key === c) return value;
        if (!this.guessable(value)) continue;
        // Ties go to the shorter known word: usually the stem rather than a longer relative.
        if (!best || d < best.d) best = { value, d };
      }
      if (best) return best.value;
    }
    return [stem];
  }

  /**
   * What the likeliest Arabic spellings of a Latin word say, for those the lexicon knows as written:
   * `reading` when they agree; `ambiguous` when they disagree (two words it may be: not guessed);
   * neither when no spelling is known. `fullest`: the spelling that writes every vowel. Undefined when
   * the word has no Arabic spelling.
   */
  private spelledInArabic(token: string): { reading?: string[]; ambiguous?: true; fullest: string } | undefined {
    const groups = this.data.arabizi ? arabiziSpellings(token, this.data.arabizi) : [];
    const fullest = groups[0]?.[0];
    if (fullest === undefined) return undefined;
    for (const group of groups) {
      const readings = new Map<string, string[]>();
      for (const spelling of group) {
        const known = this.knownAsWritten(spelling);
        if (known) readings.set(known.join(' '), known);
      }
      if (readings.size > 1) return { ambiguous: true, fullest };
      const [reading] = readings.values();
      if (reading) return { reading, fullest };
    }
    return { fullest };
  }

  /** The reading of a word the lexicon knows as written, clitics aside (no guessing); undefined if none. */
  private knownAsWritten(word: string): string[] | undefined {
    if (this.conjoinedStopword(word)) return [];
    for (const c of this.stems(word)) {
      if (this.stop.has(c)) return [];
      const known = this.known.get(c);
      if (known) return known;
    }
    return undefined;
  }

  /** Two known words run together, read as both; undefined unless every split into two known parts reads the same. */
  private runTogether(token: string): string[] | undefined {
    if (token.length < 5 || !looksArabic(token)) return undefined;
    let found: string[] | undefined;
    for (let at = 2; at <= token.length - 3; at++) {
      const left = this.knownAsWritten(token.slice(0, at));
      const right = left && this.knownAsWritten(token.slice(at));
      if (!left || !right) continue;
      const reading = [...left, ...right];
      // Two splits that read differently: which words were meant is a guess, and a guess is not made.
      if (found && found.join(' ') !== reading.join(' ')) return undefined;
      found = reading;
    }
    return found;
  }

  /**
   * Whether a misspelling may be read as this known word. A greeting is short and near many words
   * ("الصلاه" ~ "السلام"), and another organisation's name near ours ("جامعيه" ~ "جامعه"): those are
   * never guessed, only read as written.
   */
  private guessable(value: string[]): boolean {
    const elsewhere = this.elsewhereConcept;
    return !value.some((t) => this.courtesy.has(t) || t === elsewhere);
  }

  /** "و"/"ف"/"ب"/"ل" + a function word. */
  private conjoinedStopword(token: string): boolean {
    return token.length > 2 && CONJUNCTIONS.has(token[0]!) && this.stop.has(token.slice(1));
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

  /**
   * The word, then the word without its prefix (و، ال، ب...), then without its suffix too: every reading
   * the lexicon may know. A prefix goes first: "ويبي" is "و" + "يبي" (he wants), not "ويب" + "ي".
   */
  private stems(token: string): string[] {
    const rules = looksArabic(token) ? this.data.affixes.ar : this.data.affixes.en;
    const out = [token];
    for (const p of rules.prefixes) {
      // "لل" is "ل" + "ال" with the alef dropped: "للبت" is "ل" + "البت", "للخبر" is "ل" + "الخبر" (the
      // city, not "خبر" news), so that reading comes first.
      if (p.endsWith('لل') && token.startsWith(p) && token.length - p.length >= 2) {
        const withArticle = `ال${token.slice(p.length)}`;
        if (!out.includes(withArticle)) out.push(withArticle);
      }
      if (token.startsWith(p) && token.length - p.length >= rules.minStem) {
        const base = token.slice(p.length);
        if (!out.includes(base)) out.push(base);
      }
    }
    const tied: string[] = [];
    for (const base of [...out]) {
      for (const s of rules.suffixes) {
        if (base.endsWith(s) && base.length - s.length >= rules.minStem) {
          const stem = base.slice(0, -s.length);
          if (!out.includes(stem)) out.push(stem);
          // A ta marbuta is written ت before a suffix: "رؤيتها" is "رؤيه" + "ها", "عائلتي" is "عائله" + "ي".
          if (stem.endsWith('ت')) tied.push(`${stem.slice(0, -1)}ه`);
        }
      }
    }
    // An accusative ending "اً" loses its tanween to normalisation and keeps its alef: "فرصاً" is "فرص".
    if (looksArabic(token) && token.endsWith('ا') && token.length - 1 >= rules.minStem) tied.push(token.slice(0, -1));
    for (const t of tied) if (!out.includes(t)) out.push(t);
    return out;
  }
}

/** The word with one of its doubled letters written once, for each doubled letter in it. */
function singled(word: string): string[] {
  const out: string[] = [];
  for (let i = 1; i < word.length; i++) if (word[i] === word[i - 1]) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** Files `concept` under `key` once. */
function addConcept(map: Map<string, string[]>, key: string, concept: string): void {
  const concepts = map.get(key) ?? [];
  if (!concepts.includes(concept)) concepts.push(concept);
  map.set(key, concepts);
}

const CONJUNCTIONS = new Set(['و', 'ف', 'ب', 'ل']);

const SOUND_ALIKE: Record<string, string> = { ط: 'ت', ض: 'د', ظ: 'د', ذ: 'ز', ث: 'س', ص: 'س' };

/** A word with the letters people confuse in writing folded to one (for matching misspellings only). */
export function soundKey(word: string): string {
  return word.replace(/[طضظذثص]/g, (ch) => SOUND_ALIKE[ch] ?? ch);
}

export function isConcept(term: string): boolean {
  return term.startsWith(CONCEPT);
}
