import { execFileSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../support/app';
import { faqContent } from './content';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

function evalFaq(file: string, ...args: string[]): string {
  return execFileSync(TSX, [path.join(ROOT, 'scripts/eval-faq.ts'), file, ...args], { cwd: ROOT, encoding: 'utf8' });
}

const content = faqContent();
const dirs = ['--flows', content.flowsDir, '--locales', content.localesDir];
const tsv = path.join(tempDir('nabta-eval-'), 'small.tsv');
writeFileSync(
  tsv,
  ['expect\tquestion', 'documents\tوش الاوراق المطلوبه', 'volunteer|feedback\tابي اتطوع', 'fallback\tكم سعر الذهب', 'services\tاعطوني قرض', 'fallback\tرقم الجوال'].join('\n') + '\n',
);

describe('npm run eval:faq', () => {
  it('prints accuracy overall and per id, the off-topic rate, the confusions and the misses', () => {
    const out = evalFaq(tsv, ...dirs);
    expect(out).toContain('accuracy: 60.0% (3/5)');
    expect(out).toContain('off-topic to fallback: 50.0% (1/2)');
    expect(out).toMatch(/documents\s+100\.0%\s+1\/1/);
    expect(out).toMatch(/services\s+0\.0%\s+0\/1/);
    expect(out).toMatch(/1 {2}services -> fallback/);
    expect(out).toMatch(/1 {2}fallback -> contact/);
    expect(out).toContain('expected services, got fallback');
    expect(out).toContain(': اعطوني قرض');
  });

  it('with --json prints one JSON object per question and nothing else', () => {
    const lines = evalFaq(tsv, '--json', ...dirs).trim().split('\n');
    expect(lines).toHaveLength(5);
    const rows = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const r of rows) expect(Object.keys(r).sort()).toEqual(['expect', 'got', 'question', 'score']);
    expect(rows[0]).toMatchObject({ question: 'وش الاوراق المطلوبه', expect: 'documents', got: 'documents' });
    expect(rows[1]).toMatchObject({ expect: 'volunteer|feedback', got: 'volunteer' });
    expect(rows[2]).toMatchObject({ got: 'fallback' });
    expect(typeof rows[0]!.score).toBe('number');
  });

  it('shows the effect of a variant a content writer adds to the data file, with no code change', () => {
    const file = path.join(tempDir('nabta-eval-'), 'loan.tsv');
    writeFileSync(file, 'expect\tquestion\nservices\tعندكم قروض؟\n');
    expect(JSON.parse(evalFaq(file, '--json', ...dirs).trim()).got).toBe('fallback');
    // A synonym in the lexicon and a way of asking in the knowledge base.
    appendFileSync(path.join(content.flowsDir, 'nlu/lexicon.yaml'), '  loan: [قرض, قروض, قرض حسن, loan, loans]\n');
    const faq = path.join(content.flowsDir, 'nlu/faq.yaml');
    const { readFileSync } = require('node:fs') as typeof import('node:fs');
    writeFileSync(faq, readFileSync(faq, 'utf8').replace('      - وش نوع الدعم\n', '      - وش نوع الدعم\n      - هل تعطون قرض\n'));
    expect(JSON.parse(evalFaq(file, '--json', ...dirs).trim()).got).toBe('services');
  });

  it('explains a malformed file instead of crashing', () => {
    const bad = path.join(tempDir('nabta-eval-'), 'bad.tsv');
    writeFileSync(bad, 'expect\tquestion\nno tab here\n');
    expect(() => evalFaq(bad, ...dirs)).toThrow(/bad\.tsv:2: expected "expect<TAB>question"/);
  });
});

describe.each([
  // Tuning data, written apart from eval.tsv: the bar is the 95 % (measured at 96-97 %).
  ['dev.tsv', 0.95],
  // A second new writer's questions, the tuning set of round 2 (80.8 % when fresh, 93 % after): kept from sliding back.
  ['tune2.tsv', 0.9],
])('the tuning set test/fixtures/faq/%s', (file, least) => {
  it('stays at its bar, with 90 % or more of the off-topic questions going to fallback', () => {
    const rows = evalFaq(path.join(ROOT, 'test/fixtures/faq', file), '--json')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { expect: string; got: string });
    const ok = rows.filter((r) => r.expect.split('|').includes(r.got)).length;
    expect(ok / rows.length).toBeGreaterThanOrEqual(least);
    const off = rows.filter((r) => r.expect === 'fallback');
    expect(off.filter((r) => r.got === 'fallback').length / off.length).toBeGreaterThanOrEqual(0.9);
  });
});
