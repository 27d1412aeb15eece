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

/** Voice notes a beneficiary may send to staff (WhatsApp and Telegram send OGG/Opus, iPhones M4A). */
export const VOICE_TYPES = ['audio/ogg', 'audio/mpeg', 'audio/mp4', 'audio/webm', 'audio/amr'] as const;
export type VoiceType = (typeof VOICE_TYPES)[number];

/** The audio type the bytes show, or undefined. An MP4 box counts as audio only when the channel said "voice". */
export function sniffVoiceType(bytes: Buffer): VoiceType | undefined {
  if (bytes.subarray(0, 6).toString('latin1') === '#!AMR\n') return 'audio/amr';
  const found = filetypemime(bytes.subarray(0, 64));
  if (found.includes('application/ogg') || found.includes('audio/ogg')) return 'audio/ogg';
  if (found.includes('audio/mpeg') || found.includes('audio/mp3')) return 'audio/mpeg';
  if (found.includes('audio/webm')) return 'audio/webm';
  if (found.includes('video/mp4') || found.includes('audio/mp4') || found.includes('audio/x-m4a')) return 'audio/mp4';
  return undefined;
}
