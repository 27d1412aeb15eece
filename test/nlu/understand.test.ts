import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ExampleClassifier } from '../../src/nlu/classifier';
import { loadExamples } from '../../src/nlu/examples';
import { loadUnderstanding } from '../../src/nlu/index';
import { FaqMatcher } from '../../src/nlu/matcher';
import { FaqUnderstander } from '../../src/nlu/understand';
import { tempDir } from '../support/app';
import { NLU_CACHE_DIR } from '../support/nluCache';
import { faqContent } from './content';
import { lexicon, variants } from './smallKb';

const lex = lexicon();
const matcher = new FaqMatcher(lex, variants);
const kinds = new Map(variants.map((v) => [v.intent, v.kind]));
const settings = { answerAt: 0.6, minCoverage: 0.4, offTopicAt: 0.5 };
/** Questions as people wrote them: two about sending the papers by post, three about a university's fees (not ours). */
const written = [
  { text: 'ارسل الاوراق بالبريد', intent: 'documents' },
  { text: 'الاوراق ترسل بالبريد السريع', intent: 'documents' },
  { text: 'كم رسوم الجامعه', intent: 'fallback' },
  { text: 'رسوم الجامعه هالسنه', intent: 'fallback' },
  { text: 'رسوم تسجيل الجامعه', intent: 'fallback' },
];
const understander = (examples: { text: string; intent: string }[]) =>
  new FaqUnderstander(matcher, { classifier: new ExampleClassifier(lex, [...variants.map((v) => ({ text: v.text, intent: v.intent })), ...examples]), settings, kinds });

