import { eq } from 'drizzle-orm';
import { submissions } from '../../src/store/schema';
import { startTestApp, type TestApp } from '../support/app';
import { inbound } from '../support/recordingChannel';
import { STORE_KINDS } from '../support/stores';

describe.each(STORE_KINDS)('volunteering and feedback on %s', (store) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ store, http: false });
  });
  afterAll(() => app.dispose());

  it('stores a complaint with the person’s words and gives a unique reference', async () => {
    const say = (text: string, payload?: string) => app.gateway.receive(inbound('fb-user', text, payload ? { payload } : {}));
    await say('', 'flow:feedback');
    await say('', 'complaint');
    await say('تأخر الرد على طلبي أكثر من شهر');
    await say('نعم');
    const done = await say('0501234567');
    const year = new Date().getUTCFullYear();
    expect(done.replies[0]!.text).toMatch(new RegExp(`C-${year}-\\d{4}`));
    const reference = /C-\d{4}-\d{4}/.exec(done.replies[0]!.text)![0];
    const [row] = await app.store.db.select().from(submissions).where(eq(submissions.reference, reference));
    expect(row).toMatchObject({ kind: 'complaint', status: 'new', data: { details: 'تأخر الرد على طلبي أكثر من شهر', mobile: '+966501234567' } });
  });

  it('numbers volunteering offers one after another', async () => {
    const refs: string[] = [];
    for (const user of ['v1', 'v2']) {
      await app.gateway.receive(inbound(user, '', { payload: 'flow:volunteer' }));
      await app.gateway.receive(inbound(user, 'متطوع تجريبي'));
      await app.gateway.receive(inbound(user, '0551112233'));
      const done = await app.gateway.receive(inbound(user, 'أحب العمل الميداني'));
      refs.push(/V-\d{4}-(\d{4})/.exec(done.replies[0]!.text)![1]!);
    }
    expect(Number(refs[1])).toBe(Number(refs[0]) + 1);
  });
});
