import 'dotenv/config';
import { createInterface } from 'node:readline/promises';
import { TerminalAdapter } from '../../channels/terminal/adapter';
import { startApp } from '../app';
import { loadConfigOrReport } from '../config';
import { createLogger } from '../log';

/**
 * `npm run chat`: talk to Nabta in the terminal, on the same store and flows as the server.
 * `npm run chat -- --user NAME` resumes NAME's conversation; `--en` starts a new one in English.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const userIndex = args.indexOf('--user');
  const userId = userIndex >= 0 && args[userIndex + 1] ? args[userIndex + 1]! : `terminal-${process.env.USER ?? 'dev'}`;
  const config = loadConfigOrReport();
  if (!config) process.exit(1);
  const terminal = new TerminalAdapter(userId, (text) => process.stdout.write(text), () => process.stdout.columns || 80, args.includes('--en') ? 'en' : 'ar');
  const app = await startApp({ ...config, OUTBOX_POLL_MS: 200 }, { http: false, channels: [terminal], log: createLogger({ level: 'warn' }) });
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  console.log(`Nabta terminal chat — conversation "${userId}" (${app.store.kind}). Type a message; Ctrl+D to quit.\n`);
  rl.setPrompt('› ');
  rl.prompt();
  for await (const line of rl) {
    if (line.trim()) await terminal.say(line);
    // Replies are printed by the outbox delivery; let it finish before the next prompt.
    await app.outbox.pollOnce();
    rl.prompt();
  }
  await app.stop();
}

void main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
