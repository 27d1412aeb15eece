import MiniSearch, { type Options } from 'minisearch';
import type { Locale } from '../core/types';
import type { Variant } from './knowledge';
import type { Lexicon } from './lexicon';
import type { Intent, IntentKind, Understander, Understanding } from './types';
import { NOT_UNDERSTOOD } from './types';

interface Doc {
  id: number;
  intent: string;
  kind: IntentKind;
  terms: string;
}

/** What the matcher found for one intent: its best variant's score and how much of the message it explains. */
export interface Scored {
  intent: string;
  kind: IntentKind;
  /** BM25 score of the intent's best variant (MiniSearch). */
  score: number;
  /** Weighted share (0..1) of the message's terms found in the intent's variants. */
  coverage: number;
  /** Total weight of those terms. */
  evidence: number;
  /** Best share (0..1) of one of the intent's variants, by weight, that the message says. */
  fit: number;
}

/**
 * FAQ and intent matching. MiniSearch ranks the knowledge base's variants (BM25 over lexicon terms);
 * confidence comes from how much of the message the best intent explains, weighted so that rare,
 * telling words count more and words the knowledge base has never seen count most (off-topic
 * messages are mostly such words).
 */
export class FaqMatcher implements Understander {
  private readonly search: MiniSearch<Doc>;
  /** One document per intent (all its variants): rewards intents that use a word often. */
  private readonly intents: MiniSearch<Doc>;
  /** term -> weight (inverse intent frequency) */
  private readonly weights = new Map<string, number>();
  private readonly unknownWeight: number;
  /** Term set of a way of asking -> the intents asked that way (a message saying exactly that is certain). */
  private readonly exact = new Map<string, Set<string>>();
  /** Doc id -> the weight of the variant's distinct terms (summed once here, not per message). */
  private readonly docWeight: number[] = [];
  /** Intents by index (the order they first appear; also their document ids in `intents`). */
  private readonly intentNames: string[] = [];
  private readonly intentKinds: IntentKind[] = [];
  /** Doc id -> its intent's index. */
  private readonly docIntent: number[] = [];
  /** Term -> the indexes of the intents some variant of which uses it. */
  private readonly termIntents = new Map<string, Int32Array>();
  /** Per-intent working arrays for `rank`, reused (a message is ranked synchronously, one at a time). */
  private readonly scratch: { score: Float64Array; fit: Float64Array; evidence: Float64Array; intentScore: Float64Array; first: Int32Array };
  /** Per-variant working arrays for `rank`, left zeroed after each message. */
  private readonly docScratch: { raw: Float64Array; matched: Int32Array; said: Float64Array };
  /**
   * Each word's MiniSearch results (variant ids, scores), asked once when the matcher is built: the
   * index never changes afterwards, and asking MiniSearch for a whole message builds and sorts a
   * result object per matching variant (about 900 on a 500-entry knowledge base). The variants come in
   * the order MiniSearch meets them (by id: added in order, none removed), so summing them per message
   * reproduces its OR search exactly, ties included (test/nlu/matcher.test.ts holds it to that).
   */
  private readonly postings = new Map<string, { docs: Int32Array; scores: Float64Array }>();

  constructor(
    private readonly lexicon: Lexicon,
    variants: readonly Variant[],
  ) {
    const options: Options<Doc> = {
      fields: ['terms'],
      tokenize: (text: string) => text.split(' ').filter(Boolean),
      processTerm: (term: string) => term,
      searchOptions: { combineWith: 'OR' as const, prefix: false, fuzzy: false },
    };
    this.search = new MiniSearch<Doc>(options);
    this.intents = new MiniSearch<Doc>(options);
    // First pass: learn the knowledge base's own words (for typo correction); second: index with all known.
    for (const v of variants) for (const t of lexicon.analyze(v.text)) lexicon.learn(t);
    lexicon.forget();
    const docs: Doc[] = [];
    const intentsOf = new Map<string, Set<string>>();
    variants.forEach((v, i) => {
      const terms = lexicon.analyze(v.text);
      for (const t of terms) {
        let set = intentsOf.get(t);
        if (!set) intentsOf.set(t, (set = new Set()));
        set.add(v.intent);
      }
      docs.push({ id: i, intent: v.intent, kind: v.kind, terms: terms.join(' ') });
    });
    this.search.addAll(docs);
    const grouped = new Map<string, Doc>();
    for (const d of docs) {
      const g = grouped.get(d.intent);
      if (g) g.terms += ` ${d.terms}`;
      else grouped.set(d.intent, { ...d, id: grouped.size });
    }
    // Whole intents are ranked only when the lexicon asks for them (granularity): otherwise the index stays empty.
    if (lexicon.settings.granularity !== 'variant') this.intents.addAll([...grouped.values()]);
    for (const g of grouped.values()) {
      this.intentNames.push(g.intent);
      this.intentKinds.push(g.kind);
    }
    for (const d of docs) this.docIntent[d.id] = grouped.get(d.intent)!.id;
    for (const [term, set] of intentsOf) this.termIntents.set(term, Int32Array.from(set, (intent) => grouped.get(intent)!.id));
    for (const term of intentsOf.keys()) {
      const results = this.search.search(term).sort((x, y) => (x.id as number) - (y.id as number));
      this.postings.set(term, { docs: Int32Array.from(results, (r) => r.id as number), scores: Float64Array.from(results, (r) => r.score) });
    }
    const n = this.intentNames.length;
    this.scratch = { score: new Float64Array(n), fit: new Float64Array(n), evidence: new Float64Array(n), intentScore: new Float64Array(n), first: new Int32Array(n) };
    this.docScratch = { raw: new Float64Array(docs.length), matched: new Int32Array(docs.length), said: new Float64Array(docs.length) };
    const intentCount = new Set(variants.map((v) => v.intent)).size;
    for (const [term, set] of intentsOf) this.weights.set(term, Math.log((intentCount + 1) / (set.size + 0.5)));
    // Concepts the lexicon weighs itself (a city everyone lives in says little, however rare in the KB).
    for (const [term, w] of lexicon.fixedWeights()) this.weights.set(term, w);
    this.unknownWeight = lexicon.settings.unknownWeight;
    for (const d of docs) this.docWeight[d.id] = [...new Set(d.terms.split(' ').filter(Boolean))].reduce((sum, t) => sum + this.weight(t), 0);
    for (const d of docs) {
      const key = signature(d.terms.split(' '));
      const owners = this.exact.get(key) ?? new Set<string>();
      owners.add(d.intent);
      this.exact.set(key, owners);
    }
  }

