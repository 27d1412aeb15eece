import { buildEngine } from '../../src/engine/context';
import { runTurn, type EngineContext, type TurnResult } from '../../src/engine/runTurn';
import { initialState, type ConversationState } from '../../src/engine/state';
import type { Understanding } from '../../src/nlu/types';
import { NLU_CACHE_DIR } from '../support/nluCache';
import { fixtureContent } from '../support/fixtureContent';

const content = fixtureContent();
const { engine } = buildEngine({ ...content, FORM_MAX_RETRIES: 3, nluCacheDir: NLU_CACHE_DIR }, { actions: new Set(['save']) });

/** Plays a conversation: each step is a message; returns every turn's result. */
function play(messages: (string | { payload: string })[], start: ConversationState = initialState('ar'), ctx: EngineContext = engine): TurnResult[] {
  const results: TurnResult[] = [];
  let state = start;
  for (const m of messages) {
    const answer = typeof m === 'string' ? { text: m } : m;
    let result = runTurn(state, { type: 'message', answer }, ctx);
    // The gateway runs actions; here `save` answers with a fixed reference.
    while (result.call) {
      const next = runTurn(result.state, { type: 'actionResult', value: 'REF-1' }, ctx);
      result = { ...next, replies: [...result.replies, ...next.replies] };
    }
    results.push(result);
    state = result.state;
  }
  return results;
}

const last = (results: TurnResult[]) => results[results.length - 1]!;
const texts = (r: TurnResult) => r.replies.map((x) => x.text);

