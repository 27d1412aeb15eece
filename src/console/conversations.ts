import express, { Router, type Response } from 'express';
import { z } from 'zod';
import type { HandoffService } from '../handoff/service';
import { toConsoleMessage } from '../handoff/events';
import type { Store } from '../store/db';
import { audit } from '../store/repos/audit';
import { findConversation } from '../store/repos/conversations';
import { findOpenHandoff, latestHandoff, listAssignedTo } from '../store/repos/handoffs';
import { listMessages } from '../store/repos/messages';
import { findStaff } from '../store/repos/staff';
import { ConsoleError, HANDLERS, requireRole, staffOf } from './auth/guard';

const ID = /^[A-Za-z0-9_-]{1,100}$/;
const replyBody = z.object({ text: z.string().trim().min(1).max(4000), internal: z.boolean().optional() });
const transferBody = z.object({ staffId: z.string().min(1).max(100) });

function idOf(raw: unknown): string {
  const id = String(raw);
  if (!ID.test(id)) throw new ConsoleError(404, 'not_found');
  return id;
}

/** The queue and the conversations staff handle. Every route checks the role on the server. */
export function conversationRoutes(store: Store, handoffs: HandoffService): Router {
  const router = Router();
  const json = express.json({ limit: '16kb' });
  const handlers = requireRole(...HANDLERS);
  const ok = (res: Response, body: Record<string, unknown> = {}) => res.json({ ok: true, ...body });

  router.get('/queue', handlers, async (_req, res) => {
    const items = await handoffs.list();
    res.setHeader('Cache-Control', 'no-store');
    res.json({ items: items.map(({ conversationId, channel, reason, priority, waitingSince }) => ({ conversationId, channel, reason, priority, waitingSince })) });
  });

  router.get('/mine', handlers, async (_req, res) => {
    const rows = await listAssignedTo(store.db, staffOf(res).id);
    res.json({ items: rows.map((h) => ({ conversationId: h.conversationId, channel: h.channel, reason: h.reason, claimedAt: h.claimedAt })) });
  });

  router.get('/conversations/:id', handlers, async (req, res) => {
    const id = idOf(req.params.id);
    const conversation = await findConversation(store.db, id);
    if (!conversation) throw new ConsoleError(404, 'not_found');
    const handoff = (await findOpenHandoff(store.db, id)) ?? (await latestHandoff(store.db, id));
    const messages = await listMessages(store.db, id, { includeInternal: true, limit: 500 });
    // Reading a transcript is access to personal data: recorded.
    await audit(store.db, { actor: `staff:${staffOf(res).id}`, action: 'conversation.viewed', subjectType: 'conversation', subjectId: id });
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      conversation: {
        id: conversation.id,
        channel: conversation.channel,
        displayName: conversation.displayName,
        beneficiaryId: conversation.beneficiaryId,
        locale: conversation.locale,
        mode: conversation.mode,
        createdAt: conversation.createdAt,
        lastActivityAt: conversation.lastActivityAt,
      },
      handoff: handoff
        ? { id: handoff.id, status: handoff.status, reason: handoff.reason, priority: handoff.priority, assignedTo: handoff.assignedTo, requestedAt: handoff.requestedAt, claimedAt: handoff.claimedAt }
        : null,
      messages: messages.map(toConsoleMessage),
    });
  });

  router.post('/conversations/:id/claim', handlers, async (req, res) => {
    const handoff = await handoffs.claim(idOf(req.params.id), staffOf(res));
    ok(res, { handoffId: handoff.id, assignedTo: handoff.assignedTo });
  });

  router.post('/conversations/:id/release', handlers, async (req, res) => {
    await handoffs.release(idOf(req.params.id), staffOf(res));
    ok(res);
  });

  router.post('/conversations/:id/transfer', handlers, json, async (req, res) => {
    const parsed = transferBody.safeParse(req.body);
    if (!parsed.success) throw new ConsoleError(400, 'bad_request');
    const to = await findStaff(store.db, parsed.data.staffId);
    if (!to) throw new ConsoleError(404, 'no_such_staff');
    await handoffs.transfer(idOf(req.params.id), staffOf(res), to);
    ok(res);
  });

  router.post('/conversations/:id/messages', handlers, json, async (req, res) => {
    const parsed = replyBody.safeParse(req.body);
    if (!parsed.success) throw new ConsoleError(400, 'bad_request');
    const id = idOf(req.params.id);
    const internal = parsed.data.internal === true;
    await handoffs.reply(id, staffOf(res), parsed.data.text, internal);
    await audit(store.db, { actor: `staff:${staffOf(res).id}`, action: internal ? 'conversation.note' : 'conversation.replied', subjectType: 'conversation', subjectId: id });
    ok(res);
  });

  router.post('/conversations/:id/close', handlers, async (req, res) => {
    await handoffs.close(idOf(req.params.id), staffOf(res));
    ok(res);
  });

  return router;
}
