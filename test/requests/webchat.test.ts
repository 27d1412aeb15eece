import { eq } from 'drizzle-orm';
import { documents, messages, supportRequests } from '../../src/store/schema';
import { webchatClient, type ApiAnswer } from '../channels/webchat/client';
import { startTestApp, type TestApp } from '../support/app';
import { STORE_KINDS } from '../support/stores';
import { fixture, newCitizenId } from './conversation';
import { requestContentEnv } from './content';

const ip = { 'x-forwarded-for': `10.66.${Math.floor(Math.random() * 250)}.${process.pid % 250}` };

describe.each(STORE_KINDS)('a whole support request over the web chat HTTP API on %s', (store) => {
  let app: TestApp;
  let api: ReturnType<typeof webchatClient>;

  beforeAll(async () => {
    app = await startTestApp({ store, env: requestContentEnv() });
    api = webchatClient(app.url);
  });
  afterAll(() => app.dispose());

  it('answers, uploads three real files as multipart `file`, and gets a reference', async () => {
    let conversationId: string | undefined;
    const send = async (body: { text?: string; payload?: string }): Promise<ApiAnswer> => {
      const res = await api.post({ ...body, conversationId }, ip);
      expect(res.status).toBe(200);
      conversationId = res.body.conversationId;
      return res;
    };
    const upload = async (name: string, declared: string): Promise<ApiAnswer> => {
      const form = new FormData();
      form.set('conversationId', conversationId!);
      form.set('file', new Blob([fixture(name)], { type: declared }), name);
      const res = await api.postForm(form, ip);
      expect(res.status).toBe(200);
      return res;
    };
    const slot = (res: ApiAnswer) => res.body.expecting?.slot;
    const text = (res: ApiAnswer) => res.body.replies.map((r: { text: string }) => r.text).join('\n');

    expect(slot(await send({ payload: 'flow:support-request' }))).toBe('consent');
    expect(slot(await send({ payload: 'yes' }))).toBe('full_name');
    expect(slot(await send({ text: 'فاطمة علي الشمري' }))).toBe('national_id');
    const nationalId = newCitizenId();
    expect(slot(await send({ text: nationalId }))).toBe('mobile');
    const residence = await send({ text: '+966 50 123 4567' });
    expect(slot(residence)).toBe('residence');
    const qaysumah = residence.body.expecting.options.find((o: { label: string }) => o.label === 'القيصومة');
    expect(slot(await send({ payload: qaysumah.value }))).toBe('other_associations');
    expect(slot(await send({ text: 'لأ' }))).toBe('id_copy');

    // A renamed executable is refused by its bytes before it reaches the bot.
    const fake = new FormData();
    fake.set('conversationId', conversationId!);
    fake.set('file', new Blob([fixture('fake.pdf')], { type: 'application/pdf' }), 'id.pdf');
    expect((await api.postForm(fake, ip)).status).toBe(415);

    expect(slot(await upload('id-card.jpg', 'image/jpeg'))).toBe('family_book');
    expect(slot(await upload('family-book.png', 'image/png'))).toBe('residence_proof');
    const summary = await upload('residence-proof.pdf', 'application/pdf');
    expect(slot(summary)).toBe('declaration');
    expect(text(summary)).toContain('القيصومة');
    const done = await send({ text: 'نعم' });
    const reference = /HB-\d{4}-\d{6}/.exec(text(done))?.[0];
    expect(reference).toBeDefined();
    expect(text(done)).toContain('خلال مدة لا تقل عن أسبوعين');

    const [row] = await app.store.db.select().from(supportRequests).where(eq(supportRequests.reference, reference!));
    expect(row).toMatchObject({ channel: 'webchat', fullName: 'فاطمة علي الشمري', mobile: '+966501234567' });
    const files = await app.store.db.select().from(documents).where(eq(documents.requestId, row!.id));
    expect(files.map((f) => f.mime).sort()).toEqual(['application/pdf', 'image/jpeg', 'image/png']);
    for (const f of files) {
      expect(f.content.includes(fixture(f.fileName!))).toBe(false);
      expect((await app.requests.readDocument(f.id, { staffId: 'staff-web' })).bytes.equals(fixture(f.fileName!))).toBe(true);
    }
    // The stored transcript keeps the national ID masked.
    const said = await app.store.db.select({ text: messages.text }).from(messages).where(eq(messages.conversationId, row!.conversationId));
    expect(said.map((m) => m.text)).toContain(`******${nationalId.slice(-4)}`);
    expect(JSON.stringify(said)).not.toContain(nationalId);
  });
});
