/**
 * `npm run bench` — throughput and latency of the web chat path, end to end over HTTP.
 *
 *   npm run bench -- [-c 200] [-d 20] [--rate 0] [--warmup 3] [--bare-seconds 8] [--profile]
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379 npm run bench
 *
 * Starts Nabta in a child process (embedded PGlite by default; with DATABASE_URL a fresh database is
 * created on that server and dropped afterwards; REDIS_URL turns on Redis dedupe/locks/rate limits),
 * drives C concurrent simulated visitors through realistic conversations for D seconds (greet, tap
 * menu choices, answer what the bot expects, ask questions), then measures a bare Express endpoint
 * on the same machine with the same load and prints both and their ratio.
 *
 * Without --rate each visitor sends its next message as soon as the answer arrives (closed loop: the
 * most the server can do). Then, by Little's law, mean latency = C / throughput: 200 visitors at
 * 1,000 msg/s means 200 ms on average, whatever the server. `--rate R` paces the visitors (think time)
 * so together they offer R messages/s, and latency is counted from when each message was due (no
 * coordinated omission): that is the "p99 at 1,000 msg/s with 200 conversations" question. A benchmark, not a test:
 * it asserts nothing. `--profile` writes a V8 CPU profile of the server to ./profiles/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { startApp } from '../src/app';
import { loadConfig } from '../src/config';

interface Options {
  concurrency: number;
  seconds: number;
  warmup: number;
  bareSeconds: number;
  profile: boolean;
  maxTurns: number;
  /** Offered messages per second for all visitors together; 0 = as fast as answers come. */
  rate: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { concurrency: 200, seconds: 20, warmup: 3, bareSeconds: 8, profile: false, maxTurns: 7, rate: 0 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = () => Number(argv[++i]);
    if (arg === '-c' || arg === '--concurrency') options.concurrency = next();
    else if (arg === '-d' || arg === '--duration') options.seconds = next();
    else if (arg === '--warmup') options.warmup = next();
    else if (arg === '--bare-seconds') options.bareSeconds = next();
    else if (arg === '--max-turns') options.maxTurns = next();
    else if (arg === '--rate') options.rate = next();
    else if (arg === '--profile') options.profile = true;
    else if (arg === '--help' || arg === '-h') {
      console.log('npm run bench -- [-c concurrency] [-d seconds] [--rate msg/s] [--warmup s] [--bare-seconds s] [--max-turns n] [--profile]');
      process.exit(0);
    } else throw new Error(`unknown flag ${arg}`);
  }
  for (const [k, v] of Object.entries(options)) if (typeof v === 'number' && !(v >= 0)) throw new Error(`--${k} must be a number`);
  return options;
}

// ------------------------------------------------------------------ servers (child processes)

/** Child entry points: `bench.ts --serve nabta|bare` prints {"url"} once listening. */
async function serve(kind: string): Promise<void> {
  if (kind === 'bare') {
    const { default: express } = await import('express');
    const app = express();
    app.post('/api/webchat/messages', express.json({ limit: '64kb' }), (req, res) => {
      res.json({ conversationId: 'x'.repeat(32), replies: [{ id: 1, author: 'bot', text: String((req.body as { text?: string }).text ?? '') }] });
    });
    const server = app.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
    server.keepAliveTimeout = 60_000;
    return;
  }
  const app = await startApp(loadConfig());
  if (app.server) app.server.keepAliveTimeout = 60_000;
  console.log(JSON.stringify({ url: app.url }));
  const stop = () => void app.stop().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function startChild(kind: 'nabta' | 'bare', env: NodeJS.ProcessEnv, nodeFlags: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', __filename, '--serve', kind], {
    cwd: path.resolve(__dirname, '..'),
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
    lines.on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { url?: string };
        if (parsed.url) resolve(parsed.url);
      } catch {
        /* ordinary output */
      }
    });
  });
  return { url, child };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

// ------------------------------------------------------------------ load generator

