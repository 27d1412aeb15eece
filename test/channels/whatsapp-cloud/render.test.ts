import { SendError } from '../../../src/core/errors';
import { toSendError } from '../../../channels/whatsapp-cloud/errors';
import { GraphApiError } from '../../../channels/whatsapp-cloud/graph';
import { readWebhook, toInbound } from '../../../channels/whatsapp-cloud/inbound';
import { choiceId, renderOutbound, type RenderTexts } from '../../../channels/whatsapp-cloud/render';
import { splitText } from '../../../src/core/text';
import { signatureOf, verifySignature } from '../../../channels/whatsapp-cloud/signature';
import { templateMessage, templateParameter, templateSettings } from '../../../channels/whatsapp-cloud/templates';
import { webhookSchema } from '../../../channels/whatsapp-cloud/webhook';
import { isWindowOpen, replyWindowOf } from '../../../channels/whatsapp-cloud/window';
import { fixture } from './client';

const texts: RenderTexts = { listButton: 'الخيارات', pickByNumber: 'اكتب رقم اختيارك.', choose: 'اختر ما يناسبك:' };
const choices = (n: number, label = (i: number) => `خيار ${i}`) => Array.from({ length: n }, (_, i) => ({ label: label(i + 1), value: `opt:${i + 1}` }));

describe('rendering for WhatsApp', () => {
  it('shows up to three short choices as reply buttons whose ids are the choice values', () => {
    const [message] = renderOutbound({ text: 'هل توافق؟', choices: [{ label: 'نعم', value: 'yes' }, { label: 'لا', value: 'no' }] }, texts);
    expect(message).toEqual({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'هل توافق؟' },
        action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'نعم' } }, { type: 'reply', reply: { id: 'no', title: 'لا' } }] },
      },
    });
  });

  it('uses a list for more than three choices, or titles longer than a button holds, keeping long labels whole in the description', () => {
    const [four] = renderOutbound({ text: 'اختر', choices: choices(4) }, texts);
    expect((four as any).interactive.type).toBe('list');
    expect((four as any).interactive.action.button).toBe('الخيارات');
    const long = 'الاستفسار عن مواعيد توزيع السلال الغذائية';
    const [list] = renderOutbound({ text: 'اختر', choices: [{ label: long, value: 'a' }, { label: 'قصير', value: 'b' }] }, texts);
    const rows = (list as any).interactive.action.sections[0].rows;
    expect(rows[0].title.length).toBeLessThanOrEqual(24);
    expect(rows[0].title.endsWith('…')).toBe(true);
    expect(rows[0].description).toBe(long);
    expect(rows[1]).toEqual({ id: 'b', title: 'قصير' });
  });

  it('numbers more than ten choices in the text and says how to answer', () => {
    const parts = renderOutbound({ text: 'اختر مدينتك', choices: choices(12) }, texts);
    expect(parts).toHaveLength(1);
    const body = (parts[0] as any).text.body as string;
    expect(body.startsWith('اختر مدينتك\n\n1. خيار 1\n2. خيار 2')).toBe(true);
    expect(body).toContain('12. خيار 12');
    expect(body.endsWith('اكتب رقم اختيارك.')).toBe(true);
  });

  it('gives values too long for an id a short stand-in', () => {
    const value = `faq:${'x'.repeat(300)}`;
    expect(choiceId('flow:status', 256)).toBe('flow:status');
    expect(choiceId(value, 256)).toMatch(/^h:[A-Za-z0-9_-]{22}$/);
    expect(choiceId(value, 256)).toBe(choiceId(value, 256));
  });

  it('splits text over 4096 characters on a line or word boundary, never losing a word', () => {
    const paragraph = 'نبتة تساعد المستفيدين في حفر الباطن. '.repeat(60);
    const text = `${paragraph}\n${paragraph}\n${paragraph}`;
    const parts = renderOutbound({ text }, texts);
    expect(parts.length).toBeGreaterThan(1);
    const bodies = parts.map((p) => (p as any).text.body as string);
    for (const b of bodies) expect(b.length).toBeLessThanOrEqual(4096);
    expect(bodies.join(' ').split(/\s+/)).toEqual(text.trim().split(/\s+/));
    expect(splitText('a'.repeat(10), 4)).toEqual(['aaaa', 'aaaa', 'aa']);
  });

  it('puts a long question before its buttons, whose body holds at most 1024 characters', () => {
    const text = `${'شرح طويل للخدمة. '.repeat(100)}\nهل تريد المتابعة؟`;
    const parts = renderOutbound({ text, choices: [{ label: 'نعم', value: 'yes' }] }, texts);
    const last = parts.at(-1) as any;
    expect(last.interactive.body.text.length).toBeLessThanOrEqual(1024);
    expect(last.interactive.body.text).toContain('هل تريد المتابعة؟');
    expect(parts.slice(0, -1).every((p) => p.type === 'text')).toBe(true);
  });

  it('sends images and documents by link, the text as caption when it fits', () => {
    expect(renderOutbound({ text: 'دليل الخدمات', media: { kind: 'document', url: 'https://example.org/guide.pdf', fileName: 'guide.pdf' } }, texts)).toEqual([
      { type: 'document', document: { link: 'https://example.org/guide.pdf', caption: 'دليل الخدمات', filename: 'guide.pdf' } },
    ]);
    const withChoice = renderOutbound({ text: 'صورة', media: { kind: 'image', url: 'https://example.org/a.jpg' }, choices: [{ label: 'نعم', value: 'yes' }] }, texts);
    expect(withChoice.map((p) => p.type)).toEqual(['image', 'interactive']);
  });

  it('asks for a location with WhatsApp\'s location request', () => {
    const [m] = renderOutbound({ text: 'شارك موقعك', expecting: { slot: 'where', kind: 'location' } }, texts);
    expect(m).toEqual({ type: 'interactive', interactive: { type: 'location_request_message', body: { text: 'شارك موقعك' }, action: { name: 'send_location' } } });
  });
});

