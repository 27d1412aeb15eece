/**
 * Evaluates FAQ matching on a TSV file, through the engine exactly as a new web chat conversation
 * would route each message (global commands, FAQ, flows, "did you mean" and fallback all count).
 *
 *   npm run eval:faq -- FILE.tsv [--json] [--flows DIR] [--locales DIR]
 *   npm run eval:faq -- FILE.tsv [--json] --url http://localhost:3000   (through a running Nabta's web chat API)
 *
 * FILE: a header line, then `expect<TAB>question` rows; `expect` may list alternatives (`a|b`).
 * A message routed to "did you mean" counts as `fallback`: the bot did not answer it.
 * Reads flows/nlu/*.yaml at run time: edit a variant or synonym and run again, nothing to rebuild.
 */
import path from 'node:path';
import { type LabelledQuestion, readLabelled } from '../src/nlu/examples';
import { evaluationEngine, pct, route, routeOverHttp, type Routed, tally } from './lib/faq-eval';

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run eval:faq -- FILE.tsv [--json] [--flows DIR] [--locales DIR] [--url BASE_URL]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): { file: string; json: boolean; flowsDir: string; localesDir: string; url?: string } {
  let file: string | undefined;
  let json = false;
  let url: string | undefined;
  let flowsDir = 'flows';
  let localesDir = 'locales';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--flows') flowsDir = argv[++i] ?? usage('--flows needs a folder');
    else if (arg === '--locales') localesDir = argv[++i] ?? usage('--locales needs a folder');
    else if (arg === '--url') url = argv[++i] ?? usage('--url needs the address of a running Nabta (http://localhost:3000)');
    else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
    else if (!file) file = arg;
    else usage(`unexpected argument ${arg}`);
  }
  if (!file) usage('missing FILE.tsv');
  if (url !== undefined && !URL.canParse(url)) usage(`--url: not an address: ${url}`);
  return { file, json, flowsDir: path.resolve(flowsDir), localesDir: path.resolve(localesDir), ...(url !== undefined && { url }) };
}

function readRows(file: string) {
  try {
    return readLabelled(file);
  } catch (err) {
    usage(err instanceof Error && 'code' in err ? `cannot read ${file}: ${err.message}` : (err as Error).message);
  }
}

/** In-process through the engine, or over HTTP one question at a time (in order, as a person would ask). */
async function evaluate(rows: LabelledQuestion[], args: ReturnType<typeof parseArgs>): Promise<Routed[]> {
  if (!args.url) {
    const engine = evaluationEngine(args.flowsDir, args.localesDir);
    return rows.map((row) => route(engine, row));
  }
  const results: Routed[] = [];
  for (const row of rows) results.push(await routeOverHttp(args.url, row));
  return results;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const rows = readRows(args.file);
  let results: Routed[];
  try {
    results = await evaluate(rows, args);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }

  if (args.json) {
    for (const r of results) process.stdout.write(`${JSON.stringify({ question: r.question, expect: r.expect.join('|'), got: r.got, score: r.score })}\n`);
    return;
  }

  const t = tally(results);
  const out: string[] = [];
  out.push(`FAQ evaluation: ${path.relative(process.cwd(), path.resolve(args.file))} (${results.length} questions${args.url ? `, through ${args.url}` : ''})`);
  out.push(`accuracy: ${pct(t.right, t.total)} (${t.right}/${t.total})`);
  out.push(`off-topic to fallback: ${pct(t.offTopicRight, t.offTopic)} (${t.offTopicRight}/${t.offTopic})`);
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

void main();
