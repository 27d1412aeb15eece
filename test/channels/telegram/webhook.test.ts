import { readFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { findConversationByChannelUser } from '../../../src/store/repos/conversations';
import { messages, outbox } from '../../../src/store/schema';
import { createStaff, StaffClient } from '../../console/support';
import { requestContentEnv } from '../../requests/content';
import { BLOCKED, TOO_MANY_REQUESTS } from '../../support/fakeTelegram';
import { eventually } from '../../console/support';
import { startTelegramApp, type TelegramHarness } from './harness';

/** Webhook mode against the fake Bot API: what Telegram sends in, what people see come back. */
describe('Telegram in webhook mode (PGlite)', () => {
  let h: TelegramHarness;
  const t = (key: string, vars?: Record<string, unknown>) => h.app.texts.t(key, 'ar', vars);
  const inboundRows = async (chat: number) => {
    const conversation = await findConversationByChannelUser(h.app.store.db, 'telegram', String(chat));
    if (!conversation) return [];
    return h.app.store.db.select().from(messages).where(and(eq(messages.conversationId, conversation.id), eq(messages.direction, 'in')));
  };

  beforeAll(async () => {
    h = await startTelegramApp({ store: 'pglite', mode: 'webhook', env: requestContentEnv() });
  }, 90_000); // starting the app (FAQ index, migrations) is slow on a machine the tests share
  afterAll(() => h.dispose());

  it('sets the webhook with its secret, and the command menu in Arabic and English', async () => {
    const { fake, app } = h;
    expect(fake.webhook).toMatchObject({ url: app.config.TELEGRAM_WEBHOOK_URL, secret_token: h.secret });
    expect(fake.webhook!.allowed_updates).toEqual(expect.arrayContaining(['message', 'edited_message', 'callback_query']));
    await fake.waitForCall((c) => c.method === 'setMyCommands' && c.status === 200 && c.params.language_code === 'en');
    const menus = fake.ok('setMyCommands');
    const ar = menus.find((m) => m.language_code === 'ar')!;
    const en = menus.find((m) => m.language_code === 'en')!;
    expect(ar.commands).toContainEqual({ command: 'apply', description: 'تقديم طلب دعم' });
    expect(en.commands).toContainEqual({ command: 'apply', description: 'Apply for support' });
    // Apps in other languages get the default (Arabic) menu.
    expect(menus.find((m) => m.language_code === undefined)!.commands).toEqual(ar.commands);
  });

  it('refuses a call without the right secret (401) and processes nothing', async () => {
    const { fake } = h;
    const person = h.user();
    const update = person.text('السلام عليكم');
    expect((await fake.deliver(update, 'not-the-secret')).status).toBe(401);
    expect((await fake.deliver(update, null)).status).toBe(401);
    expect(await findConversationByChannelUser(h.app.store.db, 'telegram', String(person.chatId))).toBeUndefined();
    expect(fake.sentTexts(person.chatId)).toEqual([]);

    // The same update with the secret is Telegram's: answered.
    expect((await fake.deliver(update)).status).toBe(200);
    await h.app.outbox.idle(); // answered once stored; the replies follow through the outbox
    expect(fake.sentTexts(person.chatId).join('\n')).toContain(t('menu.prompt'));

    const broken = await fetch(fake.webhook!.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': h.secret }, body: '{"update_id":' });
    expect(broken.status).toBe(400);
  });

  it('processes a redelivered update once, even when both copies arrive together', async () => {
    const { fake } = h;
    const person = h.user();
    const update = person.text('السلام عليكم');
    const answers = await Promise.all([fake.deliver(update), fake.deliver(update)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect((await fake.deliver(update)).status).toBe(200);
    await h.app.outbox.idle();
    expect(await inboundRows(person.chatId)).toHaveLength(1);
    const sent = fake.sentTexts(person.chatId);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toBe(t('menu.prompt'));
  });

  it('speaks English to a person whose Telegram is in English', async () => {
    const person = h.user('en');
    await person.send(person.text('hello'));
    expect(h.fake.sentTexts(person.chatId).at(-1)).toBe(h.app.texts.t('menu.prompt', 'en'));
  });

  it('answers a sticker and an edited message politely, once each, and keeps a placeholder in the transcript', async () => {
    const { fake } = h;
    const person = h.user();
    const sticker = await person.send(person.sticker());
    await person.send(sticker);
    expect(fake.sentTexts(person.chatId)).toEqual([t('telegram.unsupported')]);
    expect((await inboundRows(person.chatId)).map((m) => m.text)).toEqual(['[ملصق]']);

    await person.send(person.edit(sticker.message.message_id, 'نص معدل'));
    expect(fake.sentTexts(person.chatId)).toEqual([t('telegram.unsupported'), t('telegram.edited')]);
  });

  it('answers a forged or stale button without processing it', async () => {
    const { fake } = h;
    const person = h.user();
    for (const data of ['o:zzzzzz:0', 'Data from button callback']) {
      const update = await person.send(person.callback(data));
      expect(fake.ok('answerCallbackQuery')).toContainEqual({ callback_query_id: update.callback_query.id, text: t('telegram.button_expired') });
    }
    expect(fake.sentTexts(person.chatId)).toEqual([]);
    expect(await inboundRows(person.chatId)).toEqual([]);
  });

  it('waits retry_after when Telegram answers 429, then sends only what had not gone out', async () => {
    const { fake } = h;
    const person = h.user();
    // The greeting is two messages: the first goes out, the second is refused with retry_after = 1 s.
    fake.failNext('sendMessage', TOO_MANY_REQUESTS(1), { skip: 1 });
    await person.send(person.text('السلام عليكم'));
    const limited = await fake.waitForCall((c) => c.method === 'sendMessage' && c.status === 429 && String(c.params.chat_id) === String(person.chatId));
    const retried = await fake.waitForCall((c) => c.method === 'sendMessage' && c.status === 200 && c.params.text === t('menu.prompt') && String(c.params.chat_id) === String(person.chatId));
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(950);
    const sent = fake.sentTexts(person.chatId);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toBe(t('menu.prompt'));
    const conversation = (await findConversationByChannelUser(h.app.store.db, 'telegram', String(person.chatId)))!;
    const deliveries = () => h.app.store.db.select().from(outbox).where(and(eq(outbox.conversationId, conversation.id), eq(outbox.kind, 'deliver')));
    const rows = await eventually(deliveries, (r) => r.every((row) => row.doneAt !== null));
    expect(rows.map((r) => r.attempts)).toEqual([1]);
  });

  it('marks a person who blocked the bot unreachable and gives up at once; writing again makes them reachable', async () => {
    const { fake, app } = h;
    const person = h.user();
    await person.send(person.text('السلام عليكم'));
    const conversation = (await findConversationByChannelUser(app.store.db, 'telegram', String(person.chatId)))!;

    fake.block(person.chatId);
    const [notice] = await app.gateway.notify(conversation.id, [{ text: 'تحديث بخصوص طلبك' }], 'staff');
    const refused = fake.calls.filter((c) => c.status === 403 && String(c.params.chat_id) === String(person.chatId));
    expect(refused).toEqual([expect.objectContaining({ method: 'sendMessage' })]);
    expect(refused[0]!.params.text).toBe('تحديث بخصوص طلبك');
    expect((await findConversationByChannelUser(app.store.db, 'telegram', String(person.chatId)))!.unreachableAt).toBeInstanceOf(Date);
    const [row] = await app.store.db.select().from(outbox).where(and(eq(outbox.conversationId, conversation.id), eq(outbox.kind, 'deliver'))).orderBy(outbox.id).limit(1).offset(1);
    expect(row).toMatchObject({ attempts: 1 });
    expect(row!.failedAt).toBeInstanceOf(Date);
    const [stored] = await app.store.db.select().from(messages).where(eq(messages.id, notice!.id));
    expect(stored!.status).toBe('failed');

    fake.unblock(person.chatId);
    await person.send(person.text('السلام عليكم'));
    expect(fake.sentTexts(person.chatId).at(-1)).toBe(t('menu.prompt'));
    expect((await findConversationByChannelUser(app.store.db, 'telegram', String(person.chatId)))!.unreachableAt).toBeNull();
  });

  it('learns from my_chat_member that the person blocked the bot', async () => {
    const person = h.user();
    await person.send(person.text('السلام عليكم'));
    await person.send(person.blocksBot());
    expect((await findConversationByChannelUser(h.app.store.db, 'telegram', String(person.chatId)))!.unreachableAt).toBeInstanceOf(Date);
  });

  it("delivers a member of staff's reply to the person who asked for one with /staff", async () => {
    const { fake, app } = h;
    const person = h.user();
    await person.send(person.command('staff'));
    expect(fake.sentTexts(person.chatId).join('\n')).toContain(t('handoff.queued'));
    const conversation = (await findConversationByChannelUser(app.store.db, 'telegram', String(person.chatId)))!;
    expect(conversation.mode).toBe('queued');

    const agent = new StaffClient(app.url);
    expect((await agent.login((await createStaff(app, 'agent', 'huda')).email)).status).toBe(200);
    expect((await agent.post(`/conversations/${conversation.id}/claim`)).status).toBe(200);
    expect((await agent.post(`/conversations/${conversation.id}/messages`, { text: 'أهلًا بك، معك هدى من الجمعية' })).status).toBe(200);
    await fake.waitForCall((c) => c.method === 'sendMessage' && c.status === 200 && String(c.params.chat_id) === String(person.chatId) && c.params.text === 'أهلًا بك، معك هدى من الجمعية');

    // While with staff, a sticker reaches them as a placeholder, a voice note as a recording they can
    // play, and the bot stays quiet.
    const before = fake.sentTexts(person.chatId).length;
    await person.send(person.sticker());
    const voice = readFileSync(path.resolve(__dirname, '../../handoff/fixtures/voice-note.ogg'));
    await person.send(person.voice(voice));
    expect(fake.sentTexts(person.chatId)).toHaveLength(before);
    const rows = await inboundRows(person.chatId);
    expect(rows.map((m) => m.text)).toContain('[ملصق]');
    const recording = rows.find((m) => (m.body as { attachments?: unknown[] } | null)?.attachments);
    expect((recording!.body as { attachments: unknown[] }).attachments).toEqual([expect.objectContaining({ kind: 'audio', mime: 'audio/ogg', ref: expect.stringMatching(/^doc:/) })]);
    const played = await fetch(`${app.url}/api/console/conversations/${conversation.id}/attachments/${(recording!.body as { attachments: { ref: string }[] }).attachments[0]!.ref.slice(4)}`, { headers: { cookie: agent.cookie } });
    expect(Buffer.from(await played.arrayBuffer()).equals(voice)).toBe(true);
  });
});
