import { spawn } from 'node:child_process';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import type { Action } from '../../src/gateway';
import { messages } from '../../src/store/schema';
import { startTestApp, tempDir, type TestApp, type TestAppOptions } from '../support/app';
import { fixtureContentEnv } from '../support/fixtureContent';
import { inbound, RecordingChannel } from '../support/recordingChannel';
import { createPostgresDatabase, dropPostgresDatabase } from '../support/stores';

const save: Action = async (call) => `REF-${String(call.slots.full_name).length}`;
const actions = new Map([['save', save]]);

/** Runs the app on the fixture content (real flows + the `signup` test form). */
function start(options: Omit<TestAppOptions, 'actions'>): Promise<TestApp> {
  return startTestApp({ http: false, actions, ...options, env: { ...fixtureContentEnv(), ...options.env } });
}

const MODES = [
  { name: 'PGlite, single-node', store: 'pglite' as const, redis: false },
  { name: 'PostgreSQL + Redis', store: 'postgres' as const, redis: true },
];

// Each test starts the service at least once, and every start reads the FAQ's ten thousand examples
// and loads the trained networks (seconds each; much longer on a busy two-core CI machine).
const RESTART_TIMEOUT_MS = 120_000;

describe.each(MODES)('pipeline reliability on $name', ({ store, redis }) => {
  it('handles 20 concurrent messages to one conversation one by one, in order, none lost', async () => {
    const channel = new RecordingChannel();
    const app = await start({ store, redis, channels: [channel] });
    try {
      const user = `busy-${Date.now()}`;
      const sent = Array.from({ length: 20 }, (_, i) => inbound(user, `رسالة رقم ${i + 1} ما فهمها البوت`));
      const results = await Promise.all(sent.map((m) => app.gateway.receive(m)));
      expect(results.every((r) => !r.duplicate && r.replies.length > 0)).toBe(true);

      const transcript = await app.store.db
        .select()
        .from(messages)
        .where(eq(messages.conversationId, results[0]!.conversation!.id))
        .orderBy(asc(messages.id));
      const inboundTexts = transcript.filter((m) => m.direction === 'in').map((m) => m.text);
      expect(inboundTexts).toEqual(sent.map((m) => m.text));
      // Each message's replies follow it before the next message is taken: in, out…, in, out…
      const shape = transcript.map((m) => m.direction).join(' ');
      expect(shape).toMatch(/^(in( out)+ ?){20}$/);
    } finally {
      await app.dispose();
    }
  }, RESTART_TIMEOUT_MS);

  it('resumes a form where it was after a restart', async () => {
    const dataDir = tempDir();
    const databaseUrl = store === 'postgres' ? await createPostgresDatabase() : undefined;
    const user = `restart-${Date.now()}`;
    const first = await start({ store, redis, dataDir, databaseUrl });
    await first.gateway.receive(inbound(user, '', { payload: 'flow:signup' }));
    await first.gateway.receive(inbound(user, 'نورة العتيبي'));
    await first.dispose();

    const second = await start({ store, redis, dataDir, databaseUrl });
    try {
      const afterRestart = await second.gateway.receive(inbound(user, '0551234567'));
      expect(afterRestart.expecting).toMatchObject({ slot: 'agree', kind: 'yes_no' });
      const done = await second.gateway.receive(inbound(user, 'نعم'));
      expect(done.replies.map((r) => r.text)).toEqual(['تم الحفظ برقم REF-12 باسم نورة العتيبي.']);
    } finally {
      await second.dispose();
      if (databaseUrl) await dropPostgresDatabase(databaseUrl);
    }
  }, RESTART_TIMEOUT_MS);

  it('delivers a reply committed just before a crash once the service is back', async () => {
    const dataDir = tempDir();
    const databaseUrl = store === 'postgres' ? await createPostgresDatabase() : undefined;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../support/crashingInstance.ts')], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '' },
      stdio: 'ignore',
    });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    expect(signal).toBe('SIGKILL');

    const channel = new RecordingChannel();
    const restarted = await start({ store, redis, dataDir, databaseUrl, channels: [channel], env: { OUTBOX_LEASE_SECONDS: '1' } });
    try {
      await channel.waitForSent(2);
      expect(channel.sent[0]!.address.channelUserId).toBe('crash-user');
      expect(channel.texts()[0]).toMatch(/^وعليكم السلام/);
    } finally {
      await restarted.dispose();
      if (databaseUrl) await dropPostgresDatabase(databaseUrl);
    }
  }, RESTART_TIMEOUT_MS);
});
