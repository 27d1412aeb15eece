import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { findConversationByChannelUser } from '../../../src/store/repos/conversations';
import { conversations } from '../../../src/store/schema';
import { createStaff, eventually, PASSWORD, uniquePrefix } from '../../console/support';
import { artifactPath, launchChromium } from '../../e2e/browser';
import { requestContentEnv } from '../../requests/content';
import { startTestApp, type TestApp } from '../../support/app';
import { FakeGraphApi } from '../../support/fakeGraphApi';
import { seen, statusPayload, WhatsAppPerson, whatsappEnv } from './client';

/**
 * What staff see of WhatsApp's 24-hour window in the console (real Chromium): open while the person
 * is writing, closed a day later with the reply going as a template, open again when they write,
 * and a message WhatsApp refused marked with the reason.
 */
describe('the WhatsApp reply window in the staff console', () => {
  let app: TestApp;
  let browser: Browser;
  const graph = new FakeGraphApi();

  beforeAll(async () => {
    await graph.start();
    graph.approveTemplate('nabta_staff_reply', 'ar');
    [app, browser] = await Promise.all([
      startTestApp({
        store: 'postgres',
        redis: true,
        env: { ...requestContentEnv(), ...whatsappEnv(graph, { WHATSAPP_CLOUD_TEMPLATE_NAME: 'nabta_staff_reply' }), QUEUE_PREFIX: uniquePrefix() },
      }),
      launchChromium(),
    ]);
    // An app on PostgreSQL + Redis and a browser: slow to start on a busy machine.
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
    await graph.stop();
  });

  const w = (key: string, vars?: Record<string, unknown>) => app.texts.t(`console.web.${key}`, 'ar', vars);

  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(`${app.url}/console/`);
    await page.getByLabel(w('login.email')).fill(email);
    await page.getByLabel(w('login.password')).fill(PASSWORD);
    await page.getByRole('button', { name: w('login.submit') }).click();
    await page.getByRole('navigation', { name: w('nav.main') }).waitFor();
  }

  it('shows whether the window is open, and that a reply after it closed goes as a template', async () => {
    const person = new WhatsAppPerson(app.url, undefined, 'سالم');
    await person.text('ابي اكلم موظف');
    const conversation = (await findConversationByChannelUser(app.store.db, 'whatsapp-cloud', person.waId))!;
    const agent = await createStaff(app, 'agent', 'huda');
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ar-SA' });
    const page = await context.newPage();
    try {
      await signIn(page, agent.email);
      const card = page.locator(`#queue-list [data-conversation="${conversation.id}"]`);
      await card.getByRole('button', { name: w('queue.claim') }).click();
      const banner = page.locator('#reply-window.open');
      await banner.waitFor();
      // "open until <time>": the words around the time, the time in the staff's format.
      const [head, tail] = w('whatsappCloud.window_open', { time: '@' }).split('@') as [string, string];
      await expect(banner.textContent()).resolves.toMatch(new RegExp(`^${escape(head)}.+${escape(tail)}$`));

      // A day later.
      await app.store.db.update(conversations).set({ lastInboundAt: new Date(Date.now() - 25 * 3600_000) }).where(eq(conversations.id, conversation.id));
      await page.reload();
      await page.locator('#reply-window.closed').getByText(w('whatsappCloud.window_closed')).waitFor();
      await page.screenshot({ path: artifactPath('whatsapp-cloud-console-window-closed.png') });
      const before = graph.sentTo(person.waId).length;
      await page.getByRole('textbox', { name: w('composer.placeholder') }).fill('هل ما زلت تحتاج المساعدة؟');
      await page.getByRole('button', { name: w('composer.send') }).click();
      await page.locator('#transcript .from-staff').getByText('هل ما زلت تحتاج المساعدة؟').waitFor();
      const sent = await eventually(async () => graph.sentTo(person.waId).slice(before), (s) => s.length === 1);
      expect(seen(sent[0]!)).toMatchObject({ type: 'template', template: { name: 'nabta_staff_reply', parameters: ['هل ما زلت تحتاج المساعدة؟'] } });

      // WhatsApp later reports it undeliverable: staff see it on the message.
      await person.post(statusPayload(sent[0]!.id, person.waId, 'failed', [{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable' }]));
      await page.reload();
      await page.locator('#transcript .delivery-failed').getByText(w('whatsappCloud.failed_reason', { reason: 'Message undeliverable' })).waitFor();

      // The person writes again: the window opens, live.
      await person.text('نعم ما زلت أحتاجها');
      await page.locator('#reply-window.open').waitFor();
      await page.screenshot({ path: artifactPath('whatsapp-cloud-console-window-open.png') });
    } finally {
      await context.close();
    }
  }, 90_000);
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
