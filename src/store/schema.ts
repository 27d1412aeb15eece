import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, bigint } from 'drizzle-orm/pg-core';
import type { ConversationState } from '../engine/state';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** A person who has given their details (support request applicants). */
export const beneficiaries = pgTable('beneficiaries', {
  id: text('id').primaryKey(),
  fullName: text('full_name'),
  /** E.164. */
  mobile: text('mobile'),
  locale: text('locale').notNull().default('ar'),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One conversation per person per channel. Its `state` is the engine's state, saved every turn. */
export const conversations = pgTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    channel: text('channel').notNull(),
    channelUserId: text('channel_user_id').notNull(),
    displayName: text('display_name'),
    beneficiaryId: text('beneficiary_id').references(() => beneficiaries.id),
    locale: text('locale').notNull().default('ar'),
    mode: text('mode').notNull().default('bot'),
    state: jsonb('state').$type<ConversationState>().notNull(),
    lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set when the platform says the person cannot be reached (blocked the bot): sends stop, staff see it. */
    unreachableAt: timestamp('unreachable_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('conversations_channel_user').on(t.channel, t.channelUserId)],
);

/** The full transcript, both directions. `id` is the cursor clients page with. */
export const messages = pgTable(
  'messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id),
    direction: text('direction').$type<'in' | 'out'>().notNull(),
    /** beneficiary | bot | staff | system */
    author: text('author').notNull(),
    authorId: text('author_id'),
    channel: text('channel').notNull(),
    /** Inbound: the platform's message id (dedupe key). Outbound: the id the platform gave on send. */
    channelMessageId: text('channel_message_id'),
    text: text('text'),
    /** Choices, attachments, location, expecting: whatever the channel-neutral message carried. */
    body: jsonb('body').$type<Record<string, unknown>>(),
    internal: integer('internal').notNull().default(0),
    /** Outbound delivery status as the platform reports it (sent, delivered, read, failed). */
    status: text('status'),
    statusAt: timestamp('status_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('messages_conversation').on(t.conversationId, t.id),
    // Delivery statuses name the platform's id of an outbound message.
    index('messages_outbound_channel_id')
      .on(t.channel, t.channelMessageId)
      .where(sql`direction = 'out'`),
    uniqueIndex('messages_inbound_dedupe')
      .on(t.channel, t.channelMessageId)
      .where(sql`direction = 'in'`),
  ],
);

/**
 * Work committed with a turn and done after it: deliveries and effects. A row stays until its handler
 * succeeds, so a crash between commit and delivery loses nothing.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    conversationId: text('conversation_id'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
    leasedUntil: timestamp('leased_until', { withTimezone: true }),
    doneAt: timestamp('done_at', { withTimezone: true }),
    failedAt: timestamp('failed_at', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: createdAt(),
  },
  (t) => [index('outbox_pending').on(t.availableAt).where(sql`done_at IS NULL AND failed_at IS NULL`)],
);

/** Who did what, when: every access to personal data and every decision. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** `bot`, `system`, `staff:<id>`, `beneficiary:<conversation id>` */
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    details: jsonb('details').$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_subject').on(t.subjectType, t.subjectId), index('audit_at').on(t.at)],
);

/** What people hand in through the simpler forms: volunteering offers, complaints, suggestions, praise. */
export const submissions = pgTable(
  'submissions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** volunteer | complaint | suggestion | praise */
    kind: text('kind').notNull(),
    reference: text('reference').notNull().unique(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    /** new | in_progress | closed */
    status: text('status').notNull().default('new'),
    createdAt: createdAt(),
  },
  (t) => [index('submissions_kind_status').on(t.kind, t.status, t.createdAt)],
);

/** Counters that must be unique across instances (reference numbers). */
export const counters = pgTable('counters', {
  name: text('name').primaryKey(),
  value: bigint('value', { mode: 'number' }).notNull().default(0),
});
export * from './schema.handoff';
export * from './schema.requests';
