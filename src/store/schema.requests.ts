import { boolean, customType, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Support requests and their documents (issue 6). Personal data here is what the policy needs, no more. */

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** Raw bytes (encrypted documents). PostgreSQL and PGlite both hand back a Uint8Array/Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
  toDriver: (value) => value,
});

export const REQUEST_STATUSES = ['submitted', 'under_review', 'needs_info', 'accepted', 'rejected'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
/** A request still being handled: a second one for the same national ID is refused. */
export const OPEN_STATUSES: readonly RequestStatus[] = ['submitted', 'under_review', 'needs_info'];

export const supportRequests = pgTable(
  'support_requests',
  {
    id: text('id').primaryKey(),
    /** HB-YYYY-NNNNNN */
    reference: text('reference').notNull(),
    conversationId: text('conversation_id').notNull(),
    channel: text('channel').notNull(),
    locale: text('locale').notNull().default('ar'),
    status: text('status').$type<RequestStatus>().notNull().default('submitted'),
    fullName: text('full_name').notNull(),
    /** HMAC-SHA256 of the national ID (duplicate lookup); the number itself only encrypted. */
    nationalIdHash: text('national_id_hash').notNull(),
    /** AES-256-GCM, base64; shown to staff roles that may see it. */
    nationalIdEnc: text('national_id_enc').notNull(),
    /** For the status check ("last 4 digits") and masked display. */
    nationalIdLast4: text('national_id_last4').notNull(),
    /** citizen | resident */
    idType: text('id_type').notNull(),
    /** E.164 */
    mobile: text('mobile').notNull(),
    residence: jsonb('residence').$type<Record<string, unknown>>().notNull(),
    otherAssociations: boolean('other_associations').notNull(),
    otherAssociationsNames: text('other_associations_names'),
    eligibility: jsonb('eligibility').$type<Record<string, unknown>>().notNull(),
    declaredAt: timestamp('declared_at', { withTimezone: true }).notNull(),
    decisionReason: text('decision_reason'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('support_requests_reference').on(t.reference),
    index('support_requests_id_hash').on(t.nationalIdHash),
    index('support_requests_conversation').on(t.conversationId),
    index('support_requests_status').on(t.status, t.createdAt),
  ],
);

/** Every file a person sent, encrypted at rest; linked to a request when it becomes one of its documents. */
export const documents = pgTable(
  'documents',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id').notNull(),
    requestId: text('request_id').references(() => supportRequests.id),
    /** id_copy | family_book | residence_proof | extra */
    role: text('role'),
    /** Type found in the bytes (never the name or the declared type). */
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    fileName: text('file_name'),
    /** version | iv | tag | AES-256-GCM ciphertext, bound to `id`. */
    content: bytea('content').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('documents_request').on(t.requestId), index('documents_conversation').on(t.conversationId)],
);
