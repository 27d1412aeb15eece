import { setTimeout as sleep } from 'node:timers/promises';
import type { Update } from 'telegraf/types';
import type { Logger } from '../../src/log';
import { describeError, TelegramError, type TelegramApi } from './api';

export interface PollerOptions {
  /** Seconds Telegram holds a getUpdates call open when there is nothing new. */
  timeoutSeconds?: number;
  allowedUpdates: readonly string[];
  /** An update that fails this many times in a row is skipped (logged), so one bad update cannot stall the bot. */
  maxAttempts?: number;
}

/**
 * Long polling: getUpdates in a loop, each update processed before the next offset confirms it, so
 * an update is never lost between "received" and "committed". One instance only (Telegram answers
 * 409 to a second poller); production with several instances uses the webhook.
 */
export class Poller {
  private readonly controller = new AbortController();
  private loop?: Promise<void>;

  constructor(
    private readonly api: TelegramApi,
    private readonly handle: (update: Update) => Promise<void>,
    private readonly log: Logger,
    private readonly options: PollerOptions,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Ends the open getUpdates call at once and waits for the update in hand to finish. */
  async stop(): Promise<void> {
    this.controller.abort();
    await this.loop;
  }

  private get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  private async run(): Promise<void> {
    const signal = this.controller.signal;
    const timeout = this.options.timeoutSeconds ?? 25;
    const maxAttempts = this.options.maxAttempts ?? 5;
    let offset = 0;
    let failures = 0;
    let failedUpdate: { id: number; attempts: number } | undefined;
    let webhookCleared = false;
    while (!this.stopped) {
      try {
        if (!webhookCleared) {
          // A webhook left from webhook mode makes getUpdates answer 409.
          await this.api.call('deleteWebhook', { drop_pending_updates: false }, { signal });
          webhookCleared = true;
        }
        const updates = await this.api.call('getUpdates', { offset, timeout, allowed_updates: this.options.allowedUpdates as never }, { signal, timeoutMs: (timeout + 15) * 1000 });
        failures = 0;
        for (const update of updates) {
          if (this.stopped) return;
          try {
            await this.handle(update);
          } catch (err) {
            const attempts = failedUpdate?.id === update.update_id ? failedUpdate.attempts + 1 : 1;
            failedUpdate = { id: update.update_id, attempts };
            if (attempts < maxAttempts) throw err;
            this.log.error({ err, channel: 'telegram', updateId: update.update_id, attempts }, 'telegram update skipped after repeated failures');
          }
          offset = update.update_id + 1;
        }
      } catch (err) {
        if (this.stopped) return;
        failures += 1;
        if (err instanceof TelegramError && err.code === 409) webhookCleared = false;
        const wait = Math.min(1000 * 2 ** (failures - 1), 30_000);
        this.log.warn({ channel: 'telegram', error: describeError(err), retryInMs: wait }, 'telegram polling failed; retrying');
        await sleep(wait, undefined, { signal }).catch(() => undefined);
      }
    }
  }
}
