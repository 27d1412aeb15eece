import type { Update } from 'telegraf/types';
import { TelegramError } from '../../../channels/telegram/api';
import { commandPayload, startPayload } from '../../../channels/telegram/commands';
import { classifyUpdate, type Classified } from '../../../channels/telegram/inbound';
import { toSendError } from '../../../channels/telegram/send';
import { fixtureUpdate } from './telegramUser';

const everyFlow = () => true;
const classify = (name: string, edit: (u: Record<string, any>) => void = () => undefined, maxFileBytes = 10 * 1024 * 1024): Classified => {
  const update = fixtureUpdate(name);
  edit(update);
  return classifyUpdate(update as unknown as Update, { maxFileBytes, hasFlow: everyFlow });
};

describe('Telegram updates as Nabta reads them (fixtures shaped as the Bot API documentation shows)', () => {
  it('a text message: the chat is the person, the key is chat:message, the language comes from the app', () => {
    expect(classify('message.text')).toMatchObject({
      kind: 'message',
      key: '1111111:1365',
      chatId: '1111111',
      name: 'Test Firstname Test Lastname',
      locale: 'ar',
      text: 'السلام عليكم',
      files: [],
    });
    expect(classify('message.text', (u) => (u.message.from.language_code = 'en-GB'))).toMatchObject({ locale: 'en' });
    expect(classify('message.text', (u) => (u.message.from.language_code = 'fr'))).not.toHaveProperty('locale');
  });

  it('/start with a deep-link payload opens that flow; commands stand for menu payloads', () => {
    expect(classify('message.start')).toMatchObject({ kind: 'message', text: '/start apply', payload: 'flow:support-request' });
    expect(startPayload('', everyFlow)).toBe('flow:greeting');
    expect(startPayload('status', everyFlow)).toBe('flow:status');
    expect(startPayload('no-such-link', (id) => id !== 'no-such-link')).toBe('flow:greeting');
    // A link to a flow this installation lacks greets instead of surprising the person with a handoff.
    expect(startPayload('volunteer', (id) => id !== 'volunteer')).toBe('flow:greeting');
    expect(commandPayload('/status@nabta_test_bot', everyFlow)).toBe('flow:status');
    expect(commandPayload('/staff', everyFlow)).toBe('cmd:human');
    expect(commandPayload('/english', everyFlow)).toBe('cmd:lang_en');
    expect(commandPayload('/unknown', everyFlow)).toBeUndefined();
    // Text that only looks like a command (no bot_command entity at 0) stays text.
    expect(classify('message.text', (u) => (u.message.text = '/start apply'))).not.toHaveProperty('payload');
  });

  it('a callback query: keyed by its id, with the data and the message it came from', () => {
    expect(classify('callback_query')).toMatchObject({
      kind: 'callback',
      key: 'cb:4382bfdwdsb323b2d9',
      queryId: '4382bfdwdsb323b2d9',
      chatId: '1111111',
      data: 'Data from button callback',
      message: { id: 1366, text: "Data from the bot's message" },
    });
  });

  it('a photo: the largest size under the limit; every size over it -> the smallest, with its size', () => {
    expect(classify('message.photo', undefined, 100_000)).toMatchObject({ kind: 'message', files: [{ fileId: 'AgACAgIAAxkBAAIBZ2ZfQ1large', kind: 'image', size: 80125, mime: 'image/jpeg' }] });
    expect(classify('message.photo')).toMatchObject({ files: [{ fileId: 'AgACAgIAAxkBAAIBZ2ZfQ1original', size: 215840 }] });
    expect(classify('message.photo', undefined, 1000)).toMatchObject({ files: [{ fileId: 'AgACAgIAAxkBAAIBZ2ZfQ1small', size: 1453 }] });
  });

  it('a document keeps its name, type and the size Telegram reports', () => {
    expect(classify('message.document')).toMatchObject({
      kind: 'message',
      files: [{ fileId: 'BQACAgIAAxkBAAIBaGZfQ1document', kind: 'document', mime: 'application/pdf', size: 536392, fileName: 'Testfile.pdf' }],
    });
  });

  it('a location, an edit, a sticker, a block, a group', () => {
    expect(classify('message.location')).toMatchObject({ kind: 'message', location: { lat: 28.432, lng: 45.9708 } });
    expect(classify('edited_message')).toMatchObject({ kind: 'edited', key: '1111111:1365:e1441646600', text: 'Edited text' });
    expect(classify('message.sticker')).toMatchObject({ kind: 'unsupported', what: 'sticker', key: '1111111:1370' });
    // A voice note: the bot cannot read it, staff can listen to it.
    expect(classify('message.voice')).toMatchObject({ kind: 'unsupported', what: 'voice', file: { fileId: 'AwACAgIAAxkBAAIBamZfQ1voice', kind: 'audio', mime: 'audio/ogg', size: 23420 } });
    expect(classify('my_chat_member.kicked')).toEqual({ kind: 'membership', chatId: '1111111', blocked: true });
    expect(classify('message.text', (u) => (u.message.chat = { id: -100123, title: 'Volunteers', type: 'supergroup' }))).toMatchObject({ kind: 'ignored' });
  });
});

describe("Telegram's answers to a send, as the outbox sees them", () => {
  const error = (error_code: number, description: string, parameters?: object) => new TelegramError({ error_code, description, parameters });

  it('429 waits retry_after; 403 and a vanished chat give up as unreachable; other 400s give up; 5xx and the network retry', () => {
    expect(toSendError(error(429, 'Too Many Requests: retry after 7', { retry_after: 7 }))).toMatchObject({ retryable: true, retryAfterMs: 7000, code: 'rate_limited' });
    expect(toSendError(error(403, 'Forbidden: bot was blocked by the user'))).toMatchObject({ retryable: false, code: 'unreachable' });
    expect(toSendError(error(400, 'Bad Request: chat not found'))).toMatchObject({ retryable: false, code: 'unreachable' });
    expect(toSendError(error(400, 'Bad Request: message is too long'))).toMatchObject({ retryable: false, code: 'rejected' });
    expect(toSendError(error(502, 'Bad Gateway'))).toMatchObject({ retryable: true, retryAfterMs: undefined });
    expect(toSendError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { name: 'FetchError' }))).toMatchObject({ retryable: true, code: 'network' });
  });
});
