import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, type App, type AppOptions } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/log';
import { NLU_CACHE_DIR } from './nluCache';
import { createPostgresDatabase, dropPostgresDatabase, REDIS_TEST_URL } from './stores';

export interface TestAppOptions extends AppOptions {
  store: 'pglite' | 'postgres';
  redis?: boolean;
  /** Reuse a data folder / database (restart tests). */
  dataDir?: string;
  databaseUrl?: string;
  env?: Record<string, string>;
  http?: boolean;
}

export interface TestApp extends App {
  /** Stops the app and removes what the test created (unless it is reused). */
  dispose(): Promise<void>;
}

export function tempDir(prefix = 'nabta-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function testConfig(env: Record<string, string | undefined>): Config {
  return loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', NODE_ENV: 'test', OUTBOX_POLL_MS: '100', NLU_CACHE_DIR, ...env });
}

const running = new Map<string, App>();

/**
 * Waits until the app at `baseUrl` has finished delivering what it committed. Webhooks answer their
 * platform as soon as a message is stored; a test that then looks at the fake platform waits here.
 */
export async function deliveriesSettled(baseUrl: string): Promise<void> {
  await running.get(baseUrl)?.outbox.idle();
}

/** Starts Nabta as `npm start` would, on a fresh PGlite folder or PostgreSQL database. */
export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  const dataDir = options.dataDir ?? tempDir();
  const ownDatabase = options.store === 'postgres' && !options.databaseUrl;
  const databaseUrl = options.store === 'postgres' ? (options.databaseUrl ?? (await createPostgresDatabase())) : undefined;
  const config = testConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REDIS_URL: options.redis ? REDIS_TEST_URL : undefined,
    ...options.env,
  });
  const app = await startApp(config, { log: createLogger({ level: 'silent' }), ...options });
  if (app.url) running.set(app.url, app);
  return Object.assign(app, {
    async dispose() {
      running.delete(app.url);
      await app.stop();
      if (ownDatabase && databaseUrl) await dropPostgresDatabase(databaseUrl);
    },
  });
}
