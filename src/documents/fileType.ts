import { filetypemime } from 'magic-bytes.js';

/** What a support request's documents may be: photos and PDFs. */
export const DOCUMENT_TYPES = ['image/jpeg', 'image/png', 'image/heic', 'application/pdf'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** The type the bytes show (never the name or the declared type), or undefined when not accepted. */
export function sniffDocumentType(bytes: Buffer): DocumentType | undefined {
  const found = filetypemime(bytes.subarray(0, 64));
  if (found.includes('image/jpeg')) return 'image/jpeg';
  if (found.includes('image/png')) return 'image/png';
  if (found.includes('application/pdf')) return 'application/pdf';
  // Phones write HEIC (HEVC in a HEIF box); the library names the family image/heif.
  if (found.includes('image/heic') || found.includes('image/heif')) return 'image/heic';
  return undefined;
}