interface Reply {
  text: string;
  choices?: { label: string; value: string }[];
}
interface Turn {
  conversationId: string;
  replies: Reply[];
  expecting?: { slot: string; kind: string; options?: { value: string }[] };
}

interface Stats {
  latencies: number[];
  errors: Map<string, number>;
  messages: number;
}

/** One POST over a keep-alive agent; resolves with status and parsed body. */
function post(agent: http.Agent, url: URL, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: Turn }> {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': String(data.length), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Turn });
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const QUESTIONS = ['ما شروط الاستفادة؟', 'وش الأوراق المطلوبة', 'كم يستغرق الرد على الطلب', 'ابي اتطوع معكم', 'هل تقدمون مساعدات عينية', 'شكرا لكم'];
const OPENERS = ['السلام عليكم', 'مرحبا', 'السلام عليكم ورحمة الله', 'هلا'];
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

/** What a person would send next, given the bot's last answer. */
function nextMessage(turn: Turn | undefined): Record<string, string> {
  if (!turn) return { text: pick(OPENERS) };
  const expecting = turn.expecting;
  if (expecting) {
    switch (expecting.kind) {
      case 'choice':
        return expecting.options?.length ? { payload: pick(expecting.options).value } : { text: '1' };
      case 'yes_no':
        return { text: 'نعم' };
      case 'phone':
        return { text: '0551234567' };
      case 'number':
        return { text: '4' };
      case 'date':
        return { text: '15/03/1990' };
      case 'national_id':
        return { text: '1012345678' };
      default:
        return { text: 'محمد عبدالله العنزي' };
    }
  }
  const choices = turn.replies.at(-1)?.choices;
  if (choices?.length && Math.random() < 0.7) return { payload: pick(choices).value };
  return { text: pick(QUESTIONS) };
}

/** C visitors; each holds a conversation of up to `maxTurns` messages, then a new visitor (new IP) arrives. */
async function drive(baseUrl: string, options: Options, seconds: number, realistic: boolean): Promise<Stats & { elapsed: number }> {
  const url = new URL('/api/webchat/messages', baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const stats: Stats = { latencies: [], errors: new Map(), messages: 0 };
  const warmupEnds = performance.now() + options.warmup * 1000;
  const ends = warmupEnds + seconds * 1000;
  let visitor = 0;
  // Paced: each visitor sends one message every C/R seconds; a late answer makes the next one late,
  // and that wait counts in its latency.
  const interval = options.rate > 0 ? (options.concurrency / options.rate) * 1000 : 0;
  const fail = (kind: string) => performance.now() >= warmupEnds && stats.errors.set(kind, (stats.errors.get(kind) ?? 0) + 1);

  const visitorLoop = async (index: number) => {
    // Spread the first messages over one interval so paced visitors do not arrive in lockstep.
    let due = performance.now() + (interval * index) / options.concurrency;
    while (performance.now() < ends) {
      visitor += 1;
      const ip = `10.${(visitor >> 16) & 255}.${(visitor >> 8) & 255}.${visitor & 255}`;
      let turn: Turn | undefined;
      let conversationId: string | undefined;
      for (let n = 0; n < options.maxTurns && performance.now() < ends; n++) {
        const message = realistic ? nextMessage(turn) : { text: pick(QUESTIONS) };
        if (interval) {
          const wait = due - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        }
        const started = interval ? due : performance.now();
        due += interval;
        try {
          const res = await post(agent, url, { ...message, conversationId, messageId: randomBytes(9).toString('base64url') }, { 'x-forwarded-for': ip });
          const ms = performance.now() - started;
          if (res.status !== 200) {
            fail(`HTTP ${res.status}`);
            break;
          }
          if (started >= warmupEnds) {
            stats.latencies.push(ms);
            stats.messages += 1;
          }
          turn = res.body;
          conversationId = res.body.conversationId;
        } catch (err) {
          fail((err as Error).message || 'network');
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, i) => visitorLoop(i)));
  agent.destroy();
  return { ...stats, elapsed: (performance.now() - warmupEnds) / 1000 };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(name: string, s: Stats & { elapsed: number }) {
  const sorted = [...s.latencies].sort((a, b) => a - b);
  const errors = [...s.errors.values()].reduce((a, b) => a + b, 0);
  return {
    name,
    rate: s.messages / s.elapsed,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    messages: s.messages,
    errors,
    errorKinds: Object.fromEntries(s.errors),
  };
}

function print(r: ReturnType<typeof summary>): void {
  const f = (n: number) => n.toFixed(1).padStart(7);
  console.log(
    `  ${r.name.padEnd(28)} ${r.rate.toFixed(0).padStart(6)} msg/s   p50 ${f(r.p50)} ms   p95 ${f(r.p95)} ms   p99 ${f(r.p99)} ms   max ${f(r.max)} ms   ` +
      `${r.messages} ok, ${r.errors} errors${r.errors ? ` ${JSON.stringify(r.errorKinds)}` : ''}`,
  );
}

// ------------------------------------------------------------------ PostgreSQL scratch database

async function scratchDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const { Client } = await import('pg');
  const name = `nabta_bench_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'nabta-bench-'));
  const db = process.env.DATABASE_URL ? await scratchDatabase(process.env.DATABASE_URL) : undefined;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    PUBLIC_URL: '',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    DATABASE_URL: db?.url ?? '',
    DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '20',
    REDIS_URL: process.env.REDIS_URL ?? '',
    // The bench's dedupe keys need not outlive it in a shared Redis.
    DEDUPE_TTL_SECONDS: '600',
  };
  const flags = options.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve('profiles')}`] : [];
  const store = db ? 'PostgreSQL' : 'PGlite (embedded)';
  console.log(
    `\nNabta web chat bench — ${options.concurrency} concurrent visitors, ${options.seconds} s (+${options.warmup} s warm-up), ` +
      `${options.rate ? `paced at ${options.rate} msg/s offered` : 'closed loop (no think time)'}, ` +
      `store: ${store}, Redis: ${env.REDIS_URL ? 'on' : 'off'}, ${os.cpus().length} CPUs, Node ${process.version}\n`,
  );

  const nabta = await startChild('nabta', env, flags);
  let result;
  try {
    result = summary('nabta POST /api/webchat', await drive(nabta.url, options, options.seconds, true));
  } finally {
    await stopChild(nabta.child);
    await db?.drop().catch((err: unknown) => console.error('could not drop the bench database:', err));
    rmSync(dataDir, { recursive: true, force: true });
  }
  print(result);

  const bare = await startChild('bare', env, []);
  let baseline;
  try {
    baseline = summary('bare express (JSON echo)', await drive(bare.url, { ...options, warmup: 1, rate: 0 }, options.bareSeconds, false));
  } finally {
    await stopChild(bare.child);
  }
  print(baseline);
  if (!options.rate) console.log(`\n  ratio: nabta does ${((result.rate / baseline.rate) * 100).toFixed(1)}% of a bare Express endpoint's throughput on this machine`);
  else console.log(`\n  bare Express does ${baseline.rate.toFixed(0)} req/s here at most; nabta was offered ${options.rate} msg/s and answered ${result.rate.toFixed(0)} msg/s`);
  console.log(`  goal (PostgreSQL + Redis, 200 concurrent): >= 1000 msg/s with p99 <= 100 ms -> ${result.rate >= 1000 && result.p99 <= 100 ? 'met' : 'not met'}`);
  if (!options.rate) console.log('  (closed loop: mean latency = visitors / throughput; use --rate 1000 to measure latency at a given load)');
  console.log('');
  if (options.profile) console.log(`  CPU profile written to ${path.resolve('profiles')} (open in Chrome DevTools > Performance)\n`);
}

if (process.argv[2] === '--serve') {
  void serve(process.argv[3] ?? 'nabta').catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  void main().catch((err: unknown) => {
    console.error('bench failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
