/**
 * The console's WhatsApp Web section in real Chromium: an admin sees the QR while the link waits for
 * a scan, then "linked" once the phone scanned it; an agent has no such section. WhatsApp itself
 * cannot be reached from tests, so the library's Client is replaced at its event boundary by the
 * stand-in in ./standIn.ts (the "scan" is the stand-in emitting 'authenticated' and 'ready').
 */
import type { Browser, Page } from 'playwright-core';
import { createStaff, PASSWORD } from '../../console/support';
import { artifactPath, launchChromium } from '../../e2e/browser';
import { startTestApp, type TestApp } from '../../support/app';
import { StandInWhatsApp } from './standIn';
import { untilState, whatsappChannel } from './support';

describe('the WhatsApp Web section of the console in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  const wa = new StandInWhatsApp();
  wa.linked = false;

  beforeAll(async () => {
    [app, browser] = await Promise.all([
      startTestApp({ store: 'pglite', env: { WHATSAPP_WEB_ENABLED: 'true' }, whatsappWeb: { library: wa, print: () => undefined } }),
      launchChromium(),
    ]);
    await untilState(whatsappChannel(app), 'qr');
  });
  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
  });

  const t = (key: string) => app.texts.t(key, 'ar');
  const section = (key: string) => t(`console.whatsapp_web.${key}`);

  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(`${app.url}/console/`);
    await page.getByLabel(t('console.web.login.email')).fill(email);
    await page.getByLabel(t('console.web.login.password')).fill(PASSWORD);
    await page.getByRole('button', { name: t('console.web.login.submit') }).click();
    await page.getByRole('navigation', { name: t('console.web.nav.main') }).waitFor();
  }

  it('shows an admin the warning and the QR, then the linked state after the scan', async () => {
    const admin = await createStaff(app, 'admin', 'huda');
    const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ar-SA' })).newPage();
    await signIn(page, admin.email);
    await page.getByRole('link', { name: section('nav') }).click();
    await page.getByRole('heading', { name: section('title') }).waitFor();
    await page.getByRole('note').getByText(section('warning')).waitFor();
    await page.getByRole('status').getByText(section('state.qr')).waitFor();
    const qr = page.getByRole('img', { name: section('qr_alt') });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    // The SVG really draws: the browser decoded it to its natural size.
    expect(await qr.evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).naturalWidth > 0)).toBe(true);
    await page.screenshot({ path: artifactPath('console-whatsapp-web-qr.png') });

    wa.current.link();
    await page.getByRole('status').getByText(section('state.ready')).waitFor();
    await page.getByText(section('linked')).waitFor();
    expect(await page.getByRole('img', { name: section('qr_alt') }).isVisible()).toBe(false);
    await page.screenshot({ path: artifactPath('console-whatsapp-web-ready.png') });
    await page.context().close();
  });

  it('has no WhatsApp Web section for an agent', async () => {
    const agent = await createStaff(app, 'agent', 'omar');
    const page = await (await browser.newContext({ locale: 'ar-SA' })).newPage();
    await signIn(page, agent.email);
    const nav = page.getByRole('navigation', { name: t('console.web.nav.main') });
    await nav.getByRole('link').first().waitFor();
    expect(await nav.getByRole('link', { name: section('nav') }).count()).toBe(0);
    await page.context().close();
  });
});
