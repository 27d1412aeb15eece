import type { Locale } from '../core/types';
import type { OutboxRelay } from '../queue/outbox';
import { audit } from '../store/repos/audit';
import { findConversation } from '../store/repos/conversations';
import * as repo from '../store/repos/handoffs';
import { listMessages } from '../store/repos/messages';
import { toConsoleMessage } from './events';
import type { HandoffService } from './service';

/**
 * The engine's effects, done after the turn committed (outbox kinds `handoff`, `relay`,
 * `leave-queue`): open the handoff and tell the person honestly where they stand; pass their
 * messages to staff; take them out of the queue when they cancel.
 */
export function registerHandoffHandlers(outbox: OutboxRelay, service: HandoffService): void {
  const { store, events, queue, sla } = service.deps;

  outbox.register('handoff', async (payload, row) => {
    const conversation = row.conversationId ? await findConversation(store.db, row.conversationId) : undefined;
    if (!conversation) return;
    const opened = await repo.openHandoff(store.db, {
      conversationId: conversation.id,
      channel: conversation.channel,
      reason: String(payload.reason ?? 'requested').slice(0, 200),
      priority: Number(payload.priority ?? 0) || 0,
      flowId: typeof payload.flowId === 'string' ? payload.flowId : null,
      slots: null, // form answers stay in the conversation state; the queue needs none of them
    });
    // Already open (a retried row, or asked twice): the person was told the first time.
    if (!opened) return;
    await audit(store.db, { actor: 'bot', action: 'handoff.requested', subjectType: 'conversation', subjectId: conversation.id, details: { reason: opened.reason, priority: opened.priority } });
    await service.enqueue(opened);
    const text = await waitingNotice(service, opened, conversation.state.locale);
    const sent = await service.deps.gateway.notify(conversation.id, [{ text }], 'system');
    service.publish(conversation.id, sent);
  });

  outbox.register('relay', async (payload, row) => {
    if (!row.conversationId) return;
    const open = await repo.findOpenHandoff(store.db, row.conversationId);
    const messageId = Number(payload.messageId);
    if (messageId) {
      const [message] = await listMessages(store.db, row.conversationId, { after: messageId - 1, limit: 1 });
      if (message) events.message(row.conversationId, toConsoleMessage(message));
    }
    if (!open) return;
    await repo.touchHandoff(store.db, open.id, 'beneficiary');
    // With a person: if nobody answers this message in time, the beneficiary gets an update.
    if (open.status === 'assigned') {
      await queue.schedule({ kind: 'no-reply', handoffId: open.id, conversationId: open.conversationId, since: new Date().toISOString() }, sla.noReplyMs);
    }
  });

  outbox.register('leave-queue', async (_payload, row) => {
    if (!row.conversationId) return;
    const left = await repo.endHandoff(store.db, row.conversationId, 'left', 'beneficiary', true);
    if (!left) return;
    await queue.remove(left.id);
    await queue.cancel('unclaimed', left.id);
    await audit(store.db, { actor: `beneficiary:${row.conversationId}`, action: 'handoff.left', subjectType: 'conversation', subjectId: row.conversationId });
    events.handoffChanged(left);
    events.queueChanged();
  });
}

/** Position (always known), an estimate (only with enough recent history), and working hours. */
async function waitingNotice(service: HandoffService, h: repo.HandoffRow, locale: Locale): Promise<string> {
  const { store, texts, hours } = service.deps;
  const t = (key: string, vars?: Record<string, unknown>) => texts.t(key, locale, vars);
  const parts = [t('queue.position', { position: await repo.queuePosition(store.db, h) })];
  const median = await repo.recentMedianWaitSeconds(store.db);
  if (median !== undefined) parts.push(t('queue.estimate', { minutes: Math.max(1, Math.ceil(median / 60)) }));
  if (!hours.configured) parts.push(t('queue.asap'));
  else parts.push(hours.isOpen() ? t('queue.open_now') : t('queue.outside_hours'));
  return parts.join('\n');
}
