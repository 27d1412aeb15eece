import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { startTestApp, type TestApp, type TestAppOptions } from '../../support/app';
import { FakeTelegram } from '../../support/fakeTelegram';
import { uniquePrefix } from '../../console/support';
import { TelegramUser } from './telegramUser';

export interface TelegramHarness {
  app: TestApp;
  fake: FakeTelegram;
  secret: string;
  /** A new person writing to the bot (webhook mode: through POST /webhooks/telegram; polling: getUpdates). */
  user(languageCode?: string): TelegramUser;
  dispose(): Promise<void>;
}

/** A port nobody listens on now: webhook mode needs the app's URL before the app starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Nabta with its Telegram channel pointed at a local fake Bot API server (TELEGRAM_API_ROOT). */
export async function startTelegramApp(
  options: Omit<TestAppOptions, 'env'> & { mode: 'webhook' | 'polling'; env?: Record<string, string>; leftoverWebhook?: string },
): Promise<TelegramHarness> {
  const { mode, leftoverWebhook, env: extraEnv, ...appOptions } = options;
  const fake = await new FakeTelegram().start();
  // A webhook still set from an earlier webhook-mode run (polling must remove it first).
  if (leftoverWebhook) fake.webhook = { url: leftoverWebhook };
  const secret = randomBytes(24).toString('hex');
  const prefix = uniquePrefix();
  const port = mode === 'webhook' ? await freePort() : 0;
  const env: Record<string, string> = {
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    QUEUE_PREFIX: prefix,
    PORT: String(port),
    ...(mode === 'webhook' ? { TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/webhooks/telegram`, TELEGRAM_WEBHOOK_SECRET: secret } : {}),
    ...extraEnv,
  };
  const app = await startTestApp({ ...appOptions, env });
  const transport =
    mode === 'webhook'
      ? async (update: Record<string, any>) => {
          const answer = await fake.deliver(update);
          if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}: ${answer.body}`);
          // The webhook answers once the update is stored; its replies follow through the outbox.
          await app.outbox.idle();
        }
      : async (update: Record<string, any>) => fake.queueUpdate(update);
  if (mode === 'webhook') await fake.waitForCall((c) => c.method === 'setWebhook' && c.status === 200);
  return {
    app,
    fake,
    secret,
    user: (languageCode = 'ar') => new TelegramUser(fake, transport, languageCode),
    async dispose() {
      if (app.redis) {
        const keys = await app.redis.keys(`${prefix}:*`);
        if (keys.length) await app.redis.del(...keys);
      }
      await app.dispose();
      await fake.stop();
    },
  };
}
