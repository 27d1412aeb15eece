import { buildEngine } from '../../src/engine/context';
import { runTurn, type EngineContext, type TurnResult } from '../../src/engine/runTurn';
import { initialState, type ConversationState } from '../../src/engine/state';
import { NLU_CACHE_DIR } from '../support/nluCache';
import { faqContent } from './content';

const content = faqContent();
const { engine } = buildEngine({ ...content, FORM_MAX_RETRIES: 3, nluCacheDir: NLU_CACHE_DIR });

function play(messages: (string | { payload: string })[], ctx: EngineContext = engine, start: ConversationState = initialState('ar')): TurnResult[] {
  const results: TurnResult[] = [];
  let state = start;
  for (const m of messages) {
    const result = runTurn(state, { type: 'message', answer: typeof m === 'string' ? { text: m } : m }, ctx);
    results.push(result);
    state = result.state;
  }
  return results;
}
const texts = (r: TurnResult) => r.replies.map((x) => x.text);

describe('FAQ in a conversation', () => {
  it('answers a question asked in the middle of a form, then asks the form question again and goes on', () => {
    const [, mid, next, done] = play([{ payload: 'flow:apply-test' }, 'وش الاوراق المطلوبه؟', 'سارة محمد', '٥']);
    expect(mid!.match).toMatchObject({ kind: 'faq', id: 'documents' });
    expect(texts(mid!)[0]).toContain('صورة الهوية الوطنية وصورة دفتر العائلة');
    expect(mid!.replies[mid!.replies.length - 1]!.expecting?.slot).toBe('name');
    expect(mid!.state.stack[0]!.slots).toEqual({});
    expect(next!.replies[0]!.expecting?.slot).toBe('members');
    expect(next!.state.stack[0]!.slots).toEqual({ name: 'سارة محمد' });
    expect(texts(done!)).toEqual(['شكرًا سارة محمد، اكتمل النموذج.']);
  });

  it('answers a question typed where a number is expected, without counting it as a wrong answer', () => {
    const results = play([{ payload: 'flow:apply-test' }, 'سارة', 'كم مدة الرد على الطلب', '4']);
    const mid = results[2]!;
    expect(mid.match).toMatchObject({ kind: 'faq', id: 'response-time' });
    expect(texts(mid).join('\n')).toContain('خلال مدة لا تقل عن أسبوعين');
    expect(mid.replies[mid.replies.length - 1]!.expecting?.slot).toBe('members');
    expect(results[3]!.state.stack).toEqual([]);
  });

  it('answers with high confidence and offers the follow-up (documents -> start a support request)', () => {
    const [r] = play(['ابي اعرف الاوراق اللي لازم اجيبها']);
    expect(r!.match).toMatchObject({ kind: 'faq', id: 'documents' });
    expect(r!.replies[0]!.choices?.map((c) => c.value)).toEqual(['flow:support-request']);
  });

  it('medium confidence: "did you mean" with at most 3 choices and a person', () => {
    // Two questions at once (the papers and how long): neither explains the message alone, and the
    // classifier is split between them too.
    const [r] = play(['الاوراق والمده']);
    expect(r!.match).toMatchObject({ kind: 'fallback', id: 'fallback', reason: 'did-you-mean' });
    const choices = r!.replies[0]!.choices!;
    expect(choices.length).toBeGreaterThanOrEqual(2);
    expect(choices.length).toBeLessThanOrEqual(4);
    expect(choices[choices.length - 1]!.value).toBe('cmd:human');
    expect(choices.slice(0, -1).every((c) => /^(faq|flow|cmd):/.test(c.value))).toBe(true);
  });

  it('low confidence: a polite fallback with the menu; the second in a row offers a person', () => {
    const [first, second] = play(['كم سعر الذهب اليوم', 'وش اخبار الدوري']);
    expect(first!.match).toMatchObject({ kind: 'fallback', id: 'fallback' });
    expect(texts(first!)[0]).toMatch(/^عذرًا/);
    expect(first!.replies[1]!.choices?.map((c) => c.value)).toContain('cmd:human');
    expect(second!.match).toMatchObject({ kind: 'fallback', id: 'fallback' });
    expect(second!.replies[0]!.choices?.[0]?.value).toBe('cmd:human');
  });

  it('contact: says it does not know and offers a person while no contact fact is set', () => {
    const [r] = play(['وش رقم جوالكم']);
    expect(r!.match).toMatchObject({ kind: 'faq', id: 'contact' });
    expect(texts(r!)[0]).toContain('لا تتوفر لديّ');
    expect(texts(r!)[0]).not.toMatch(/\d{5}/);
    expect(r!.replies[0]!.choices?.map((c) => c.value)).toContain('cmd:human');
  });

  it('contact: lists exactly the facts the association has set', () => {
    const configured = buildEngine({ ...content, FORM_MAX_RETRIES: 3, ORG_PHONE: '0137220000', ORG_HOURS_AR: 'الأحد–الخميس ٨ص–٢م' } as never).engine;
    const [r] = play(['how can i contact you'], configured, initialState('ar'));
    const text = texts(r!)[0]!;
    expect(text).toContain('الهاتف: 0137220000');
    expect(text).toContain('مواعيد الدوام: الأحد–الخميس ٨ص–٢م');
    expect(text).not.toContain('البريد الإلكتروني');
    const [en] = play(['how can i contact you'], configured, initialState('en'));
    expect(texts(en!)[0]).toContain('Phone: 0137220000');
  });

  it('answers English questions in English when the conversation is in English', () => {
    const [r] = play(['who can apply'], engine, initialState('en'));
    expect(r!.match).toMatchObject({ kind: 'faq', id: 'eligibility' });
    expect(texts(r!)[0]).toContain('Saudi national');
  });
});
