import { open } from 'node:fs/promises';
import path from 'node:path';
import type { Attachment } from '../../src/core/types';
import type { TelegramApi } from './api';
import type { FileRef } from './inbound';

const DOWNLOAD_TIMEOUT_MS = 60_000;

class TooLarge extends Error {
  constructor(readonly size: number) {
    super(`file of ${size} bytes is over the limit`);
  }
}

/**
 * Downloads a file a person sent (getFile, then the file URL) into memory, before the turn: the
 * turn's transaction then never waits on Telegram. The size is checked before downloading when
 * Telegram reports it, and counted while downloading when it does not. A file that is too large
 * keeps its size so the document store refuses it as such ("larger than N MB"); a failed download
 * becomes an attachment whose bytes cannot be fetched.
 */
export async function downloadAttachment(api: TelegramApi, ref: FileRef, maxBytes: number): Promise<Attachment> {
  const described = { kind: ref.kind, mime: ref.mime, fileName: ref.fileName };
  const refused = (size: number | undefined, why: unknown): Attachment => ({
    ...described,
    size,
    fetch: () => Promise.reject(why instanceof Error ? why : new Error(String(why))),
  });
  if (ref.size !== undefined && ref.size > maxBytes) return refused(ref.size, new TooLarge(ref.size));
  try {
    const file = await api.call('getFile', { file_id: ref.fileId });
    if (file.file_size !== undefined && file.file_size > maxBytes) return refused(file.file_size, new TooLarge(file.file_size));
    if (!file.file_path) throw new Error('getFile gave no file_path');
    const bytes = path.isAbsolute(file.file_path) ? await readLocal(file.file_path, maxBytes) : await download(api.fileUrl(file.file_path), maxBytes);
    return { ...described, size: bytes.length, fetch: async () => bytes };
  } catch (err) {
    return refused(err instanceof TooLarge ? err.size : ref.size, err);
  }
}

/** A self-hosted Bot API server in --local mode gives an absolute path on its own disk (shared with us). */
async function readLocal(file: string, maxBytes: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw new TooLarge(size);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

async function download(url: string, maxBytes: number): Promise<Buffer> {
  const controller = new AbortController();
  const res = await fetch(url, { signal: AbortSignal.any([controller.signal, AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS)]) });
  if (!res.ok || !res.body) throw new Error(`file download answered ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    controller.abort();
    throw new TooLarge(declared);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > maxBytes) {
      controller.abort();
      throw new TooLarge(total);
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
