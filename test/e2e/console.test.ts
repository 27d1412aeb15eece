import type { Browser, BrowserContext, Page } from 'playwright-core';
import { findConversationByChannelUser } from '../../src/store/repos/conversations';
import { insertRating } from '../../src/store/repos/ratings';
import { createStaff, eventually, PASSWORD, visitorTexts, webchatClient } from '../console/support';
import { startTestApp, type TestApp } from '../support/app';
import { artifactPath, launchChromium } from './browser';

const LAPTOP = { width: 1366, height: 768 };
const TABLET = { width: 820, height: 1180 };

/**
 * A member of staff at work in real Chromium: signs in, sees a visitor waiting, claims the
 * conversation, answers (the visitor gets it over the web chat API), closes it (the visitor is asked
 * for a rating), and looks at the dashboard. Screenshots at laptop and tablet sizes go to
 * test-artifacts/ for people to look at.
 */
describe('staff console in Chromium', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp({ store: 'postgres' }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
  });

  const t = (key: string, vars?: Record<string, unknown>) => app.texts.t(key, 'ar', vars);
  const w = (key: string, vars?: Record<string, unknown>) => t(`console.web.${key}`, vars);

  /** A visitor on the website asks for a person; returns their web chat token and conversation id. */
  async function visitorAsksForPerson(web: ReturnType<typeof webchatClient>, text: string): Promise<{ token: string; conversationId: string }> {
    const hello = await web.post({ text });
    const token: string = hello.body.conversationId;
    const asked = await web.post({ conversationId: token, text: 'ابي اكلم موظف' });
    expect(asked.body.replies.map((r: { text: string }) => r.text)).toContain(t('handoff.queued'));
    const conversation = (await findConversationByChannelUser(app.store.db, 'webchat', token))!;
    return { token, conversationId: conversation.id };
  }

  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(`${app.url}/console/`);
    await page.getByRole('heading', { name: w('login.heading') }).waitFor();
    await page.getByLabel(w('login.email')).fill(email);
    await page.getByLabel(w('login.password')).fill(PASSWORD);
    await page.getByRole('button', { name: w('login.submit') }).click();
    await page.getByRole('navigation', { name: w('nav.main') }).waitFor();
  }

  for (const [size, viewport] of [['laptop', LAPTOP], ['tablet', TABLET]] as const) {
    describe(`at ${size} size (${viewport.width}x${viewport.height})`, () => {
      let context: BrowserContext;
      let page: Page;
      beforeAll(async () => {
        context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'ar-SA', hasTouch: size === 'tablet' });
        page = await context.newPage();
      });
      afterAll(() => context.close());

      it('signs in, claims a waiting visitor, replies, closes, and shows the dashboard', async () => {
        const agent = await createStaff(app, 'agent', `agent-${size}`);
        const web = webchatClient(app.url);
        const { token, conversationId } = await visitorAsksForPerson(web, 'السلام عليكم');
        // Some history for the dashboard's charts.
        await insertRating(app.store.db, { conversationId, channel: 'webchat', score: 4, comment: null, handoffId: null, staffId: agent.id });

        // Sign in: a wrong password is refused in words, the right one opens the console.
        await page.goto(`${app.url}/console/`);
        await page.getByRole('heading', { name: w('login.heading') }).waitFor();
        await expect(page.locator('html').getAttribute('dir')).resolves.toBe('rtl');
        await page.getByLabel(w('login.email')).fill(agent.email);
        await page.getByLabel(w('login.password')).fill('not-the-password');
        await page.screenshot({ path: artifactPath(`console-${size}-login.png`) });
        await page.getByRole('button', { name: w('login.submit') }).click();
        await page.getByRole('alert').getByText(w('login.wrong_credentials')).waitFor();
        await signIn(page, agent.email);

        // The queue shows the visitor with the reason and how long they have waited.
        const card = page.locator(`#queue-list [data-conversation="${conversationId}"]`);
        await card.waitFor();
        await expect(card.innerText()).resolves.toContain(w('reasons.requested'));
        await expect(card.innerText()).resolves.toContain(w('queue.waiting', { time: w('duration.under_minute') }));
        await page.screenshot({ path: artifactPath(`console-${size}-queue.png`) });

        // Claim: the conversation opens with its transcript and the composer.
        await card.getByRole('button', { name: w('queue.claim') }).click();
        await page.locator('#handoff-status').getByText(w('conversation.status_assigned')).waitFor();
        await page.locator('#transcript').getByText('ابي اكلم موظف').waitFor();
        await expect(page.locator('#queue-list').innerText()).resolves.toContain(w('queue.empty'));

        // The visitor writes: it appears live in the agent's transcript.
        await web.post({ conversationId: token, text: 'عندي سؤال عن مواعيد التطوع' });
        await page.locator('#transcript').getByText('عندي سؤال عن مواعيد التطوع').waitFor();

        // The agent answers: the visitor receives it on the web chat.
        await page.getByRole('textbox', { name: w('composer.placeholder') }).fill('أهلًا بك، يسعدني مساعدتك في التطوع');
        await page.getByRole('button', { name: w('composer.send') }).click();
        await page.locator('#transcript .from-staff').getByText('أهلًا بك، يسعدني مساعدتك في التطوع').waitFor();
        await eventually(() => visitorTexts(web, token), (texts) => texts.includes('أهلًا بك، يسعدني مساعدتك في التطوع'));
        await page.screenshot({ path: artifactPath(`console-${size}-conversation.png`) });

        // Close (confirmed): the visitor is asked to rate the service; the console says it ended.
        page.once('dialog', (dialog) => void dialog.accept());
        await page.getByRole('button', { name: w('conversation.close') }).click();
        await page.locator('#handoff-status').getByText(w('conversation.status_closed')).waitFor();
        await eventually(() => visitorTexts(web, token), (texts) => texts.includes(t('csat.ask_score')));

        // The dashboard: handled today counts this conversation; the charts are drawn.
        await page.getByRole('link', { name: w('nav.dashboard') }).click();
        await page.locator('#kpi-handled .kpi-value').filter({ hasNotText: '0' }).waitFor();
        await page.locator('.bar[data-channel="webchat"]').waitFor();
        await page.locator('.column').first().waitFor();
        await page.screenshot({ path: artifactPath(`console-${size}-dashboard.png`) });

        await page.getByRole('button', { name: w('nav.logout') }).click();
        await page.getByRole('heading', { name: w('login.heading') }).waitFor();
      });
    });
  }
});