  /** Every intent the message touches, best first (for the eval tool and tests). */
  rank(text: string): { terms: string[]; reading: string[]; ranked: Scored[] } {
    const reading = this.lexicon.analyze(text);
    const terms = [...new Set(reading)];
    if (terms.length === 0) return { terms, reading, ranked: [] };
    // Only words the knowledge base does not know can be story (and most messages have none).
    const story = terms.every((t) => this.weights.has(t)) ? NO_TERMS : this.storyTerms(text);
    const total = Math.min(
      terms.reduce((sum, t) => sum + (story.has(t) ? 0 : this.weight(t)), 0),
      this.lexicon.settings.coverageCap,
    );
    // Per variant: MiniSearch's OR score (each word's score summed in the message's order, times the
    // number of words matched, as MiniSearch combines them), and the weight of the words it shares.
    const { raw, matched, said } = this.docScratch;
    const touched: number[] = [];
    for (const t of terms) {
      const p = this.postings.get(t);
      if (!p) continue;
      const w = this.weight(t);
      for (let k = 0; k < p.docs.length; k++) {
        const d = p.docs[k]!;
        if (matched[d] === 0) touched.push(d);
        raw[d]! += p.scores[k]!;
        matched[d]! += 1;
        said[d]! += w;
      }
    }
    // Per intent: its best variant's score, and its best variant's fit (the share of that way of asking the message says).
    const n = this.intentNames.length;
    const score = this.scratch.score.fill(-1);
    const fit = this.scratch.fit.fill(0);
    /** Intent -> where its best variant stands in MiniSearch's result order (which breaks exact ties). */
    const first = this.scratch.first;
    const order: number[] = [];
    touched.forEach((d, i) => {
      const at = this.docIntent[d]!;
      const s = raw[d]! * matched[d]!;
      const ownWeight = this.docWeight[d]!;
      const f = ownWeight > 0 ? Math.min(1, said[d]! / ownWeight) : 0;
      if (score[at]! < 0) order.push(at);
      if (s > score[at]!) {
        score[at] = s;
        first[at] = i;
      }
      if (f > fit[at]!) fit[at] = f;
      raw[d] = 0;
      matched[d] = 0;
      said[d] = 0;
    });
    // The weight of the message's terms each intent uses somewhere (the terms its variants matched, counted once).
    const evidence = this.scratch.evidence.fill(0);
    for (const t of terms) {
      const owners = this.termIntents.get(t);
      if (!owners) continue;
      const w = this.weight(t);
      for (let k = 0; k < owners.length; k++) evidence[owners[k]!]! += w;
    }
    const mode = this.lexicon.settings.granularity;
    const intentScore = this.scratch.intentScore.fill(0);
    if (mode !== 'variant') for (const r of this.intents.search(terms.join(' '))) intentScore[r.id as number] = r.score;
    let topVariant = 1e-9;
    let topIntent = 1e-9;
    for (const at of order) topVariant = Math.max(topVariant, score[at]!);
    for (let at = 0; at < n; at++) topIntent = Math.max(topIntent, intentScore[at]!);
    const ranked: Scored[] = order.map((at) => {
      const s = mode === 'variant' ? score[at]! : mode === 'intent' ? intentScore[at]! : score[at]! / topVariant + intentScore[at]! / topIntent;
      return { intent: this.intentNames[at]!, kind: this.intentKinds[at]!, score: s, coverage: total > 0 ? Math.min(1, evidence[at]! / total) : 0, evidence: evidence[at]!, fit: fit[at]! };
    });
    // Each intent's ranking value once (not once per comparison: a large knowledge base ranks hundreds).
    const values = ranked.map((x, i) => ({ x, value: this.value(x), first: first[order[i]!]! }));
    values.sort((a, b) => b.value - a.value || b.x.score - a.x.score || a.first - b.first);
    return { terms, reading, ranked: values.map((v) => v.x) };
  }

