import { eq } from 'drizzle-orm';
import type { Socket } from 'socket.io-client';
import { findConversationByChannelUser } from '../../src/store/repos/conversations';
import { auditLog, handoffs } from '../../src/store/schema';
import { startTestApp, type TestApp } from '../support/app';
import { REDIS_TEST_URL } from '../support/stores';
import { createStaff, eventually, nextEvent, StaffClient, uniquePrefix, visitorTexts, watch, webchatClient } from '../console/support';

/** A Redis database of its own: this file flushes it, and only it. */
const FLUSHABLE_DB = 13;
function redisUrlWithDb(db: number): string {
  const url = new URL(REDIS_TEST_URL);
  url.pathname = `/${db}`;
  return url.toString();
}

/**
 * The queue in multi-instance mode, on PostgreSQL and Redis: a waiting conversation is a BullMQ job,
 * two agents claiming at once get one winner, SLA timers (fractions of a minute here) remind
 * supervisors and update the beneficiary, and a flushed Redis is rebuilt from PostgreSQL.
 */
describe('handoff queue on Redis (BullMQ)', () => {
  let app: TestApp;
  const prefix = uniquePrefix();
  const sockets: Socket[] = [];
  const t = (key: string, vars?: Record<string, unknown>) => app.texts.t(key, 'ar', vars);
  let web: ReturnType<typeof webchatClient>;

  beforeAll(async () => {
    app = await startTestApp({
      store: 'postgres',
      env: {
        REDIS_URL: redisUrlWithDb(FLUSHABLE_DB),
        QUEUE_PREFIX: prefix,
        SLA_UNCLAIMED_MINUTES: '0.005', // 300 ms
        SLA_NO_REPLY_MINUTES: '0.005',
        HANDOFF_RECONCILE_SECONDS: '1',
      },
    });
    web = webchatClient(app.url);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await app?.redis?.flushdb();
    await app?.dispose();
  });

  async function signedIn(role: 'agent' | 'supervisor', name: string) {
    const user = await createStaff(app, role, name);
    const client = new StaffClient(app.url);
    expect((await client.login(user.email)).status).toBe(200);
    return { user, client };
  }
  async function escalate(text = 'ابي اكلم موظف') {
    const answer = await web.post({ text });
    const token: string = answer.body.conversationId;
    const conversation = (await findConversationByChannelUser(app.store.db, 'webchat', token))!;
    const handoff = await eventually(
      async () => (await app.store.db.select().from(handoffs).where(eq(handoffs.conversationId, conversation.id)))[0],
      (h) => h !== undefined,
    );
    return { token, conversation, handoff: handoff! };
  }
  const jobKey = (handoffId: number) => `${prefix}:handoff:h-${handoffId}`;

  it('queues a BullMQ job, lets exactly one of two concurrent claims win, and reminds supervisors (only) of an unclaimed wait', async () => {
    const { client: supervisor } = await signedIn('supervisor', 'salma');
    const [a, b] = await Promise.all([signedIn('agent', 'fahad'), signedIn('agent', 'ghada')]);
    const supervisorSocket = await supervisor.socket();
    const agentSocket = await a.client.socket();
    sockets.push(supervisorSocket, agentSocket);
    // Reminders are recorded from before the escalation: with a 300 ms SLA one may come at once.
    const supervisorReminders: { conversationId: string }[] = [];
    const agentReminders: { conversationId: string }[] = [];
    supervisorSocket.on('sla', (p) => supervisorReminders.push(p));
    agentSocket.on('sla', (p) => agentReminders.push(p));

    const { conversation, handoff } = await escalate();
    const reminders = await eventually(async () => supervisorReminders.filter((p) => p.conversationId === conversation.id), (list) => list.length > 0);
    expect(reminders).toEqual([{ conversationId: conversation.id, kind: 'unclaimed', channel: 'webchat', reason: 'requested', waitedMinutes: expect.any(Number) }]);
    // The job is in Redis with what the queue shows, in BullMQ's prioritized set.
    const job = await app.redis!.hgetall(jobKey(handoff.id));
    expect(JSON.parse(job.data!)).toMatchObject({ handoffId: handoff.id, conversationId: conversation.id, channel: 'webchat', reason: 'requested', priority: 0 });
    expect(await app.redis!.zscore(`${prefix}:handoff:prioritized`, `h-${handoff.id}`)).not.toBeNull();
    await eventually(
      () => app.store.db.select().from(auditLog).where(eq(auditLog.action, 'handoff.sla.unclaimed')),
      (rows) => rows.some((r) => r.subjectId === conversation.id),
    );

    // Both agents claim at the same moment: one 200, one 409 "taken"; the job leaves Redis.
    const claims = await Promise.all([a.client.post(`/conversations/${conversation.id}/claim`), b.client.post(`/conversations/${conversation.id}/claim`)]);
    expect(claims.map((c) => c.status).sort()).toEqual([200, 409]);
    expect(claims.find((c) => c.status === 409)!.body.error.code).toBe('taken');
    expect(await app.redis!.exists(jobKey(handoff.id))).toBe(0);
    expect((await a.client.get('/queue')).body.items.map((i: { conversationId: string }) => i.conversationId)).not.toContain(conversation.id);
    // Supervisors hear of breaches; agents do not (the supervisor's reminder came long before this point).
    expect(agentReminders.filter((p) => p.conversationId === conversation.id)).toEqual([]);
  });

  it('tells the beneficiary someone is still with them when staff do not reply in time', async () => {
    const { client: agent } = await signedIn('agent', 'hind');
    const { token, conversation } = await escalate();
    const socket = await agent.socket();
    sockets.push(socket);
    expect((await agent.post(`/conversations/${conversation.id}/claim`)).status).toBe(200);
    expect(await watch(socket, conversation.id)).toEqual({ ok: true });
    // Nobody answers: the beneficiary gets the update, and staff watching see it in the transcript.
    const shown = nextEvent(socket, 'message', (p) => p.conversationId === conversation.id && p.message.text === t('queue.still_with_you'));
    await eventually(() => visitorTexts(web, token), (texts) => texts.includes(t('queue.still_with_you')));
    await shown;
    await eventually(
      () => app.store.db.select().from(auditLog).where(eq(auditLog.action, 'handoff.sla.no_reply')),
      (rows) => rows.some((r) => r.subjectId === conversation.id),
    );
    // The agent's late reply still reaches the beneficiary.
    expect((await agent.post(`/conversations/${conversation.id}/messages`, { text: 'أعتذر عن التأخير، معك هند' })).status).toBe(200);
    await eventually(() => visitorTexts(web, token), (texts) => texts.includes('أعتذر عن التأخير، معك هند'));
  });

  it('rebuilds the queue from PostgreSQL after Redis is flushed', async () => {
    const { client: agent } = await signedIn('agent', 'jawaher');
    const general = await escalate();
    // An applicant mid-form: priority 1, first in the rebuilt queue as in the original.
    const applicant = await web.post({ payload: 'flow:support-request' });
    await web.post({ conversationId: applicant.body.conversationId, text: 'نعم' });
    await web.post({ conversationId: applicant.body.conversationId, text: 'موظف' });
    const applicantConversation = (await findConversationByChannelUser(app.store.db, 'webchat', applicant.body.conversationId))!;
    const ids = async () => ((await agent.get('/queue')).body.items as { conversationId: string }[]).map((i) => i.conversationId);
    await eventually(ids, (list) => list.includes(applicantConversation.id) && list.includes(general.conversation.id));

    await app.redis!.flushdb();
    expect(await app.redis!.exists(jobKey(general.handoff.id))).toBe(0);

    // The periodic reconciliation (every second here) puts both back, in the same order.
    const rebuilt = await eventually(ids, (list) => list.includes(applicantConversation.id) && list.includes(general.conversation.id));
    expect(rebuilt.indexOf(applicantConversation.id)).toBeLessThan(rebuilt.indexOf(general.conversation.id));
    expect(await app.redis!.exists(jobKey(general.handoff.id))).toBe(1);
    // And the rebuilt queue works as before.
    expect((await agent.post(`/conversations/${general.conversation.id}/claim`)).status).toBe(200);
    expect(await ids()).not.toContain(general.conversation.id);
  });
});
