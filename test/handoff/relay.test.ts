import { eq } from 'drizzle-orm';
import { io, type Socket } from 'socket.io-client';
import { findConversationByChannelUser } from '../../src/store/repos/conversations';
import { handoffs, ratings } from '../../src/store/schema';
import { startTestApp, type TestApp } from '../support/app';
import { fixtureContentEnv } from '../support/fixtureContent';
import { createStaff, nextEvent, StaffClient, uniquePrefix, watch, webchatClient } from '../console/support';

/**
 * The whole handoff on real parts: a web chat visitor asks for a person -> a job in the queue -> two
 * agents claim at once, exactly one wins -> messages both ways -> close -> the bot asks for a rating,
 * which is stored with the agent, the channel and the time.
 */
describe.each([
  { store: 'postgres' as const, redis: true },
  { store: 'pglite' as const, redis: false },
])('handoff through the web chat ($store, redis: $redis)', ({ store, redis }) => {
  let app: TestApp;
  const prefix = uniquePrefix();
  const sockets: Socket[] = [];

  beforeAll(async () => {
    app = await startTestApp({ store, redis, env: { ...fixtureContentEnv(), QUEUE_PREFIX: prefix }, actions: new Map([['save', async () => 'X']]) });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    if (app?.redis) {
      const keys = await app.redis.keys(`${prefix}:*`);
      if (keys.length) await app.redis.del(...keys);
    }
    await app?.dispose();
  });

  it('queues, lets exactly one agent claim, relays both ways, and stores the rating after close', async () => {
    const web = webchatClient(app.url);
    const t = (key: string) => app.texts.t(key, 'ar');

    // 1. The visitor asks for a person: told they wait, and where they stand.
    const asked = await web.post({ text: 'ابي اكلم موظف' });
    expect(asked.status).toBe(200);
    const token: string = asked.body.conversationId;
    expect(asked.body.replies.map((r: { text: string }) => r.text)).toContain(t('handoff.queued'));
    const conversation = (await findConversationByChannelUser(app.store.db, 'webchat', token))!;
    expect(conversation.mode).toBe('queued');
    const [handoff] = await app.store.db.select().from(handoffs).where(eq(handoffs.conversationId, conversation.id));
    expect(handoff).toMatchObject({ status: 'waiting', channel: 'webchat', reason: 'requested' });
    const notice = await web.transcript(token);
    expect(notice.body.messages.map((m: { text: string }) => m.text).join('\n')).toContain(app.texts.t('queue.position', 'ar', { position: 1 }));
    if (redis) expect(await app.redis!.exists(`${prefix}:handoff:h-${handoff!.id}`)).toBe(1);

    // 2. Two agents see it in the queue and claim at the same moment: one wins, the other is told.
    const [a, b] = [new StaffClient(app.url), new StaffClient(app.url)];
    const [agentA, agentB] = [await createStaff(app, 'agent', 'sara'), await createStaff(app, 'agent', 'ali')];
    expect((await a.login(agentA.email)).status).toBe(200);
    expect((await b.login(agentB.email)).status).toBe(200);
    const queue = await a.get('/queue');
    expect(queue.body.items).toEqual([expect.objectContaining({ conversationId: conversation.id, channel: 'webchat', reason: 'requested', priority: 0 })]);
    const claims = await Promise.all([a.post(`/conversations/${conversation.id}/claim`), b.post(`/conversations/${conversation.id}/claim`)]);
    expect(claims.map((c) => c.status).sort()).toEqual([200, 409]);
    const [winner, loser] = claims[0]!.status === 200 ? [a, b] : [b, a];
    expect(claims.find((c) => c.status === 409)!.body.error.code).toBe('taken');
    expect((await a.get('/queue')).body.items).toEqual([]);
    if (redis) expect(await app.redis!.exists(`${prefix}:handoff:h-${handoff!.id}`)).toBe(0);

    // 3. The visitor's message reaches the agent live; the bot stays silent.
    const staffSocket = await winner.socket();
    sockets.push(staffSocket);
    expect(await watch(staffSocket, conversation.id)).toEqual({ ok: true });
    const relayed = nextEvent(staffSocket, 'message', (p) => p.conversationId === conversation.id && p.message.text === 'عندي سؤال عن التطوع');
    const sent = await web.post({ conversationId: token, text: 'عندي سؤال عن التطوع' });
    expect(sent.body.replies).toEqual([]);
    expect((await relayed).message).toMatchObject({ direction: 'in', author: 'beneficiary' });

    // 4. The agent's reply reaches the visitor's widget; a note stays internal; the other agent may not reply.
    const widget = io(`${app.url}/webchat`, { auth: { conversationId: token }, transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(widget);
    await new Promise<void>((resolve, reject) => (widget.once('connect', () => resolve()), widget.once('connect_error', reject)));
    const pushed = nextEvent(widget, 'messages', (p) => p.messages.some((m: { text: string }) => m.text === 'أهلًا بك، معك سارة من الجمعية'));
    expect((await winner.post(`/conversations/${conversation.id}/messages`, { text: 'أهلًا بك، معك سارة من الجمعية' })).status).toBe(200);
    await pushed;
    expect((await winner.post(`/conversations/${conversation.id}/messages`, { text: 'ملاحظة داخلية: يسأل عن التطوع', internal: true })).status).toBe(200);
    expect((await loser.post(`/conversations/${conversation.id}/messages`, { text: 'مرحبًا' })).status).toBe(403);
    const detail = await winner.get(`/conversations/${conversation.id}`);
    expect(detail.body.messages.filter((m: { internal: boolean }) => m.internal).map((m: { text: string }) => m.text)).toEqual(['ملاحظة داخلية: يسأل عن التطوع']);
    const visible = (await web.transcript(token)).body.messages.map((m: { text: string }) => m.text);
    expect(visible).toContain('أهلًا بك، معك سارة من الجمعية');
    expect(visible.join('\n')).not.toContain('ملاحظة داخلية');

    // 5. Close: the bot takes over and asks for a rating; the rating is stored with agent and channel.
    const asksRating = nextEvent(widget, 'messages', (p) => p.messages.some((m: { text: string }) => m.text === t('csat.ask_score')));
    expect((await winner.post(`/conversations/${conversation.id}/close`)).status).toBe(200);
    await asksRating;
    expect((await findConversationByChannelUser(app.store.db, 'webchat', token))!.mode).toBe('bot');
    const scored = await web.post({ conversationId: token, text: '5' });
    expect(scored.body.replies.map((r: { text: string }) => r.text)).toContain(t('csat.ask_comment'));
    await web.post({ conversationId: token, text: 'نعم' });
    const thanked = await web.post({ conversationId: token, text: 'تعامل راقٍ وسريع' });
    expect(thanked.body.replies.map((r: { text: string }) => r.text)).toContain(t('csat.thanks'));
    const stored = await app.store.db.select().from(ratings).where(eq(ratings.conversationId, conversation.id));
    const winnerId = winner === a ? agentA.id : agentB.id;
    expect(stored).toEqual([expect.objectContaining({ score: 5, comment: 'تعامل راقٍ وسريع', staffId: winnerId, channel: 'webchat', handoffId: handoff!.id })]);
    expect(stored[0]!.createdAt).toBeInstanceOf(Date);
  });
});
