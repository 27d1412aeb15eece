/**
 * The adapter's pure parts (rendering, reading a message, picking an option, backoff) and its send
 * errors. WhatsApp itself cannot be reached from tests: where a client is needed, whatsapp-web.js's
 * Client is replaced at its event boundary by the stand-in in ./standIn.ts.
 */
import { WhatsAppWebChannel } from '../../../channels/whatsapp-web/adapter';
import { whatsappWebLibrary } from '../../../channels/whatsapp-web/client';
import { choiceFromAnswer, ignoreReason, senderOf, toInbound } from '../../../channels/whatsapp-web/inbound';
import { backoffDelay } from '../../../channels/whatsapp-web/link';
import { numbered, renderText } from '../../../channels/whatsapp-web/render';
import { splitText } from '../../../src/core/text';
import { classify } from '../../../channels/whatsapp-web/send';
import { SendError } from '../../../src/core/errors';
import { loadTexts } from '../../../src/i18n';
import { createLogger } from '../../../src/log';
import { testConfig } from '../../support/app';
import { freshDatabase } from '../../support/stores';
import { message, StandInWhatsApp } from './standIn';
import { nextState } from './support';

const limits = { maxBytes: 1024, maxTextLength: 4000 };
const RLM = '\u200F';

describe('rendering for WhatsApp', () => {
  const options = { hint: 'أرسل رقم اختيارك.', rtl: true, maxLength: 4000 };

  it('shows choices as numbered lines under the text, with the hint, right to left', () => {
    const [text] = renderText({ text: 'هل توافق؟', choices: [{ label: 'نعم', value: 'yes' }, { label: 'لا', value: 'no' }] }, options);
    expect(text).toBe(`هل توافق؟\n\n${RLM}1. نعم\n${RLM}2. لا\n\nأرسل رقم اختيارك.`);
  });

  it('keeps a label that already starts with its number as it is, and English lines left to right', () => {
    expect(numbered([{ label: '1 - ضعيفة', value: '1' }, { label: 'Other', value: 'o' }], false)).toBe('1 - ضعيفة\n2. Other');
  });

  it('splits long texts at paragraph, line and word boundaries, never losing a character', () => {
    const paragraph = 'كلمة '.repeat(300).trim();
    const parts = splitText(`${paragraph}\n\n${paragraph}`, 1000);
    expect(parts.every((p) => p.length <= 1000)).toBe(true);
    expect(parts.join(' ').replace(/\s+/g, ' ')).toBe(`${paragraph} ${paragraph}`);
    expect(splitText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });
});

describe('reading a WhatsApp message', () => {
  it('ignores own messages, groups, status updates, broadcasts, channels and protocol notices', () => {
    expect(ignoreReason(message('966501234567@c.us', 'hi', { fromMe: true }))).toBe('own');
    expect(ignoreReason(message('120363025246125486@g.us', 'hi'))).toBe('group');
    expect(ignoreReason(message('status@broadcast', 'hi'))).toBe('status');
    expect(ignoreReason(message('966501234567@c.us', 'hi', { isStatus: true }))).toBe('status');
    expect(ignoreReason(message('1700000000@broadcast', 'hi'))).toBe('broadcast');
    expect(ignoreReason(message('120363000000@newsletter', 'hi'))).toBe('newsletter');
    expect(ignoreReason(message('966501234567@c.us', '', { type: 'e2e_notification' }))).toBe('system');
    expect(ignoreReason(message('966501234567@c.us', 'hi'))).toBeUndefined();
    expect(ignoreReason(message('123456789012345@lid', 'hi'))).toBeUndefined();
  });

  it('knows the person by chat id, number and WhatsApp name', () => {
    expect(senderOf(message('966501234567@c.us', 'hi'))).toEqual({ id: '966501234567@c.us', phone: '+966501234567', name: 'نورة' });
    expect(senderOf(message('123456789012345@lid', 'hi', { _data: {} }))).toEqual({ id: '123456789012345@lid' });
  });

  it('turns a shared location into coordinates, never its thumbnail into text', async () => {
    const shared = message('966501234567@c.us', '/9j/4AAQSkZJRgABAQ…', { type: 'location', location: { latitude: '28.4328', longitude: '45.9708' } });
    const inbound = await toInbound(shared, limits);
    expect(inbound.location).toEqual({ lat: 28.4328, lng: 45.9708 });
    expect(inbound.text).toBeUndefined();
  });

  it('downloads media as bytes; a file over the limit is described by its size and never handed over', async () => {
    const small = Buffer.from('%PDF-1.4 small');
    const ok = await toInbound(
      message('966501234567@c.us', 'الهوية', {
        type: 'document',
        hasMedia: true,
        downloadMedia: async () => ({ mimetype: 'application/pdf', data: small.toString('base64'), filename: '../../etc/هوية.pdf', filesize: small.length }),
      }),
      limits,
    );
    expect(ok.text).toBe('الهوية');
    expect(ok.attachments![0]).toMatchObject({ kind: 'document', mime: 'application/pdf', size: small.length, fileName: 'هوية.pdf' });
    expect((await ok.attachments![0]!.fetch()).equals(small)).toBe(true);

    let downloaded = false;
    const big = await toInbound(
      message('966501234567@c.us', '', {
        type: 'image',
        hasMedia: true,
        _data: { size: 5000 },
        downloadMedia: async () => ((downloaded = true), { mimetype: 'image/jpeg', data: Buffer.alloc(5000).toString('base64') }),
      }),
      limits,
    );
    expect(downloaded).toBe(false);
    expect(big.attachments![0]).toMatchObject({ kind: 'image', size: 5000 });
    await expect(big.attachments![0]!.fetch()).rejects.toThrow(/size limit/);

    const gone = await toInbound(message('966501234567@c.us', '', { type: 'image', hasMedia: true, downloadMedia: async () => undefined }), limits);
    await expect(gone.attachments![0]!.fetch()).rejects.toThrow(/no longer available/);
  });
});

describe('picking an option by number or label', () => {
  const choices = [
    { label: 'تقديم طلب دعم', value: 'flow:support-request' },
    { label: 'متابعة طلب', value: 'flow:status' },
  ];
  it.each([
    ['2', 'flow:status'],
    ['٢', 'flow:status'],
    ['۲', 'flow:status'],
    [' 2. ', 'flow:status'],
    ['(1)', 'flow:support-request'],
    ['متابعة طلب', 'flow:status'],
    ['متابعه طلب', 'flow:status'],
  ])('"%s" -> %s', (typed, value) => {
    expect(choiceFromAnswer(typed, choices)).toBe(value);
  });
  it.each([['3'], ['0'], ['12 شارع'], ['مرحبا'], ['']])('"%s" is left to the bot', (typed) => {
    expect(choiceFromAnswer(typed, choices)).toBeUndefined();
  });
});

describe('backoff', () => {
  it('doubles from the minimum up to the maximum, with jitter in the upper half', () => {
    const backoff = { minMs: 1000, maxMs: 8000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, backoff, () => 1))).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, backoff, () => 0))).toEqual([500, 1000, 2000, 4000, 4000]);
  });
});

