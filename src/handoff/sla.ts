import { audit } from '../store/repos/audit';
import { findConversation } from '../store/repos/conversations';
import { findHandoff } from '../store/repos/handoffs';
import type { TimerJob } from './queue';
import type { HandoffService } from './service';

/**
 * What a due SLA timer does. Timers only say "look again": the database says whether the breach is
 * still real (claimed meanwhile, replied meanwhile, closed), so a late or repeated timer is harmless.
 */
export function slaHandler(service: HandoffService): (timer: TimerJob) => Promise<void> {
  const { store, events, gateway, texts } = service.deps;
  return async (timer) => {
    const h = await findHandoff(store.db, timer.handoffId);
    if (!h) return;
    const since = new Date(timer.since);
    if (timer.kind === 'unclaimed') {
      if (h.status !== 'waiting') return;
      const waited = Math.round((Date.now() - h.requestedAt.getTime()) / 60_000);
      await audit(store.db, { actor: 'system', action: 'handoff.sla.unclaimed', subjectType: 'conversation', subjectId: h.conversationId, details: { handoffId: h.id, waitedMinutes: waited } });
      events.slaReminder(h, waited);
      return;
    }
    if (h.status !== 'assigned' || (h.lastStaffReplyAt && h.lastStaffReplyAt >= since)) return;
    const conversation = await findConversation(store.db, h.conversationId);
    if (!conversation) return;
    const sent = await gateway.notify(h.conversationId, [{ text: texts.t('queue.still_with_you', conversation.state.locale) }], 'system');
    service.publish(h.conversationId, sent);
    await audit(store.db, { actor: 'system', action: 'handoff.sla.no_reply', subjectType: 'conversation', subjectId: h.conversationId, details: { handoffId: h.id } });
  };
}
