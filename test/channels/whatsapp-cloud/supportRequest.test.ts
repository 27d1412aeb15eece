import { eq } from 'drizzle-orm';
import { findConversationByChannelUser } from '../../../src/store/repos/conversations';
import { conversations, documents, messages, supportRequests } from '../../../src/store/schema';
import { createStaff, StaffClient, uniquePrefix } from '../../console/support';
import { fixture as requestFixture, newCitizenId } from '../../requests/conversation';
import { requestContentEnv } from '../../requests/content';
import { startTestApp, type TestApp } from '../../support/app';
import { FakeGraphApi, GRAPH_FAILURES } from '../../support/fakeGraphApi';
import { seenSince, statusPayload, WhatsAppPerson, whatsappEnv, type Seen } from './client';

const HOUR = 3600_000;

/**
 * Beneficiaries on WhatsApp: a whole support request with real photos and a PDF sent as WhatsApp
 * media, then what happens after the 24-hour window closes (decisions and staff replies go as the
 * association's approved templates, never as free text WhatsApp would refuse).
 */
describe.each([
  { store: 'pglite' as const, redis: false },
  { store: 'postgres' as const, redis: true },
])('WhatsApp Cloud API: support request and the 24-hour window ($store, redis: $redis)', ({ store, redis }) => {
  let app: TestApp;
  const graph = new FakeGraphApi();
  const prefix = uniquePrefix();

  beforeAll(async () => {
    await graph.start();
    graph.approveTemplate('nabta_update', 'ar', 'en_US');
    graph.approveTemplate('nabta_staff_reply', 'ar', 'en_US');
    app = await startTestApp({
      store,
      redis,
      env: {
        ...requestContentEnv(),
        ...whatsappEnv(graph, {
          WHATSAPP_CLOUD_TEMPLATE_NAME: 'nabta_update',
          WHATSAPP_CLOUD_TEMPLATES: 'staff=nabta_staff_reply',
          WHATSAPP_CLOUD_TEMPLATE_LANGUAGES: 'ar:ar,en:en_US',
        }),
        QUEUE_PREFIX: prefix,
        MAX_UPLOAD_MB: '2',
      },
    });
  });
  afterAll(async () => {
    if (app?.redis) {
      const keys = await app.redis.keys(`${prefix}:*`);
      if (keys.length) await app.redis.del(...keys);
    }
    await app?.dispose();
    await graph.stop();
  });

  /** Everything WhatsApp showed the person since `from`, and its words in one string. */
  const since = (person: WhatsAppPerson, from: number) => {
    const seen = seenSince(graph, person.waId, from);
    return { seen, words: seen.map((s) => [s.text, ...(s.buttons ?? []).map((b) => b.title), ...(s.rows ?? []).map((r) => r.title)].join('\n')).join('\n') };
  };
  const count = (person: WhatsAppPerson) => graph.sentTo(person.waId).length;
  const ar = (key: string, vars?: Record<string, unknown>) => app.texts.t(key, 'ar', vars);
  const conversationOf = async (person: WhatsAppPerson) => (await findConversationByChannelUser(app.store.db, 'whatsapp-cloud', person.waId))!;
  const closeWindow = async (person: WhatsAppPerson) => {
    const c = await conversationOf(person);
    await app.store.db.update(conversations).set({ lastInboundAt: new Date(Date.now() - 25 * HOUR) }).where(eq(conversations.id, c.id));
    return c;
  };
  /** Sends from WhatsApp and returns what the bot answered to it. */
  const turn = async (person: WhatsAppPerson, send: () => Promise<unknown>) => {
    const from = count(person);
    await send();
    return since(person, from);
  };

  let reference: string;
  let applicant: WhatsAppPerson;

  it('takes a whole support request on WhatsApp: list and buttons, a photo, a PNG and a PDF as media, a reference', async () => {
    const person = (applicant = new WhatsAppPerson(app.url, undefined, 'فاطمة'));
    await person.text('السلام عليكم');
    const consent = await turn(person, () => person.listReply('flow:support-request', 'تقديم طلب دعم'));
    expect(consent.seen.at(-1)!.buttons!.map((b) => b.id)).toEqual(['yes', 'no']);
    expect((await turn(person, () => person.button('yes', ar('common.yes')))).words).toContain(ar('requests.ask.full_name'));
    await person.text('فاطمة علي الشمري');
    const nationalId = newCitizenId();
    await person.text(nationalId);
    const residence = await turn(person, () => person.text('0501234567'));
    // Ten towns: a list of ten rows, the most WhatsApp shows.
    const towns = residence.seen.at(-1)!;
    expect(towns.type).toBe('list');
    expect(towns.rows!.length).toBeLessThanOrEqual(10);
    const qaysumah = towns.rows!.find((r) => r.title === 'القيصومة')!;
    const others = await turn(person, () => person.listReply(qaysumah.id, qaysumah.title));
    expect(others.seen.at(-1)!.buttons).toHaveLength(2);
    const idAsk = await turn(person, () => person.button('no', ar('common.no')));
    expect(idAsk.words).toContain(ar('requests.ask.id_copy'));

    // Too big for MAX_UPLOAD_MB: refused by the size the Graph API declares, never downloaded.
    const huge = graph.addMedia(Buffer.concat([requestFixture('id-card.jpg'), Buffer.alloc(3 * 1024 * 1024)]), 'image/jpeg');
    expect((await turn(person, () => person.image(huge))).words).toContain(ar('validation.file_size', { max: 2 }));
    expect(graph.requests.some((r) => r.path.includes(`/media-download/${huge}`))).toBe(false);
    // A renamed executable: downloaded, refused by its bytes.
    const fake = graph.addMedia(requestFixture('fake.pdf'), 'application/pdf');
    expect((await turn(person, () => person.document(fake, 'id.pdf'))).words).toContain(ar('validation.file_type'));

    const photo = graph.addMedia(requestFixture('id-card.jpg'), 'image/jpeg');
    expect((await turn(person, () => person.image(photo, 'image/jpeg', 'الهوية'))).words).toContain(ar('requests.ask.family_book'));
    const book = graph.addMedia(requestFixture('family-book.png'), 'image/png');
    expect((await turn(person, () => person.image(book, 'image/png'))).words).toContain(ar('requests.ask.residence_proof'));
    const proof = graph.addMedia(requestFixture('residence-proof.pdf'), 'application/pdf');
    const summary = await turn(person, () => person.document(proof, 'residence-proof.pdf'));
    expect(summary.words).toContain('القيصومة');
    expect(summary.seen.at(-1)!.buttons!.map((b) => b.id)).toEqual(['yes', 'no']);
    const done = await turn(person, () => person.button('yes', ar('common.yes')));
    reference = /HB-\d{4}-\d{6}/.exec(done.words)![0];
    // Media were fetched with the token: id -> URL -> bytes.
    for (const id of [photo, book, proof]) expect(graph.requests.filter((r) => r.path.endsWith(`/${id}`) || r.path.includes(`/media-download/${id}`)).map((r) => r.authorized)).toEqual([true, true]);

    const [row] = await app.store.db.select().from(supportRequests).where(eq(supportRequests.reference, reference));
    expect(row).toMatchObject({ channel: 'whatsapp-cloud', fullName: 'فاطمة علي الشمري', mobile: '+966501234567' });
    const files = await app.store.db.select().from(documents).where(eq(documents.requestId, row!.id));
    expect(files.map((f) => f.mime).sort()).toEqual(['application/pdf', 'image/jpeg', 'image/png']);
    const originals = new Map([
      ['image/jpeg', requestFixture('id-card.jpg')],
      ['image/png', requestFixture('family-book.png')],
      ['application/pdf', requestFixture('residence-proof.pdf')],
    ]);
    for (const f of files) expect((await app.requests.readDocument(f.id, { staffId: 'staff-wa' })).bytes.equals(originals.get(f.mime)!)).toBe(true);
    // The national ID is masked in the stored transcript, as on every channel.
    const said = await app.store.db.select({ text: messages.text }).from(messages).where(eq(messages.conversationId, row!.conversationId));
    expect(JSON.stringify(said)).not.toContain(nationalId);
  });

  it('sends a decision made after the window closed as the approved template, and the bot\'s follow-up too', async () => {
    const person = applicant;
    const conversation = await closeWindow(person);
    const committee = await createStaff(app, 'committee');
    const from = count(person);
    await app.requests.decide(reference, { status: 'needs_info', reason: 'صورة الهوية غير واضحة', staffId: committee.id });
    // decide() returns once the outbox delivered (the gateway dispatches what it committed).
    const sent = since(person, from).seen;
    // Only templates: WhatsApp would refuse free text now.
    expect(sent.map((s) => s.type)).toEqual(['template', 'template']);
    const [decision, followUp] = sent as [Seen, Seen];
    expect(decision.template).toMatchObject({ name: 'nabta_staff_reply', language: 'ar' });
    // The text travels as the template's variable, on one line (WhatsApp refuses line breaks there).
    expect(decision.template!.parameters[0]).toContain(reference);
    expect(decision.template!.parameters[0]).toContain('صورة الهوية غير واضحة');
    expect(decision.template!.parameters[0]).not.toMatch(/\n/);
    expect(followUp.template).toMatchObject({ name: 'nabta_update', language: 'ar', parameters: [ar('requests.info.ask_text')] });
    const out = await app.store.db.select().from(messages).where(eq(messages.conversationId, conversation.id));
    const last = out.filter((m) => m.direction === 'out').slice(-2);
    expect(last.map((m) => [m.status, (m.body as { whatsappTemplate?: string }).whatsappTemplate])).toEqual([
      ['sent', 'nabta_staff_reply'],
      ['sent', 'nabta_update'],
    ]);

    // The person answers: the window is open again and the bot's replies are free messages.
    const answer = await turn(person, () => person.text('أرسلت صورة أوضح للهوية'));
    expect(answer.seen.every((s) => s.type !== 'template')).toBe(true);
    expect(answer.words).toContain(ar('requests.info.ask_has_file'));
  });

  it('tells staff when the window has closed, and their reply goes as a template', async () => {
    const person = new WhatsAppPerson(app.url, undefined, 'سالم');
    await person.text('ابي اكلم موظف');
    const conversation = await conversationOf(person);
    expect(conversation.mode).toBe('queued');
    const agent = await createStaff(app, 'agent', 'sara');
    const staff = new StaffClient(app.url);
    expect((await staff.login(agent.email)).status).toBe(200);
    expect((await staff.post(`/conversations/${conversation.id}/claim`)).status).toBe(200);

    const open = await staff.get(`/conversations/${conversation.id}`);
    expect(open.body.conversation.replyWindow.open).toBe(true);
    expect(new Date(open.body.conversation.replyWindow.closesAt).getTime()).toBeGreaterThan(Date.now() + 23 * HOUR);
    const inside = count(person);
    expect((await staff.post(`/conversations/${conversation.id}/messages`, { text: 'أهلًا، معك سارة.\nكيف أخدمك؟' })).status).toBe(200);
    expect(since(person, inside).seen).toEqual([{ type: 'text', text: 'أهلًا، معك سارة.\nكيف أخدمك؟' }]);

    await closeWindow(person);
    const closed = await staff.get(`/conversations/${conversation.id}`);
    expect(closed.body.conversation.replyWindow.open).toBe(false);
    expect(new Date(closed.body.conversation.replyWindow.closesAt).getTime()).toBeLessThan(Date.now());
    const outside = count(person);
    expect((await staff.post(`/conversations/${conversation.id}/messages`, { text: 'هل ما زلت تحتاج المساعدة؟' })).status).toBe(200);
    expect(since(person, outside).seen).toEqual([{ type: 'template', text: '', template: { name: 'nabta_staff_reply', language: 'ar', parameters: ['هل ما زلت تحتاج المساعدة؟'] } }]);
  });

  it('falls back to the template when WhatsApp says the window closed (in the answer or later by webhook)', async () => {
    const person = new WhatsAppPerson(app.url);
    await person.text('مرحبا');
    const conversation = await conversationOf(person);

    // In the send answer: our clock said open, WhatsApp's said closed.
    graph.failNext(GRAPH_FAILURES.reEngagement);
    const from = count(person);
    await app.gateway.notify(conversation.id, [{ text: 'تم تحديث موعد الزيارة' }], 'staff');
    expect(since(person, from).seen).toEqual([{ type: 'template', text: '', template: { name: 'nabta_staff_reply', language: 'ar', parameters: ['تم تحديث موعد الزيارة'] } }]);

    // Later, by webhook: the free message was accepted, then reported failed with 131047.
    const next = count(person);
    const [reply] = await app.gateway.notify(conversation.id, [{ text: 'نذكرك بموعدك غدًا' }], 'system');
    const freeMessage = graph.sentTo(person.waId).at(-1)!;
    expect(freeMessage.type).toBe('text');
    await person.post(statusPayload(freeMessage.id, person.waId, 'failed'));
    const resent = since(person, next).seen;
    expect(resent.at(-1)).toEqual({ type: 'template', text: '', template: { name: 'nabta_update', language: 'ar', parameters: ['نذكرك بموعدك غدًا'] } });
    const [row] = await app.store.db.select().from(messages).where(eq(messages.id, reply!.id));
    expect(row).toMatchObject({ status: 'sent', channelMessageId: graph.sentTo(person.waId).at(-1)!.id, body: expect.objectContaining({ whatsappTemplate: 'nabta_update' }) });
    // The failure staff saw is replaced by the resend.
    expect(row!.body).not.toHaveProperty('deliveryError');
  });
});
