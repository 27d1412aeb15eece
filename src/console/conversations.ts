import express, { Router, type Response } from 'express';
import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import { decrypt } from '../documents/crypto';
import type { HandoffService } from '../handoff/service';
import { toConsoleMessage } from '../handoff/events';
import type { Store } from '../store/db';
import { audit } from '../store/repos/audit';
import { replyWindowOf } from '../../channels/whatsapp-cloud/window';
import { findConversation } from '../store/repos/conversations';
import { findOpenHandoff, latestHandoff, listAssignedTo } from '../store/repos/handoffs';
import { listMessages } from '../store/repos/messages';
import { findDocument } from '../store/repos/documents';
import { findStaff, type StaffRow } from '../store/repos/staff';
import { documents } from '../store/schema';
import { ConsoleError, HANDLERS, OVERSEERS, requireRole, staffOf } from './auth/guard';

const ID = /^[A-Za-z0-9_-]{1,100}$/;
const replyBody = z.object({ text: z.string().trim().min(1).max(4000), internal: z.boolean().optional() });
const transferBody = z.object({ staffId: z.string().min(1).max(100) });

const DOC_ID = /^[0-9a-f-]{36}$/;

/**
 * Who may open a file a beneficiary sent. Documents of a support request (ID copy, family book …)
 * are for the committee's back office and admins; other files, for whoever handles the
 * conversation now and for supervisors and admins.
 */
function mayOpen(staff: StaffRow, doc: { requestId: string | null }, assignedTo: string | null | undefined): boolean {
  if (doc.requestId) return staff.role === 'admin';
  return OVERSEERS.includes(staff.role) || assignedTo === staff.id;
}

/** `doc:<id>` references in a transcript's attachments. */
function documentRefs(bodies: (Record<string, unknown> | null)[]): string[] {
  const ids = new Set<string>();
  for (const body of bodies) {
    const list = Array.isArray(body?.attachments) ? (body.attachments as { ref?: unknown }[]) : [];
    for (const a of list) if (typeof a.ref === 'string' && a.ref.startsWith('doc:')) ids.add(a.ref.slice(4));
  }
  return [...ids];
}

function idOf(raw: unknown): string {
  const id = String(raw);
  if (!ID.test(id)) throw new ConsoleError(404, 'not_found');
  return id;
}

/** The queue and the conversations staff handle. Every route checks the role on the server. */
export function conversationRoutes(store: Store, handoffs: HandoffService, documentKey?: Buffer): Router {
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
    // Each stored file says whether this member of staff may open it (the UI shows a link or a note).
    const refs = documentRefs(messages.map((m) => m.body));
    const docs = refs.length ? await store.db.select({ id: documents.id, requestId: documents.requestId }).from(documents).where(inArray(documents.id, refs)) : [];
    const openable = new Set(docs.filter((d) => mayOpen(staffOf(res), d, handoff?.status === 'assigned' ? handoff.assignedTo : null)).map((d) => d.id));
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      attachments: Object.fromEntries(docs.map((d) => [d.id, { open: openable.has(d.id), request: d.requestId !== null }])),
      conversation: {
        id: conversation.id,
        channel: conversation.channel,
        displayName: conversation.displayName,
        beneficiaryId: conversation.beneficiaryId,
        locale: conversation.locale,
        mode: conversation.mode,
        createdAt: conversation.createdAt,
        lastActivityAt: conversation.lastActivityAt,
        // Channels with a reply window (WhatsApp Cloud: 24 h after the person's last message); null elsewhere.
        replyWindow: replyWindowOf(conversation),
      },
      handoff: handoff
        ? { id: handoff.id, status: handoff.status, reason: handoff.reason, priority: handoff.priority, assignedTo: handoff.assignedTo, requestedAt: handoff.requestedAt, claimedAt: handoff.claimedAt }
        : null,
      messages: messages.map(toConsoleMessage),
    });
  });

  router.get('/conversations/:id/attachments/:docId', handlers, async (req, res) => {
    const id = idOf(req.params.id);
    const docId = String(req.params.docId);
    if (!DOC_ID.test(docId) || !documentKey) throw new ConsoleError(404, 'not_found');
    const doc = await findDocument(store.db, docId);
    if (!doc || doc.conversationId !== id) throw new ConsoleError(404, 'not_found');
    const open = await findOpenHandoff(store.db, id);
    if (!mayOpen(staffOf(res), doc, open?.status === 'assigned' ? open.assignedTo : null)) throw new ConsoleError(403, 'forbidden');
    const bytes = decrypt(documentKey, doc.content, `document:${doc.id}`);
    await audit(store.db, { actor: `staff:${staffOf(res).id}`, action: 'document.viewed', subjectType: 'document', subjectId: doc.id, details: { conversationId: id } });
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // The type was read from the bytes when the file arrived; PDFs and images open in the browser, nothing runs.
    res.setHeader('Content-Disposition', `inline; filename="${doc.id}${doc.mime === 'application/pdf' ? '.pdf' : ''}"`);
    res.type(doc.mime).send(bytes);
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
