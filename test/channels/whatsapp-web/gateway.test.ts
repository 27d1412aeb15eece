/**
 * WhatsApp Web through the whole gateway. WhatsApp itself cannot be reached from tests, so the
 * library's Client is replaced at its event boundary by a stand-in (./standIn.ts) that emits the same
 * events with Message-shaped objects; the adapter, gateway, flows, store, outbox and console are real.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq, inArray } from 'drizzle-orm';
import { findConversationByChannelUser } from '../../../src/store/repos/conversations';
import { conversations, documents, messages, supportRequests } from '../../../src/store/schema';
import { createStaff, StaffClient, uniquePrefix } from '../../console/support';
import { fixture, newCitizenId } from '../../requests/conversation';
import { requestContentEnv } from '../../requests/content';
import { startTestApp, type TestApp } from '../../support/app';
import { message, newChatId, StandInWhatsApp } from './standIn';
import { option, Person, untilState, whatsappChannel } from './support';

describe.each([
  { store: 'pglite' as const, redis: false },
  { store: 'postgres' as const, redis: true },
])('WhatsApp Web through the gateway ($store, redis: $redis)', ({ store, redis }) => {
  let app: TestApp;
  let wa: StandInWhatsApp;
  const prefix = uniquePrefix();
  const t = (key: string, vars?: Record<string, unknown>) => app.texts.t(key, 'ar', vars);
  const person = () => new Person(wa, whatsappChannel(app));

  beforeAll(async () => {
    wa = new StandInWhatsApp();
    app = await startTestApp({
      store,
      redis,
      env: { ...requestContentEnv(), WHATSAPP_WEB_ENABLED: 'true', QUEUE_PREFIX: prefix },
      whatsappWeb: { library: wa, print: () => undefined },
    });
    await untilState(whatsappChannel(app), 'ready');
  });
  afterAll(async () => {
    if (app?.redis) {
      const keys = await app.redis.keys(`${prefix}:*`);
      if (keys.length) await app.redis.del(...keys);
    }
    await app?.dispose();
  });

  it('greets with the menu as numbered options; a FAQ answer, then "1", "١", a label and "٢" move a support request on; photos and a PDF are stored', async () => {
    const noura = person();

    const greeted = await noura.say('السلام عليكم');
    const menu = greeted.find((text) => text.startsWith(t('menu.prompt')))!;
    expect(menu).toBeDefined();
    expect(menu.split('\n')).toEqual(
      expect.arrayContaining([option(1, t('menu.support')), option(2, t('menu.status')), option(6, t('menu.human')), t('whatsappweb.choose_hint')]),
    );

    // The FAQ answers, with its follow-up as option 1.
    const answered = await noura.say('وش الأوراق المطلوبة؟');
    expect(answered.join('\n')).toContain(t('faq.documents.answer').split('\n')[0]);
    expect(answered.at(-1)).toContain(option(1, t('faq.follow.apply')));

    const consent = await noura.say('1');
    expect(consent.at(-1)).toContain(t('requests.ask.consent'));
    expect(consent.at(-1)).toContain(option(1, t('common.yes')));
    expect(consent.at(-1)).toContain(option(2, t('common.no')));

    expect(await noura.say('١')).toEqual([t('requests.ask.full_name')]);
    expect(await noura.say('نورة محمد العتيبي')).toEqual([t('requests.ask.national_id')]);
    const nationalId = newCitizenId();
    expect(await noura.say(nationalId)).toEqual([t('requests.ask.mobile')]);
    const towns = await noura.say('0551234567');
    expect(towns.at(-1)).toContain(t('requests.ask.residence'));
    expect(towns.at(-1)).toContain(option(8, 'ام قليب'));
    // A label, typed the way people write it (with a hamza the list does not show).
    expect((await noura.say('أم قليب')).at(-1)).toContain(t('requests.ask.other_associations'));
    const documentsAsked = await noura.say('٢');
    expect(documentsAsked.at(-1)).toBe(t('requests.ask.id_copy'));

    expect(await noura.sendFile(fixture('id-card.jpg'), { type: 'image', mimetype: 'image/jpeg' })).toEqual([t('requests.ask.family_book')]);
    expect(await noura.sendFile(fixture('family-book.png'), { type: 'image', mimetype: 'image/png', caption: 'دفتر العائلة' })).toEqual([t('requests.ask.residence_proof')]);
    const summary = await noura.sendFile(fixture('residence-proof.pdf'), { type: 'document', mimetype: 'application/pdf', filename: 'residence-proof.pdf' });
    expect(summary.join('\n')).toContain('مكان السكن: ام قليب');
    expect(summary.at(-1)).toContain(t('requests.ask.declaration'));

    const done = (await noura.say('1')).join('\n');
    const reference = /HB-\d{4}-\d{6}/.exec(done)?.[0];
    expect(reference).toBeDefined();

    const [request] = await app.store.db.select().from(supportRequests).where(eq(supportRequests.reference, reference!));
    expect(request).toMatchObject({ channel: 'whatsapp-web', fullName: 'نورة محمد العتيبي', mobile: '+966551234567' });
    const files = await app.store.db.select().from(documents).where(eq(documents.requestId, request!.id));
    expect(files.map((f) => f.mime).sort()).toEqual(['application/pdf', 'image/jpeg', 'image/png']);
    for (const f of files) {
      const original = f.mime === 'application/pdf' ? 'residence-proof.pdf' : f.mime === 'image/png' ? 'family-book.png' : 'id-card.jpg';
      expect((await app.requests.readDocument(f.id, { staffId: 'staff-wa' })).bytes.equals(fixture(original))).toBe(true);
    }
    // The person is known by their WhatsApp name and number.
    const conversation = await findConversationByChannelUser(app.store.db, 'whatsapp-web', noura.chatId);
    expect(conversation?.displayName).toBe('نورة');
  });

  it('ignores the association\'s own messages, groups, status updates and broadcasts: nothing is stored or answered', async () => {
    const channel = whatsappChannel(app);
    const someone = newChatId();
    const ignored = [
      message(someone, 'رسالة من جوال الجمعية نفسه', { fromMe: true }),
      message('120363025246125486@g.us', 'السلام عليكم يا جماعة'),
      message('status@broadcast', 'حالة جديدة', { isStatus: true }),
      message('1700000000@broadcast', 'قائمة بث', { broadcast: true }),
    ];
    const reasons: string[] = [];
    const all = new Promise<void>((resolve) => {
      const listener = (reason: string) => {
        reasons.push(reason);
        if (reasons.length === ignored.length) {
          channel.events.off('ignored', listener);
          resolve();
        }
      };
      channel.events.on('ignored', listener);
    });
    const sentBefore = wa.sent.length;
    for (const m of ignored) wa.current.receive(m);
    await all;
    expect(reasons).toEqual(['own', 'group', 'status', 'broadcast']);

    // A real person right after still gets an answer, and the ignored ones left no trace.
    const after = person();
    expect((await after.say('السلام عليكم')).length).toBeGreaterThan(0);
    const chats = [someone, '120363025246125486@g.us', 'status@broadcast', '1700000000@broadcast'];
    expect(await app.store.db.select().from(conversations).where(inArray(conversations.channelUserId, chats))).toEqual([]);
    const ids = ignored.map((m) => m.id._serialized);
    expect(await app.store.db.select().from(messages).where(inArray(messages.channelMessageId, ids))).toEqual([]);
    expect(wa.sent.slice(sentBefore).filter((m) => chats.includes(m.chatId))).toEqual([]);
  });

  it('hands over to staff: the queued notice offers "1" to leave, and the agent\'s reply and a photo arrive on WhatsApp', async () => {
    const ali = person();
    const queued = await ali.say('ابي اكلم موظف');
    expect(queued.join('\n')).toContain(t('handoff.queued'));
    expect(queued.join('\n')).toContain(option(1, t('handoff.leave')));
    const conversation = (await findConversationByChannelUser(app.store.db, 'whatsapp-web', ali.chatId))!;
    expect(conversation.mode).toBe('queued');

    const agent = new StaffClient(app.url);
    expect((await agent.login((await createStaff(app, 'agent', 'sara')).email)).status).toBe(200);
    expect((await agent.post(`/conversations/${conversation.id}/claim`)).status).toBe(200);
    const reply = wa.waitForSent((m) => m.chatId === ali.chatId && m.text === 'أهلًا بك، معك سارة من الجمعية');
    expect((await agent.post(`/conversations/${conversation.id}/messages`, { text: 'أهلًا بك، معك سارة من الجمعية' })).status).toBe(200);
    await reply;

    // Talking to a person, a bare number is theirs to read: it is relayed as typed, not taken as an option.
    await ali.say('1');
    const inbound = await app.store.db.select({ text: messages.text, body: messages.body }).from(messages).where(eq(messages.conversationId, conversation.id));
    expect(inbound.filter((m) => m.text === '1').map((m) => m.body)).toEqual([null]);
    expect((await findConversationByChannelUser(app.store.db, 'whatsapp-web', ali.chatId))!.mode).toBe('human');

    // Media out: a notification carrying a photo, fetched over HTTP and sent with its caption.
    const photo = fixture('id-card.jpg');
    const server = await serve(photo, 'image/jpeg');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/leaflet.jpg`;
      const sentPhoto = wa.waitForSent((m) => m.chatId === ali.chatId && m.media !== undefined);
      await app.gateway.notify(conversation.id, [{ text: 'نشرة الجمعية', media: { kind: 'image', url, mime: 'image/jpeg' } }], 'staff');
      const delivered = await sentPhoto;
      expect(delivered.caption).toBe('نشرة الجمعية');
      expect(delivered.media).toMatchObject({ mimetype: 'image/jpeg', filename: 'leaflet.jpg', filesize: photo.length });
      expect(Buffer.from(delivered.media!.data, 'base64').equals(photo)).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

function serve(bytes: Buffer, type: string): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': type, 'content-length': bytes.length });
    res.end(bytes);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
