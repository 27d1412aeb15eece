import { randomUUID, timingSafeEqual } from 'node:crypto';
import { and, count, eq, gt, sql } from 'drizzle-orm';
import type { SlotValue } from '../engine/state';
import type { Action } from '../gateway';
import { evaluateEligibility, type EligibilityRule } from '../policy/eligibility';
import type { Db } from '../store/db';
import { audit } from '../store/repos/audit';
import { linkDocuments } from '../store/repos/documents';
import { findByReference, findLatestByConversation, findOpenByIdHash, insertRequest, nextReference, updateRequest } from '../store/repos/requests';
import { auditLog } from '../store/schema';

/** The support-request slots a submitted request is made of. */
interface NationalIdSlot {
  type: string;
  last4: string;
  hash: string;
  enc: string;
}
type Slots = Record<string, SlotValue>;

/** Wrong reference/last-4 pairs allowed per conversation, and per reference, before lookups pause. */
export const STATUS_LIMITS = { perConversation: 5, perReference: 10, windowMinutes: 15 };

const DOCUMENT_SLOTS = ['id_copy', 'family_book', 'residence_proof'] as const;

/** Submission year in Saudi time (UTC+3), so a request sent on 31 Dec at 22:00 UTC counts for the new year. */
export function submissionYear(now = new Date()): number {
  return new Date(now.getTime() + 3 * 3600_000).getUTCFullYear();
}

export function requestActions(deps: { rules: EligibilityRule[] }): Map<string, Action> {
  const checkEligibility: Action = async (call): Promise<SlotValue> => evaluateEligibility(deps.rules, call.slots) as unknown as SlotValue;

  const findOpen: Action = async (call, { tx }): Promise<SlotValue> => {
    const id = call.slots.national_id as unknown as NationalIdSlot | undefined;
    const open = id ? await findOpenByIdHash(tx, id.hash) : undefined;
    return open ? { found: true, reference: open.reference, status: open.status } : { found: false };
  };

  const submit: Action = async (call, { tx, conversation, state }): Promise<SlotValue> => {
    const s = call.slots;
    const id = s.national_id as unknown as NationalIdSlot;
    // Another conversation may have submitted for the same ID since the form checked.
    const open = await findOpenByIdHash(tx, id.hash);
    if (open) return { duplicate: true, reference: open.reference, status: open.status };
    const eligibility = evaluateEligibility(deps.rules, s);
    if (eligibility.outcome === 'not_eligible') return { refused: true, rule: eligibility.rule };
    const requestId = randomUUID();
    const reference = await nextReference(tx, submissionYear());
    await insertRequest(tx, {
      id: requestId,
      reference,
      conversationId: conversation.id,
      channel: conversation.channel,
      locale: state.locale,
      status: 'submitted',
      fullName: String(s.full_name),
      nationalIdHash: id.hash,
      nationalIdEnc: id.enc,
      nationalIdLast4: id.last4,
      idType: id.type,
      mobile: String(s.mobile),
      residence: s.residence as Record<string, unknown>,
      otherAssociations: s.other_associations === true,
      otherAssociationsNames: s.other_associations === true && typeof s.other_associations_names === 'string' ? s.other_associations_names : null,
      eligibility: eligibility as unknown as Record<string, unknown>,
      declaredAt: new Date(),
    });
    const files = DOCUMENT_SLOTS.map((role) => ({ id: String((s[role] as { document?: string } | undefined)?.document ?? ''), role })).filter((f) => f.id);
    await linkDocuments(tx, requestId, conversation.id, files);
    await audit(tx, {
      actor: `beneficiary:${conversation.id}`,
      action: 'request.submitted',
      subjectType: 'support_request',
      subjectId: requestId,
      details: { reference, eligibility: eligibility.outcome, rule: eligibility.rule, documents: files.length },
    });
    return { reference, outcome: eligibility.outcome };
  };

  const myStatus: Action = async (_call, { tx, conversation }): Promise<SlotValue> => {
    const latest = await findLatestByConversation(tx, conversation.id);
    return latest ? { found: true, reference: latest.reference, status: latest.status } : { found: false };
  };

  const lookupStatus: Action = async (call, { tx, conversation }): Promise<SlotValue> => {
    const reference = String(call.slots.reference ?? '');
    const last4 = String(call.slots.id_last4 ?? '');
    if (await tooManyFailures(tx, conversation.id, reference)) return { found: false, limited: true };
    const request = await findByReference(tx, reference);
    if (request && sameText(request.nationalIdLast4, last4)) {
      await audit(tx, { actor: `beneficiary:${conversation.id}`, action: 'request.status_viewed', subjectType: 'support_request', subjectId: request.id });
      return { found: true, limited: false, reference: request.reference, status: request.status };
    }
    // The same answer whether the reference exists or not: a wrong pair reveals nothing.
    await audit(tx, { actor: `beneficiary:${conversation.id}`, action: 'status.lookup_failed', subjectType: 'conversation', subjectId: conversation.id, details: { reference } });
    return { found: false, limited: false };
  };

  const addInfo: Action = async (call, { tx, conversation }): Promise<SlotValue> => {
    const request = await findLatestByConversation(tx, conversation.id, 'needs_info');
    if (!request) return { saved: false };
    const file = (call.slots.info_file as { document?: string } | undefined)?.document;
    const linked = file ? await linkDocuments(tx, request.id, conversation.id, [{ id: file, role: 'extra' }]) : 0;
    await updateRequest(tx, request.id, { status: 'under_review' });
    await audit(tx, {
      actor: `beneficiary:${conversation.id}`,
      action: 'request.info_added',
      subjectType: 'support_request',
      subjectId: request.id,
      details: { note: typeof call.slots.info_text === 'string' ? call.slots.info_text.slice(0, 1000) : null, documents: linked },
    });
    return { saved: true, reference: request.reference };
  };

  return new Map<string, Action>([
    ['requests.check_eligibility', checkEligibility],
    ['requests.find_open', findOpen],
    ['requests.submit', submit],
    ['requests.my_status', myStatus],
    ['requests.lookup_status', lookupStatus],
    ['requests.add_info', addInfo],
  ]);
}

async function tooManyFailures(tx: Db, conversationId: string, reference: string): Promise<boolean> {
  const since = new Date(Date.now() - STATUS_LIMITS.windowMinutes * 60_000);
  const failed = and(eq(auditLog.action, 'status.lookup_failed'), gt(auditLog.at, since));
  const [byConversation] = await tx
    .select({ n: count() })
    .from(auditLog)
    .where(and(failed, eq(auditLog.subjectType, 'conversation'), eq(auditLog.subjectId, conversationId)));
  if ((byConversation?.n ?? 0) >= STATUS_LIMITS.perConversation) return true;
  const [byReference] = await tx
    .select({ n: count() })
    .from(auditLog)
    .where(and(failed, sql`${auditLog.details}->>'reference' = ${reference}`));
  return (byReference?.n ?? 0) >= STATUS_LIMITS.perReference;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
