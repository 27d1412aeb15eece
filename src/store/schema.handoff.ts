import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, bigint } from 'drizzle-orm/pg-core';

/** Staff, human handoffs, satisfaction ratings and canned replies (issue 5). */

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const STAFF_ROLES = ['agent', 'supervisor', 'committee', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** A member of staff who signs in to the console. */
export const staffUsers = pgTable(
  'staff_users',
  {
    id: text('id').primaryKey(),
    /** Lower-cased. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role').$type<StaffRole>().notNull(),
    /** argon2id, with its parameters and salt in the encoded string. */
    passwordHash: text('password_hash').notNull(),
    active: integer('active').notNull().default(1),
    /** Conversations an agent holds at once before auto-assignment skips them. */
    capacity: integer('capacity').notNull().default(5),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('staff_users_email').on(t.email)],
);

/**
 * Console sessions live in the database so any instance can check them. The cookie carries a random
 * token; only its SHA-256 is stored, so a leaked table does not leak sessions.
 */
export const staffSessions = pgTable(
  'staff_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    staffId: text('staff_id')
      .notNull()
      .references(() => staffUsers.id),
    /** Synchronizer token: the console sends it back in `x-csrf-token` on every state change. */
    csrfToken: text('csrf_token').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('staff_sessions_staff').on(t.staffId)],
);

export type HandoffStatus = 'waiting' | 'assigned' | 'closed' | 'left';

/**
 * One request for a person, from escalation to close. This table is the truth; the Redis queue is
 * rebuilt from the rows still `waiting`.
 */
export const handoffs = pgTable(
  'handoffs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conversationId: text('conversation_id').notNull(),
    channel: text('channel').notNull(),
    reason: text('reason').notNull(),
    /** Higher first: an applicant in the middle of a form before a general question. */
    priority: integer('priority').notNull().default(0),
    status: text('status').$type<HandoffStatus>().notNull().default('waiting'),
    assignedTo: text('assigned_to').references(() => staffUsers.id),
    flowId: text('flow_id'),
    slots: jsonb('slots').$type<Record<string, unknown>>(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    lastBeneficiaryAt: timestamp('last_beneficiary_at', { withTimezone: true }),
    lastStaffReplyAt: timestamp('last_staff_reply_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: text('closed_by'),
  },
  (t) => [
    // At most one open handoff per conversation: a retried outbox row cannot queue a person twice.
    uniqueIndex('handoffs_open_conversation')
      .on(t.conversationId)
      .where(sql`status in ('waiting', 'assigned')`),
    index('handoffs_status').on(t.status, t.requestedAt),
  ],
);

/** A beneficiary's satisfaction rating after a conversation with staff: a tool for improvement. */
export const ratings = pgTable(
  'ratings',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conversationId: text('conversation_id').notNull(),
    handoffId: bigint('handoff_id', { mode: 'number' }).references(() => handoffs.id),
    staffId: text('staff_id'),
    channel: text('channel').notNull(),
    score: integer('score').notNull(),
    comment: text('comment'),
    createdAt: createdAt(),
  },
  (t) => [index('ratings_created').on(t.createdAt)],
);

/** Ready answers staff insert in the composer; edited by supervisors in the console. */
export const cannedReplies = pgTable('canned_replies', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  locale: text('locale').notNull().default('ar'),
  title: text('title').notNull(),
  text: text('text').notNull(),
  updatedBy: text('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
