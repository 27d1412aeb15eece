import path from 'node:path';

/**
 * The few parts of whatsapp-web.js this channel uses, as plain types. The adapter depends on these,
 * not on the library, so it can be tested against a stand-in (WhatsApp itself cannot be reached from
 * tests) and so the library — and its Chromium — load only when the channel is turned on.
 */

/** A message as whatsapp-web.js hands it over (the fields we read of its `Message`). */
export interface WwebMessage {
  id: { _serialized: string };
  /** The chat it came from: `9665…@c.us` or `…@lid` for a person, `…@g.us` for a group, `status@broadcast`. */
  from: string;
  fromMe: boolean;
  /** Text, or a media message's caption. For a location it is a thumbnail, never text. */
  body: string;
  type: string;
  timestamp: number;
  hasMedia: boolean;
  broadcast?: boolean;
  isStatus?: boolean;
  location?: { latitude: string | number; longitude: string | number; name?: string; description?: string };
  /** The raw model: `notifyName` (the person's WhatsApp name) and, for media, `size` and `filename`. */
  _data?: { notifyName?: string; size?: number; filename?: string };
  downloadMedia(): Promise<WwebMedia | undefined | null>;
}

/** whatsapp-web.js's MessageMedia: base64 bytes. */
export interface WwebMedia {
  mimetype: string;
  data: string;
  filename?: string | null;
  filesize?: number | null;
}

export interface WwebSent {
  id: { _serialized: string };
}

/** The events we listen to, with their payloads. */
export interface WwebEvents {
  qr: (qr: string) => void;
  authenticated: () => void;
  auth_failure: (message: string) => void;
  ready: () => void;
  disconnected: (reason: string) => void;
  change_state: (state: string) => void;
  message: (message: WwebMessage) => void;
}

/** The Client as the adapter uses it. */
export interface WhatsAppWebClient {
  info?: { wid?: { _serialized: string; user?: string } };
  on<E extends keyof WwebEvents>(event: E, listener: WwebEvents[E]): unknown;
  off<E extends keyof WwebEvents>(event: E, listener: WwebEvents[E]): unknown;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  /** `content` is text, or what `media()` made. Resolves undefined when the chat does not exist. */
  sendMessage(chatId: string, content: unknown, options?: { caption?: string; linkPreview?: boolean }): Promise<WwebSent | undefined | null>;
}

/** Makes clients (one per connection attempt) and media objects the client accepts. */
export interface WhatsAppWebLibrary {
  createClient(): WhatsAppWebClient;
  /** The library's MessageMedia: sendMessage recognises media by its class. */
  media(file: WwebMedia): unknown;
}

export interface LibraryOptions {
  dataDir: string;
  chromePath: string;
}

/** Where LocalAuth keeps the linked session (delete it to unlink this server). */
export const sessionDir = (dataDir: string) => path.join(dataDir, 'whatsapp-web');

/**
 * The real whatsapp-web.js, loaded on first use. Chromium is the system's (`CHROME_PATH`): the
 * project never downloads a browser. LocalAuth keeps the session under DATA_DIR, so a restart does
 * not ask for the QR again.
 */
export function whatsappWebLibrary(options: LibraryOptions): WhatsAppWebLibrary {
  // Lazy: the library (and puppeteer) load only when the channel is turned on.
  const load = () => require('whatsapp-web.js') as typeof import('whatsapp-web.js');
  return {
    createClient() {
      const { Client, LocalAuth } = load();
      const client = new Client({
        authStrategy: new LocalAuth({ dataPath: sessionDir(options.dataDir) }),
        puppeteer: {
          executablePath: options.chromePath,
          headless: true,
          args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run', '--no-default-browser-check'],
        },
      });
      return client as unknown as WhatsAppWebClient;
    },
    media(file) {
      const { MessageMedia } = load();
      return new MessageMedia(file.mimetype, file.data, file.filename ?? null, file.filesize ?? null);
    },
  };
}
