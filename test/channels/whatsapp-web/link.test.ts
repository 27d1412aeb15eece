/**
 * The link to the association's phone: QR (terminal and console), ready, a drop, reconnection with
 * backoff, and messages flowing again. WhatsApp itself cannot be reached from tests, so the
 * library's Client is replaced at its event boundary by a stand-in (./standIn.ts) that emits the same
 * events; each reconnection creates a new stand-in client, as the adapter does with the real one.
 */
import type { LinkSnapshot, LinkState } from '../../../channels/whatsapp-web/link';
import { findConversationByChannelUser } from '../../../src/store/repos/conversations';
import { createStaff, StaffClient } from '../../console/support';
import { requestContentEnv } from '../../requests/content';
import { startTestApp, tempDir, type TestApp } from '../../support/app';
import { StandInWhatsApp } from './standIn';
import { nextState, option, Person, untilState, whatsappChannel } from './support';

const SHORT_BACKOFF = { minMs: 20, maxMs: 80 };

/** Records every state the link goes through from now on. */
function recordStates(app: TestApp): { states: LinkState[]; snapshots: LinkSnapshot[] } {
  const record = { states: [] as LinkState[], snapshots: [] as LinkSnapshot[] };
  whatsappChannel(app).link.on('change', (s) => {
    record.states.push(s.state);
    record.snapshots.push(s);
  });
  return record;
}

