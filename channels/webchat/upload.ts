import type { RequestHandler } from 'express';
import { filetypemime } from 'magic-bytes.js';
import multer from 'multer';
import { WebchatError } from './errors';
import type { UploadedFile } from './inbound';

/** What a visitor may send: the photos and PDFs the support-request documents need. */
export const ACCEPTED_MIME = ['image/jpeg', 'image/png', 'image/heic', 'image/heif', 'application/pdf'] as const;

/** multipart/form-data with at most one `file` field, kept in memory and bounded in size. */
export function multipartParser(maxBytes: number): RequestHandler {
  return multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 32 * 1024, parts: 12 },
  }).single('file');
}

/**
 * Checks the bytes, not the name or the declared type: a renamed executable is refused. Returns the
 * file as the channel hands it on, with the type its bytes show.
 */
export function checkUpload(file: Express.Multer.File | undefined): UploadedFile | undefined {
  if (!file) return undefined;
  const sniffed = filetypemime(file.buffer.subarray(0, 64));
  const mime = ACCEPTED_MIME.find((m) => sniffed.includes(m));
  if (!mime) throw new WebchatError(415, 'file_type');
  return { buffer: file.buffer, mime, size: file.size, fileName: safeName(file.originalname) };
}

/** Busboy decodes names as latin1; browsers send UTF-8 (Arabic file names). Paths are dropped. */
function safeName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const utf8 = Buffer.from(name, 'latin1').toString('utf8');
  const decoded = utf8.includes('\uFFFD') ? name : utf8;
  return decoded.split(/[\\/]/).pop()!.slice(0, 200);
}
