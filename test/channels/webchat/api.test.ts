import { io as connectSocket, type Socket } from 'socket.io-client';
import { and, eq } from 'drizzle-orm';
import { findConversationByChannelUser } from '../../../src/store/repos/conversations';
import { messages } from '../../../src/store/schema';
import { startTestApp, type TestApp } from '../../support/app';
import { STORE_KINDS } from '../../support/stores';
import { PNG, webchatClient } from './client';

// Each test speaks from its own IP (the app trusts X-Forwarded-For from loopback), so the per-IP
// budget of one test never spends another's (nor a previous run's: Redis counters live a minute).
let ipCounter = 0;
const run = Math.floor(Math.random() * 250);
const fromNewIp = () => ({ 'x-forwarded-for': `10.${run}.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}` });

describe.each(STORE_KINDS)('web chat API over HTTP on %s', (store) => {
  let app: TestApp;
  let api: ReturnType<typeof webchatClient>;

  beforeAll(async () => {
    app = await startTestApp({
      store,
      // PostgreSQL runs with Redis (shared counters, rooms); PGlite is the single-node default.
      redis: store === 'postgres',
      env: { RATE_LIMIT_PER_CONVERSATION_PER_MINUTE: '6', RATE_LIMIT_PER_IP_PER_MINUTE: '15', WEBCHAT_MAX_FILE_MB: '0.05' },
    });
    api = webchatClient(app.url, fromNewIp);
  });
  afterAll(() => app.dispose());

  it('greets in Arabic with the menu, and gives a long random conversation id', async () => {
    const ip = fromNewIp();
    const first = await api.post({ text: 'السلام عليكم' }, ip);
    expect(first.status).toBe(200);
    expect(first.body.conversationId).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(first.body.match).toMatchObject({ kind: 'command', id: 'greeting' });
    expect(first.body.replies[0].text).toContain('جمعية حماية البيئة بحفر الباطن');
    const menu = first.body.replies.at(-1);
    expect(menu.choices.map((c: { value: string }) => c.value)).toEqual(expect.arrayContaining(['flow:support-request', 'cmd:human']));
    expect(menu.choices[0].label).toBe('تقديم طلب دعم');

    const other = await api.post({ text: 'السلام عليكم' }, ip);
    expect(other.body.conversationId).not.toBe(first.body.conversationId);
  });

  it('continues the conversation when a choice is tapped, and says what handled it', async () => {
    const ip = fromNewIp();
    const { body: greeting } = await api.post({ text: 'السلام عليكم' }, ip);
    const tapped = await api.post({ conversationId: greeting.conversationId, payload: 'flow:questions' }, ip);
    expect(tapped.status).toBe(200);
    expect(tapped.body.conversationId).toBe(greeting.conversationId);
    expect(tapped.body.match).toEqual({ kind: 'flow', id: 'questions' });
    expect(tapped.body.replies[0].text).toContain('اكتب سؤالك');
  });

  it('serves the transcript of bot messages after a cursor', async () => {
    const ip = fromNewIp();
    const { body: greeting } = await api.post({ text: 'السلام عليكم' }, ip);
    const { body: tapped } = await api.post({ conversationId: greeting.conversationId, payload: 'flow:questions' }, ip);

    const all = await api.transcript(greeting.conversationId);
    expect(all.status).toBe(200);
    expect(all.body.messages.map((m: { text: string }) => m.text)).toEqual([...greeting.replies, ...tapped.replies].map((r: { text: string }) => r.text));
    expect(all.body.messages[1].choices).toHaveLength(6);

    const later = await api.transcript(greeting.conversationId, greeting.cursor);
    expect(later.body.messages.map((m: { id: number }) => m.id)).toEqual(tapped.replies.map((r: { id: number }) => r.id));
    expect(later.body.cursor).toBe(tapped.cursor);

    const none = await api.transcript(greeting.conversationId, tapped.cursor);
    expect(none.body).toEqual({ conversationId: greeting.conversationId, messages: [], cursor: tapped.cursor });
  });

  it('processes a retried message (same messageId) once', async () => {
    const ip = fromNewIp();
    const { body: greeting } = await api.post({ text: 'السلام عليكم' }, ip);
    const message = { conversationId: greeting.conversationId, messageId: 'retry-abc-123', payload: 'flow:questions' };
    const first = await api.post(message, ip);
    const again = await api.post(message, ip);
    expect(first.body.replies).toHaveLength(1);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, replies: [] });
    const conversation = await findConversationByChannelUser(app.store.db, 'webchat', greeting.conversationId);
    const inbound = await app.store.db.select().from(messages).where(and(eq(messages.conversationId, conversation!.id), eq(messages.direction, 'in')));
    expect(inbound).toHaveLength(2);
  });

  describe('refuses bad input politely', () => {
    it('malformed JSON', async () => {
      const res = await api.call('/api/webchat/messages', { method: 'POST', headers: { 'content-type': 'application/json', ...fromNewIp() }, body: '{"text": "مرح' });
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({ code: 'bad_json', message: 'تعذّرت قراءة الطلب؛ يبدو أن صيغته غير صحيحة.' });
    });

    it('a message with nothing in it, in Arabic by default and in English when asked', async () => {
      const ar = await api.post({}, fromNewIp());
      expect(ar.status).toBe(400);
      expect(ar.body.error.code).toBe('empty_message');
      expect(ar.body.error.message).toContain('الرسالة فارغة');
      const en = await api.post({ text: '   ', locale: 'en' }, fromNewIp());
      expect(en.body.error).toEqual({ code: 'empty_message', message: expect.stringContaining('The message is empty') });
      const byHeader = await api.post({}, { ...fromNewIp(), 'accept-language': 'en-GB,en;q=0.9' });
      expect(byHeader.body.error.message).toContain('The message is empty');
    });

    it('fields of the wrong type', async () => {
      const res = await api.post({ text: 42, locale: 'fr' }, fromNewIp());
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
    });

    it('an unknown conversation', async () => {
      const ip = fromNewIp();
      const res = await api.post({ conversationId: 'A'.repeat(32), text: 'مرحبا' }, ip);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('conversation_not_found');
      expect((await api.transcript('A'.repeat(32))).status).toBe(404);
      expect((await api.transcript('../../etc')).status).toBe(404);
    });

    it('text over 4,000 characters', async () => {
      const res = await api.post({ text: 'ن'.repeat(4001) }, fromNewIp());
      expect(res.status).toBe(413);
      expect(res.body.error).toEqual({ code: 'text_too_long', message: 'الرسالة طويلة جدًا؛ الحد الأقصى 4000 حرف.' });
      expect((await api.post({ text: 'ن'.repeat(4000) }, fromNewIp())).status).toBe(200);
    });

    it('a bad cursor', async () => {
      const ip = fromNewIp();
      const { body } = await api.post({ text: 'السلام عليكم' }, ip);
      const res = await api.transcript(body.conversationId, '1;drop');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('bad_cursor');
    });
  });

  describe('files (multipart/form-data)', () => {
    const form = (fields: Record<string, string>, files: { bytes: Buffer; name: string; type: string }[]) => {
      const data = new FormData();
      for (const [k, v] of Object.entries(fields)) data.append(k, v);
      for (const f of files) data.append('file', new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
      return data;
    };

    it('accepts a photo with the same fields as JSON', async () => {
      const res = await api.postForm(form({ text: 'صورة الهوية' }, [{ bytes: PNG, name: 'هوية.png', type: 'image/png' }]), fromNewIp());
      expect(res.status).toBe(200);
      expect(res.body.conversationId).toMatch(/^[A-Za-z0-9_-]{32,}$/);
      const conversation = await findConversationByChannelUser(app.store.db, 'webchat', res.body.conversationId);
      const [inbound] = await app.store.db.select().from(messages).where(and(eq(messages.conversationId, conversation!.id), eq(messages.direction, 'in')));
      expect(inbound!.body).toMatchObject({ attachments: [{ kind: 'image', mime: 'image/png', fileName: 'هوية.png' }] });
    });

    it('refuses a file whose bytes are not an accepted type, whatever it is called', async () => {
      const res = await api.postForm(form({}, [{ bytes: Buffer.from('MZ\x90\x00 not really a picture'), name: 'photo.png', type: 'image/png' }]), fromNewIp());
      expect(res.status).toBe(415);
      expect(res.body.error.code).toBe('file_type');
      expect(res.body.error.message).toContain('نوع الملف غير مقبول');
    });

    it('refuses a file over the limit and more than one file', async () => {
      const big = Buffer.concat([PNG, Buffer.alloc(60 * 1024)]);
      const tooBig = await api.postForm(form({ locale: 'en' }, [{ bytes: big, name: 'big.png', type: 'image/png' }]), fromNewIp());
      expect(tooBig.status).toBe(413);
      expect(tooBig.body.error.code).toBe('file_too_large');
      const two = await api.postForm(form({}, [{ bytes: PNG, name: 'a.png', type: 'image/png' }, { bytes: PNG, name: 'b.png', type: 'image/png' }]), fromNewIp());
      expect(two.status).toBe(400);
      expect(two.body.error.code).toBe('too_many_files');
    });

    it('answers a broken multipart body with 400', async () => {
      const res = await api.call('/api/webchat/messages', {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=xyz', ...fromNewIp() },
        body: '--xyz\r\nContent-Disposition: form-data; name="text"\r\n\r\nمرحبا',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
    });
  });

  describe('rate limits', () => {
    it('limits one conversation, with Retry-After', async () => {
      const ip = fromNewIp();
      const { body } = await api.post({ text: 'السلام عليكم' }, ip);
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 7; i++) {
        last = await api.post({ conversationId: body.conversationId, text: `رسالة ${i}` }, fromNewIp());
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(last!.body.error.code).toBe('rate_limited');
      expect(last!.body.error.message).toMatch(/انتظر \d+ ثانية/);
    });

    it('limits one IP address across conversations', async () => {
      const ip = fromNewIp();
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++) statuses.push((await api.post({ text: 'مرحبا' }, ip)).status);
      expect(statuses.slice(0, 15).every((s) => s === 200)).toBe(true);
      expect(statuses[15]).toBe(429);
    });

    it('does not count what this machine sends itself (no forwarded client address) against an IP budget', async () => {
      const local = webchatClient(app.url);
      const statuses: number[] = [];
      for (let i = 0; i < 17; i++) statuses.push((await local.post({ text: 'مرحبا' })).status);
      expect(statuses).toEqual(Array(17).fill(200));
      // Each conversation keeps its own budget, wherever it is written from.
      const { body } = await local.post({ text: 'السلام عليكم' });
      const inOne: number[] = [];
      for (let i = 0; i < 7; i++) inOne.push((await local.post({ conversationId: body.conversationId, text: `رسالة ${i}` })).status);
      expect(inOne).toEqual([200, 200, 200, 200, 200, 200, 429]);
    });
  });

  describe('live push over socket.io', () => {
    let socket: Socket | undefined;
    afterEach(() => socket?.disconnect());

    it('pushes staff replies to the conversation’s room, in the same shape as replies', async () => {
      const { body } = await api.post({ text: 'السلام عليكم' }, fromNewIp());
      socket = connectSocket(`${app.url}/webchat`, { auth: { conversationId: body.conversationId }, transports: ['websocket'] });
      await new Promise<void>((resolve, reject) => {
        socket!.once('connect', () => resolve());
        socket!.once('connect_error', reject);
      });
      const pushed = new Promise<{ conversationId: string; messages: { id: number; author: string; text: string }[] }>((resolve) => socket!.once('messages', resolve));
      const conversation = await findConversationByChannelUser(app.store.db, 'webchat', body.conversationId);
      const [sent] = await app.gateway.notify(conversation!.id, [{ text: 'مرحبًا، معك سارة من الجمعية' }], 'staff', 'staff-1');
      const event = await pushed;
      expect(event.conversationId).toBe(body.conversationId);
      expect(event.messages).toEqual([{ id: sent!.id, author: 'staff', text: 'مرحبًا، معك سارة من الجمعية', createdAt: expect.any(String) }]);
      // …and it is in the transcript for clients that were away.
      const later = await api.transcript(body.conversationId, body.cursor);
      expect(later.body.messages.map((m: { text: string }) => m.text)).toEqual(['مرحبًا، معك سارة من الجمعية']);
    });

    it('refuses to join an unknown conversation', async () => {
      socket = connectSocket(`${app.url}/webchat`, { auth: { conversationId: 'B'.repeat(32), locale: 'en' }, transports: ['websocket'], reconnection: false });
      const err = await new Promise<Error & { data?: { code: string; message: string } }>((resolve) => socket!.once('connect_error', resolve));
      expect(err.data).toEqual({ code: 'conversation_not_found', message: expect.stringContaining('could not find this conversation') });
    });
  });

  it('serves the widget’s texts from locales/', async () => {
    const ar = await api.call('/api/webchat/texts?locale=ar', { headers: fromNewIp() });
    expect(ar.body).toMatchObject({ locale: 'ar', dir: 'rtl', org: { name: 'جمعية حماية البيئة بحفر الباطن', primaryColor: '#2e7d32' } });
    expect(ar.body.texts.send).toBe('إرسال');
    const en = await api.call('/api/webchat/texts?locale=en', { headers: fromNewIp() });
    expect(en.body).toMatchObject({ locale: 'en', dir: 'ltr', texts: { send: 'Send' } });
  });

  it('counts messages by channel and pipeline latency at /metrics', async () => {
    const res = await fetch(`${app.url}/metrics`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toMatch(/nabta_messages_in_total\{channel="webchat",match="command"\} [1-9]/);
    expect(text).toMatch(/nabta_messages_out_total\{channel="webchat"\} [1-9]/);
    expect(text).toMatch(/nabta_pipeline_seconds_count\{channel="webchat"\} [1-9]/);
    expect(text).toMatch(/nabta_http_rejections_total\{channel="webchat",code="rate_limited"\} [1-9]/);
  });
});
