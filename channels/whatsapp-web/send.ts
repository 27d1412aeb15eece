import type { StoredOutbound } from '../../src/core/channel';
import { SendError } from '../../src/core/errors';
import type { WhatsAppWebClient, WhatsAppWebLibrary, WwebSent } from './client';
import { renderText, type RenderOptions } from './render';

/** How long a sender should wait before retrying when WhatsApp Web is not linked right now. */
export const NOT_LINKED_RETRY_MS = 15_000;

export interface SendDeps {
  client: WhatsAppWebClient;
  library: WhatsAppWebLibrary;
  render: RenderOptions;
  /** Largest outbound file we fetch, in bytes. */
  maxMediaBytes: number;
}

/**
 * Sends one stored message: its media (with the text as caption when it fits) or its text parts.
 * Returns the WhatsApp id of the last part (the one that carries the choices).
 */
export async function sendOne(chatId: string, message: StoredOutbound, deps: SendDeps): Promise<string | undefined> {
  const parts = renderText(message, deps.render);
  let last: string | undefined;
  if (message.media?.url) {
    const file = await fetchMedia(message.media.url, message.media, deps.maxMediaBytes);
    // A caption is one message: if the text needs several, the media goes alone and the text follows.
    const caption = parts.length === 1 ? parts.shift() : undefined;
    last = await deliver(deps.client, chatId, deps.library.media(file), caption ? { caption } : undefined);
  }
  for (const part of parts) last = await deliver(deps.client, chatId, part, { linkPreview: false });
  return last;
}

async function deliver(client: WhatsAppWebClient, chatId: string, content: unknown, options?: { caption?: string; linkPreview?: boolean }): Promise<string> {
  let sent: WwebSent | undefined | null;
  try {
    sent = await client.sendMessage(chatId, content, options);
  } catch (err) {
    throw classify(err);
  }
  // The library answers nothing when WhatsApp knows no such chat: retrying will not create it.
  if (!sent) throw new SendError(`WhatsApp Web has no chat ${chatId}`, false, undefined, 'chat_not_found');
  return sent.id._serialized;
}

/**
 * Errors from the browser page are mostly transient (the page reloaded, the socket dropped): retry.
 * An id WhatsApp rejects as malformed will never work.
 */
export function classify(err: unknown): SendError {
  if (err instanceof SendError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/invalid wid|wid error|not a valid/i.test(message)) return new SendError(`WhatsApp Web refused the chat id: ${message}`, false, undefined, 'invalid_chat');
  return new SendError(`WhatsApp Web send failed: ${message}`, true, NOT_LINKED_RETRY_MS, 'send_failed');
}

async function fetchMedia(url: string, media: NonNullable<StoredOutbound['media']>, maxBytes: number) {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new SendError(`media ${url} could not be fetched: ${(err as Error).message}`, true, undefined, 'media_fetch');
  }
  if (!res.ok) throw new SendError(`media ${url} answered ${res.status}`, res.status >= 500 || res.status === 429, undefined, 'media_fetch');
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new SendError(`media ${url} is larger than the limit`, false, undefined, 'media_too_large');
  const bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.length > maxBytes) throw new SendError(`media ${url} is larger than the limit`, false, undefined, 'media_too_large');
  const mimetype = media.mime ?? res.headers.get('content-type')?.split(';')[0]?.trim() ?? 'application/octet-stream';
  const fileName = media.fileName ?? decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') ?? undefined;
  return { mimetype, data: bytes.toString('base64'), filename: fileName || undefined, filesize: bytes.length };
}
