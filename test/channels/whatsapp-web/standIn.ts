/**
 * A stand-in for whatsapp-web.js. WhatsApp itself cannot be reached from these tests (no phone to
 * link, no network to web.whatsapp.com), so the library's Client is replaced at its event boundary:
 * the stand-in emits the same events ('qr', 'authenticated', 'ready', 'disconnected', 'message' …)
 * with Message-shaped objects (downloadMedia() answers {mimetype, data (base64), filename, filesize}),
 * and records what the adapter sends. Everything behind the adapter — gateway, flows, store, outbox,
 * console — is the real thing.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { WhatsAppWebClient, WhatsAppWebLibrary, WwebMedia, WwebMessage, WwebSent } from '../../../channels/whatsapp-web/client';

export interface SentMessage {
  client: number;
  chatId: string;
  /** Text, or undefined for media. */
  text?: string;
  media?: WwebMedia;
  caption?: string;
}

export class StandInClient extends EventEmitter implements WhatsAppWebClient {
  info = { wid: { _serialized: '966500000001@c.us', user: '966500000001' } };
  initialized = false;
  destroyed = false;
  private count = 0;

  constructor(
    private readonly library: StandInWhatsApp,
    readonly index: number,
  ) {
    super();
  }

  async initialize(): Promise<void> {
    this.initialized = true;
    this.library.emit('initialize', this);
    const failure = this.library.failures.shift();
    if (failure) throw new Error(failure);
    // As the real client: a kept session authenticates by itself; otherwise a QR waits for a scan.
    setImmediate(() => {
      if (this.destroyed) return;
      if (!this.library.linked) return void this.emit('qr', `2@stand-in-qr-${this.index}-${randomBytes(8).toString('hex')}`);
      if (this.library.holdReady) return;
      this.link();
    });
  }

  /** The phone scanned the QR (or the held session came back): authenticated, then ready. */
  link(): void {
    this.library.linked = true;
    this.emit('authenticated');
    this.emit('ready');
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    this.removeAllListeners();
  }

  async sendMessage(chatId: string, content: unknown, options: { caption?: string } = {}): Promise<WwebSent | undefined> {
    if (this.destroyed) throw new Error('Protocol error (Runtime.callFunctionOn): Session closed. Most likely the page has been closed.');
    if (this.library.unknownChats.has(chatId)) return undefined;
    const failure = this.library.sendFailures.shift();
    if (failure) throw new Error(failure);
    this.count += 1;
    const sent: SentMessage =
      typeof content === 'string' ? { client: this.index, chatId, text: content } : { client: this.index, chatId, media: content as WwebMedia, caption: options.caption };
    this.library.record(sent);
    return { id: { _serialized: `true_${chatId}_STANDIN${this.index}X${this.count}` } };
  }

  /** A person writes: the 'message' event with a Message-shaped object. */
  receive(message: WwebMessage): WwebMessage {
    this.emit('message', message);
    return message;
  }
}

/** The library: makes stand-in clients, emits 'initialize' (client) when one starts. */
export class StandInWhatsApp extends EventEmitter<{ initialize: [StandInClient] }> implements WhatsAppWebLibrary {
  readonly clients: StandInClient[] = [];
  readonly sent: SentMessage[] = [];
  /** A LocalAuth session exists: new clients authenticate without a QR. */
  linked = true;
  /** New clients stay "authenticating" until the test calls link(). */
  holdReady = false;
  /** Errors the next initialize() calls throw (Chromium missing, page crashed). */
  readonly failures: string[] = [];
  readonly sendFailures: string[] = [];
  readonly unknownChats = new Set<string>();
  private waiters: { test: (m: SentMessage) => boolean; from: number; resolve: (m: SentMessage) => void }[] = [];

  createClient(): StandInClient {
    const client = new StandInClient(this, this.clients.length);
    this.clients.push(client);
    return client;
  }

  media(file: WwebMedia): WwebMedia {
    return { ...file };
  }

  get current(): StandInClient {
    return this.clients[this.clients.length - 1]!;
  }

  record(message: SentMessage): void {
    const index = this.sent.push(message) - 1;
    this.waiters = this.waiters.filter((w) => (index >= w.from && w.test(message) ? (w.resolve(message), false) : true));
  }

  /** The first message sent from now on (or from `from`) that passes `test`. */
  waitForSent(test: (m: SentMessage) => boolean, from = this.sent.length): Promise<SentMessage> {
    const found = this.sent.slice(from).find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ test, from, resolve }));
  }

  textsTo(chatId: string, from = 0): string[] {
    return this.sent.slice(from).filter((m) => m.chatId === chatId && m.text !== undefined).map((m) => m.text!);
  }
}

let serial = 0;

/** A Message-shaped object as whatsapp-web.js builds it for an incoming chat message. */
export function message(from: string, body: string, extra: Partial<WwebMessage> = {}): WwebMessage {
  serial += 1;
  return {
    id: { _serialized: `false_${from}_3EB0${process.pid}${serial}${randomBytes(4).toString('hex').toUpperCase()}` },
    from,
    fromMe: false,
    body,
    type: 'chat',
    timestamp: Math.floor(Date.now() / 1000),
    hasMedia: false,
    broadcast: false,
    isStatus: false,
    _data: { notifyName: 'نورة' },
    downloadMedia: async () => undefined,
    ...extra,
  };
}

/** An incoming photo or document: downloadMedia() answers the bytes as whatsapp-web.js does (base64). */
export function mediaMessage(from: string, bytes: Buffer, file: { type: 'image' | 'document'; mimetype: string; filename?: string; caption?: string }): WwebMessage {
  return message(from, file.caption ?? '', {
    type: file.type,
    hasMedia: true,
    _data: { notifyName: 'نورة', size: bytes.length, filename: file.filename },
    downloadMedia: async () => ({ mimetype: file.mimetype, data: bytes.toString('base64'), filename: file.filename ?? null, filesize: bytes.length }),
  });
}

/** A fresh WhatsApp chat id for a Saudi mobile number. */
export function newChatId(): string {
  return `9665${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}@c.us`;
}
