import type { DeliveredReply, Gateway } from '../gateway';
import type { Texts } from '../i18n';
import type { Logger } from '../log';
import type { Locks } from '../queue/locks';
import type { Store } from '../store/db';
import { audit } from '../store/repos/audit';
import { findConversation, saveConversationState } from '../store/repos/conversations';
import * as repo from '../store/repos/handoffs';
import type { HandoffRow } from '../store/repos/handoffs';
import { insertOutbound } from '../store/repos/messages';
import type { StaffRow } from '../store/repos/staff';
import { HandoffError } from './errors';
import { toConsoleMessage, type StaffEvents } from './events';
import type { HandoffQueue, QueueEntry } from './queue';
import type { WorkingHours } from './workingHours';

export interface HandoffDeps {
  store: Store;
  queue: HandoffQueue;
  gateway: Pick<Gateway, 'notify' | 'dispatchEvent'>;
  locks: Locks;
  texts: Texts;
  events: StaffEvents;
  log: Logger;
  hours: WorkingHours;
  /** SLA: remind supervisors after `unclaimedMs`; tell the beneficiary after `noReplyMs` without a staff reply. */
  sla: { unclaimedMs: number; noReplyMs: number };
}

/** Roles that may take over any conversation (not only their own). */
const OVERSEERS = new Set(['supervisor', 'admin']);

export const toEntry = (h: HandoffRow): QueueEntry => ({
  handoffId: h.id,
  conversationId: h.conversationId,
  channel: h.channel,
  reason: h.reason,
  priority: h.priority,
  waitingSince: h.requestedAt.toISOString(),
});

/** Assignment of conversations to staff: claim, release, transfer, reply, close. */
export class HandoffService {
  /** Set when round-robin auto-assignment is on: offered every conversation that joins the queue. */
  private assigner?: (exclude: string[]) => Promise<unknown>;

  constructor(readonly deps: HandoffDeps) {}

  useAutoAssign(assigner: (exclude: string[]) => Promise<unknown>): void {
    this.assigner = assigner;
  }

  /** Runs auto-assignment (if on) without holding up the caller; a failure only delays it to the next pass. */
  offer(exclude: string[] = []): void {
    this.assigner?.(exclude).catch((err: unknown) => this.deps.log.warn({ err }, 'auto-assignment failed'));
  }

  /** Puts a waiting handoff in the queue with its "nobody claimed it" timer. */
  async enqueue(h: HandoffRow, exclude: string[] = []): Promise<void> {
    await this.deps.queue.add(toEntry(h));
    await this.scheduleUnclaimed(h, true);
    this.deps.events.queueChanged();
    this.offer(exclude);
  }

  /**
   * Reconciles the queue with PostgreSQL (start-up, Redis restarted or flushed): adds what is missing,
   * drops what no longer waits. Returns how many conversations wait.
   */
  async rebuild(): Promise<number> {
    const waiting = await repo.listWaiting(this.deps.store.db);
    const queued = await this.deps.queue.list();
    const present = new Set(queued.map((e) => e.handoffId));
    const truth = new Set(waiting.map((h) => h.id));
    let changed = false;
    for (const h of waiting.filter((w) => !present.has(w.id))) {
      await this.deps.queue.add(toEntry(h));
      // A reminder already due was sent (or lost with Redis); repeating it every pass would be noise.
      await this.scheduleUnclaimed(h, false);
      changed = true;
    }
    for (const e of queued.filter((q) => !truth.has(q.handoffId))) {
      await this.deps.queue.remove(e.handoffId);
      changed = true;
    }
    if (changed) this.deps.events.queueChanged();
    return waiting.length;
  }

  private async scheduleUnclaimed(h: HandoffRow, evenIfDue: boolean): Promise<void> {
    const remaining = this.deps.sla.unclaimedMs - (Date.now() - h.requestedAt.getTime());
    if (remaining <= 0 && !evenIfDue) return;
    await this.deps.queue.schedule({ kind: 'unclaimed', handoffId: h.id, conversationId: h.conversationId, since: h.requestedAt.toISOString() }, Math.max(0, remaining));
  }

  async list(): Promise<QueueEntry[]> {
    return this.deps.queue.list();
  }

  /** Atomic claim: the database decides; the loser gets 409 `taken`. */
  async claim(conversationId: string, staff: StaffRow, via: 'console' | 'auto-assign' = 'console'): Promise<HandoffRow> {
    const { store, queue } = this.deps;
    const claimed = await repo.claimHandoff(store.db, conversationId, staff.id);
    if (!claimed) {
      const open = await repo.findOpenHandoff(store.db, conversationId);
      if (open?.assignedTo === staff.id) return open;
      throw new HandoffError(open ? 409 : 404, open ? 'taken' : 'not_waiting');
    }
    await queue.remove(claimed.id);
    await queue.cancel('unclaimed', claimed.id);
    // The person may have left the queue while the claim ran; then there is nobody to talk to.
    if (!(await this.setMode(conversationId, 'queued', 'human'))) {
      await repo.endHandoff(store.db, conversationId, 'left', `staff:${staff.id}`);
      this.deps.events.queueChanged();
      throw new HandoffError(409, 'left');
    }
    await queue.schedule({ kind: 'no-reply', handoffId: claimed.id, conversationId, since: new Date().toISOString() }, this.deps.sla.noReplyMs);
    await audit(store.db, {
      actor: via === 'auto-assign' ? 'system' : `staff:${staff.id}`,
      action: via === 'auto-assign' ? 'handoff.auto_assigned' : 'handoff.claimed',
      subjectType: 'conversation',
      subjectId: conversationId,
      details: { handoffId: claimed.id, staffId: staff.id },
    });
    this.changed(claimed);
    return claimed;
  }