describe('send errors', () => {
  it('browser trouble is retryable; a chat WhatsApp does not know, or a malformed id, is not', () => {
    expect(classify(new Error('Protocol error: Session closed'))).toMatchObject({ retryable: true, code: 'send_failed' });
    expect(classify(new Error('Evaluation failed: Error: invalid wid'))).toMatchObject({ retryable: false, code: 'invalid_chat' });
  });

  it('the adapter refuses to send while not linked (retryable) and reports unknown chats (not retryable)', async () => {
    const wa = new StandInWhatsApp();
    wa.holdReady = true;
    const config = testConfig({ WHATSAPP_WEB_ENABLED: 'true' });
    const texts = loadTexts(config.localesDir);
    const database = await freshDatabase('pglite');
    const store = database.store;
    const channel = new WhatsAppWebChannel({ config, store, texts, log: createLogger({ level: 'silent' }) }, { library: wa, print: () => undefined });
    const address = { channel: 'whatsapp-web', channelUserId: '966501234567@c.us', conversationId: 'c1' };
    const outbound = [{ id: 1, author: 'bot' as const, text: 'أهلًا' }];
    await channel.start({ receive: async () => undefined });

    const refused = await channel.send(address, outbound).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(SendError);
    expect(refused).toMatchObject({ retryable: true, code: 'not_linked' });

    const ready = nextState(channel, 'ready');
    wa.current.link();
    await ready;
    expect(await channel.send(address, outbound)).toEqual({ channelMessageIds: [expect.stringMatching(/^true_966501234567@c\.us_/)] });
    // The same stored message again (an outbox retry of a half-sent batch) is not sent twice.
    expect(await channel.send(address, outbound)).toEqual({ channelMessageIds: [expect.any(String)] });
    expect(wa.sent).toHaveLength(1);

    wa.unknownChats.add('966509999999@c.us');
    const unknown = await channel.send({ ...address, channelUserId: '966509999999@c.us' }, [{ id: 2, author: 'bot', text: 'أهلًا' }]).catch((err: unknown) => err);
    expect(unknown).toMatchObject({ retryable: false, code: 'chat_not_found' });

    wa.sendFailures.push('Execution context was destroyed, most likely because of a navigation.');
    const crashed = await channel.send(address, [{ id: 3, author: 'bot', text: 'أهلًا' }]).catch((err: unknown) => err);
    expect(crashed).toMatchObject({ retryable: true, code: 'send_failed' });
    await channel.stop();
    expect(channel.link.state).toBe('stopped');
    await database.drop();
  });
});

describe('the real library, without linking', () => {
  it('builds a whatsapp-web.js Client on the system Chromium with its session under DATA_DIR, and real MessageMedia', () => {
    const library = whatsappWebLibrary({ dataDir: '/srv/nabta-data', chromePath: '/usr/bin/chromium' });
    // Constructing does not start a browser; initialize() would, and needs WhatsApp, unreachable here.
    const client = library.createClient() as unknown as { options: { puppeteer: { executablePath: string; headless: boolean; args: string[] } }; authStrategy: { dataPath: string } };
    expect(client.options.puppeteer).toMatchObject({ executablePath: '/usr/bin/chromium', headless: true });
    expect(client.options.puppeteer.args).toEqual(expect.arrayContaining(['--no-sandbox', '--disable-gpu']));
    expect(client.authStrategy.dataPath).toBe('/srv/nabta-data/whatsapp-web');
    const { MessageMedia } = require('whatsapp-web.js') as typeof import('whatsapp-web.js');
    const media = library.media({ mimetype: 'image/png', data: 'iVBORw0KGgo=', filename: 'a.png', filesize: 8 });
    expect(media).toBeInstanceOf(MessageMedia);
  });
});
