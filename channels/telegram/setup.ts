import { setTimeout as sleep } from 'node:timers/promises';
import type { Locale } from '../../src/core/types';
import type { Translate } from '../../src/engine/runTurn';
import type { Logger } from '../../src/log';
import { describeError, type TelegramApi } from './api';
import { commandMenu } from './commands';

export interface BotSetup {
  /** Webhook mode: the URL Telegram posts to and the secret it sends back. */
  webhook?: { url: string; secret: string; allowedUpdates: readonly string[] };
  t: Translate;
  defaultLocale: Locale;
}

/**
 * Tells Telegram how to reach us (setWebhook) and what the command menu says in Arabic and English
 * (setMyCommands; people whose app is in another language get the default locale's). Runs in the
 * background and retries until it succeeds: Telegram being briefly unreachable must not stop Nabta.
 */
export async function configureBot(api: TelegramApi, setup: BotSetup, log: Logger, signal: AbortSignal): Promise<void> {
  const tasks: { name: string; run: () => Promise<unknown> }[] = [];
  if (setup.webhook) {
    const { url, secret, allowedUpdates } = setup.webhook;
    tasks.push({ name: 'setWebhook', run: () => api.call('setWebhook', { url, secret_token: secret, allowed_updates: allowedUpdates as never }, { signal }) });
  }
  tasks.push({
    name: 'setMyCommands',
    run: async () => {
      await api.call('setMyCommands', { commands: commandMenu(setup.defaultLocale, setup.t) }, { signal });
      for (const locale of ['ar', 'en'] as const) await api.call('setMyCommands', { commands: commandMenu(locale, setup.t), language_code: locale }, { signal });
    },
  });
  for (const task of tasks) await retry(task.name, task.run, log, signal);
}

async function retry(name: string, run: () => Promise<unknown>, log: Logger, signal: AbortSignal): Promise<void> {
  for (let attempt = 1; !signal.aborted; attempt++) {
    try {
      await run();
      log.info({ channel: 'telegram', call: name }, 'telegram bot configured');
      return;
    } catch (err) {
      if (signal.aborted) return;
      const wait = Math.min(1000 * 2 ** (attempt - 1), 60_000);
      log.warn({ channel: 'telegram', call: name, error: describeError(err), retryInMs: wait }, 'telegram setup call failed; retrying');
      await sleep(wait, undefined, { signal }).catch(() => undefined);
    }
  }
}
