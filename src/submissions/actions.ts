import type { Action } from '../gateway';
import { audit } from '../store/repos/audit';
import { nextCounter } from '../store/repos/counters';
import { submissions } from '../store/schema';

const KINDS = new Set(['volunteer', 'complaint', 'suggestion', 'praise']);
const PREFIX: Record<string, string> = { volunteer: 'V', complaint: 'C', suggestion: 'S', praise: 'P' };

/**
 * `saveSubmission`: stores what a volunteering or feedback form collected and answers with a
 * reference (V-2026-0001) the person can quote. The kind comes from `args.kind` or the slot it names.
 */
export const saveSubmission: Action = async (call, { tx, conversation }) => {
  const fromSlot = typeof call.args.kindSlot === 'string' ? call.slots[call.args.kindSlot] : undefined;
  const kind = String(fromSlot ?? call.args.kind ?? '');
  if (!KINDS.has(kind)) throw new Error(`saveSubmission: unknown kind "${kind}"`);
  const year = new Date().getUTCFullYear();
  const n = await nextCounter(tx, `submission:${kind}:${year}`);
  const reference = `${PREFIX[kind]}-${year}-${String(n).padStart(4, '0')}`;
  await tx.insert(submissions).values({ kind, reference, conversationId: conversation.id, data: call.slots });
  await audit(tx, { actor: `beneficiary:${conversation.id}`, action: `submission.created`, subjectType: 'submission', subjectId: reference, details: { kind } });
  return reference;
};

/** The actions every deployment has; issues add theirs next to these. */
export const builtInActions = new Map<string, Action>([['saveSubmission', saveSubmission]]);
