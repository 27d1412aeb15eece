import { and, eq } from 'drizzle-orm';
import type { Socket } from 'socket.io-client';
import { parseWorkingHours } from '../../src/handoff/workingHours';
import { findConversationByChannelUser } from '../../src/store/repos/conversations';
import { updateStaff } from '../../src/store/repos/staff';
import { auditLog, conversations, handoffs, ratings } from '../../src/store/schema';
import { fixture } from '../requests/conversation';
import { startTestApp, type TestApp } from '../support/app';
import { createStaff, eventually, StaffClient, visitorTexts, webchatClient } from '../console/support';
import { handoffContentEnv } from './content';

type Web = ReturnType<typeof webchatClient>;
const replyTexts = (answer: { body: { replies: { text: string }[] } }) => answer.body.replies.map((r) => r.text);

/**
 * Every way a beneficiary reaches a person, what they are told while they wait, and what staff do
 * with the conversation — over the web chat and console HTTP APIs, in single-node mode (no Redis:
 * the in-process queue and timers). PostgreSQL here because PGlite's start-up is slow; the relay
 * test runs the whole handoff on PGlite too.
 */
describe('escalation to a person and work in the console (single node)', () => {
  let app: TestApp;
  let web: Web;
  const t = (key: string, vars?: Record<string, unknown>) => app.texts.t(key, 'ar', vars);

  beforeAll(async () => {
    app = await startTestApp({ store: 'postgres', env: handoffContentEnv(), actions: new Map([['save', async () => 'X']]) });
    web = webchatClient(app.url);
  });
  afterAll(() => app?.dispose());

  async function conversationOf(token: string) {
    return (await findConversationByChannelUser(app.store.db, 'webchat', token))!;
  }
  async function handoffOf(token: string) {
    const conversation = await conversationOf(token);
    const rows = await app.store.db.select().from(handoffs).where(eq(handoffs.conversationId, conversation.id));
    return rows.at(-1)!;
  }
  /** A new visitor says `text`; returns their token and the answer. */
  async function visitor(text: string | { payload: string }) {
    const answer = await web.post(typeof text === 'string' ? { text } : text);
    expect(answer.status).toBe(200);
    return { token: answer.body.conversationId as string, answer };
  }
  async function staff(role: 'agent' | 'supervisor' | 'admin', name: string) {
    const user = await createStaff(app, role, name);
    const client = new StaffClient(app.url);
    expect((await client.login(user.email)).status).toBe(200);
    return { user, client };
  }
  const queueIds = async (client: StaffClient) => ((await client.get('/queue')).body.items as { conversationId: string }[]).map((i) => i.conversationId);

  it('the human command queues the visitor, tells them where they stand, keeps the bot silent, and إلغاء leaves the queue', async () => {
    const { client: agent } = await staff('agent', 'huda');
    const { token, answer } = await visitor('ابي اكلم موظف');
    expect(replyTexts(answer)).toContain(t('handoff.queued'));
    expect(answer.body.replies.at(-1).choices).toEqual([{ label: t('handoff.leave'), value: 'cmd:cancel' }]);
    // Honest wait notice: the position, and (no working hours configured) "as soon as possible".
    const told = await eventually(() => visitorTexts(web, token), (texts) => texts.some((x) => x.includes(t('queue.position', { position: 1 }))));
    expect(told.join('\n')).toContain(t('queue.asap'));
    expect(told.join('\n')).not.toContain(t('queue.estimate', { minutes: 1 }));
    const conversation = await conversationOf(token);
    expect(conversation.mode).toBe('queued');
    expect(await queueIds(agent)).toContain(conversation.id);

    // Waiting: the bot says nothing, even to a question it could answer.
    const quiet = await web.post({ conversationId: token, text: 'وش شروط طلب الدعم؟' });
    expect(quiet.body.replies).toEqual([]);

    // "إلغاء" leaves the queue and the bot is back.
    const left = await web.post({ conversationId: token, text: 'إلغاء' });
    expect(replyTexts(left)).toContain(t('handoff.left'));
    await eventually(() => handoffOf(token), (h) => h.status === 'left');
    await eventually(() => queueIds(agent), (ids) => !ids.includes(conversation.id));
    expect((await conversationOf(token)).mode).toBe('bot');
    const back = await web.post({ conversationId: token, text: 'السلام عليكم' });
    expect(back.body.replies.length).toBeGreaterThan(0);
  });

  it('an applicant in the middle of a support request goes before a general question', async () => {
    const { client: agent } = await staff('agent', 'majed');
    const general = await visitor('ابي اكلم موظف');
    const applicant = await visitor({ payload: 'flow:support-request' });
    expect((await web.post({ conversationId: applicant.token, text: 'نعم' })).status).toBe(200); // consent; now asked for the name
    const asked = await web.post({ conversationId: applicant.token, text: 'موظف' });
    expect(replyTexts(asked)).toContain(t('handoff.queued'));
    expect(await handoffOf(applicant.token)).toMatchObject({ priority: 1, reason: 'requested', flowId: 'support-request' });
    expect(await handoffOf(general.token)).toMatchObject({ priority: 0 });

    const [first, second] = await Promise.all([conversationOf(applicant.token), conversationOf(general.token)]);
    const ids = await queueIds(agent);
    expect(ids.indexOf(first.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    const items = (await agent.get('/queue')).body.items;
    expect(items.find((i: { conversationId: string }) => i.conversationId === first.id)).toEqual({
      conversationId: first.id, channel: 'webchat', reason: 'requested', priority: 1, waitingSince: expect.any(String),
    });
  });

  it('two fallbacks in a row offer a person; too many wrong answers offer one or hand over; a flow step hands over', async () => {
    // Two messages the bot cannot place: the second offers a person, and taking the offer queues them.
    const lost = await visitor('zxqv blorp');
    const again = await web.post({ conversationId: lost.token, text: 'zxqv blorp blorp' });
    expect(replyTexts(again)).toContain(t('fallback.offer_human'));
    expect(again.body.replies.at(-1).choices).toContainEqual({ label: t('fallback.talk_to_staff'), value: 'cmd:human' });
    const taken = await web.post({ conversationId: lost.token, payload: 'cmd:human' });
    expect(replyTexts(taken)).toContain(t('handoff.queued'));
    expect(await handoffOf(lost.token)).toMatchObject({ status: 'waiting', reason: 'requested' });

    // A form question failed FORM_MAX_RETRIES times (the default `offer-human`): a person is offered.
    const form = await visitor({ payload: 'flow:signup' });
    await web.post({ conversationId: form.token, text: 'سعاد' });
    let last = form.answer;
    for (let i = 0; i < app.config.FORM_MAX_RETRIES; i++) last = await web.post({ conversationId: form.token, text: 'ليس رقمًا' });
    expect(replyTexts(last)).toContain(t('form.offer_human'));
    expect(last.body.replies.map((r: { choices?: unknown[] }) => r.choices ?? []).flat()).toContainEqual({ label: t('form.talk_to_staff'), value: 'cmd:human' });

    // A question whose flow says `onFail: handoff`: the second wrong answer goes straight to staff.
    const stuck = await visitor({ payload: 'flow:handoff-retries' });
    expect(replyTexts(stuck.answer)).toContain(t('handoff_test.ask_code'));
    expect(replyTexts(await web.post({ conversationId: stuck.token, text: 'لا أعرف' }))).not.toContain(t('handoff.queued'));
    expect(replyTexts(await web.post({ conversationId: stuck.token, text: 'ما عندي' }))).toContain(t('handoff.queued'));
    expect(await handoffOf(stuck.token)).toMatchObject({ status: 'waiting', reason: 'too-many-retries:handoff-retries:code', priority: 1 });

    // A flow's own handoff step, with its reason and priority.
    const review = await visitor({ payload: 'flow:handoff-step' });
    expect(replyTexts(review.answer)).toEqual([t('handoff_test.before'), t('handoff.queued')]);
    expect(await handoffOf(review.token)).toMatchObject({ status: 'waiting', reason: 'manual-review', priority: 2, flowId: 'handoff-step' });
    const { client: agent } = await staff('agent', 'nawaf');
    expect((await queueIds(agent))[0]).toBe((await conversationOf(review.token)).id);
  });

  it('staff use canned replies, write internal notes, transfer and release; the wait estimate appears once there is history', async () => {
    const { client: supervisor, user: supervisorUser } = await staff('supervisor', 'reem');
    const { client: sara, user: saraUser } = await staff('agent', 'sara');
    const { client: omar, user: omarUser } = await staff('agent', 'omar');

    // Canned replies are data supervisors edit; agents use them but may not change them.
    const created = await supervisor.post('/canned', { title: 'ترحيب', text: 'أهلًا بك، كيف أخدمك؟' });
    expect(created.status).toBe(201);
    expect((await sara.get('/canned')).body.items).toContainEqual(expect.objectContaining({ title: 'ترحيب', text: 'أهلًا بك، كيف أخدمك؟', locale: 'ar' }));
    expect((await sara.post('/canned', { title: 'x', text: 'y' })).status).toBe(403);
    expect((await sara.call('DELETE', `/canned/${created.body.item.id}`)).status).toBe(403);
    expect((await supervisor.post('/canned', { title: '', text: 'y' })).status).toBe(400);

    const { token } = await visitor('ابي اكلم موظف');
    const conversation = await conversationOf(token);
    const waitingSince = ((await sara.get('/queue')).body.items as { conversationId: string; waitingSince: string }[]).find((i) => i.conversationId === conversation.id)!.waitingSince;

    // Sara claims, answers with the canned text, notes something for colleagues, then transfers to Omar.
    expect((await sara.post(`/conversations/${conversation.id}/claim`)).status).toBe(200);
    expect((await sara.post(`/conversations/${conversation.id}/messages`, { text: 'أهلًا بك، كيف أخدمك؟' })).status).toBe(200);
    expect((await sara.post(`/conversations/${conversation.id}/messages`, { text: 'ملاحظة: يسأل عن موعد', internal: true })).status).toBe(200);
    expect((await sara.post(`/conversations/${conversation.id}/transfer`, { staffId: omarUser.id })).status).toBe(200);
    expect(await handoffOf(token)).toMatchObject({ status: 'assigned', assignedTo: omarUser.id });
    expect((await sara.post(`/conversations/${conversation.id}/messages`, { text: 'ما زلت هنا' })).body.error.code).toBe('not_yours');
    expect((await omar.post(`/conversations/${conversation.id}/messages`, { text: 'معك عمر، تفضّل' })).status).toBe(200);
    expect((await omar.post(`/conversations/${conversation.id}/transfer`, { staffId: 'nobody' })).status).toBe(404);

    const seen = await eventually(() => visitorTexts(web, token), (texts) => texts.includes('معك عمر، تفضّل'));
    expect(seen).toContain('أهلًا بك، كيف أخدمك؟');
    expect(seen.join('\n')).not.toContain('ملاحظة: يسأل عن موعد');
    // Staff see the note, marked internal, in the conversation.
    const detail = (await omar.get(`/conversations/${conversation.id}`)).body;
    expect(detail.messages).toContainEqual(expect.objectContaining({ text: 'ملاحظة: يسأل عن موعد', internal: true, author: 'staff', authorId: saraUser.id }));

    // Omar releases it: back in the queue with its original waiting time, and the bot still silent.
    expect((await omar.post(`/conversations/${conversation.id}/release`)).status).toBe(200);
    expect(((await omar.get('/queue')).body.items as { conversationId: string; waitingSince: string }[]).find((i) => i.conversationId === conversation.id)).toMatchObject({ waitingSince });
    expect((await conversationOf(token)).mode).toBe('queued');
    expect((await web.post({ conversationId: token, text: 'هل من أحد؟' })).body.replies).toEqual([]);
    expect((await omar.post(`/conversations/${conversation.id}/release`)).body.error.code).toBe('not_yours');

    // A supervisor gives a waiting conversation to an agent directly.
    expect((await supervisor.post(`/conversations/${conversation.id}/transfer`, { staffId: saraUser.id })).status).toBe(200);
    expect(await handoffOf(token)).toMatchObject({ status: 'assigned', assignedTo: saraUser.id });
    expect((await conversationOf(token)).mode).toBe('human');
    expect((await sara.get('/mine')).body.items.map((i: { conversationId: string }) => i.conversationId)).toContain(conversation.id);

    // Enough claims this week for an honest estimate: the next visitor hears one.
    for (let i = 0; i < 2; i++) {
      const other = await visitor('ابي اكلم موظف');
      expect((await omar.post(`/conversations/${(await conversationOf(other.token)).id}/claim`)).status).toBe(200);
    }
    const next = await visitor('ابي اكلم موظف');
    await eventually(() => visitorTexts(web, next.token), (texts) => texts.some((x) => x.includes(t('queue.estimate', { minutes: 1 }))));

    const actions = (await app.store.db.select().from(auditLog).where(eq(auditLog.subjectId, conversation.id))).map((a) => `${a.actor} ${a.action}`);
    expect(actions).toEqual(expect.arrayContaining([
      `staff:${saraUser.id} handoff.claimed`, `staff:${saraUser.id} conversation.replied`, `staff:${saraUser.id} conversation.note`,
      `staff:${saraUser.id} handoff.transferred`, `staff:${omarUser.id} handoff.released`, `staff:${supervisorUser.id} handoff.transferred`,
    ]));
  });

  it('opens a file the visitor sent for whoever holds the conversation and for supervisors, not for other agents', async () => {
    const { client: holder } = await staff('agent', 'dana');
    const { client: other } = await staff('agent', 'eman');
    const { client: supervisor } = await staff('supervisor', 'fawzia');
    const { token } = await visitor('ابي اكلم موظف');
    const conversation = await conversationOf(token);
    expect((await holder.post(`/conversations/${conversation.id}/claim`)).status).toBe(200);

    const form = new FormData();
    form.set('conversationId', token);
    form.set('file', new Blob([fixture('id-card.jpg')], { type: 'image/jpeg' }), 'photo.jpg');
    const sent = await fetch(`${app.url}/api/webchat/messages`, { method: 'POST', body: form });
    expect(sent.status).toBe(200);
    expect(((await sent.json()) as { replies: unknown[] }).replies).toEqual([]);

    const detail = (await holder.get(`/conversations/${conversation.id}`)).body;
    const withFile = detail.messages.find((m: { body: { attachments?: unknown[] } | null }) => m.body?.attachments);
    expect(withFile.body.attachments).toEqual([expect.objectContaining({ kind: 'image', mime: 'image/jpeg', fileName: 'photo.jpg', ref: expect.stringMatching(/^doc:/) })]);
    const docId = withFile.body.attachments[0].ref.slice(4);
    expect(detail.attachments[docId]).toEqual({ open: true, request: false });
    expect((await other.get(`/conversations/${conversation.id}`)).body.attachments[docId]).toEqual({ open: false, request: false });

    const path = `/conversations/${conversation.id}/attachments/${docId}`;
    const opened = await holder.get(path);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('content-type')).toBe('image/jpeg');
    expect(opened.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Number(opened.headers.get('content-length'))).toBe(fixture('id-card.jpg').length);
    expect((await other.get(path)).status).toBe(403);
    expect((await supervisor.get(path)).status).toBe(200);
    const otherConversation = await conversationOf((await visitor('السلام عليكم')).token);
    expect((await supervisor.get(`/conversations/${otherConversation.id}/attachments/${docId}`)).status).toBe(404);
    const views = await app.store.db.select().from(auditLog).where(and(eq(auditLog.action, 'document.viewed'), eq(auditLog.subjectId, docId)));
    expect(views).toHaveLength(2);
  });

  it('the dashboard counts waiting, with staff, handled today, the median wait, ratings and channels', async () => {
    const { client: agent, user } = await staff('agent', 'lama');
    const before = (await agent.get('/dashboard')).body;
    const { token } = await visitor('ابي اكلم موظف');
    const conversation = await conversationOf(token);
    await eventually(() => agent.get('/dashboard'), (r) => r.body.waitingNow === before.waitingNow + 1);
    expect((await agent.get('/dashboard')).body.waitingNow).toBe((await agent.get('/queue')).body.items.length);

    expect((await agent.post(`/conversations/${conversation.id}/claim`)).status).toBe(200);
    expect((await agent.get('/dashboard')).body).toMatchObject({ waitingNow: before.waitingNow, withStaffNow: before.withStaffNow + 1 });
    expect((await agent.post(`/conversations/${conversation.id}/close`)).status).toBe(200);
    await eventually(() => visitorTexts(web, token), (texts) => texts.includes(t('csat.ask_score')));
    expect(replyTexts(await web.post({ conversationId: token, text: '4' }))).toContain(t('csat.ask_comment'));
    expect(replyTexts(await web.post({ conversationId: token, text: 'لا' }))).toContain(t('csat.thanks'));
    const [rating] = await app.store.db.select().from(ratings).where(and(eq(ratings.conversationId, conversation.id)));
    expect(rating).toMatchObject({ score: 4, comment: null, staffId: user.id, channel: 'webchat' });

    const after = (await agent.get('/dashboard')).body;
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: app.config.TIME_ZONE }).format(new Date());
    expect(after).toMatchObject({ withStaffNow: before.withStaffNow, handledToday: before.handledToday + 1 });
    expect(after.medianWaitSecondsToday).toEqual(expect.any(Number));
    expect(after.csatTrend).toEqual([{ day: today, average: 4, count: 1 }]);
    // Every visitor in this file came through the web chat.
    expect(after.byChannel).toEqual([{ channel: 'webchat', count: (await app.store.db.select().from(conversations)).length }]);
  });
});