describe('templates', () => {
  const settings = templateSettings({
    WHATSAPP_CLOUD_TEMPLATE_NAME: 'nabta_update',
    WHATSAPP_CLOUD_TEMPLATES: 'staff=nabta_staff_reply, system = nabta_notice',
    WHATSAPP_CLOUD_TEMPLATE_LANGUAGES: 'ar:ar,en:en_US',
    WHATSAPP_CLOUD_TEMPLATE_TEXT_PARAMETER: true,
  });

  it('picks the template by author and the language by the conversation', () => {
    expect(templateMessage(settings, 'staff', 'en', 'Hello')).toEqual({
      name: 'nabta_staff_reply',
      message: { type: 'template', template: { name: 'nabta_staff_reply', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Hello' }] }] } },
    });
    expect(templateMessage(settings, 'system', 'ar', 'x')!.name).toBe('nabta_notice');
    expect(templateMessage(settings, 'bot', 'ar', 'x')!.name).toBe('nabta_update');
  });

  it('has no template when none is configured, and no variable when the templates have none', () => {
    const none = templateSettings({ WHATSAPP_CLOUD_TEMPLATE_NAME: '', WHATSAPP_CLOUD_TEMPLATES: '', WHATSAPP_CLOUD_TEMPLATE_LANGUAGES: 'ar:ar', WHATSAPP_CLOUD_TEMPLATE_TEXT_PARAMETER: true });
    expect(templateMessage(none, 'staff', 'ar', 'x')).toBeUndefined();
    const fixed = templateSettings({ WHATSAPP_CLOUD_TEMPLATE_NAME: 'nabta_new_message', WHATSAPP_CLOUD_TEMPLATES: '', WHATSAPP_CLOUD_TEMPLATE_LANGUAGES: 'ar:ar', WHATSAPP_CLOUD_TEMPLATE_TEXT_PARAMETER: false });
    expect(templateMessage(fixed, 'staff', 'en', 'x')!.message).toEqual({ type: 'template', template: { name: 'nabta_new_message', language: { code: 'ar' } } });
  });

  it('puts the text on one line, without runs of spaces, within the template body limit', () => {
    expect(templateParameter('السطر الأول\n\nالسطر الثاني\t     بعد مسافات')).toBe('السطر الأول - السطر الثاني بعد مسافات');
    const long = templateParameter('كلمة '.repeat(400));
    expect(long.length).toBeLessThanOrEqual(900);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('signature, window and errors', () => {
  it('accepts only the HMAC-SHA256 of the exact bytes with the app secret', () => {
    const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
    expect(verifySignature(body, signatureOf(body, 's3cret'), 's3cret')).toBe(true);
    expect(verifySignature(body, signatureOf(body, 's3cret').toUpperCase().replace('SHA256=', 'sha256='), 's3cret')).toBe(true);
    expect(verifySignature(body, signatureOf(body, 'other'), 's3cret')).toBe(false);
    expect(verifySignature(Buffer.concat([body, Buffer.from(' ')]), signatureOf(body, 's3cret'), 's3cret')).toBe(false);
    expect(verifySignature(body, undefined, 's3cret')).toBe(false);
    expect(verifySignature(body, 'sha256=abc', 's3cret')).toBe(false);
  });

  it('keeps the window open for 24 hours after the last message (less a safety margin)', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const hoursAgo = (h: number) => new Date(now.getTime() - h * 3600_000);
    expect(isWindowOpen(hoursAgo(1), now)).toBe(true);
    expect(isWindowOpen(hoursAgo(23.9), now)).toBe(true);
    expect(isWindowOpen(hoursAgo(23.99), now)).toBe(false);
    expect(isWindowOpen(hoursAgo(25), now)).toBe(false);
    expect(isWindowOpen(null, now)).toBe(false);
    expect(replyWindowOf({ channel: 'whatsapp-cloud', lastInboundAt: hoursAgo(2) }, now)).toEqual({ open: true, closesAt: '2026-03-02T10:00:00.000Z' });
    expect(replyWindowOf({ channel: 'webchat', lastInboundAt: hoursAgo(2) }, now)).toBeNull();
  });

  it('retries rate limits and outages, not bad requests', () => {
    const graph = (code: number, status = 400) => toSendError(new GraphApiError(`(#${code})`, status, code));
    expect(graph(130429)).toMatchObject({ retryable: true, code: '130429' });
    expect(graph(131056)).toMatchObject({ retryable: true, retryAfterMs: 6000 });
    expect(graph(131000, 500)).toMatchObject({ retryable: true });
    expect(graph(190, 401)).toMatchObject({ retryable: true });
    expect(graph(131026)).toMatchObject({ retryable: false, code: '131026' });
    expect(graph(131009)).toMatchObject({ retryable: false });
    expect(graph(132001, 404)).toMatchObject({ retryable: false });
    expect(toSendError(new GraphApiError('unreachable', 0))).toMatchObject({ retryable: true });
    expect(toSendError(new GraphApiError('HTTP 502', 502))).toBeInstanceOf(SendError);
  });
});

describe('reading Meta\'s payloads', () => {
  const read = async (name: string) => {
    const body = webhookSchema.parse(fixture(name));
    const content = readWebhook(body, '106540352242922');
    const fetched: string[] = [];
    const inbound = await toInbound(content.messages[0]!.message, content.messages[0]!.name, async (media) => ({ size: 1234, mime: media.mime_type, fetch: async () => (fetched.push(media.id), Buffer.from('x')) }));
    return { inbound: inbound!, fetched };
  };

  it('turns each documented message type into the gateway\'s Inbound', async () => {
    const text = (await read('text')).inbound;
    expect(text).toMatchObject({ channel: 'whatsapp-cloud', text: 'السلام عليكم', sender: { id: '966501234567', name: 'Noura', phone: '+966501234567' } });
    expect(text.channelMessageId).toMatch(/^wamid\./);
    expect(text.receivedAt.toISOString()).toBe('2025-11-25T12:00:00.000Z');
    expect((await read('interactive_button_reply')).inbound).toMatchObject({ payload: 'yes' });
    expect((await read('interactive_list_reply')).inbound).toMatchObject({ payload: 'flow:support-request' });
    expect((await read('location')).inbound).toMatchObject({ location: { lat: 28.4328, lng: 45.9708 } });
    const image = await read('image');
    expect(image.inbound).toMatchObject({ text: 'صورة الهوية', attachments: [{ kind: 'image', mime: 'image/jpeg', size: 1234 }] });
    expect(image.fetched).toEqual([]);
    await image.inbound.attachments![0]!.fetch();
    expect(image.fetched).toEqual(['1479537139650973']);
    expect((await read('document')).inbound).toMatchObject({ attachments: [{ kind: 'document', fileName: 'residence-proof.pdf', mime: 'application/pdf' }] });
  });

  it('reads statuses and leaves other phone numbers\' changes alone', () => {
    const content = readWebhook(webhookSchema.parse(fixture('status_failed')), '106540352242922');
    expect(content.statuses[0]).toMatchObject({ status: 'failed', errors: [{ code: 131047 }] });
    expect(readWebhook(webhookSchema.parse(fixture('text')), '999999999')).toMatchObject({ messages: [], ignored: 1 });
  });
});
