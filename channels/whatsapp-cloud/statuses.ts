import type { Logger } from '../../src/log';
import type { Store } from '../../src/store/db';
import { recordDeliveryStatus, type DeliveryError } from '../../src/store/repos/messages';
import { RE_ENGAGEMENT } from './errors';
import { CHANNEL, timestampToDate } from './inbound';
import type { WhatsAppSender } from './send';
import type { WebhookError, WebhookStatus } from './webhook';

const KNOWN = new Set(['sent', 'delivered', 'read', 'failed']);

/**
 * Delivery statuses onto the outbound messages they name (by WhatsApp id). A failure keeps its
 * error for staff; one caused by the closed window is sent again as the template.
 */
export async function applyStatuses(deps: { store: Store; sender: WhatsAppSender; log: Logger }, statuses: WebhookStatus[]): Promise<void> {
  for (const status of statuses) {
    if (!KNOWN.has(status.status)) continue; // "deleted", "warning": nothing to show
    const failed = status.status === 'failed';
    const error = failed ? toDeliveryError(status.errors?.[0]) : undefined;
    const row = await recordDeliveryStatus(deps.store.db, CHANNEL, status.id, status.status as 'sent', timestampToDate(status.timestamp), error);
    if (!row) {
      // Sent by another tool on the same number, or older news than what the message already shows.
      deps.log.debug({ wamid: status.id, status: status.status }, 'WhatsApp status for no pending message');
      continue;
    }
    if (failed) {
      deps.log.warn({ messageId: row.id, conversationId: row.conversationId, error }, 'WhatsApp reported a message failed');
      if (status.errors?.some((e) => Number(e.code) === RE_ENGAGEMENT)) await deps.sender.resendAsTemplate(row);
    }
  }
}

function toDeliveryError(error: WebhookError | undefined): DeliveryError {
  if (!error) return { title: 'failed' };
  const details = error.error_data?.details;
  return {
    ...(error.code !== undefined ? { code: Number.isFinite(Number(error.code)) ? Number(error.code) : error.code } : {}),
    title: error.title ?? error.message ?? 'failed',
    ...(details ? { details } : {}),
  };
}
