import { writeFileSync } from 'node:fs';
import MiniSearch from 'minisearch';
import path from 'node:path';
import { stringify } from 'yaml';
import { Lexicon, type LexiconData } from '../../src/nlu/lexicon';
import { lexicon, settings, variants } from './smallKb';
import { FaqMatcher } from '../../src/nlu/matcher';
import { loadUnderstanding } from '../../src/nlu/index';
import type { Variant } from '../../src/nlu/knowledge';
import { tempDir } from '../support/app';
import { NLU_CACHE_DIR } from '../support/nluCache';


describe('lexicon', () => {
  const lex = lexicon();
  it('reads dialect and English synonyms as one concept, with clitics stripped', () => {
    expect(lex.analyze('والمستندات')).toEqual(['#doc']);
    expect(lex.analyze('papers')).toEqual(['#doc']);
  });
  it('drops function words, and greetings when the message says more', () => {
    expect(lex.analyze('السلام عليكم وش الاوراق')).toEqual(['#doc']);
    expect(lex.analyze('السلام عليكم')).toEqual(['#greet']);
  });
  it('reads letters people write for one another (ط/ت, ص/س, ض/ظ/د, ذ/ز) as the word that sounds the same', () => {
    const lex2 = lexicon({ concepts: { cond: ['شروط'], pic: ['صوره'] } });
    expect(lex2.analyze('شروت')).toEqual(['#cond']);
    expect(lex2.analyze('سوره')).toEqual(['#pic']);
  });
  it('removes a phrase of function words whole', () => {
    const lex2 = lexicon({ stopwords: ['ابي اعرف', 'وش'] });
    expect(lex2.analyze('ابي اعرف وش الاوراق')).toEqual(['#doc']);
  });
  it('never guesses a greeting from a misspelt word (it would be dropped as courtesy)', () => {
    const lex2 = lexicon({ concepts: { greet: ['السلام'], doc: ['اوراق'] } });
    expect(lex2.analyze('الصلاه')).not.toContain('#greet');
  });
  it('reads the pictographs a concept lists as its word, once each, and ignores the rest', () => {
    const lex2 = lexicon({ concepts: { thanks: ['شكرا', '🙏'], rating: ['تقييم', '⭐'], doc: ['اوراق'] } });
    expect(lex2.analyze('⭐⭐⭐⭐⭐')).toEqual(['#rating']);
    expect(lex2.analyze('🙏🏻🌹')).toEqual(['#thanks']);
    expect(lex2.analyze('😂😂')).toEqual([]);
    expect(lex2.analyze('وش الاوراق 😅')).toEqual(['#doc']);
  });
  it('corrects a word one letter away from a known word', () => {
    expect(lex.analyze('مستنددات')).toEqual(['#doc']);
    expect(lex.analyze('voluntear')).toEqual(['#volunteer']);
  });
  it('reads a list shared by several concepts (a YAML alias) as each one\'s words', () => {
    const file = path.join(tempDir('nabta-lexicon-'), 'lexicon.yaml');
    const data = { settings, affixes: { ar: { prefixes: [], suffixes: [], minStem: 3 }, en: { prefixes: [], suffixes: [], minStem: 3 } }, stopwords: [], courtesy: [] };
    writeFileSync(file, `${stringify(data)}concepts:\n  eligib: [&must [لازم اسكن بالحفر], شروط]\n  hafr: [*must, الحفر]\n`);
    const lex2 = Lexicon.load(file);
    expect(lex2.analyze('لازم اسكن بالحفر')).toEqual(['#eligib', '#hafr']);
    expect(lex2.analyze('الحفر')).toEqual(['#hafr']);
  });
  it('reads a letter typed twice as written once, greetings included ("خيرر", "صباحوو")', () => {
    const lex2 = lexicon({ concepts: { greet: ['صباحو', 'مسا الخير'], doc: ['اوراق'] } });
    expect(lex2.analyze('صباحوو')).toEqual(['#greet']);
    expect(lex2.analyze('اوراقق')).toEqual(['#doc']);
    // Not a guess: a word no doubled letter explains stays as written.
    expect(lex2.analyze('الصلاه')).not.toContain('#greet');
  });
  it('reads two known words typed without a space as both ("ابيقدم", "غيرالسعودي"), and only when the split is unambiguous', () => {
    const lex2 = lexicon({ stopwords: ['ابي', 'وش'], concepts: { apply: ['اقدم', 'قدم'], saudi: ['سعودي'], other: ['غير'], doc: ['اوراق'] } });
    expect(lex2.analyze('ابياقدم')).toEqual(['#apply']);
    expect(lex2.analyze('غيرالسعودي')).toEqual(['#other', '#saudi']);
    expect(lex2.analyze('وشالاوراق')).toEqual(['#doc']);
    // An unknown word that no split reads as two known words stays as written.
    expect(lex2.analyze('ابيقدم')).toEqual(['#apply']);
    expect(lex2.analyze('كمبيوتر')).toEqual(['كمبيوتر']);
  });
  it('strips a prefix before a suffix: "ويبي" is "و" + "يبي" (wants), not "ويب" (web) + "ي"', () => {
    const lex2 = lexicon({ concepts: { want: ['يبي'], website: ['ويب'] } });
    expect(lex2.analyze('ويبي')).toEqual(['#want']);
  });
  it('reads a function word with a conjunction on it ("وما", "ومن") as a function word', () => {
    const lex2 = lexicon({ stopwords: ['ما', 'من'] });
    expect(lex2.analyze('وما')).toEqual([]);
    expect(lex2.analyze('ومن الاوراق')).toEqual(['#doc']);
  });
  it('reads an accusative "اً" without its alef: "فرصاً" is "فرص"', () => {
    const lex2 = lexicon({ concepts: { opportunity: ['فرص'] } });
    expect(lex2.analyze('فرصاً')).toEqual(['#opportunity']);
  });
  it('reads a ta marbuta written ت before a suffix: "رؤيتها" is "رؤيه" + "ها"', () => {
    const lex2 = lexicon({ concepts: { goal: ['رؤيه'] }, affixes: { ar: { prefixes: ['و'], suffixes: ['ها', 'ي'], minStem: 3 }, en: { prefixes: [], suffixes: [], minStem: 3 } } });
    expect(lex2.analyze('ورؤيتها')).toEqual(['#goal']);
  });
  it('reads a phrase whose first word carries a conjunction ("وراتب الضمان") as the phrase', () => {
    const lex2 = lexicon({ courtesy: ['greet', 'situation'], concepts: { situation: ['راتب الضمان'], money: ['راتب'], otherorg: ['الضمان'], doc: ['اوراق'] } });
    expect(lex2.analyze('وراتب الضمان ما يكفي وش الاوراق')).toEqual(['ما', 'يكف', '#doc']);
    expect(lex2.analyze('فراتب الضمان')).toEqual(['#situation']);
  });
  it('reads "لل" as "ل" + "ال": "للبت" is "البت", and "للخبر" is the city "الخبر" before the word "خبر"', () => {
    const affixes = { ar: { prefixes: ['لل', 'ال', 'ل'], suffixes: [], minStem: 3 }, en: { prefixes: [], suffixes: [], minStem: 3 } };
    const lex2 = lexicon({ affixes, concepts: { decision: ['البت', 'خبر'], place: ['الخبر'] } });
    expect(lex2.analyze('للبت')).toEqual(['#decision']);
    expect(lex2.analyze('للخبر')).toEqual(['#place']);
    expect(lex2.analyze('لخبر')).toEqual(['#decision']);
  });
  it('reads a name after a marker ("بحي الخالديه") as the story, dropped when the message asks something', () => {
    const lex2 = lexicon({ nameMarkers: { concept: 'situation', words: ['بحي', 'حي'] }, courtesy: ['greet', 'situation'], concepts: { situation: ['ارمله'], area: ['حي'], doc: ['اوراق'] } });
    expect(lex2.analyze('ساكنه بحي الخالديه وش الاوراق')).toEqual(['ساكن', '#doc']);
    expect(lex2.analyze('بحي الخالديه')).toEqual(['#situation']);
    // Without a name after it, the marker is the word it always was.
    expect(lex2.analyze('حي')).toEqual(['#area']);
  });
  it('reads living somewhere, said just before a marker ("ساكن بحي النايفيه"), as part of the story', () => {
    const lex2 = lexicon({ nameMarkers: { concept: 'situation', words: ['بحي', 'ابو'], absorbs: ['live'] }, courtesy: ['greet', 'situation'], concepts: { live: ['ساكن'], doc: ['اوراق'] } });
    expect(lex2.analyze('ساكن بحي النايفيه وش الاوراق')).toEqual(['#doc']);
    expect(lex2.analyze('انا ابو محمد ساكن بحي النايفيه')).toEqual(['انا']);
    // Living somewhere without a marker after it is still living there (a service-area question).
    expect(lex2.analyze('ساكن')).toEqual(['#live']);
  });
  it('never guesses another organisation from a misspelt word ("جامعيه" is not "جامعه")', () => {
    const lex2 = lexicon({ elsewhere: { concept: 'otherorg', addressed: ['عندكم'] }, concepts: { otherorg: ['جامعه'] } });
    expect(lex2.analyze('جامعه')).toEqual(['#otherorg']);
    expect(lex2.analyze('جامعيه')).not.toContain('#otherorg');
  });
  it('reads a word it knows as written before reading it as a preposition and a function word ("بلديه" is not "ب" + "لديه")', () => {
    const lex2 = lexicon({ stopwords: ['وش', 'لديه'], concepts: { office: ['بلديه'] } });
    expect(lex2.analyze('رقم البلديه')).toContain('#office');
    expect(lex2.analyze('بلديه')).toEqual(['#office']);
    expect(lex2.analyze('ولديه')).toEqual([]);
  });

  it('reads "جمعية" followed by a name it does not know, or by circumstances, as another association; followed by known words, as usual', () => {
    const lex2 = lexicon({
      organisationNames: { concept: 'charityname', names: ['situation'], words: ['جمعيه', 'بجمعيه'] },
      concepts: { charityname: ['جمعية البر'], situation: ['ايتام'], assoc: ['جمعيه', 'الجمعيه'], where: ['وين'], aid: ['تساعد'] },
    });
    expect(lex2.analyze('جمعية التنمية الأسرية وين')).toEqual(['#charityname', '#where']);
    expect(lex2.analyze('مسجله بجمعية إكرام')).toContain('#charityname');
    expect(lex2.analyze('جمعية الأيتام وين')).toEqual(['#charityname', '#where']);
    expect(lex2.analyze('الجمعية وين')).toEqual(['#assoc', '#where']);
    expect(lex2.analyze('جمعيه تساعد')).toEqual(['#assoc', '#aid']);
  });
  it('reads Arabic typed in Latin letters with digits ("ab8a awra8", "mwa6af"), and does not guess a word that spells two ways', () => {
    const arabizi = {
      shortVowels: ['a', 'o'],
      letters: { '3': ['ع'], '5': ['خ'], '6': ['ط', 'ظ'], '8': ['ق', 'غ'], a: ['ا'], o: ['و'], b: ['ب'], w: ['و'], r: ['ر'], m: ['م'], f: ['ف'], d: ['د'], t: ['ت'], n: ['ن'], g: ['ق', 'ج'] },
    };
    const lex2 = lexicon({ arabizi, concepts: { want: ['ابغا'], doc: ['اوراق', 'documents'], staff: ['موظف'], service: ['خدمات'], maid: ['خادمات'], offer: ['تقدمون'] } });
    expect(lex2.analyze('ab8a awra8')).toEqual(['#want', '#doc']);
    expect(lex2.analyze('mwa6af')).toEqual(['#staff']);
    // خدمات (services) or خادمات (maids): the vowel does not say which.
    expect(lex2.analyze('5adamat')).not.toEqual(expect.arrayContaining([expect.stringMatching(/^#/)]));
    // A message with a word of Arabizi is Arabizi throughout: "tgdmon" (تقدمون) has no digit.
    expect(lex2.analyze('tgdmon awra8')).toEqual(['#offer', '#doc']);
    // Elsewhere, words without such a digit, and English, are read as before.
    expect(lex2.analyze('tgdmon')).toEqual(['tgdmon']);
    expect(lex2.analyze('documents')).toEqual(['#doc']);
  });
  it('knows when a message speaks to the association, clitics stripped', () => {
    const lex2 = lexicon({ elsewhere: { concept: 'otherorg', addressed: ['عندكم', 'الجمعيه'] } });
    expect(lex2.addressesUs('هل عندكم وظايف')).toBe(true);
    expect(lex2.addressesUs('رقم والجمعيه')).toBe(true);
    expect(lex2.addressesUs('رقم الدفاع المدني')).toBe(false);
  });
});

describe('confidence thresholds', () => {
  const matcher = new FaqMatcher(lexicon(), variants);

  it('high: the message is fully explained by one intent', () => {
    const u = matcher.understand('وش الاوراق');
    expect(u.confidence).toBe('high');
    expect(u.best).toMatchObject({ kind: 'faq', id: 'documents' });
  });

  it('high: a message saying exactly one way of asking, read through the lexicon', () => {
    expect(matcher.understand('وابي اتطوع').best?.id).toBe('volunteer');
    expect(matcher.understand('وابي اتطوع').confidence).toBe('high');
  });

  it('medium: a runner-up too close to the best (score ratio above `margin`) -> "did you mean", at most 3 choices', () => {
    // "الرد" is in both response-time and fees; the runner-up scores 0.86 of the best.
    expect(matcher.understand('الرد').confidence).toBe('high');
    const cautious = new FaqMatcher(lexicon({ settings: { ...settings, margin: 0.8 } }), variants);
    const u = cautious.understand('الرد');
    expect(u.confidence).toBe('medium');
    expect(u.candidates.map((c) => c.id).sort()).toEqual(['fees', 'response-time']);
    expect(u.candidates.length).toBeLessThanOrEqual(3);
  });

  it('medium: the best intent explains only part of the message', () => {
    const u = matcher.understand('الاوراق بالبريد السريع');
    expect(u.confidence).toBe('medium');
    expect(u.candidates[0]?.id).toBe('documents');
  });

  it('low: words the knowledge base never uses', () => {
    expect(matcher.understand('كم سعر الذهب اليوم').confidence).toBe('low');
    expect(matcher.understand('').confidence).toBe('low');
    expect(matcher.understand('😂😂').confidence).toBe('low');
  });

  it('the thresholds are data: raising `high` turns an answer into "did you mean"', () => {
    const strict = new FaqMatcher(lexicon({ settings: { ...settings, high: 1.01 } }), variants);
    expect(matcher.understand('وش الاوراق').confidence).toBe('high');
    expect(strict.understand('وش الاوراق').confidence).toBe('medium');
  });
});

describe('another organisation', () => {
  const lex2 = lexicon({
    elsewhere: { concept: 'otherorg', addressed: ['عندكم', 'لكم'] },
    stopwords: ['في', 'مو', 'عندكم'],
    concepts: { otherorg: ['الدفاع المدني', 'ابشر'], phone: ['رقم', 'جوال'], status: ['حاله'], request: ['طلب', 'طلبي'] },
  });
  const orgVariants: Variant[] = [
    { intent: 'contact', kind: 'faq', text: 'رقم جوال' },
    { intent: 'status', kind: 'flow', text: 'حالة طلبي' },
  ];
  const matcher = new FaqMatcher(lex2, orgVariants);
  it('does not answer a question about another organisation as ours', () => {
    expect(matcher.understand('رقم جوال').confidence).toBe('high');
    expect(matcher.understand('رقم جوال الدفاع المدني').confidence).toBe('low');
    expect(matcher.understand('حالة طلبي في ابشر').confidence).toBe('low');
  });
  it('answers the intents listed as exceptions (volunteering for a school\'s hours) even so', () => {
    const lex3 = lexicon({
      elsewhere: { concept: 'otherorg', addressed: ['عندكم'], except: ['volunteer'] },
      concepts: { otherorg: ['الجامعه'], volunteer: ['تطوع', 'نتطوع'] },
    });
    const m = new FaqMatcher(lex3, [...orgVariants, { intent: 'volunteer', kind: 'flow', text: 'تطوع' }]);
    expect(m.understand('نتطوع الجامعه').best?.id).toBe('volunteer');
    expect(m.understand('نتطوع الجامعه').confidence).not.toBe('low');
  });
  it('still matches when the message also speaks to us', () => {
    expect(matcher.understand('حالة طلبي عندكم مو في ابشر').best?.id).toBe('status');
    expect(matcher.understand('حالة طلبي عندكم مو في ابشر').confidence).not.toBe('low');
  });
});

describe('the story around a question', () => {
  const matcher = new FaqMatcher(lexicon({ settings: { ...settings, unknownWeight: 3 } }), variants);
  it('does not count a sentence that shares no word with the knowledge base, when another sentence does', () => {
    const alone = matcher.rank('وش الاوراق').ranked[0]!;
    const withStory = matcher.rank('زوجي توفى من سنتين وحالتنا صعبه، وش الاوراق؟').ranked[0]!;
    expect(withStory.intent).toBe('documents');
    expect(withStory.coverage).toBe(alone.coverage);
  });
  it('counts every word of a one-sentence message, and of a message no sentence of which the KB knows', () => {
    expect(matcher.rank('زوجي توفى وحالتنا صعبه وش الاوراق').ranked[0]!.coverage).toBeLessThan(0.5);
    expect(matcher.understand('كم سعر الذهب، والفضه؟').confidence).toBe('low');
  });
});

describe('concept weights', () => {
  it('a fixed weight makes a concept count less in the share of the message explained', () => {
    const base = lexicon({ concepts: { doc: ['اوراق'], hafr: ['الحفر'] } });
    const light = lexicon({ concepts: { doc: ['اوراق'], hafr: ['الحفر'] }, weights: { hafr: 0.2 } });
    const v: Variant[] = [
      { intent: 'documents', kind: 'faq', text: 'الاوراق' },
      { intent: 'area', kind: 'faq', text: 'الحفر' },
    ];
    const coverage = (lex: Lexicon) => new FaqMatcher(lex, v).rank('الاوراق الحفر').ranked.find((r) => r.intent === 'documents')!.coverage;
    expect(coverage(light)).toBeGreaterThan(coverage(base));
    expect(light.fixedWeight('#hafr')).toBe(0.2);
    expect(light.fixedWeight('#doc')).toBeUndefined();
  });
});

describe('fit: one way of asking said (nearly) whole', () => {
  const fitVariants: Variant[] = [
    { intent: 'apply', kind: 'flow', text: 'التسجيل' },
    { intent: 'volunteer', kind: 'flow', text: 'التسجيل تطوع' },
    { intent: 'volunteer', kind: 'flow', text: 'كيف تطوع' },
  ];
  const lex2 = (fitWeight: number) => lexicon({ settings: { ...settings, fitWeight }, concepts: { apply: ['التسجيل', 'اسجل'], how: ['كيف'], volunteer: ['تطوع'] } });
  it('measures how much of its closest variant the message says, and weighs it in the ranking', () => {
    // "كيف اسجل": volunteer covers both words, but only piecemeal (two variants, each with "تطوع" unsaid).
    const ranked = new FaqMatcher(lex2(1), fitVariants).rank('كيف اسجل').ranked;
    expect(ranked.find((r) => r.intent === 'apply')?.fit).toBe(1);
    expect(ranked.find((r) => r.intent === 'volunteer')!.fit).toBeLessThan(0.7);
    const off = new FaqMatcher(lex2(0), fitVariants);
    const on = new FaqMatcher(lex2(1), fitVariants);
    const vol = (m: FaqMatcher) => m.rank('كيف اسجل').ranked.find((r) => r.intent === 'volunteer')!;
    expect(on.value(vol(on))).toBeLessThan(off.value(vol(off)));
  });
});

describe('scores', () => {
  it("are MiniSearch's own: each intent scores what its best variant scores in MiniSearch's OR search of the message", () => {
    // The matcher asks MiniSearch once per word and sums the answers itself; this holds it to the whole search.
    const lex = lexicon({ settings: { ...settings, granularity: 'variant' } });
    const matcher = new FaqMatcher(lex, variants);
    const reference = new MiniSearch<{ id: number; terms: string }>({ fields: ['terms'], tokenize: (t) => t.split(' '), processTerm: (t) => t });
    reference.addAll(variants.map((v, id) => ({ id, terms: lex.analyze(v.text).join(' ') })));
    for (const message of ['متى الرد على الاوراق', 'رسوم الرد', 'required documents papers', 'متى', 'وش الاوراق المطلوبه ومتى الرد']) {
      const { terms, ranked } = matcher.rank(message);
      const best = new Map<string, number>();
      for (const r of reference.search(terms.join(' '))) {
        const intent = variants[r.id as number]!.intent;
        if (!best.has(intent)) best.set(intent, r.score);
      }
      expect(ranked.length).toBeGreaterThan(0);
      expect(new Map(ranked.map((r) => [r.intent, r.score]))).toEqual(best);
    }
  });
});

describe('the real knowledge base', () => {
  const { nlu } = loadUnderstanding(path.resolve(__dirname, '../../flows'), undefined, { cacheDir: NLU_CACHE_DIR });
  it.each([
    ['وش الاوراق المطلوبه', 'documents'],
    ['ابي اتطوع معكم', 'volunteer'],
    ['how long does the decision take', 'response-time'],
    ['انا مقيم هل يحق لي التسجيل', 'non-saudi'],
  ])('answers %s -> %s', (text, id) => {
    const u = nlu.understand(text, 'ar');
    expect(u.confidence).toBe('high');
    expect(u.best?.id).toBe(id);
  });
  it.each([
    ['شكرا لكم ما قصرتوا', 'greeting'],
    ['تعاملكم راقي والموظفة ما قصرت معي', 'feedback'],
    // Living in Hafr Al-Batin is a story's circumstance, unless whether one must is the question.
    ['لازم اكون ساكن بالحفر؟', 'service-area'],
    ['do i have to live in hafr al batin', 'service-area'],
    ['انا ساكنه بحفر الباطن وعندي خمس عيال وش الاوراق المطلوبه', 'documents'],
    ['ابغى اكلم بشر مو بوت', 'human'],
    ['كيف ارفع طلب دعم', 'support-request'],
    ['انا ارمله وعندي ٤ عيال وساكنه بحفر الباطن وراتب الضمان ما يكفي، هل استحق مساعده منكم', 'eligibility'],
    ['ما المدة المتوقعة للبت في الطلب', 'response-time'],
    // Being an employee is the story; asking for one is a request for a person.
    ['انا موظف هل يحق لي التقديم', 'eligibility'],
    ['هل يحق للموظفين الاستفادة من الجمعية', 'eligibility'],
    ['ابي اكلم الموظف', 'human'],
    // When something happened ("two weeks ago", "من شهرين") is the story; the question is what follows.
    ['when will you get back to me? i applied two weeks ago', 'response-time'],
    ['قدمت من شهرين وين وصل طلبي', 'status'],
    // "No answer has reached me" asks after one's own request (writers label it so), unlike "when will you answer".
    ['قدمت منذ شهرين ولم يصلني رد حتى الآن', 'status'],
    ['ابوي كبير وما يعرف للجوال ودي اقدم له طلب دعم', 'support-request'],
    ['بارك الله فيكم', 'greeting'],
    ['وش تسوون بمعلوماتي', 'privacy'],
    ['what do you do with my data', 'privacy'],
    ['تعطون ايجار', 'services'],
    ['هل الدعم شهري ولا مره وحده', 'services'],
    ['راتبي الشهري ما يكفي وش الشروط', 'eligibility'],
    ['انتي بوت؟', 'about'],
    ['ساعدوني الله يخليكم', 'support-request'],
    ['محتاجه ضروري', 'support-request'],
    // English stories: living in Hafr and one's own phone number are the story, not the area or our phone.
    ['im a single mom living in hafr, what do i need to bring to register', 'documents'],
    ['I made a typo in my phone number when applying', 'data-accuracy'],
    ['what is your phone number', 'contact'],
    ["I'm from Egypt, living here for 10 years, can I apply?", 'non-saudi'],
    ['انا ام لثلاث ايتام وزوجي مسجون من سنه ونص وما عندنا احد يصرف علينا وش الشروط عندكم', 'eligibility'],
    // "لغير" is "ل" + "غير"; "a bot or a real person?" asks who we are; "ناقص رقم" is a digit missing, not papers.
    ['هل تقدمون خدماتكم لغير السعوديين؟', 'non-saudi'],
    ['انت بوت ولا شخص حقيقي يرد علي؟', 'about'],
    ['هل فيه تحديث على طلبي', 'status'],
    ['رقم الهويه دخلته ناقص رقم', 'data-accuracy'],
    ['هل يشترط أن يكون المتقدم عاطلاً عن العمل؟', 'eligibility'],
  ])('answers %s -> %s', (text, id) => {
    const u = nlu.understand(text, 'ar');
    expect(u.confidence).toBe('high');
    expect(u.best?.id).toBe(id);
  });
  it.each(['كم سعر الذهب', 'tell me a joke', 'ابي احجز طيران', 'رقم جوال الدفاع المدني', 'ابغى رقم مكتب الضمان الاجتماعي', 'حالة طلبي في ابشر', 'وش الاوراق المطلوبه للتاشيره', 'how do i book a flight', 'وش الاوراق المطلوبه لاستخراج هويه', 'ابي اسجل في برنامج سكني'])('does not answer off-topic %s', (text) => {
    expect(nlu.understand(text, 'ar').confidence).not.toBe('high');
  });
});
