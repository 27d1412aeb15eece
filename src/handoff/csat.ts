import type { Action } from '../gateway';
import { audit } from '../store/repos/audit';
import { latestHandoff } from '../store/repos/handoffs';
import { insertRating } from '../store/repos/ratings';

/**
 * `csat.save`: stores the rating the `csat` flow collected, with the agent who closed the
 * conversation, the channel and the time. Runs in the turn's transaction.
 */
export const saveRating: Action = async (call, { tx, conversation }) => {
  const score = Number(call.slots.score);
  if (!Number.isInteger(score) || score < 1 || score > 5) return false;
  const comment = typeof call.slots.comment === 'string' && call.slots.comment.trim() ? call.slots.comment.trim().slice(0, 1000) : null;
  const handoff = await latestHandoff(tx, conversation.id);
  const rating = await insertRating(tx, {
    conversationId: conversation.id,
    handoffId: handoff?.id ?? null,
    staffId: handoff?.assignedTo ?? null,
    channel: conversation.channel,
    score,
    comment,
  });
  await audit(tx, { actor: `beneficiary:${conversation.id}`, action: 'csat.rated', subjectType: 'rating', subjectId: String(rating.id), details: { score } });
  return true;
};

/** The actions issue 5 adds to flows. */
export const HANDOFF_ACTIONS: ReadonlyMap<string, Action> = new Map([['csat.save', saveRating]]);
