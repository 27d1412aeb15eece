import { SendError } from '../../src/core/errors';
import type { DeliveryError } from '../../src/store/repos/messages';
import { GraphApiError } from './graph';

/**
 * Meta's error codes, by what Nabta does about them
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
 */
export const RE_ENGAGEMENT = 131047; // more than 24 hours since the person's last message: templates only

// Too much, too fast: wait and try again (throughput, spam rate, app and account limits).
const RATE_LIMITS = new Set([4, 80007, 130429, 131048]);
// One message to the same person every few seconds at most: wait that long before the next try.
const PAIR_RATE_LIMIT = 131056;
// Meta's side is down or unsure: try again later.
const TRANSIENT = new Set([1, 2, 131000, 131016, 133004]);
// Token expired or lacks permission: an administrator can fix it, then the retries get through.
const AUTH = new Set([0, 3, 10, 190]);
const PAIR_RATE_WAIT_MS = 6_000;

/** Whether a failure to send should be tried again, and when. Anything unknown is retried with backoff. */
export function toSendError(err: unknown): SendError {
  if (!(err instanceof GraphApiError)) return new SendError(err instanceof Error ? err.message : String(err), true);
  const code = err.code;
  const label = `WhatsApp Cloud API${code !== undefined ? ` #${code}` : ''}: ${err.message}`;
  if (code === undefined) return new SendError(label, err.status === 0 || err.status === 429 || err.status >= 500, undefined, err.status ? `http_${err.status}` : 'network');
  if (code === PAIR_RATE_LIMIT) return new SendError(label, true, PAIR_RATE_WAIT_MS, String(code));
  if (RATE_LIMITS.has(code)) return new SendError(label, true, undefined, String(code));
  if (TRANSIENT.has(code) || AUTH.has(code) || err.status >= 500) return new SendError(label, true, undefined, String(code));
  // Bad requests (invalid parameter, unsupported type, template missing, undeliverable): the same
  // request would fail the same way.
  return new SendError(label, false, undefined, String(code));
}

/** What staff see on a message WhatsApp refused. */
export function deliveryErrorOf(err: unknown): DeliveryError {
  if (err instanceof GraphApiError) return { code: err.code ?? `http_${err.status}`, title: err.message, ...(err.details ? { details: err.details } : {}) };
  return { title: err instanceof Error ? err.message : String(err) };
}

export function isReEngagement(err: unknown): boolean {
  return err instanceof GraphApiError && err.code === RE_ENGAGEMENT;
}