describe('runTurn', () => {
  it('greets in Arabic and shows the main menu of the policy’s services', () => {
    const [r] = play(['السلام عليكم']);
    expect(r!.match).toMatchObject({ kind: 'command', id: 'greeting' });
    expect(r!.replies[0]!.text).toMatch(/^وعليكم السلام/);
    expect(r!.replies[1]!.choices?.map((c) => c.value)).toEqual([
      'flow:support-request',
      'flow:status',
      'flow:questions',
      'flow:volunteer',
      'flow:feedback',
      'cmd:human',
    ]);
  });

  it('answers a greeting in kind, and a goodbye warmly without the menu', () => {
    const first = (message: string) => play([message])[0]!;
    expect(first('صباح الخير').replies[0]!.text).toMatch(/^صباح النور/);
    expect(first('مساء الخير يا نبتة').replies[0]!.text).toMatch(/^مساء النور/);
    expect(first('مرحبا').replies[0]!.text).toMatch(/^أهلًا وسهلًا/);
    for (const bye of ['مع السلامة', 'في امان الله', 'bye']) {
      const r = first(bye);
      expect(r.match).toMatchObject({ kind: 'command', id: 'greeting' });
      expect(r.replies.map((x) => x.text)).toEqual([expect.stringMatching(/^في أمان الله/)]);
      expect(r.replies[0]!.choices).toBeUndefined();
    }
  });

  it('takes a reply of pictographs as people mean it: 👍 or 🙏 is thanks, ⭐⭐⭐⭐⭐ a rating, 😂 nothing it understands', () => {
    for (const picture of ['👍', '🙏🌹']) {
      const [r] = play([picture]);
      expect(r!.match).toMatchObject({ id: 'greeting' });
      expect(texts(r!)).toEqual([expect.stringMatching(/^العفو/)]);
    }
    expect(play(['⭐⭐⭐⭐⭐'])[0]!.match).toMatchObject({ id: 'feedback' });
    expect(play(['😂😂'])[0]!.match).toMatchObject({ kind: 'fallback' });
  });

  it('answers a thank-you with "you are welcome" and no menu or form; praise of the service still goes to feedback', () => {
    // "ما قصرت" after a thank-you speaks to us ("you did not fall short"); after a name it is praise of that person.
    for (const thanks of ['شكرا', 'مشكورين ما قصرتوا', 'جزاكم الله خير', 'thank you', 'مشكور ما قصرت', 'thank you so much, bye']) {
      const [r] = play([thanks]);
      expect(r!.match).toMatchObject({ kind: 'command', id: 'greeting' });
      expect(r!.replies).toHaveLength(1);
      expect(r!.replies[0]!.choices).toBeUndefined();
      expect(r!.state.stack).toEqual([]);
    }
    expect(texts(play(['شكرا'])[0]!)).toEqual([expect.stringMatching(/^العفو/)]);
    expect(play(['تعاملكم راقي والموظفة ما قصرت معي'])[0]!.match).toMatchObject({ kind: 'flow', id: 'feedback' });
  });

  it('answers "can you point me to another association?" with how aid from one counts here and that it has no information about them, offering a request or a person', () => {
    const [r] = play(['تدلوني على جمعيه ثانيه تساعد بالايجار']);
    expect(r!.match).toMatchObject({ kind: 'faq', id: 'other-associations' });
    expect(r!.replies[0]!.text).toMatch(/معلومات الجمعيات الأخرى .*فلا تتوفر لديّ/);
    expect(r!.replies.flatMap((x) => x.choices ?? []).map((c) => c.value)).toEqual(expect.arrayContaining(['flow:support-request', 'cmd:human']));
    // Another association's own phone number is not ours to give, nor a government office's.
    expect(play(['وش رقم جمعية البر بحفر الباطن'])[0]!.match).toMatchObject({ kind: 'fallback' });
    expect(play(['ابغى رقم مكتب الضمان الاجتماعي'])[0]!.match).toMatchObject({ kind: 'fallback' });
  });

  it('fills a form step by step, running the action and ending with its result', () => {
    const results = play([{ payload: 'flow:signup' }, 'سارة محمد', '٠٥٠١٢٣٤٥٦٧', 'ايه']);
    expect(results[0]!.replies[0]!.expecting).toEqual({ slot: 'full_name', kind: 'text', options: undefined });
    expect(results[1]!.replies[0]!.expecting?.slot).toBe('mobile');
    expect(results[2]!.replies[0]!.expecting).toMatchObject({ slot: 'agree', kind: 'yes_no', options: [{ value: 'yes' }, { value: 'no' }] });
    expect(texts(last(results))).toEqual(['تم الحفظ برقم REF-1 باسم سارة محمد.']);
    expect(last(results).state.stack).toEqual([]);
  });

  it('stores the mobile number as E.164 whatever way it was written', () => {
    const r = play([{ payload: 'flow:signup' }, 'سارة محمد', '+966 50 123 4567']);
    expect(last(r).state.stack[0]!.slots.mobile).toBe('+966501234567');
  });

  it('says what was wrong and asks again, then offers a person after repeated failures', () => {
    const results = play([{ payload: 'flow:signup' }, 'سارة محمد', '123', '0112345678', 'abc']);
    expect(texts(results[2]!)).toEqual(['رقم الجوال غير صحيح. اكتبه بهذا الشكل: ‎05XXXXXXXX', 'ما رقم جوالك؟']);
    const third = results[4]!;
    expect(third.replies.some((r) => r.choices?.some((c) => c.value === 'cmd:human'))).toBe(true);
    expect(third.replies[third.replies.length - 1]!.expecting?.slot).toBe('mobile');
  });

  it('goes back to the previous question with رجوع', () => {
    const r = play([{ payload: 'flow:signup' }, 'سارة محمد', 'رجوع']);
    expect(last(r).replies[0]!.expecting?.slot).toBe('full_name');
    expect(last(r).state.stack[0]!.slots.full_name).toBeUndefined();
  });

  it('cancels a form with إلغاء (any hamza spelling) and shows the menu', () => {
    const r = play([{ payload: 'flow:signup' }, 'سارة محمد', 'الغاء']);
    expect(last(r).match).toMatchObject({ kind: 'command', id: 'cancel' });
    expect(last(r).state.stack).toEqual([]);
    expect(texts(last(r))[0]).toContain('تم الإلغاء');
  });

  it('switches language mid-form and asks the same question in English', () => {
    const r = play([{ payload: 'flow:signup' }, 'English']);
    expect(texts(last(r))).toEqual(["Sure, let's continue in English.", 'What is your full name?']);
    expect(last(r).state.locale).toBe('en');
  });

  it('hands off on موظف, stays silent while queued, and lets the person leave the queue', () => {
    const [handoff, waiting, left] = play(['ابي موظف', 'متى يردون؟', 'إلغاء']);
    expect(handoff!.effects).toEqual([{ type: 'handoff', reason: 'requested', priority: 0, flowId: undefined, slots: undefined }]);
    expect(handoff!.state.mode).toBe('queued');
    expect(waiting!.replies).toEqual([]);
    expect(waiting!.effects).toEqual([{ type: 'relay' }]);
    expect(left!.effects).toEqual([{ type: 'leaveQueue' }]);
    expect(left!.state.mode).toBe('bot');
  });

  it('gives a form’s handoff a higher priority and passes the collected answers to staff', () => {
    const [, , handoff] = play([{ payload: 'flow:signup' }, 'سارة محمد', 'موظف']);
    expect(handoff!.effects[0]).toMatchObject({ type: 'handoff', priority: 1, flowId: 'signup', slots: { full_name: 'سارة محمد' } });
  });

  it('sends a menu entry whose flow is not built yet to a person, never to "coming soon"', () => {
    const [r] = play([{ payload: 'flow:not-built-yet' }]);
    expect(r!.effects[0]).toMatchObject({ type: 'handoff', reason: 'service:not-built-yet' });
    expect(r!.state.mode).toBe('queued');
  });

  it('offers a person after two messages in a row it did not understand', () => {
    const [first, second] = play(['قثبلاىتنم', 'زززز ككك']);
    expect(first!.match).toMatchObject({ kind: 'fallback' });
    expect(second!.replies[0]!.choices?.map((c) => c.value)).toEqual(['cmd:human', 'cmd:menu']);
  });

  it('answers a question asked mid-form, then asks the form’s question again', () => {
    const faqNlu = {
      understand: (text: string): Understanding =>
        text.includes('الاوراق') ? { confidence: 'high', best: { kind: 'faq', id: 'documents', score: 0.9 }, candidates: [] } : { confidence: 'low', candidates: [] },
    };
    const ctx: EngineContext = {
      ...engine,
      nlu: faqNlu,
      kb: { entries: new Map([['documents', { id: 'documents', answer: 'test.declined' }]]) },
    };
    const r = play([{ payload: 'flow:signup' }, 'سارة محمد', 'وش الاوراق المطلوبة؟'], initialState('ar'), ctx);
    expect(last(r).match).toMatchObject({ kind: 'faq', id: 'documents' });
    expect(texts(last(r))).toEqual(['لم يُحفظ شيء.', 'ما رقم جوالك؟']);
    expect(last(r).state.stack[0]!.stepId).toBe('mobile');
  });

  it('mid-form, does what a message clearly asks for instead: greets back, hands over to a person, starts another service', () => {
    const start = [{ payload: 'flow:signup' }, 'سارة محمد'];
    const greeted = last(play([...start, 'السلام عليكم']));
    expect(greeted.match).toMatchObject({ kind: 'command', id: 'greeting' });
    expect(texts(greeted)[0]).toMatch(/^وعليكم السلام/);
    // The greeting ends and the form asks its question again, its answers kept.
    expect(texts(greeted).at(-1)).toBe('ما رقم جوالك؟');
    expect(greeted.state.stack).toMatchObject([{ flowId: 'signup', stepId: 'mobile', slots: { full_name: 'سارة محمد' } }]);

    // Asked for in words the command list does not have: still a person, with the form's answers.
    const handed = last(play([...start, 'ممكن احد من الموظفين يتصل علي']));
    expect(handed.match).toMatchObject({ kind: 'command', id: 'human' });
    expect(handed.effects[0]).toMatchObject({ type: 'handoff', priority: 1, flowId: 'signup', slots: { full_name: 'سارة محمد' } });

    // Another service starts on top of the form, which waits underneath for its return.
    const status = last(play([...start, 'وين وصل طلبي']));
    expect(status.match).toMatchObject({ kind: 'flow', id: 'status' });
    expect(status.state.stack.map((f) => f.flowId)).toEqual(['signup', 'status']);
  });

  it('mid-form, reports a message that is neither an answer nor understood as not understood, and asks again', () => {
    const r = last(play([{ payload: 'flow:signup' }, 'سارة محمد', 'كم سعر الذهب اليوم']));
    expect(r.match).toMatchObject({ kind: 'fallback', id: 'fallback', reason: 'not-an-answer' });
    expect(texts(r).at(-1)).toBe('ما رقم جوالك؟');
    expect(r.state.stack[0]).toMatchObject({ flowId: 'signup', stepId: 'mobile', retries: 1 });
    // A wrong answer is still the form's: a mobile number that is too short.
    expect(last(play([{ payload: 'flow:signup' }, 'سارة محمد', '0501'])).match).toEqual({ kind: 'flow', id: 'signup' });
  });

  it('lets a person type a menu label or its number instead of tapping it', () => {
    const [, typed] = play(['مرحبا', 'التحدث مع موظف']);
    expect(typed!.state.mode).toBe('queued');
    const [, numbered] = play(['مرحبا', '٦']);
    expect(numbered!.state.mode).toBe('queued');
  });

  it('never changes the state it was given', () => {
    const state = initialState('ar');
    const frozen = JSON.stringify(state);
    runTurn(state, { type: 'message', answer: { payload: 'flow:signup' } }, engine);
    expect(JSON.stringify(state)).toBe(frozen);
  });
});

describe('volunteering and feedback forms', () => {
  it('takes a volunteering offer and answers with its reference', () => {
    const r = play([{ payload: 'flow:volunteer' }, 'خالد الشمري', '0551112233', 'أحب المشاركة في حملات التشجير']);
    expect(r[0]!.replies.map((x) => x.expecting?.slot)).toContain('full_name');
    expect(texts(last(r))[0]).toContain('REF-1');
    expect(r[2]!.state.stack[0]!.slots).toMatchObject({ full_name: 'خالد الشمري', mobile: '+966551112233' });
  });

  it('asks for a mobile number only when the person wants a reply', () => {
    const noReply = play([{ payload: 'flow:feedback' }, { payload: 'suggestion' }, 'أقترح إضافة خدمة المواعيد', 'لا']);
    expect(texts(last(noReply))[0]).toContain('REF-1');
    const withReply = play([{ payload: 'flow:feedback' }, 'شكوى', 'تأخر الرد على طلبي كثيرا', 'نعم']);
    expect(last(withReply).replies[0]!.expecting?.slot).toBe('mobile');
  });
});
