import type { MessageRow } from '../store/repos/messages';
import type { HandoffRow } from '../store/repos/handoffs';

/** A transcript message as the console shows it. */
export interface ConsoleMessage {
  id: number;
  direction: 'in' | 'out';
  author: string;
  authorId: string | null;
  text: string | null;
  body: Record<string, unknown> | null;
  internal: boolean;
  createdAt: string;
}

export function toConsoleMessage(row: MessageRow): ConsoleMessage {
  return {
    id: row.id,
    direction: row.direction,
    author: row.author,
    authorId: row.authorId,
    text: row.text,
    body: row.body,
    internal: row.internal === 1,
    createdAt: row.createdAt.toISOString(),
  };
}

/** What staff hear about in real time. The console's socket.io namespace implements it. */
export interface StaffEvents {
  queueChanged(): void;
  message(conversationId: string, message: ConsoleMessage): void;
  handoffChanged(handoff: HandoffRow): void;
  /** An SLA breach supervisors should act on. */
  slaReminder(handoff: HandoffRow, waitedMinutes: number): void;
}

/** For tests and the terminal chat: nobody listens. */
export const NO_STAFF_EVENTS: StaffEvents = { queueChanged() {}, message() {}, handoffChanged() {}, slaReminder() {} };