describe('WhatsApp Web link (PGlite)', () => {
  let app: TestApp;
  let wa: StandInWhatsApp;
  let printed!: (text: string) => void;
  const firstPrint = new Promise<string>((resolve) => (printed = resolve));
  const dataDir = tempDir();
  const env = { ...requestContentEnv(), WHATSAPP_WEB_ENABLED: 'true' };
  const t = (key: string) => app.texts.t(key, 'ar');

  beforeAll(async () => {
    wa = new StandInWhatsApp();
    wa.linked = false; // no session kept yet: the first start asks for a QR
    app = await startTestApp({ store: 'pglite', dataDir, env, whatsappWeb: { library: wa, backoff: SHORT_BACKOFF, print: (text) => printed(text) } });
  });
  afterAll(() => app?.dispose());

  it('shows the QR in the terminal and to admins in the console (agents get 403), then links on scan', async () => {
    const channel = whatsappChannel(app);
    await untilState(channel, 'qr');
    // The terminal: how to scan, then the code drawn with block characters.
    const shown = await firstPrint;
    expect(shown).toContain(app.texts.t('whatsappweb.terminal.scan', 'ar'));
    expect(shown).toContain(app.texts.t('whatsappweb.terminal.scan', 'en'));
    expect(shown).toMatch(/[█▀▄]/);

    const admin = new StaffClient(app.url);
    expect((await admin.login((await createStaff(app, 'admin', 'huda')).email)).status).toBe(200);
    const waiting = await admin.get('/whatsapp-web');
    expect(waiting.status).toBe(200);
    expect(waiting.body).toMatchObject({ state: 'qr', attempt: 0, reason: null });
    expect(new Date(waiting.body.since).getTime()).toBeLessThanOrEqual(Date.now());
    expect(waiting.body.qr).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(waiting.body.qr.split(',')[1], 'base64').toString('utf8')).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);

    const agent = new StaffClient(app.url);
    expect((await agent.login((await createStaff(app, 'agent', 'omar')).email)).status).toBe(200);
    expect((await agent.get('/whatsapp-web')).status).toBe(403);
    expect((await new StaffClient(app.url).get('/whatsapp-web')).status).toBe(401);

    // The phone scans: authenticated, then ready; the QR is gone from the console.
    const ready = untilState(channel, 'ready');
    wa.current.link();
    await ready;
    const linked = await admin.get('/whatsapp-web');
    expect(linked.body).toMatchObject({ state: 'ready', qr: null });
  });

  it('reconnects after a drop with backoff (disconnected -> reconnecting -> ready) and messages flow again', async () => {
    const channel = whatsappChannel(app);
    const noura = new Person(wa, channel);
    expect((await noura.say('السلام عليكم')).length).toBeGreaterThan(0);

    const record = recordStates(app);
    const first = wa.current;
    const ready = nextState(channel, 'ready');
    first.emit('disconnected', 'NAVIGATION');
    await ready;
    expect(record.states).toEqual(['disconnected', 'reconnecting', 'authenticated', 'ready']);
    const reconnecting = record.snapshots[1]!;
    expect(reconnecting).toMatchObject({ attempt: 1, reason: 'NAVIGATION' });
    const delay = reconnecting.retryAt!.getTime() - reconnecting.since.getTime();
    expect(delay).toBeGreaterThanOrEqual(SHORT_BACKOFF.minMs / 2 - 1);
    expect(delay).toBeLessThanOrEqual(SHORT_BACKOFF.minMs + 1);
    expect(first.destroyed).toBe(true);
    expect(wa.current).not.toBe(first);

    // The old client's events are not listened to any more; the new one carries the conversation.
    const answer = await noura.say('2');
    expect(answer.at(-1)).toContain(t('requests.ask.reference'));
    expect(wa.sent.at(-1)!.client).toBe(wa.current.index);
  });

  it('backs off longer after each failed start (Chromium missing), then links; a reply sent meanwhile arrives once ready', async () => {
    const channel = whatsappChannel(app);
    const ali = new Person(wa, channel);
    await ali.say('السلام عليكم');
    const conversation = (await findConversationByChannelUser(app.store.db, 'whatsapp-web', ali.chatId))!;

    const record = recordStates(app);
    wa.failures.push('Failed to launch the browser process! spawn /usr/bin/chromium ENOENT', 'Failed to launch the browser process! spawn /usr/bin/chromium ENOENT');
    wa.holdReady = true;
    // The third client (after two failed starts) starts and waits, authenticating.
    let starts = 0;
    const third = new Promise<void>((resolve) => {
      const listener = () => {
        if (++starts < 3) return;
        wa.off('initialize', listener);
        resolve();
      };
      wa.on('initialize', listener);
    });
    wa.current.emit('disconnected', 'CONFLICT');
    await third;
    const retries = record.snapshots.filter((s) => s.state === 'reconnecting');
    expect(retries.map((s) => s.attempt)).toEqual([1, 2, 3]);
    // min·2^(n-1) with jitter in its upper half: 10–20 ms, 20–40 ms, 40–80 ms.
    retries.forEach((s, i) => {
      const ceiling = Math.min(SHORT_BACKOFF.maxMs, SHORT_BACKOFF.minMs * 2 ** i);
      const delay = s.retryAt!.getTime() - s.since.getTime();
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2 - 1);
      expect(delay).toBeLessThanOrEqual(ceiling + 1);
    });
    expect(record.snapshots.filter((s) => s.state === 'disconnected').map((s) => s.reason)).toEqual([
      'CONFLICT',
      'Failed to launch the browser process! spawn /usr/bin/chromium ENOENT',
      'Failed to launch the browser process! spawn /usr/bin/chromium ENOENT',
    ]);

    // Not linked: the staff message is refused as retryable and stays in the outbox …
    const arrived = wa.waitForSent((m) => m.chatId === ali.chatId && m.text === 'وصلنا طلبك وسنعود إليك قريبًا');
    await app.gateway.notify(conversation.id, [{ text: 'وصلنا طلبك وسنعود إليك قريبًا' }], 'staff');
    expect(wa.textsTo(ali.chatId)).not.toContain('وصلنا طلبك وسنعود إليك قريبًا');
    // … and goes out once the phone is linked again.
    wa.holdReady = false;
    const ready = nextState(channel, 'ready');
    wa.current.link();
    await ready;
    expect((await arrived).client).toBe(wa.current.index);
  });

  it('keeps the meaning of "2" across a restart: the offered options are read from the transcript', async () => {
    const noura = new Person(wa, whatsappChannel(app));
    const menu = await noura.say('القائمة');
    expect(menu.join('\n')).toContain(option(2, t('menu.status')));

    await app.dispose();
    app = await startTestApp({ store: 'pglite', dataDir, env, whatsappWeb: { library: wa, backoff: SHORT_BACKOFF, print: () => undefined } });
    await untilState(whatsappChannel(app), 'ready');
    const restarted = new Person(wa, whatsappChannel(app), noura.chatId);
    expect((await restarted.say('٢')).at(-1)).toContain(t('requests.ask.reference'));
  });
});