  /**
   * Words said only in sentences that share no word with the knowledge base ("زوجي الله يرحمه توفى من
   * سنتين"), when another sentence of the message does: that is the story around the question, and it
   * does not make the question look off-topic. A message with one sentence has no story.
   */
  private storyTerms(text: string): ReadonlySet<string> {
    const clauses = text.split(CLAUSE);
    if (clauses.length < 2) return NO_TERMS;
    const story = new Set<string>();
    const asked = new Set<string>();
    for (const clause of clauses) {
      const terms = this.lexicon.analyze(clause);
      if (terms.some((t) => this.weights.has(t))) for (const t of terms) asked.add(t);
      else for (const t of terms) story.add(t);
    }
    if (asked.size === 0) return NO_TERMS;
    for (const t of asked) story.delete(t);
    return story;
  }

  /** The locale does not matter: the lexicon maps Arabic and English words to the same concepts. */
  understand(text: string, _locale?: Locale): Understanding {
    return this.read(text).understanding;
  }

  /**
   * What the matcher makes of a message, with the ranking behind it (`reading`: the lexicon's terms in
   * order, repeats kept). `settled`: the matcher is sure by
   * rule, not by score (said exactly as one intent's way of asking, or about another organisation), and
   * no second opinion should change it.
   */
  read(text: string): { understanding: Understanding; reading: string[]; ranked: Scored[]; settled: boolean } {
    const { terms, reading, ranked } = this.rank(text);
    const best = ranked[0];
    if (!best) return { understanding: NOT_UNDERSTOOD, reading, ranked, settled: false };
    // About another organisation (its phone, its application status) and not addressed to us: not ours to answer.
    const elsewhere = this.lexicon.elsewhereConcept;
    if (elsewhere && terms.includes(elsewhere) && !this.lexicon.answersDespiteElsewhere(best.intent) && !this.lexicon.addressesUs(text)) {
      return { understanding: { confidence: 'low', best: { kind: best.kind, id: best.intent, score: round(best.coverage) }, candidates: [] }, reading, ranked, settled: true };
    }
    // Said exactly as one (and only one) intent's way of asking, once read through the lexicon.
    const owners = this.exact.get(signature(terms));
    if (owners?.size === 1) {
      const [id] = owners;
      const hit = ranked.find((r) => r.intent === id)!;
      const intent: Intent = { kind: hit.kind, id: hit.intent, score: 1 };
      return { understanding: { confidence: 'high', best: intent, candidates: [intent] }, reading, ranked, settled: true };
    }
    return { understanding: this.judge(ranked), reading, ranked, settled: false };
  }

  /** Confidence from the ranking: how much of the message the best intent explains, and how far ahead it is. */
  private judge(ranked: Scored[]): Understanding {
    const best = ranked[0]!;
    const s = this.lexicon.settings;
    const value = (x: Scored) => this.value(x);
    const intent = (x: Scored): Intent => ({ kind: x.kind, id: x.intent, score: round(x.coverage) });
    const candidates = ranked
      .filter((x) => x.coverage >= s.medium && value(x) >= s.candidateRatio * value(best) && x.evidence >= s.minEvidence)
      .slice(0, 3)
      .map(intent);
    if (best.evidence < s.minEvidence || best.coverage < s.medium) return { confidence: 'low', best: intent(best), candidates: [] };
    const runnerUp = ranked[1];
    const close = runnerUp !== undefined && value(runnerUp) > s.margin * value(best);
    if (best.coverage >= s.high && !close) return { confidence: 'high', best: intent(best), candidates: [intent(best)] };
    return { confidence: 'medium', best: intent(best), candidates };
  }

  /** Ranking value: BM25 score times how much of the message the intent explains (and how whole a way of asking it is). */
  value(x: Scored): number {
    const f = this.lexicon.settings.fitWeight ?? 0;
    return x.score * x.coverage * (1 - f + f * x.fit);
  }

  private weight(term: string): number {
    return this.weights.get(term) ?? this.unknownWeight;
  }
}

const NO_TERMS: ReadonlySet<string> = new Set();

/** Where one sentence of a message ends: Arabic and Latin sentence punctuation, new lines. */
const CLAUSE = /[\u060C\u061B\u061F\u06D4.,;:!?\n]+/;

function signature(terms: string[]): string {
  return [...new Set(terms.filter(Boolean))].sort().join(' ');
}

export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
