import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FakeTelegram } from '../../support/fakeTelegram';

const FIXTURES = path.resolve(__dirname, '../../fixtures/telegram');

/** An update from test/fixtures/telegram (shaped as Telegram's documentation shows), as a fresh copy. */
export function fixtureUpdate(name: string): Record<string, any> {
  return JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, any>;
}

let chats = 0;
/** A private chat id nobody else in this run uses. */
export function newChatId(): number {
  chats += 1;
  return 200_000_000 + (process.pid % 10_000) * 1000 + chats + Math.floor(Math.random() * 100) * 10_000_000;
}

/**
 * One person in a private chat with the bot: builds the updates Telegram would send for what they
 * do (from the fixtures, with this chat's ids) and hands them over — to the webhook or to getUpdates.
 */
export class TelegramUser {
  private messageId = 1;
  readonly chatId = newChatId();

  constructor(
    private readonly fake: FakeTelegram,
    private readonly transport: (update: Record<string, any>) => Promise<unknown>,
    private readonly languageCode = 'ar',
  ) {}

  /** Sends an update built from a fixture; returns it (to deliver it again, for instance). */
  async send(update: Record<string, any>): Promise<Record<string, any>> {
    await this.transport(update);
    return update;
  }

  text(text: string): Record<string, any> {
    const update = this.message('message.text');
    update.message.text = text;
    return update;
  }

  /** `/start <payload>`, as Telegram sends it after the person opens https://t.me/<bot>?start=<payload>. */
  start(payload?: string): Record<string, any> {
    return this.command('start', payload);
  }

  /** A command typed or picked from the bot's menu: the text starts with a bot_command entity. */
  command(name: string, arg?: string): Record<string, any> {
    const update = this.message('message.start');
    update.message.text = arg ? `/${name} ${arg}` : `/${name}`;
    update.message.entities = [{ offset: 0, length: name.length + 1, type: 'bot_command' }];
    return update;
  }

  /** Presses the button labelled `label` on the last keyboard the bot sent to this chat. */
  press(label: string): Record<string, any> {
    const sent = this.fake.calls.filter((c) => c.status === 200 && String(c.params.chat_id) === String(this.chatId) && c.params.reply_markup?.inline_keyboard).at(-1);
    if (!sent) throw new Error('the bot sent no keyboard to this chat');
    const button = (sent.params.reply_markup.inline_keyboard as { text: string; callback_data: string }[][]).flat().find((b) => b.text === label);
    if (!button) throw new Error(`no button "${label}"`);
    return this.callback(button.callback_data, sent.result.message_id as number);
  }

  /** A callback query with any data (a forged or stale button). */
  callback(data: string, messageId?: number): Record<string, any> {
    const update = fixtureUpdate('callback_query');
    update.update_id = this.fake.nextUpdateId();
    const query = update.callback_query;
    query.id = randomBytes(8).toString('hex');
    query.data = data;
    this.personalise(query.from, query.message.chat);
    const stored = messageId === undefined ? undefined : this.fake.message(this.chatId, messageId);
    if (stored) query.message = { ...stored, chat: query.message.chat };
    else query.message.message_id = messageId ?? 1;
    return update;
  }

  /** A photo in the four sizes Telegram makes: the real bytes are the largest; the smaller ones are other files. */
  photo(bytes: Buffer): Record<string, any> {
    const update = this.message('message.photo');
    const sizes = update.message.photo as Record<string, any>[];
    sizes.forEach((size, i) => {
      const isOriginal = i === sizes.length - 1;
      const content = isOriginal ? bytes : randomBytes(Math.max(8, Math.floor((bytes.length * (i + 1)) / (sizes.length + 1))));
      Object.assign(size, this.fake.addFile(content, 'photos', 'jpg'));
    });
    return update;
  }

  document(bytes: Buffer, fileName: string, mime: string, declaredSize: number = bytes.length): Record<string, any> {
    const update = this.message('message.document');
    Object.assign(update.message.document, this.fake.addFile(bytes, 'documents', path.extname(fileName).slice(1)), { file_name: fileName, mime_type: mime, file_size: declaredSize });
    return update;
  }

  location(lat: number, lng: number): Record<string, any> {
    const update = this.message('message.location');
    update.message.location = { latitude: lat, longitude: lng };
    return update;
  }

  /** A voice note recorded in the app (OGG/Opus). */
  voice(bytes: Buffer): Record<string, any> {
    const update = this.message('message.voice');
    Object.assign(update.message.voice, this.fake.addFile(bytes, 'voice', 'oga'));
    return update;
  }

  sticker(): Record<string, any> {
    return this.message('message.sticker');
  }

  /** The person edits a message they sent earlier. */
  edit(messageId: number, text: string): Record<string, any> {
    const update = fixtureUpdate('edited_message');
    update.update_id = this.fake.nextUpdateId();
    const edited = update.edited_message;
    edited.message_id = messageId;
    edited.text = text;
    edited.edit_date = Math.floor(Date.now() / 1000);
    this.personalise(edited.from, edited.chat);
    return update;
  }

  blocksBot(): Record<string, any> {
    const update = fixtureUpdate('my_chat_member.kicked');
    update.update_id = this.fake.nextUpdateId();
    this.personalise(update.my_chat_member.from, update.my_chat_member.chat);
    return update;
  }

  private message(fixture: string): Record<string, any> {
    const update = fixtureUpdate(fixture);
    update.update_id = this.fake.nextUpdateId();
    const message = update.message;
    message.message_id = this.messageId++;
    message.date = Math.floor(Date.now() / 1000);
    this.personalise(message.from, message.chat);
    return update;
  }

  private personalise(from: Record<string, any>, chat: Record<string, any>): void {
    from.id = this.chatId;
    from.language_code = this.languageCode;
    chat.id = this.chatId;
  }
}