describe('working hours and round-robin assignment', () => {
  let app: TestApp;
  const sockets: Socket[] = [];
  // A day that is not today in the association's time zone: staff are away now.
  const zone = 'Asia/Riyadh';
  const todayIndex = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].indexOf(new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short' }).format(new Date()).toLowerCase().slice(0, 3));
  const otherDay = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][(todayIndex + 3) % 7]!;

  beforeAll(async () => {
    app = await startTestApp({ store: 'postgres', env: { WORKING_HOURS: `${otherDay} 08:00-15:00`, TIME_ZONE: zone, HANDOFF_AUTO_ASSIGN: 'true' } });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await app?.dispose();
  });

  it('reads working hours as configured (empty = always)', () => {
    const hours = parseWorkingHours('sun-thu 08:00-15:00; sat 10:00-13:00', zone);
    expect(hours.configured).toBe(true);
    expect(hours.isOpen(new Date('2025-01-05T06:00:00Z'))).toBe(true); // Sunday 09:00 in Riyadh
    expect(hours.isOpen(new Date('2025-01-05T13:00:00Z'))).toBe(false); // Sunday 16:00
    expect(hours.isOpen(new Date('2025-01-03T06:00:00Z'))).toBe(false); // Friday
    expect(hours.isOpen(new Date('2025-01-04T08:00:00Z'))).toBe(true); // Saturday 11:00
    expect(parseWorkingHours('', zone)).toMatchObject({ configured: false });
    expect(parseWorkingHours('', zone).isOpen()).toBe(true);
    expect(() => parseWorkingHours('weekdays 9-5', zone)).toThrow('WORKING_HOURS: cannot read "weekdays 9-5"');
  });

  it('tells a visitor outside working hours that staff reply when work resumes, and hands conversations to online agents in turn', async () => {
    const web = webchatClient(app.url);
    const t = (key: string, vars?: Record<string, unknown>) => app.texts.t(key, 'ar', vars);
    // Three agents: Aziz is not signed in; Amal (capacity 1) and Badr are online in the console.
    await createStaff(app, 'agent', 'aziz');
    const amal = await createStaff(app, 'agent', 'amal');
    const badr = await createStaff(app, 'agent', 'badr');
    await updateStaff(app.store.db, amal.id, { capacity: 1 });
    for (const member of [amal, badr]) {
      const client = new StaffClient(app.url);
      expect((await client.login(member.email)).status).toBe(200);
      sockets.push(await client.socket());
    }

    const assignedTo = async (token: string) => {
      const conversation = (await findConversationByChannelUser(app.store.db, 'webchat', token))!;
      const [h] = await app.store.db.select().from(handoffs).where(eq(handoffs.conversationId, conversation.id));
      return h;
    };
    const tokens: string[] = [];
    for (const expected of [amal.id, badr.id, badr.id]) {
      const asked = await web.post({ text: 'ابي اكلم موظف' });
      const token = asked.body.conversationId as string;
      tokens.push(token);
      const h = await eventually(() => assignedTo(token), (row) => row?.status === 'assigned');
      expect(h!.assignedTo).toBe(expected);
    }
    const notice = await eventually(() => visitorTexts(web, tokens[0]!), (texts) => texts.some((x) => x.includes(t('queue.outside_hours'))));
    expect(notice.join('\n')).not.toContain(t('queue.asap'));
    // The audit row follows the assignment (written just after it): wait for all three.
    const audited = await eventually(() => app.store.db.select().from(auditLog).where(eq(auditLog.action, 'handoff.auto_assigned')), (rows) => rows.length >= 3);
    expect(audited).toHaveLength(3);
    expect(audited.every((a) => a.actor === 'system')).toBe(true);
  });
});
