import { randomUUID } from 'node:crypto';
import type { AttachmentInfo } from '../engine/validators';
import type { AttachmentSink } from '../gateway';
import { insertDocument } from '../store/repos/documents';
import { encrypt } from './crypto';
import { sniffDocumentType, sniffVoiceType } from './fileType';

/** Refs of files that were not stored, and why (the `document` validator tells the person). */
export const REFUSED = { size: 'refused:size', type: 'refused:type', fetch: 'refused:fetch' } as const;

/**
 * Stores every inbound file encrypted (AES-256-GCM, bound to its id) before the turn. Files too big,
 * or whose bytes are not a JPEG, PNG, HEIC or PDF (or, for a voice note, an audio type), are not
 * stored at all. A voice note is kept for the staff who talk to the person; the support request's
 * document questions refuse it (src/requests/validators.ts).
 */
export function documentSink(options: { key: Buffer; maxBytes: number }): AttachmentSink {
  return async (conversation, attachment, tx) => {
    const info = { kind: attachment.kind, fileName: attachment.fileName };
    if (attachment.size !== undefined && attachment.size > options.maxBytes) return { ...info, size: attachment.size, ref: REFUSED.size };
    let bytes: Buffer;
    try {
      bytes = await attachment.fetch();
    } catch {
      return { ...info, ref: REFUSED.fetch };
    }
    if (bytes.length > options.maxBytes) return { ...info, size: bytes.length, ref: REFUSED.size };
    const mime = sniffDocumentType(bytes) ?? (attachment.kind === 'audio' ? sniffVoiceType(bytes) : undefined);
    if (!mime) return { ...info, size: bytes.length, ref: REFUSED.type };
    const id = randomUUID();
    await insertDocument(tx, {
      id,
      conversationId: conversation.id,
      mime,
      size: bytes.length,
      fileName: attachment.fileName?.slice(0, 200) ?? null,
      content: encrypt(options.key, bytes, `document:${id}`),
    });
    const kind = mime === 'application/pdf' ? 'document' : mime.startsWith('audio/') ? 'audio' : 'image';
    const stored: AttachmentInfo = { kind, mime, size: bytes.length, fileName: attachment.fileName, ref: `doc:${id}` };
    return stored;
  };
}
