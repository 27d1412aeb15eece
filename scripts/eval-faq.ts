/**
 * Evaluates FAQ matching on a TSV file, through the engine exactly as a new web chat conversation
 * would route each message (global commands, FAQ, flows, "did you mean" and fallback all count).
 *
 *   npm run eval:faq -- FILE.tsv [--json] [--flows DIR] [--locales DIR]
 *
 * FILE: a header line, then `expect<TAB>question` rows; `expect` may list alternatives (`a|b`).
 * A message routed to "did you mean" counts as `fallback`: the bot did not answer it.
 * Reads flows/nlu/*.yaml at run time: edit a variant or synonym and run again, nothing to rebuild.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { buildEngine } from '../src/engine/context';
import { runTurn } from '../src/engine/runTurn';
import { initialState, type SlotValue } from '../src/engine/state';

interface Row {
  line: number;
  expect: string[];
  question: string;
}

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run eval:faq -- FILE.tsv [--json] [--flows DIR] [--locales DIR]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): { file: string; json: boolean; flowsDir: string; localesDir: string } {
  let file: string | undefined;
  let json = false;
  let flowsDir = 'flows';
  let localesDir = 'locales';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--flows') flowsDir = argv[++i] ?? usage('--flows needs a folder');
    else if (arg === '--locales') localesDir = argv[++i] ?? usage('--locales needs a folder');
    else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
    else if (!file) file = arg;
    else usage(`unexpected argument ${arg}`);
  }
  if (!file) usage('missing FILE.tsv');
  return { file, json, flowsDir: path.resolve(flowsDir), localesDir: path.resolve(localesDir) };
}

function readRows(file: string): Row[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    usage(`cannot read ${file}: ${(err as Error).message}`);
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const rows: Row[] = [];
  lines.slice(1).forEach((raw, i) => {
    if (!raw.trim()) return;
    const tab = raw.indexOf('\t');
    if (tab < 0) usage(`${file}:${i + 2}: expected "expect<TAB>question"`);
    const expect = raw
      .slice(0, tab)
      .split('|')
      .map((s) => s.trim())
      .filter(Boolean);
    rows.push({ line: i + 2, expect, question: raw.slice(tab + 1) });
  });
  return rows;
}

type StepDoc = { action?: { name?: unknown }; ask?: { validator?: unknown; optionsFrom?: unknown } };

/** Names of the actions, validators and option lists the flows use (read from the files). */
function referencedNames(flowsDir: string): { actions: Set<string>; validators: Set<string>; optionSources: Set<string> } {
  const names = { actions: new Set<string>(), validators: new Set<string>(), optionSources: new Set<string>() };
  for (const file of readdirSync(flowsDir).filter((f) => /\.ya?ml$/.test(f))) {
    const doc = parse(readFileSync(path.join(flowsDir, file), 'utf8')) as { steps?: StepDoc[] } | null;
    for (const step of doc?.steps ?? []) {
      if (typeof step?.action?.name === 'string') names.actions.add(step.action.name);
      if (typeof step?.ask?.validator === 'string') names.validators.add(step.ask.validator);
      if (typeof step?.ask?.optionsFrom === 'string') names.optionSources.add(step.ask.optionsFrom);
    }
  }
  return names;
}

function pct(n: number, d: number): string {
  return d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const rows = readRows(args.file);
  // The evaluation looks at the first turn of a new conversation only: it never runs a flow's actions,
  // validators or option lists, so the names the flows use are registered as stand-ins here (the
  // app's start-up checks them against its real registry).
  const names = referencedNames(args.flowsDir);
  const { engine } = buildEngine(
    { flowsDir: args.flowsDir, localesDir: args.localesDir, FORM_MAX_RETRIES: 3 },
    {
      actions: names.actions,
      validators: new Map([...names.validators].map((n) => [n, (value: SlotValue) => ({ ok: true as const, value })])),
      optionSources: new Map([...names.optionSources].map((n) => [n, () => []])),
    },
  );

  const results = rows.map((row) => {
    const { match } = runTurn(initialState('ar'), { type: 'message', answer: { text: row.question } }, engine);
    const got = !match || match.kind === 'fallback' ? 'fallback' : match.id;
    return { ...row, got, score: match?.score ?? 0, ok: row.expect.includes(got) };
  });

  if (args.json) {
    for (const r of results) process.stdout.write(`${JSON.stringify({ question: r.question, expect: r.expect.join('|'), got: r.got, score: r.score })}\n`);
    return;
  }

  const correct = results.filter((r) => r.ok).length;
  const out: string[] = [];
  out.push(`FAQ evaluation: ${path.relative(process.cwd(), path.resolve(args.file))} (${results.length} questions)`);
  out.push(`accuracy: ${pct(correct, results.length)} (${correct}/${results.length})`);
  const offTopic = results.filter((r) => r.expect[0] === 'fallback');
  const offOk = offTopic.filter((r) => r.got === 'fallback').length;
  out.push(`off-topic to fallback: ${pct(offOk, offTopic.length)} (${offOk}/${offTopic.length})`);
  out.push('', 'per id (by first expected id):');
  const ids = [...new Set(results.map((r) => r.expect[0]!))].sort();
  for (const id of ids) {
    const of = results.filter((r) => r.expect[0] === id);
    const ok = of.filter((r) => r.ok).length;
    out.push(`  ${id.padEnd(20)} ${pct(ok, of.length).padStart(6)}  ${ok}/${of.length}`);
  }
  const misses = results.filter((r) => !r.ok);
  const confusions = new Map<string, number>();
  for (const r of misses) {
    const key = `${r.expect.join('|')} -> ${r.got}`;
    confusions.set(key, (confusions.get(key) ?? 0) + 1);
  }
  out.push('', `confusions (${misses.length}):`);
  for (const [key, n] of [...confusions].sort((a, b) => b[1] - a[1])) out.push(`  ${String(n).padStart(3)}  ${key}`);
  out.push('', 'misses:');
  for (const r of misses) out.push(`  line ${r.line}: expected ${r.expect.join('|')}, got ${r.got} (${r.score}): ${r.question}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
