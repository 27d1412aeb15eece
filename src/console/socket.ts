import type { Namespace, Server } from 'socket.io';
import type { Presence } from '../handoff/autoAssign';
import type { StaffEvents } from '../handoff/events';
import type { Logger } from '../log';
import type { Store } from '../store/db';
import { findOpenHandoff } from '../store/repos/handoffs';
import { HANDLERS } from './auth/guard';
import { readSession } from './auth/sessions';

export const STAFF_ROOM = 'staff';
export const SUPERVISORS_ROOM = 'supervisors';
export const conversationRoom = (id: string) => `conv:${id}`;

/**
 * The /console namespace. A socket authenticates with the session cookie (sent by the browser with
 * the handshake), joins the staff room for queue news, and `watch`es the conversations it opens.
 * Through the Redis adapter, an event emitted on one instance reaches staff connected to any.
 */
export function consoleNamespace(io: Server, store: Store, log: Logger, onStaffOnline?: () => void): { nsp: Namespace; events: StaffEvents; presence: Presence } {
  const nsp = io.of('/console');
  nsp.use((socket, next) => {
    readSession(store.db, socket.handshake.headers.cookie).then(
      (session) => {
        if (!session || !HANDLERS.includes(session.user.role)) return next(new Error('not_signed_in'));
        socket.data.staff = { id: session.user.id, role: session.user.role };
        next();
      },
      (err: unknown) => {
        log.error({ err }, 'console socket auth failed');
        next(new Error('internal'));
      },
    );
  });
  nsp.on('connection', (socket) => {
    const staff = socket.data.staff as { id: string; role: string };
    void socket.join([STAFF_ROOM, `staff:${staff.id}`, ...(staff.role === 'agent' ? [] : [SUPERVISORS_ROOM])]);
    onStaffOnline?.();
    socket.on('watch', async (conversationId: unknown, ack?: (r: { ok: boolean }) => void) => {
      if (typeof conversationId !== 'string' || conversationId.length > 100) return ack?.({ ok: false });
      // Agents follow conversations in the queue or their own; supervisors and admins any.
      const open = staff.role === 'agent' ? await findOpenHandoff(store.db, conversationId).catch(() => undefined) : undefined;
      if (staff.role === 'agent' && (!open || (open.assignedTo && open.assignedTo !== staff.id))) return ack?.({ ok: false });
      await socket.join(conversationRoom(conversationId));
      ack?.({ ok: true });
    });
    socket.on('unwatch', (conversationId: unknown) => {
      if (typeof conversationId === 'string') void socket.leave(conversationRoom(conversationId));
    });
  });
  const events: StaffEvents = {
    queueChanged: () => nsp.to(STAFF_ROOM).emit('queue'),
    message: (conversationId, message) => nsp.to(conversationRoom(conversationId)).emit('message', { conversationId, message }),
    handoffChanged: (h) =>
      nsp.to([STAFF_ROOM, conversationRoom(h.conversationId)]).emit('handoff', { conversationId: h.conversationId, status: h.status, assignedTo: h.assignedTo }),
    slaReminder: (h, waitedMinutes) =>
      nsp.to(SUPERVISORS_ROOM).emit('sla', { conversationId: h.conversationId, kind: 'unclaimed', waitedMinutes, reason: h.reason, channel: h.channel }),
  };
  // Staff connected to any instance (the Redis adapter asks the others).
  const presence: Presence = {
    async onlineStaffIds() {
      const sockets = await nsp.in(STAFF_ROOM).fetchSockets();
      return [...new Set(sockets.map((s) => (s.data.staff as { id: string } | undefined)?.id).filter((id): id is string => Boolean(id)))];
    },
  };
  return { nsp, events, presence };
}
