import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One labelled question: the ids that would be right for it (`a|b`: either) and the text as written. */
export interface LabelledQuestion {
  line: number;
  expect: string[];
  question: string;
}

/**
 * Reads a labelled question file: a header line, then `expect<TAB>question` rows (`expect` may list
 * alternatives separated by `|`). The evaluation sets and the examples the classifier learns from
 * share this format, so a content writer can move a question from one to the other.
 */
export function readLabelled(file: string): LabelledQuestion[] {
  const lines = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  const rows: LabelledQuestion[] = [];
  const problems: { line: number; reason: string }[] = [];
  lines.slice(1).forEach((raw, i) => {
    if (!raw.trim()) return;
    const tab = raw.indexOf('\t');
    if (tab < 0) {
      problems.push({ line: i + 2, reason: 'expected "expect<TAB>question"' });
      return;
    }
    const expect = raw
      .slice(0, tab)
      .split('|')
      .map((s) => s.trim())
      .filter(Boolean);
    rows.push({ line: i + 2, expect, question: raw.slice(tab + 1) });
  });
  if (problems.length > 0) throw new LabelledFileError(file, problems);
  return rows;
}

/** A labelled file that cannot be read as one: says which line and why. */
export class LabelledFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { line: number; reason: string }[],
  ) {
    super(problems.map((p) => `${file}:${p.line}: ${p.reason}`).join('\n'));
  }
}

/**
 * The examples under `<nluDir>/examples/*.tsv`: questions as beneficiaries really wrote them, each
 * labelled with the intent that answers it (or `fallback` for what is not ours). Rows naming an id
 * that does not exist are an error (a typo in a label would silently teach nothing). A row with two
 * right answers teaches neither and is left out.
 */
export function loadExamples(nluDir: string, ids: ReadonlySet<string>, exclude: readonly string[] = []): { text: string; intent: string }[] {
  const out: { text: string; intent: string }[] = [];
  for (const file of exampleFiles(nluDir)) {
    if (exclude.some((x) => path.resolve(x) === path.resolve(file))) continue;
    const rows = readLabelled(file);
    const bad = rows.flatMap((r) => r.expect.filter((id) => id !== FALLBACK && !ids.has(id)).map((id) => ({ line: r.line, reason: `unknown id "${id}"` })));
    if (bad.length > 0) throw new LabelledFileError(file, bad);
    for (const r of rows) if (r.expect.length === 1) out.push({ text: r.question, intent: r.expect[0]! });
  }
  return out;
}

/** The example files of `<nluDir>/examples/` (paths, in name order); none when there is no such folder. */
export function exampleFiles(nluDir: string): string[] {
  const dir = path.join(nluDir, 'examples');
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.tsv'))
      .sort()
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

/** The label of a question that is not ours to answer. */
export const FALLBACK = 'fallback';
