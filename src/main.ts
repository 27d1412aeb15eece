import 'dotenv/config';
import { startApp } from './app';
import { loadConfigOrReport } from './config';
import { FlowLoadError } from './engine/loader';
import { DataFileError } from './engine/yamlFile';

/** `npm start`: validate configuration, start everything, print where to open the web chat. */
async function main(): Promise<void> {
  const config = loadConfigOrReport();
  if (!config) process.exit(1);
  let app;
  try {
    app = await startApp(config);
  } catch (err) {
    if (err instanceof FlowLoadError || err instanceof DataFileError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const storeLabel = app.store.kind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL';
  app.log.info({ store: app.store.kind, redis: Boolean(app.redis) }, 'Nabta started');
  console.log(`\n  🌱 Nabta is running — open ${app.url}\n     store: ${storeLabel}; ${app.redis ? 'Redis: on (multi-instance)' : 'single-node (no Redis)'}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    await app.stop().catch((err: unknown) => app.log.error({ err }, 'shutdown failed'));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

void main().catch((err: unknown) => {
  console.error('Nabta failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
