import { desc, eq } from 'drizzle-orm';
import { findConversationByChannelUser } from '../../../src/store/repos/conversations';
import { conversations, messages, outbox } from '../../../src/store/schema';
import { GRAPH_FAILURES, FakeGraphApi } from '../../support/fakeGraphApi';
import { startTestApp, type TestApp } from '../../support/app';
import { requestContentEnv } from '../../requests/content';
import { APP_SECRET, newWamid, postWebhook, seen, seenSince, statusPayload, VERIFY_TOKEN, WhatsAppPerson, whatsappEnv } from './client';
import { signatureOf } from '../../../channels/whatsapp-cloud/signature';

/**
 * The WhatsApp Cloud API channel over real HTTP: Meta's webhooks (payloads as its documentation
 * shows them, signed with the app secret) into Nabta, Nabta's replies into a fake Graph API that
 * refuses what the real one refuses.
 */
describe('WhatsApp Cloud API webhooks (PGlite)', () => {
  let app: TestApp;
  const graph = new FakeGraphApi();

  beforeAll(async () => {
    await graph.start();
    app = await startTestApp({ store: 'pglite', env: { ...requestContentEnv(), ...whatsappEnv(graph), OUTBOX_POLL_MS: '50' } });
  });
  afterAll(async () => {
    await app?.dispose();
    await graph.stop();
  });

  const rowsOf = async (waId: string) => {
    const conversation = await findConversationByChannelUser(app.store.db, 'whatsapp-cloud', waId);
    if (!conversation) return [];
    return app.store.db.select().from(messages).where(eq(messages.conversationId, conversation.id)).orderBy(messages.id);
  };

  describe('subscription check (GET)', () => {
    const verify = (query: Record<string, string>) => fetch(`${app.url}/webhooks/whatsapp?${new URLSearchParams(query)}`);

    it('echoes hub.challenge for the right verify token', async () => {
      const res = await verify({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('1158201444');
    });

    it('answers 403 to a wrong token, a missing token or another mode', async () => {
      expect((await verify({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' })).status).toBe(403);
      expect((await verify({ 'hub.mode': 'subscribe', 'hub.challenge': '1' })).status).toBe(403);
      expect((await verify({ 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' })).status).toBe(403);
    });
  });

  describe('signature', () => {
    it('refuses a wrong, missing or malformed X-Hub-Signature-256 with 401 and stores nothing', async () => {
      const person = new WhatsAppPerson(app.url);
      const { payload } = person.message('text', (m) => (m.text.body = 'السلام عليكم'));
      const raw = JSON.stringify(payload);
      const before = graph.sent.length;
      expect((await postWebhook(app.url, raw, signatureOf(raw, 'not-the-app-secret'))).status).toBe(401);
      expect((await postWebhook(app.url, raw, null)).status).toBe(401);
      expect((await postWebhook(app.url, raw, 'sha256=zz')).status).toBe(401);
      // Signed, then changed on the way: the signature no longer matches the bytes.
      expect((await postWebhook(app.url, raw.replace('السلام عليكم', 'مرحبا'), signatureOf(raw, APP_SECRET))).status).toBe(401);
      expect(await findConversationByChannelUser(app.store.db, 'whatsapp-cloud', person.waId)).toBeUndefined();
      expect(graph.sent.length).toBe(before);
    });

    it('answers 400 to signed bytes that are not a notification, and 200 to other objects', async () => {
      expect((await postWebhook(app.url, '{not json')).status).toBe(400);
      expect((await postWebhook(app.url, { entry: 'x' })).status).toBe(400);
      expect((await postWebhook(app.url, { object: 'page', entry: [] })).status).toBe(200);
    });
  });

  it('answers a text message on WhatsApp, with the menu as a list within WhatsApp limits', async () => {
    const person = new WhatsAppPerson(app.url, undefined, 'Noura');
    await person.text('السلام عليكم');
    const replies = seenSince(graph, person.waId, 0);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies[0]!.text).toContain(app.texts.t('greeting.salam', 'ar', { org: app.config.ORG_NAME_AR }).slice(0, 10));
    const menu = replies.find((r) => r.type === 'list')!;
    expect(menu.rows!.map((r) => r.id)).toEqual(expect.arrayContaining(['flow:support-request', 'cmd:human']));
    for (const row of menu.rows!) expect(row.title.length).toBeLessThanOrEqual(24);

    const conversation = await findConversationByChannelUser(app.store.db, 'whatsapp-cloud', person.waId);
    expect(conversation).toMatchObject({ displayName: 'Noura', locale: 'ar' });
    // Every reply is recorded as sent, with the id WhatsApp gave it (the key for delivery statuses).
    const out = (await rowsOf(person.waId)).filter((r) => r.direction === 'out');
    expect(out.map((r) => r.status)).toEqual(out.map(() => 'sent'));
    expect(out.at(-1)!.channelMessageId).toBe(graph.sentTo(person.waId).at(-1)!.id);
  });

  it('processes a message delivered twice only once', async () => {
    const person = new WhatsAppPerson(app.url);
    const { payload, wamid } = person.message('text', (m) => (m.text.body = 'مرحبا'));
    await person.post(payload);
    const afterFirst = graph.sentTo(person.waId).length;
    expect(afterFirst).toBeGreaterThan(0);
    await person.post(payload);
    await Promise.all([person.post(payload), person.post(payload)]);
    expect(graph.sentTo(person.waId).length).toBe(afterFirst);
    const inbound = (await rowsOf(person.waId)).filter((r) => r.direction === 'in');
    expect(inbound.map((r) => r.channelMessageId)).toEqual([wamid]);
  });

  it('takes a pressed list row and reply button back as their payloads', async () => {
    const person = new WhatsAppPerson(app.url);
    await person.text('السلام عليكم');
    const from = graph.sentTo(person.waId).length;
    await person.listReply('flow:support-request', 'طلب دعم');
    const consent = seenSince(graph, person.waId, from).find((r) => r.type === 'buttons')!;
    expect(consent.buttons).toEqual([
      { id: 'yes', title: app.texts.t('common.yes', 'ar') },
      { id: 'no', title: app.texts.t('common.no', 'ar') },
    ]);
    const next = graph.sentTo(person.waId).length;
    await person.button('yes', app.texts.t('common.yes', 'ar'));
    expect(seenSince(graph, person.waId, next).map((r) => r.text).join('\n')).toContain(app.texts.t('requests.ask.full_name', 'ar'));
    const inbound = (await rowsOf(person.waId)).filter((r) => r.direction === 'in');
    expect(inbound.slice(-2).map((r) => (r.body as { payload?: string }).payload)).toEqual(['flow:support-request', 'yes']);
  });

  it('passes a shared location on as a point', async () => {
    const person = new WhatsAppPerson(app.url);
    await person.location(28.4328, 45.9708);
    const [row] = (await rowsOf(person.waId)).filter((r) => r.direction === 'in');
    expect(row!.body).toMatchObject({ location: { lat: 28.4328, lng: 45.9708 } });
  });

  it('answers what it cannot read (an unsupported message) politely, and ignores reactions', async () => {
    const person = new WhatsAppPerson(app.url);
    const { payload } = person.message('text', (m) => {
      delete m.text;
      m.type = 'unsupported';
      m.errors = [{ code: 131051, title: 'Message type unknown', message: 'Message type unknown', error_data: { details: 'Message type is currently not supported.' } }];
    });
    await person.post(payload);
    const answer = seenSince(graph, person.waId, 0).map((r) => r.text);
    expect(answer.length).toBeGreaterThan(0);
    expect(answer[0]).toBe(app.texts.t('fallback.not_understood', 'ar'));
    const before = graph.sentTo(person.waId).length;
    const reaction = person.message('text', (m) => {
      delete m.text;
      m.type = 'reaction';
      m.reaction = { message_id: graph.sentTo(person.waId).at(-1)!.id, emoji: '👍' };
    });
    await person.post(reaction.payload);
    expect(graph.sentTo(person.waId).length).toBe(before);
    expect((await rowsOf(person.waId)).filter((r) => r.direction === 'in')).toHaveLength(1);
  });

  describe('delivery statuses', () => {
    it('records sent, delivered and read on the message they name, never going back', async () => {
      const person = new WhatsAppPerson(app.url);
      await person.text('مرحبا');
      const last = graph.sentTo(person.waId).at(-1)!;
      const status = async () => (await rowsOf(person.waId)).find((r) => r.channelMessageId === last.id)!;
      expect((await status()).status).toBe('sent');
      await person.post(statusPayload(last.id, person.waId, 'delivered'));
      expect((await status()).status).toBe('delivered');
      await person.post(statusPayload(last.id, person.waId, 'read'));
      // A late "delivered" (webhooks are not ordered) does not undo "read".
      await person.post(statusPayload(last.id, person.waId, 'delivered'));
      const row = await status();
      expect(row.status).toBe('read');
      expect(row.statusAt).toBeInstanceOf(Date);
    });

    it('keeps the error of a failed message for staff', async () => {
      const person = new WhatsAppPerson(app.url);
      await person.text('مرحبا');
      const last = graph.sentTo(person.waId).at(-1)!;
      const undeliverable = [{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable', error_data: { details: 'Unable to deliver message.' } }];
      await person.post(statusPayload(last.id, person.waId, 'failed', undeliverable));
      const row = (await rowsOf(person.waId)).find((r) => r.channelMessageId === last.id)!;
      expect(row.status).toBe('failed');
      expect(row.body).toMatchObject({ deliveryError: { code: 131026, title: 'Message undeliverable', details: 'Unable to deliver message.' } });
    });

    it('ignores statuses of messages Nabta did not send', async () => {
      const person = new WhatsAppPerson(app.url);
      expect((await postWebhook(app.url, statusPayload(newWamid(), person.waId, 'read'))).status).toBe(200);
    });
  });

  describe('sending', () => {
    it('retries after a rate limit half-way through a turn\'s replies and sends each reply once', async () => {
      const person = new WhatsAppPerson(app.url);
      // The greeting is two messages (words, then the menu): the second is refused the first time.
      graph.failNext(GRAPH_FAILURES.rateLimit, 1, 1);
      await person.text('السلام عليكم');
      expect(graph.sentTo(person.waId).map((m) => m.type)).toEqual(['text']);
      // The first send was refused; the outbox tries again after its backoff.
      await waitFor(async () => (await rowsOf(person.waId)).filter((r) => r.direction === 'out').every((r) => r.status === 'sent'));
      expect(graph.sentTo(person.waId).map((m) => m.type)).toEqual(['text', 'interactive']);
    });

    it('sends nothing outside the 24-hour window when no template is configured, and tells staff why on the message', async () => {
      const person = new WhatsAppPerson(app.url);
      await person.text('مرحبا');
      const conversation = (await findConversationByChannelUser(app.store.db, 'whatsapp-cloud', person.waId))!;
      await app.store.db.update(conversations).set({ lastInboundAt: new Date(Date.now() - 25 * 3600_000) }).where(eq(conversations.id, conversation.id));
      const before = graph.sentTo(person.waId).length;
      const [reply] = await app.gateway.notify(conversation.id, [{ text: 'تم قبول طلبك' }], 'staff');
      expect(graph.sentTo(person.waId).length).toBe(before);
      const [row] = await app.store.db.select().from(messages).where(eq(messages.id, reply!.id));
      expect(row).toMatchObject({ status: 'failed', body: { deliveryError: { code: 'window_closed_no_template' } } });
      // Given up at once (a retry cannot open the window), not left to retry in the outbox.
      const [work] = await app.store.db.select().from(outbox).where(eq(outbox.conversationId, conversation.id)).orderBy(desc(outbox.id)).limit(1);
      expect(work!.failedAt).toBeInstanceOf(Date);
    });

    it('maps a pressed button whose value was too long for WhatsApp back to that value', async () => {
      const person = new WhatsAppPerson(app.url);
      await person.text('مرحبا');
      const conversation = (await findConversationByChannelUser(app.store.db, 'whatsapp-cloud', person.waId))!;
      const long = `faq:${'a'.repeat(300)}`;
      await app.gateway.notify(conversation.id, [{ text: 'هل تقصد؟', choices: [{ label: 'نعم', value: long }, { label: 'لا', value: 'no' }] }], 'bot');
      const [button] = seen(graph.sentTo(person.waId).at(-1)!).buttons!;
      expect(button!.id).toMatch(/^h:/);
      await person.button(button!.id, button!.title);
      const [inbound] = (await rowsOf(person.waId)).filter((r) => r.direction === 'in').slice(-1);
      expect((inbound!.body as { payload?: string }).payload).toBe(long);
    });

    it('records a refusal that will not change (undeliverable) on the message instead of retrying', async () => {
      const person = new WhatsAppPerson(app.url);
      graph.failNext(GRAPH_FAILURES.undeliverable);
      await person.text('مرحبا');
      const out = (await rowsOf(person.waId)).filter((r) => r.direction === 'out');
      expect(out[0]).toMatchObject({ status: 'failed', body: expect.objectContaining({ deliveryError: expect.objectContaining({ code: 131026 }) }) });
    });
  });

});

/** Polls a condition (bounded): the outbox retries on its own schedule. */
async function waitFor(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