  /** Back to the queue, keeping the original waiting time. */
  async release(conversationId: string, staff: StaffRow): Promise<HandoffRow> {
    const open = await this.held(conversationId, staff);
    const released = await repo.releaseHandoff(this.deps.store.db, open.id);
    if (!released) throw new HandoffError(409, 'not_assigned');
    await this.deps.queue.cancel('no-reply', released.id);
    await this.setMode(conversationId, 'human', 'queued');
    // Whoever gave it back is not handed it again by auto-assignment.
    await this.enqueue(released, [staff.id]);
    await audit(this.deps.store.db, { actor: `staff:${staff.id}`, action: 'handoff.released', subjectType: 'conversation', subjectId: conversationId });
    this.changed(released);
    return released;
  }

  async transfer(conversationId: string, staff: StaffRow, to: StaffRow): Promise<HandoffRow> {
    if (!to.active || !['agent', 'supervisor', 'admin'].includes(to.role)) throw new HandoffError(409, 'bad_target');
    const open = await this.held(conversationId, staff);
    const moved = await repo.transferHandoff(this.deps.store.db, open.id, to.id);
    if (!moved) throw new HandoffError(409, 'not_assigned');
    if (open.status === 'waiting') {
      await this.deps.queue.remove(open.id);
      await this.deps.queue.cancel('unclaimed', open.id);
      await this.setMode(conversationId, 'queued', 'human');
    }
    await audit(this.deps.store.db, { actor: `staff:${staff.id}`, action: 'handoff.transferred', subjectType: 'conversation', subjectId: conversationId, details: { to: to.id } });
    this.changed(moved);
    return moved;
  }

  /** A staff reply goes to the beneficiary on their channel; an internal note stays in the console. */
  async reply(conversationId: string, staff: StaffRow, text: string, internal: boolean): Promise<void> {
    const open = internal ? await repo.findOpenHandoff(this.deps.store.db, conversationId) : await this.held(conversationId, staff);
    if (!internal && open?.status !== 'assigned') throw new HandoffError(409, 'not_assigned');
    if (internal) {
      if (!(await findConversation(this.deps.store.db, conversationId))) throw new HandoffError(404, 'not_found');
      const [row] = await insertOutbound(this.deps.store.db, [{ conversationId, author: 'staff', authorId: staff.id, channel: 'console', text, internal: 1, status: 'internal' }]);
      this.deps.events.message(conversationId, toConsoleMessage(row!));
      return;
    }
    const sent = await this.deps.gateway.notify(conversationId, [{ text }], 'staff', staff.id);
    await repo.touchHandoff(this.deps.store.db, open!.id, 'staff');
    await this.deps.queue.cancel('no-reply', open!.id);
    this.publish(conversationId, sent, staff.id);
  }

  /** Hands the conversation back to the bot, which asks for a rating (flow `csat`). */
  async close(conversationId: string, staff: StaffRow): Promise<HandoffRow> {
    await this.held(conversationId, staff);
    const closed = await repo.endHandoff(this.deps.store.db, conversationId, 'closed', `staff:${staff.id}`);
    if (!closed) throw new HandoffError(409, 'not_assigned');
    await this.deps.queue.remove(closed.id);
    await this.deps.queue.cancel('unclaimed', closed.id);
    await this.deps.queue.cancel('no-reply', closed.id);
    await audit(this.deps.store.db, { actor: `staff:${staff.id}`, action: 'handoff.closed', subjectType: 'conversation', subjectId: conversationId, details: { handoffId: closed.id } });
    const result = await this.deps.gateway.dispatchEvent(conversationId, { type: 'handoffClosed' });
    this.changed(closed);
    this.publish(conversationId, result.replies);
    return closed;
  }

  /** The open handoff `staff` may act on: their own, or any for supervisors and admins. */
  private async held(conversationId: string, staff: StaffRow): Promise<HandoffRow> {
    const open = await repo.findOpenHandoff(this.deps.store.db, conversationId);
    if (!open) throw new HandoffError(404, 'not_open');
    if (open.assignedTo !== staff.id && !OVERSEERS.has(staff.role)) throw new HandoffError(403, 'not_yours');
    return open;
  }

  /**
   * Moves the engine's mode (queued <-> human) under the conversation's lock — the same key the
   * gateway takes — so a message being processed cannot overwrite it. False if it was not `from`.
   */
  private async setMode(conversationId: string, from: 'queued' | 'human', to: 'queued' | 'human'): Promise<boolean> {
    const conversation = await findConversation(this.deps.store.db, conversationId);
    if (!conversation) return false;
    return this.deps.locks.withLock(`conv:${conversation.channel}:${conversation.channelUserId}`, async () => {
      const fresh = await findConversation(this.deps.store.db, conversationId);
      if (!fresh || fresh.state.mode !== from) return false;
      await saveConversationState(this.deps.store.db, conversationId, { ...fresh.state, mode: to }, false);
      return true;
    });
  }

  private changed(h: HandoffRow): void {
    this.deps.events.handoffChanged(h);
    this.deps.events.queueChanged();
  }

  /** Shows staff what was just sent to the beneficiary (their reply, the bot's rating question). */
  publish(conversationId: string, sent: DeliveredReply[], authorId?: string): void {
    for (const m of sent) {
      this.deps.events.message(conversationId, {
        id: m.id, direction: 'out', author: m.author, authorId: authorId ?? null, text: m.text,
        body: m.choices ? { choices: m.choices } : null, internal: false, createdAt: m.createdAt.toISOString(),
      });
    }
  }
}