describe('the second opinion (a classifier trained on written examples)', () => {
  it('answers a way of asking the examples teach, where the matcher alone could only ask "did you mean"', () => {
    expect(matcher.understand('الاوراق بالبريد السريع').confidence).toBe('medium');
    const u = understander(written).understand('الاوراق بالبريد السريع');
    expect(u.confidence).toBe('high');
    expect(u.best).toMatchObject({ kind: 'faq', id: 'documents' });
  });

  it('keeps quiet on a question the off-topic examples recognise, though the matcher would answer it', () => {
    expect(matcher.understand('رسوم الجامعه')).toMatchObject({ confidence: 'high', best: { id: 'fees' } });
    const u = understander(written).understand('رسوم الجامعه');
    expect(u.confidence).toBe('low');
    expect(u.candidates).toEqual([]);
  });

  it('never overrules a message said exactly as one way of asking in the knowledge base', () => {
    // Examples that (wrongly) teach volunteering as off-topic.
    const misled = understander([...written, ...['ابي اتطوع بالمستشفى', 'ابي اتطوع بالمدرسه', 'ابي اتطوع مع الهلال', 'اتطوع'].map((text) => ({ text, intent: 'fallback' }))]);
    expect(misled.opinions('اتطوع')[0]?.intent).toBe('fallback');
    expect(misled.understand('اتطوع')).toMatchObject({ confidence: 'high', best: { id: 'volunteer' } });
  });

  it('answers only what the matcher also sees in the message: words it has never seen stay a reason for doubt', () => {
    const u = understander(written);
    // The classifier leans to documents on "بالبريد" alone, but nothing in the message is a document.
    expect(u.opinions('بالبريد وصلني شي غريب')[0]?.intent).toBe('documents');
    expect(matcher.understand('بالبريد وصلني شي غريب').confidence).toBe('low');
    // Not answered, but asked: "did you mean: documents?"
    expect(u.understand('بالبريد وصلني شي غريب')).toMatchObject({ confidence: 'medium', candidates: [{ id: 'documents' }] });
  });

  it('without the setting in lexicon.yaml, the matcher alone decides (and no examples are read)', () => {
    const { flowsDir } = faqContent();
    const file = path.join(flowsDir, 'nlu/lexicon.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^ {2}secondOpinion:.*\n( {4}.*\n)*/m, ''));
    writeFileSync(path.join(flowsDir, 'nlu/examples/broken.tsv'), 'expect\tquestion\nno tab here\n');
    expect(readFileSync(file, 'utf8')).not.toContain('secondOpinion');
    const { nlu } = loadUnderstanding(flowsDir);
    expect(nlu.opinions('وش الاوراق المطلوبه')).toEqual([]);
    expect(nlu.understand('وش الاوراق المطلوبه').best?.id).toBe('documents');
  });
});

describe('the real knowledge base and examples', () => {
  const { nlu } = loadUnderstanding(path.join(__dirname, '../../flows'), undefined, { cacheDir: NLU_CACHE_DIR });

  it('reads words no example has taught as a reason for doubt, not as nothing', () => {
    // Without the "never seen" feature the classifier read this as "ابي اطلب" (a support request).
    expect(nlu.understand('ابي اطلب بيتزا').confidence).not.toBe('high');
    expect(nlu.understand('ابي اطلب مساعده').best?.id).toBe('support-request');
  });

  it('takes a goodbye as a greeting, "في امان الله" included (امان is not about keeping data safe)', () => {
    for (const bye of ['مع السلامة', 'في امان الله', 'bye']) {
      const u = nlu.understand(bye);
      expect([u.confidence, u.best?.id]).toEqual(['high', 'greeting']);
    }
    expect(nlu.understand('في امان الله هل تحفظون بياناتي').best?.id).toBe('privacy');
  });
});

describe('the example files (flows/nlu/examples/*.tsv)', () => {
  it('teach the classifier at the next start, with no build: a file a content writer adds is learnt from', () => {
    const { flowsDir } = faqContent();
    const examples = path.join(flowsDir, 'nlu/examples');
    for (const f of readdirSync(examples)) rmSync(path.join(examples, f));
    const question = 'تسوون مسابقات تصوير للطبيعه؟';
    expect(loadUnderstanding(flowsDir).nlu.opinions(question)[0]?.intent).not.toBe('services');
    writeFileSync(
      path.join(examples, 'contests.tsv'),
      'expect\tquestion\nservices\tعندكم مسابقات تصوير\nservices\tمسابقة التصوير متى\nservices\tابي اشارك بمسابقات التصوير للطبيعه\nfallback\tكم الساعه\n',
    );
    expect(loadUnderstanding(flowsDir).nlu.opinions(question)[0]?.intent).toBe('services');
  });

  const ids = new Set(['documents', 'volunteer']);

  it('refuses a label that is not an intent, with the file and line, so a typo never teaches silently', () => {
    const nlu = path.join(tempDir('nabta-examples-'), 'nlu');
    mkdirSync(path.join(nlu, 'examples'), { recursive: true });
    writeFileSync(path.join(nlu, 'examples/writer.tsv'), 'expect\tquestion\ndocuments\tوش الاوراق\ndocumnets\tالمستندات\n');
    expect(() => loadExamples(nlu, ids)).toThrow(/writer\.tsv:3: unknown id "documnets"/);
  });

  it('learns from rows with one right answer, leaves out rows with two, and skips files it is told to', () => {
    const nlu = path.join(tempDir('nabta-examples-'), 'nlu');
    mkdirSync(path.join(nlu, 'examples'), { recursive: true });
    writeFileSync(path.join(nlu, 'examples/a.tsv'), 'expect\tquestion\ndocuments\tوش الاوراق\ndocuments|volunteer\tاوراق التطوع\nfallback\tكم الساعه\n');
    writeFileSync(path.join(nlu, 'examples/b.tsv'), 'expect\tquestion\nvolunteer\tابي اتطوع\n');
    expect(loadExamples(nlu, ids)).toEqual([
      { text: 'وش الاوراق', intent: 'documents' },
      { text: 'كم الساعه', intent: 'fallback' },
      { text: 'ابي اتطوع', intent: 'volunteer' },
    ]);
    expect(loadExamples(nlu, ids, [path.join(nlu, 'examples/a.tsv')])).toEqual([{ text: 'ابي اتطوع', intent: 'volunteer' }]);
    expect(loadExamples(path.join(nlu, 'missing'), ids)).toEqual([]);
  });
});
