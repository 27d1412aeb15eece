import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Attachment, Inbound, Locale } from '../../src/core/types';

/** Conversation tokens are bearer secrets: 24 random bytes (192 bits), base64url. */
export function newConversationToken(): string {
  return randomBytes(24).toString('base64url');
}

/** What a token can look like; anything else is an unknown conversation without asking the database. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;

/** Form fields arrive as strings and an empty field means "not sent". */
const field = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' || v === null ? undefined : v), schema.optional());

/** The body of POST /api/webchat/messages, as JSON or as multipart form fields. */
export const messageBodySchema = z.object({
  conversationId: field(z.string()),
  /** Optional client-chosen id: a retried POST with the same id is processed once. */
  messageId: field(z.string().regex(/^[A-Za-z0-9_-]{8,64}$/)),
  text: field(z.string()),
  payload: field(z.string()),
  locale: field(z.enum(['ar', 'en'])),
});
export type MessageBody = z.output<typeof messageBodySchema>;

export interface UploadedFile {
  buffer: Buffer;
  mime: string;
  size: number;
  fileName?: string;
}

export type ParseResult = { ok: true; body: MessageBody } | { ok: false; code: string; vars?: Record<string, string | number> };

const MAX_PAYLOAD = 200;

/** Validates a request body against the channel's limits. Pure: the route turns failures into 4xx answers. */
export function parseMessageBody(raw: unknown, hasFile: boolean, maxTextLength: number): ParseResult {
  const parsed = messageBodySchema.safeParse(raw ?? {});
  if (!parsed.success) return { ok: false, code: 'bad_request' };
  const body = parsed.data;
  if (body.text !== undefined && body.text.length > maxTextLength) return { ok: false, code: 'text_too_long', vars: { max: maxTextLength } };
  if (body.payload !== undefined && body.payload.length > MAX_PAYLOAD) return { ok: false, code: 'payload_too_long' };
  const text = body.text?.trim();
  if (!text && !body.payload && !hasFile) return { ok: false, code: 'empty_message' };
  return { ok: true, body: { ...body, text: text || undefined } };
}

/** Builds the channel-neutral message. The sender id is the conversation token. */
export function toInbound(body: MessageBody, token: string, file?: UploadedFile, receivedAt = new Date()): Inbound {
  const inbound: Inbound = {
    channel: 'webchat',
    // Namespaced by token: one visitor's client ids can never collide with another's.
    channelMessageId: `${token}:${body.messageId ?? randomUUID()}`,
    sender: { id: token },
    receivedAt,
  };
  if (body.text) inbound.text = body.text;
  if (body.payload) inbound.payload = body.payload;
  if (body.locale) inbound.locale = body.locale as Locale;
  if (file) inbound.attachments = [toAttachment(file)];
  return inbound;
}

function toAttachment(file: UploadedFile): Attachment {
  const kind: Attachment['kind'] = file.mime.startsWith('image/') ? 'image' : file.mime === 'application/pdf' ? 'document' : 'other';
  return { kind, mime: file.mime, size: file.size, fileName: file.fileName, fetch: async () => file.buffer };
}
