import { and, eq } from 'drizzle-orm';
import { conversations, documents, messages, supportRequests } from '../../../src/store/schema';
import { fixture, newCitizenId } from '../../requests/conversation';
import { requestContentEnv } from '../../requests/content';
import { startTelegramApp, type TelegramHarness } from './harness';

/**
 * A whole support request through Telegram, as a follower of the association would make it: a QR
 * code's deep link opens the form, buttons answer yes/no, a shared location gives the town, a photo
 * and two documents are downloaded from Telegram into the encrypted store, and the committee's
 * decision comes back in the chat.
 */
describe.each([
  { store: 'pglite' as const, redis: false },
  { store: 'postgres' as const, redis: true },
])('a whole support request over Telegram ($store, redis: $redis)', ({ store, redis }) => {
  let h: TelegramHarness;

  beforeAll(async () => {
    h = await startTelegramApp({ store, redis, mode: 'webhook', env: requestContentEnv() });
  }, 90_000); // starting the app (FAQ index, migrations) is slow on a machine the tests share
  afterAll(() => h.dispose());

  it('opens from a deep link, takes buttons, a location, a photo and documents, and delivers the decision', async () => {
    const { app, fake } = h;
    const t = (key: string, vars?: Record<string, unknown>) => app.texts.t(key, 'ar', vars);
    const person = h.user();
    const chat = person.chatId;
    let seen = 0;
    /** What the bot said since the last call. */
    const said = () => {
      const all = fake.sentTexts(chat);
      const fresh = all.slice(seen);
      seen = all.length;
      return fresh.join('\n');
    };

    // https://t.me/<bot>?start=apply -> the support-request flow at once, consent asked with buttons.
    await person.send(person.start('apply'));
    expect(said()).toContain(t('requests.ask.consent'));
    expect(fake.lastKeyboard(chat).map((b) => b.text)).toEqual([t('common.yes'), t('common.no')]);
    for (const button of fake.lastKeyboard(chat)) expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);

    // A button press: the spinner is stopped, the choice shown under the question, and the flow goes on.
    const consent = await person.send(person.press(t('common.yes')));
    expect(fake.ok('answerCallbackQuery').map((p) => p.callback_query_id)).toContain(consent.callback_query.id);
    const question = fake.message(chat, consent.callback_query.message.message_id)!;
    expect(question.text).toBe(`${consent.callback_query.message.text}\n\n✓ ${t('common.yes')}`);
    expect(question.reply_markup).toBeUndefined();
    expect(said()).toContain(t('requests.ask.full_name'));

    await person.send(person.text('فاطمة علي الشمري'));
    const nationalId = newCitizenId();
    await person.send(person.text(nationalId));
    await person.send(person.text('0501234567'));
    expect(said()).toContain(t('requests.ask.residence'));
    // Residence from a location shared in Hafr Al-Batin.
    await person.send(person.location(28.4375, 45.98));
    expect(said()).toContain(t('requests.ask.other_associations'));
    await person.send(person.press(t('common.no')));
    expect(said()).toContain(t('requests.ask.id_copy'));

    // A file Telegram says is too large is refused without being downloaded.
    const huge = person.document(fixture('residence-proof.pdf'), 'scan.pdf', 'application/pdf', 11 * 1024 * 1024);
    await person.send(huge);
    expect(said()).toContain(t('validation.file_size', { max: 10 }));
    expect(fake.calls.filter((c) => c.method === 'getFile' && c.params.file_id === huge.message.document.file_id)).toEqual([]);

    // The ID copy as a photo (the largest size is the real picture), then two documents.
    await person.send(person.photo(fixture('id-card.jpg')));
    expect(said()).toContain(t('requests.ask.family_book'));
    await person.send(person.document(fixture('family-book.png'), 'دفتر العائلة.png', 'image/png'));
    expect(said()).toContain(t('requests.ask.residence_proof'));
    await person.send(person.document(fixture('residence-proof.pdf'), 'residence-proof.pdf', 'application/pdf'));
    const summary = said();
    expect(summary).toContain('حفر الباطن');
    expect(summary).toContain(t('requests.ask.declaration'));

    await person.send(person.press(t('common.yes')));
    const done = said();
    const reference = /HB-\d{4}-\d{6}/.exec(done)?.[0];
    expect(reference).toBeDefined();
    expect(done).toContain('خلال مدة لا تقل عن أسبوعين');

    const [request] = await app.store.db.select().from(supportRequests).where(eq(supportRequests.reference, reference!));
    expect(request).toMatchObject({ channel: 'telegram', fullName: 'فاطمة علي الشمري', mobile: '+966501234567' });
    const files = await app.store.db.select().from(documents).where(eq(documents.requestId, request!.id));
    const expected: Record<string, Buffer> = { 'image/jpeg': fixture('id-card.jpg'), 'image/png': fixture('family-book.png'), 'application/pdf': fixture('residence-proof.pdf') };
    expect(files.map((f) => f.mime).sort()).toEqual(Object.keys(expected).sort());
    for (const f of files) {
      expect((await app.requests.readDocument(f.id, { staffId: 'staff-telegram' })).bytes.equals(expected[f.mime]!)).toBe(true);
    }
    expect(files.find((f) => f.mime === 'image/png')!.fileName).toBe('دفتر العائلة.png');

    // The transcript shows the pressed buttons' labels and keeps the national ID masked.
    const [conversation] = await app.store.db.select().from(conversations).where(and(eq(conversations.channel, 'telegram'), eq(conversations.channelUserId, String(chat))));
    const inbound = await app.store.db.select({ text: messages.text }).from(messages).where(and(eq(messages.conversationId, conversation!.id), eq(messages.direction, 'in')));
    expect(inbound.map((m) => m.text)).toEqual(expect.arrayContaining([t('common.yes'), t('common.no'), `******${nationalId.slice(-4)}`]));
    expect(JSON.stringify(inbound)).not.toContain(nationalId);

    // The committee decides: the applicant hears it in the same chat, proactively.
    await app.requests.decide(reference!, { status: 'accepted', staffId: 'committee-telegram' });
    const decided = `قررت لجنة البحث قبول طلب الدعم رقم ${reference}`;
    await fake.waitForCall((c) => c.method === 'sendMessage' && c.status === 200 && String(c.params.chat_id) === String(chat) && String(c.params.text).includes(decided));
    expect(said()).toContain(decided);
  });
});
