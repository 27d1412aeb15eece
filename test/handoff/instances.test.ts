import { and, eq } from 'drizzle-orm';
import { io, type Socket } from 'socket.io-client';
import { findConversationByChannelUser } from '../../src/store/repos/conversations';
import { messages, outbox } from '../../src/store/schema';
import { startTestApp, type TestApp } from '../support/app';
import { createStaff, eventually, nextEvent, StaffClient, uniquePrefix, visitorTexts, watch, webchatClient } from '../console/support';

/**
 * Two gateway processes' worth of Nabta on two ports, sharing one PostgreSQL database and Redis:
 * the visitor talks to instance A, the agent works on instance B. Messages cross through the
 * socket.io Redis adapter; B's reply is delivered once, to the widget connected to A.
 */
describe('two instances sharing PostgreSQL and Redis', () => {
  let a: TestApp;
  let b: TestApp;
  const prefix = uniquePrefix();
  const sockets: Socket[] = [];

  beforeAll(async () => {
    a = await startTestApp({ store: 'postgres', redis: true, env: { QUEUE_PREFIX: prefix } });
    b = await startTestApp({ store: 'postgres', redis: true, databaseUrl: a.config.DATABASE_URL, env: { QUEUE_PREFIX: prefix } });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    if (a?.redis) {
      const keys = await a.redis.keys(`${prefix}:*`);
      if (keys.length) await a.redis.del(...keys);
    }
    // B uses A's database: it goes first, then A drops it.
    await b?.dispose();
    await a?.dispose();
  });

  it('relays a message that arrived on A to an agent on B, and delivers B’s reply exactly once', async () => {
    expect(a.url).not.toBe(b.url);
    const t = (key: string) => a.texts.t(key, 'ar');
    const webOnA = webchatClient(a.url);

    // The visitor asks for a person on A; the queue looks the same from both instances.
    const asked = await webOnA.post({ text: 'ابي اكلم موظف' });
    expect(asked.body.replies.map((r: { text: string }) => r.text)).toContain(t('handoff.queued'));
    const token: string = asked.body.conversationId;
    const conversation = (await findConversationByChannelUser(a.store.db, 'webchat', token))!;
    const [agentOnA, agentOnB] = [new StaffClient(a.url), new StaffClient(b.url)];
    const [first, second] = await Promise.all([createStaff(a, 'agent', 'yousef'), createStaff(a, 'agent', 'zainab')]);
    expect((await agentOnA.login(first.email)).status).toBe(200);
    expect((await agentOnB.login(second.email)).status).toBe(200);
    const queued = (client: StaffClient) => client.get('/queue').then((r) => r.body.items.map((i: { conversationId: string }) => i.conversationId));
    await eventually(() => queued(agentOnB), (ids) => ids.includes(conversation.id));
    expect(await queued(agentOnA)).toContain(conversation.id);

    // Claims on the two instances at the same moment: exactly one wins.
    const claims = await Promise.all([agentOnA.post(`/conversations/${conversation.id}/claim`), agentOnB.post(`/conversations/${conversation.id}/claim`)]);
    expect(claims.map((c) => c.status).sort()).toEqual([200, 409]);
    // The rest of the story needs the winner on B; if A won, A gives it to B's agent.
    if (claims[0]!.status === 200) expect((await agentOnA.post(`/conversations/${conversation.id}/transfer`, { staffId: second.id })).status).toBe(200);

    // The agent's live connection is on B; the visitor's widget is on A.
    const staffSocket = await agentOnB.socket();
    const widget = io(`${a.url}/webchat`, { auth: { conversationId: token }, transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(staffSocket, widget);
    await new Promise<void>((resolve, reject) => (widget.once('connect', () => resolve()), widget.once('connect_error', reject)));
    expect(await watch(staffSocket, conversation.id)).toEqual({ ok: true });

    // A message arriving on A reaches the agent connected to B.
    const relayed = nextEvent(staffSocket, 'message', (p) => p.conversationId === conversation.id && p.message.text === 'وصلتني رسالة من البلدية');
    const sent = await webOnA.post({ conversationId: token, text: 'وصلتني رسالة من البلدية' });
    expect(sent.body.replies).toEqual([]);
    expect((await relayed).message).toMatchObject({ direction: 'in', author: 'beneficiary' });

    // B's reply reaches the widget on A. Every copy pushed to the widget is counted until a second
    // reply (sent after it, through the same outbox) has also arrived.
    const pushed: string[] = [];
    widget.on('messages', (p: { messages: { text: string }[] }) => pushed.push(...p.messages.map((m) => m.text)));
    expect((await agentOnB.post(`/conversations/${conversation.id}/messages`, { text: 'أرسل لي صورة الرسالة لو سمحت' })).status).toBe(200);
    expect((await agentOnB.post(`/conversations/${conversation.id}/messages`, { text: 'وسأراجعها مع الزملاء' })).status).toBe(200);
    await eventually(async () => pushed, (list) => list.includes('وسأراجعها مع الزملاء') && list.includes('أرسل لي صورة الرسالة لو سمحت'));
    // Both outbox deliveries are finished, so nothing is left to send a second copy.
    const stored = await a.store.db.select().from(messages).where(and(eq(messages.conversationId, conversation.id), eq(messages.text, 'أرسل لي صورة الرسالة لو سمحت')));
    expect(stored).toHaveLength(1);
    await eventually(
      () => a.store.db.select().from(outbox).where(eq(outbox.conversationId, conversation.id)),
      (rows) => rows.length > 0 && rows.every((r) => r.doneAt !== null && r.failedAt === null),
    );
    expect(pushed.filter((text) => text === 'أرسل لي صورة الرسالة لو سمحت')).toHaveLength(1);
    const transcript = await visitorTexts(webOnA, token);
    expect(transcript.filter((text) => text === 'أرسل لي صورة الرسالة لو سمحت')).toHaveLength(1);

    // Closing on B: the bot on A's side asks the visitor for a rating.
    expect((await agentOnB.post(`/conversations/${conversation.id}/close`)).status).toBe(200);
    await eventually(() => visitorTexts(webOnA, token), (texts) => texts.includes(t('csat.ask_score')));
  });
});
