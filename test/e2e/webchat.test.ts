import type { Browser, BrowserContext, Page } from 'playwright-core';
import { findConversationByChannelUser } from '../../src/store/repos/conversations';
import { startTestApp, type TestApp } from '../support/app';
import { artifactPath, DESKTOP, launchChromium, PHONE } from './browser';

/**
 * A visitor on the association's website, in real Chromium: the widget is found by its accessible
 * names (the launcher, the text box, the chips), as a screen reader would find it.
 */
describe('web chat widget in Chromium', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp({ store: 'pglite' }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
  });

  const bubbles = (page: Page) => page.locator('[data-nabta-webchat] .msg');
  async function openWidget(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'افتح المحادثة مع جمعية حماية البيئة بحفر الباطن' }).click();
    await page.getByRole('dialog', { name: 'نبتة — المساعد الرقمي' }).waitFor();
  }
  async function say(page: Page, text: string): Promise<void> {
    await page.getByRole('textbox', { name: 'اكتب رسالتك هنا…' }).fill(text);
    await page.keyboard.press('Enter');
  }

  describe('an Arabic visitor', () => {
    let context: BrowserContext;
    let page: Page;
    beforeAll(async () => {
      context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, hasTouch: true, isMobile: true, locale: 'ar-SA' });
      page = await context.newPage();
    });
    afterAll(() => context.close());

    it('greets, shows the menu as chips, follows a tapped choice, and keeps all of it across a reload', async () => {
      await page.goto(app.url);
      await openWidget(page);
      await say(page, 'السلام عليكم');

      await page.getByText('أهلًا بك في جمعية حماية البيئة بحفر الباطن', { exact: false }).waitFor();
      const menu = page.getByRole('group', { name: 'الخيارات المتاحة' });
      await expect(menu.getByRole('button').allTextContents()).resolves.toEqual([
        'تقديم طلب دعم',
        'متابعة طلب',
        'أسئلة واستفسارات',
        'التطوع',
        'الشكاوى والاقتراحات',
        'التحدث مع موظف',
      ]);
      // The widget lays out right-to-left.
      await expect(page.locator('[data-nabta-webchat]').getAttribute('dir')).resolves.toBe('rtl');
      await page.screenshot({ path: artifactPath('webchat-phone-ar.png') });

      await menu.getByRole('button', { name: 'أسئلة واستفسارات' }).click();
      await page.getByText('تفضّل، اكتب سؤالك', { exact: false }).waitFor();
      const before = await bubbles(page).allTextContents();
      expect(before).toHaveLength(5); // greeting, hello, menu, the tapped choice, the prompt
      expect(before[3]).toContain('أسئلة واستفسارات');

      await page.reload();
      await page.getByText('تفضّل، اكتب سؤالك', { exact: false }).waitFor();
      await expect(bubbles(page).allTextContents()).resolves.toEqual(before);
    });

    it('shows a staff reply sent while the page was away exactly once', async () => {
      const raw = (await page.evaluate(`localStorage.getItem(${JSON.stringify(`nabta-webchat:${new URL(app.url).origin}`)})`)) as string;
      const stored = JSON.parse(raw) as { conversationId?: string };
      const conversation = await findConversationByChannelUser(app.store.db, 'webchat', stored.conversationId!);
      // Drop the live connection from the server side: the widget reconnects by itself and catches up.
      const sockets = [...app.sockets.io.of('/webchat').sockets.values()];
      expect(sockets).toHaveLength(1);
      for (const socket of sockets) socket.conn.close();
      await app.gateway.notify(conversation!.id, [{ text: 'مرحبًا، معك فاطمة من الجمعية. كيف أساعدك؟' }], 'staff', 'staff-1');

      const staff = page.locator('[data-nabta-webchat] .msg.staff');
      await staff.getByText('معك فاطمة', { exact: false }).waitFor();
      // Both the socket (after reconnecting) and the catch-up may carry it: it is shown, and kept, once.
      await expect(staff.count()).resolves.toBe(1);

      await page.reload();
      await staff.getByText('معك فاطمة', { exact: false }).waitFor();
      await expect(staff.count()).resolves.toBe(1);
    });
  });

  it('fits a desktop screen', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'ar-SA' });
    const page = await context.newPage();
    await page.goto(app.url);
    await openWidget(page);
    await say(page, 'السلام عليكم');
    await page.getByRole('group', { name: 'الخيارات المتاحة' }).waitFor();
    const box = await page.getByRole('dialog').boundingBox();
    expect(box!.width).toBeLessThan(DESKTOP.width / 2);
    await page.screenshot({ path: artifactPath('webchat-desktop-ar.png') });
    await context.close();
  });

  it('speaks English on an English page, and lets the visitor switch language', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`${app.url}/?lang=en`);
    await page.getByRole('button', { name: 'Open the chat with Environment Protection Association in Hafr Al-Batin' }).click();
    await page.getByRole('textbox', { name: 'Type your message…' }).waitFor();
    await expect(page.locator('[data-nabta-webchat]').getAttribute('dir')).resolves.toBe('ltr');

    await page.getByRole('button', { name: 'التحويل إلى العربية' }).click();
    await page.getByRole('textbox', { name: 'اكتب رسالتك هنا…' }).waitFor();
    await context.close();
  });

  it('can be used with the keyboard alone', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'ar-SA' });
    const page = await context.newPage();
    await page.goto(app.url);
    const launcher = page.getByRole('button', { name: 'افتح المحادثة مع جمعية حماية البيئة بحفر الباطن' });
    await launcher.waitFor();
    await launcher.focus();
    await page.keyboard.press('Enter');
    // Opening moves focus to the text box; Escape closes and gives focus back to the launcher.
    await page.keyboard.type('السلام عليكم');
    await page.keyboard.press('Enter');
    await page.getByRole('group', { name: 'الخيارات المتاحة' }).waitFor();
    await page.keyboard.press('Escape');
    await expect(launcher.getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(page.evaluate('document.activeElement.shadowRoot.activeElement.className')).resolves.toBe('launcher');
    await context.close();
  });
});
