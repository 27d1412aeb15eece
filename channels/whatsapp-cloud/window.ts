import { CHANNEL } from './inbound';

/**
 * WhatsApp's customer-service window: free messages are accepted until 24 hours after the person's
 * last message; after that only approved templates.
 */
export const REPLY_WINDOW_MS = 24 * 60 * 60 * 1000;
// A message queued at 23:59:30 may reach Meta after the deadline: treat the last minutes as closed.
const SAFETY_MARGIN_MS = 2 * 60 * 1000;

/** When the window closes (or closed); null when the person never wrote. */
export function windowClosesAt(lastInboundAt: Date | null | undefined): Date | null {
  return lastInboundAt ? new Date(lastInboundAt.getTime() + REPLY_WINDOW_MS) : null;
}

/** Whether a free (non-template) message may be sent now. */
export function isWindowOpen(lastInboundAt: Date | null | undefined, now = new Date()): boolean {
  const closes = windowClosesAt(lastInboundAt);
  return closes !== null && now.getTime() < closes.getTime() - SAFETY_MARGIN_MS;
}

export interface ReplyWindow {
  open: boolean;
  /** ISO time the window closes or closed; null when the person never wrote. */
  closesAt: string | null;
}

/** For the console: the reply window of a conversation, or null for channels that have none. */
export function replyWindowOf(conversation: { channel: string; lastInboundAt: Date | null }, now = new Date()): ReplyWindow | null {
  if (conversation.channel !== CHANNEL) return null;
  const closes = windowClosesAt(conversation.lastInboundAt);
  return { open: isWindowOpen(conversation.lastInboundAt, now), closesAt: closes ? closes.toISOString() : null };
}
