import type { Browser, Page } from 'playwright-core';
import { createStaff, PASSWORD } from '../console/support';
import { requestContentEnv } from '../requests/content';
import { WebchatApplicant } from '../requests/webchatApplicant';
import { startTestApp, type TestApp } from '../support/app';
import { artifactPath, DESKTOP, launchChromium } from './browser';

/**
 * The back office in real Chromium: a member of the research committee signs in to the console,
 * finds a request made through the web chat, reads it, opens a document and decides; the applicant's
 * conversation receives the decision. An agent sees the same request with the ID masked and nothing
 * to open or decide. Everything is found by its visible Arabic name, as staff find it.
 */
describe('support requests in the staff console (Chromium)', () => {
  let app: TestApp;
  let browser: Browser;
  let applicant: WebchatApplicant;
  let reference: string;
  let nationalId: string;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp({ store: 'pglite', env: requestContentEnv() }), launchChromium()]);
    applicant = new WebchatApplicant(app.url);
    ({ reference, nationalId } = await applicant.submitRequest({ fullName: 'منيرة عبدالله الشمري', otherAssociations: 'جمعية البر الخيرية' }));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
  });

  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(`${app.url}/console/`);
    await page.getByLabel('البريد الإلكتروني').fill(email);
    await page.getByLabel('كلمة المرور').fill(PASSWORD);
    await page.getByRole('button', { name: 'دخول' }).click();
    await page.getByRole('link', { name: 'الطلبات' }).or(page.getByRole('button', { name: 'الطلبات' })).first().click();
    await page.getByRole('heading', { name: 'طلبات الدعم' }).waitFor();
  }

  async function openRequest(page: Page): Promise<void> {
    await page.getByRole('searchbox', { name: 'بحث' }).fill(reference);
    await page.getByRole('search').getByRole('button', { name: 'بحث' }).click();
    await page.getByText('عدد الطلبات: 1').waitFor();
    await page.getByRole('link', { name: reference }).click();
    await page.getByRole('heading', { name: `الطلب رقم ${reference}` }).waitFor();
  }

  it('a committee member finds the request, reads it, opens a document and accepts it; the applicant is told', async () => {
    const member = await createStaff(app, 'committee', 'reem');
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'ar-SA' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, member.email);
    await page.screenshot({ path: artifactPath('console-requests-list.png'), fullPage: true });
    await openRequest(page);

    const applicantCard = page.getByRole('region', { name: 'بيانات مقدّم الطلب' });
    await expect(applicantCard.textContent()).resolves.toContain('منيرة عبدالله الشمري');
    await expect(applicantCard.textContent()).resolves.toContain(nationalId);
    await expect(applicantCard.textContent()).resolves.toContain('محادثة الموقع');
    const eligibility = page.getByRole('region', { name: 'نتيجة التحقق من الاستحقاق' });
    await expect(eligibility.textContent()).resolves.toContain('يحتاج إلى تحقق الموظفين');
    await expect(eligibility.textContent()).resolves.toContain('ألا يستفيد من دعم جمعيات أخرى');

    // The ID copy opens in a new tab, as the decrypted JPEG.
    const [tab, shown] = await Promise.all([
      context.waitForEvent('page'),
      context.waitForEvent('response', (res) => res.url().includes(`/api/console/requests/${reference}/documents/`)),
      page.getByRole('link', { name: 'عرض: صورة الهوية الوطنية' }).click(),
    ]);
    expect(shown.status()).toBe(200);
    expect(shown.headers()['content-type']).toBe('image/jpeg');
    await tab.close();

    // A rejection needs a reason: the form says so before anything is sent.
    const form = page.getByRole('region', { name: 'قرار لجنة البحث' });
    await form.getByLabel('القرار').selectOption({ label: 'مرفوض' });
    await form.getByRole('button', { name: 'حفظ القرار وإبلاغ مقدّم الطلب' }).click();
    await form.getByRole('alert').getByText('اكتب السبب أولًا', { exact: false }).waitFor();

    await form.getByLabel('القرار').selectOption({ label: 'مقبول' });
    await form.getByRole('button', { name: 'حفظ القرار وإبلاغ مقدّم الطلب' }).click();
    await page.getByRole('status').getByText('حُفظ القرار وأُبلغ مقدّم الطلب', { exact: false }).waitFor();
    await expect(applicantCard.textContent()).resolves.toContain('مقبول');
    await page.screenshot({ path: artifactPath('console-requests-decided.png'), fullPage: true });

    const transcript = await applicant.transcript();
    expect(transcript.at(-1)!.text).toContain(`قررت لجنة البحث قبول طلب الدعم رقم ${reference}`);
    await context.close();
  }, 90_000); // a whole walk-through in Chromium, on a machine the tests share

  it('an agent sees the request with the ID masked, and nothing to open or decide', async () => {
    const agent = await createStaff(app, 'agent', 'omar');
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'ar-SA' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, agent.email);
    await expect(page.getByRole('link', { name: 'تصدير CSV' }).count()).resolves.toBe(0);
    await openRequest(page);
    const card = page.getByRole('region', { name: 'بيانات مقدّم الطلب' });
    await expect(card.textContent()).resolves.toContain(`******${nationalId.slice(-4)}`);
    // Digits and stars read left to right inside the Arabic page (the stars before the last four digits).
    // (`any`: the tests are compiled without the DOM's types.)
    const starsFirst = await card.getByText(`******${nationalId.slice(-4)}`).evaluate((node: any) => {
      const text = node.firstChild;
      const range = node.ownerDocument.createRange();
      range.setStart(text, 0);
      range.setEnd(text, 1);
      const first = range.getBoundingClientRect().x;
      range.setStart(text, text.textContent.length - 1);
      range.setEnd(text, text.textContent.length);
      return first < range.getBoundingClientRect().x;
    });
    expect(starsFirst).toBe(true);
    await expect(page.content()).resolves.not.toContain(nationalId);
    await expect(page.getByRole('link', { name: /^عرض:/ }).count()).resolves.toBe(0);
    await page.getByText('يطّلع على المستندات أعضاء لجنة البحث ومديرو النظام فقط.').waitFor();
    await expect(page.getByRole('button', { name: 'حفظ القرار وإبلاغ مقدّم الطلب' }).count()).resolves.toBe(0);
    await page.screenshot({ path: artifactPath('console-requests-agent.png'), fullPage: true });
    await context.close();
  }, 60_000);
});
