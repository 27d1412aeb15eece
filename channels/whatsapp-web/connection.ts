import type { Logger } from '../../src/log';
import type { WhatsAppWebClient, WhatsAppWebLibrary, WwebEvents, WwebMessage } from './client';
import { backoffDelay, LinkStatus, type Backoff } from './link';

const DESTROY_TIMEOUT_MS = 15_000;

export interface ConnectionOptions {
  library: WhatsAppWebLibrary;
  backoff: Backoff;
  log: Logger;
  onMessage: (message: WwebMessage) => void;
  /** A new QR to show (terminal); the console reads the last one from `link`. */
  onQr?: (qr: string) => void;
  random?: () => number;
}

/**
 * Keeps one whatsapp-web.js client linked: creates it, follows its events into `link`, and when it
 * drops (logout, conflict, browser crash, a failed start) throws it away and starts a new one after
 * an exponential backoff with jitter. Events of a client already thrown away are ignored.
 */
export class WhatsAppWebConnection {
  readonly link = new LinkStatus();
  private client?: WhatsAppWebClient;
  private detach?: () => void;
  private closing: Promise<void> = Promise.resolve();
  private generation = 0;
  private timer?: NodeJS.Timeout;
  private stopped = true;

  constructor(private readonly options: ConnectionOptions) {}

  /** The client, only while it is linked and ready to send. */
  get readyClient(): WhatsAppWebClient | undefined {
    return this.link.state === 'ready' ? this.client : undefined;
  }

  start(): void {
    this.stopped = false;
    this.link.set('starting', { attempt: 0 });
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.generation += 1;
    this.release();
    await this.closing;
    this.link.set('stopped', { attempt: 0 });
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    // One browser per session folder: the previous one must be gone before the next opens it.
    await this.closing;
    if (this.stopped || generation !== this.generation) return;
    let client: WhatsAppWebClient;
    try {
      client = this.options.library.createClient();
    } catch (err) {
      return this.dropped(generation, errorText(err));
    }
    this.client = client;
    this.detach = this.listen(client, generation);
    client.initialize().catch((err: unknown) => this.dropped(generation, errorText(err)));
  }

  private listen(client: WhatsAppWebClient, generation: number): () => void {
    const current = () => generation === this.generation && !this.stopped;
    const { log } = this.options;
    const handlers: WwebEvents = {
      qr: (qr) => {
        if (!current()) return;
        this.link.set('qr', { qr });
        this.options.onQr?.(qr);
      },
      authenticated: () => current() && this.link.set('authenticated'),
      ready: () => {
        if (!current()) return;
        this.link.set('ready', { attempt: 0 });
        log.info({ channel: 'whatsapp-web' }, 'WhatsApp Web linked and ready');
      },
      auth_failure: (message) => this.dropped(generation, `auth_failure: ${message}`),
      disconnected: (reason) => this.dropped(generation, String(reason)),
      change_state: (state) => current() && log.debug({ channel: 'whatsapp-web', state }, 'WhatsApp Web state'),
      message: (message) => current() && this.options.onMessage(message),
    };
    for (const [event, handler] of Object.entries(handlers)) client.on(event as keyof WwebEvents, handler as never);
    return () => {
      for (const [event, handler] of Object.entries(handlers)) client.off(event as keyof WwebEvents, handler as never);
    };
  }

  /** The current client is gone: close it and schedule the next attempt. */
  private dropped(generation: number, reason: string): void {
    if (generation !== this.generation || this.stopped) return;
    this.generation += 1;
    this.release();
    const attempt = this.link.snapshot.attempt + 1;
    this.options.log.warn({ channel: 'whatsapp-web', reason, attempt }, 'WhatsApp Web disconnected');
    this.link.set('disconnected', { attempt, reason });
    const delay = backoffDelay(attempt, this.options.backoff, this.options.random);
    this.link.set('reconnecting', { attempt, reason, retryAt: new Date(Date.now() + delay) });
    this.timer = setTimeout(() => void this.connect(), delay);
  }

  private release(): void {
    this.detach?.();
    this.detach = undefined;
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    // The library destroys a client itself on some disconnects; a second destroy may throw, harmlessly.
    // A browser that will not close must not block every later attempt.
    const closed = Promise.race([Promise.resolve().then(() => client.destroy()), new Promise<void>((resolve) => setTimeout(resolve, DESTROY_TIMEOUT_MS).unref())]).catch(() => undefined);
    this.closing = this.closing.then(() => closed);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
