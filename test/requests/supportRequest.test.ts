import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { auditLog, conversations, documents, supportRequests } from '../../src/store/schema';
import { startTestApp, tempDir, type TestApp } from '../support/app';
import { inbound, RecordingChannel } from '../support/recordingChannel';
import { STORE_KINDS } from '../support/stores';
import { Applicant, DOCUMENTS, eligibleAnswers, fixture, newCitizenId, texts } from './conversation';
import { requestContentEnv } from './content';

const YEAR = new Date(Date.now() + 3 * 3600_000).getUTCFullYear();

describe.each(STORE_KINDS)('support requests through the gateway on %s', (store) => {
  let app: TestApp;
  let channel: RecordingChannel;
  let dataDir: string;
  let n = 0;
  const applicant = () => new Applicant(app, `applicant-${store}-${++n}`);

  beforeAll(async () => {
    channel = new RecordingChannel();
    dataDir = tempDir();
    app = await startTestApp({ store, http: false, dataDir, channels: [channel], env: requestContentEnv() });
  });
  afterAll(async () => {
    await app.dispose();
  });

  const requestsOf = async (hash?: string) =>
    hash ? app.store.db.select().from(supportRequests).where(eq(supportRequests.nationalIdHash, hash)) : app.store.db.select().from(supportRequests);

  it('an eligible applicant with three uploads gets a reference; the request is stored with encrypted documents', async () => {
    const person = applicant();
    const nationalId = newCitizenId();
    const replies = await person.play(eligibleAnswers(nationalId));
    expect(replies[0]!.replies[0]!.text).toMatch(/نظام حماية البيانات الشخصية/);
    expect(replies[0]!.expecting).toMatchObject({ slot: 'consent', kind: 'yes_no', options: [{ value: 'yes' }, { value: 'no' }] });
    expect(replies.slice(1).map((r) => r.expecting?.slot)).toEqual(['full_name', 'national_id', 'mobile', 'residence', 'other_associations', 'id_copy']);
    expect(replies[4]!.expecting!.options!.map((o) => o.label)).toContain('القيصومة');

    const uploads = await person.play(DOCUMENTS);
    expect(uploads.map((r) => r.expecting?.slot)).toEqual(['family_book', 'residence_proof', 'declaration']);
    const summary = texts(uploads[2]!).join('\n');
    expect(summary).toContain('نورة محمد العتيبي');
    expect(summary).toContain(`******${nationalId.slice(-4)}`);
    expect(summary).not.toContain(nationalId);
    expect(summary).toContain('ام قليب');
    expect(summary).toMatch(/الاستفادة من جمعيات أخرى: لا/);

    const done = await person.say('نعم');
    const text = texts(done).join('\n');
    const reference = /HB-\d{4}-\d{6}/.exec(text)?.[0];
    expect(reference).toMatch(new RegExp(`^HB-${YEAR}-\\d{6}$`));
    expect(text).toContain('خلال مدة لا تقل عن أسبوعين');

    const [row] = await app.store.db.select().from(supportRequests).where(eq(supportRequests.reference, reference!));
    expect(row).toMatchObject({ status: 'submitted', fullName: 'نورة محمد العتيبي', mobile: '+966551234567', idType: 'citizen', otherAssociations: false, nationalIdLast4: nationalId.slice(-4) });
    expect(row!.eligibility).toMatchObject({ outcome: 'eligible' });
    expect(JSON.stringify(row)).not.toContain(nationalId);

    const detail = await app.requests.getRequest(reference!, { staffId: 'staff-1' });
    expect(detail.nationalId).toBe(nationalId);
    expect(detail.documents.map((d) => [d.role, d.mime])).toEqual([
      ['id_copy', 'image/jpeg'],
      ['family_book', 'image/png'],
      ['residence_proof', 'application/pdf'],
    ]);
    const stored = await app.store.db.select().from(documents).where(eq(documents.requestId, row!.id));
    for (const doc of stored) {
      const original = fixture(doc.fileName!);
      expect(doc.content.includes(original)).toBe(false);
      const read = await app.requests.readDocument(doc.id, { staffId: 'staff-1' });
      expect(read.bytes.equals(original)).toBe(true);
    }
    const views = await app.store.db.select().from(auditLog).where(eq(auditLog.action, 'document.viewed'));
    expect(views.filter((v) => v.actor === 'staff:staff-1').length).toBeGreaterThanOrEqual(3);
  });

  it('file bytes and national IDs are not in plaintext anywhere in the database or under DATA_DIR', async () => {
    const person = applicant();
    const nationalId = newCitizenId();
    await person.play([...eligibleAnswers(nationalId), ...DOCUMENTS, 'نعم']);
    const files = ['id-card.jpg', 'family-book.png', 'residence-proof.pdf'].map(fixture);
    // Every table, every row, as PostgreSQL prints it (bytea as hex, jsonb as text).
    const tables = await app.store.db.execute(sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
    const tableRows = ((tables as { rows?: { table_name: string }[] }).rows ?? (tables as unknown as { table_name: string }[]));
    let dump = '';
    for (const { table_name } of tableRows) {
      const result = await app.store.db.execute(sql.raw(`SELECT string_agg(t::text, E'\\n') AS all FROM "${table_name}" t`));
      const rows = (result as { rows?: { all: string | null }[] }).rows ?? (result as unknown as { all: string | null }[]);
      dump += rows[0]?.all ?? '';
    }
    for (const bytes of files) {
      expect(dump.includes(bytes.toString('hex'))).toBe(false);
      expect(dump.includes(bytes.toString('base64'))).toBe(false);
    }
    expect(dump.includes(nationalId)).toBe(false);
    expect(dump).toContain(`******${nationalId.slice(-4)}`);
    // The files on disk: PGlite's pages, the key folder, anything else.
    const walk = (dir: string): string[] => readdirSync(dir).flatMap((f) => {
      const full = path.join(dir, f);
      return statSync(full).isDirectory() ? walk(full) : [full];
    });
    for (const file of walk(dataDir)) {
      const content = readFileSync(file);
      for (const bytes of files) expect(content.includes(bytes)).toBe(false);
      expect(content.includes(Buffer.from(nationalId))).toBe(false);
    }
  });

  it('an iqama number gets a polite refusal and an offer of a person; no request, no documents asked', async () => {
    const person = applicant();
    const replies = await person.play([{ payload: 'flow:support-request' }, 'ايه', 'سمير أحمد', '2098765437']);
    const last = replies[3]!;
    expect(texts(last).join('\n')).toMatch(/سعودي الجنسية/);
    expect(last.replies.at(-1)!.choices?.map((c) => c.value)).toContain('cmd:human');
    expect(last.expecting).toBeUndefined();
    expect(last.conversation!.state.stack).toEqual([]);
    const rows = await app.store.db.select().from(supportRequests).where(eq(supportRequests.conversationId, last.conversation!.id));
    expect(rows).toEqual([]);
  });

  it.each([
    ['a typed town outside the area', 'السعيرة' as const],
    ['a shared location in Riyadh', { location: { lat: 24.7136, lng: 46.6753 } }],
  ])('residence outside the area (%s): explained, a person offered, no request', async (_name, answer) => {
    const person = applicant();
    const replies = await person.play([{ payload: 'flow:support-request' }, 'نعم', 'خالد سعد', newCitizenId(), '+966 55 123 4567', answer]);
    const last = replies.at(-1)!;
    expect(texts(last).join('\n')).toMatch(/خارج هذا النطاق/);
    expect(last.replies.at(-1)!.choices?.map((c) => c.value)).toContain('cmd:human');
    expect(last.expecting).toBeUndefined();
    const rows = await app.store.db.select().from(supportRequests).where(eq(supportRequests.conversationId, last.conversation!.id));
    expect(rows).toEqual([]);
  });

  it('a shared location inside the area is accepted', async () => {
    const person = applicant();
    const replies = await person.play([{ payload: 'flow:support-request' }, 'نعم', 'خالد سعد', newCitizenId(), '0551234567', { location: { lat: 28.42, lng: 45.97 } }]);
    expect(replies.at(-1)!.expecting?.slot).toBe('other_associations');
    expect(replies.at(-1)!.conversation!.state.stack[0]!.slots.residence).toMatchObject({ place: 'حفر الباطن', in_area: true, via: 'location' });
  });

  it('a wrong ID twice, then a right one: each time says what was wrong, then continues', async () => {
    const person = applicant();
    await person.play([{ payload: 'flow:support-request' }, 'نعم', 'ليلى فهد']);
    const short = await person.say('12345');
    expect(texts(short)[0]).toMatch(/10 أرقام/);
    expect(short.expecting?.slot).toBe('national_id');
    const id = newCitizenId();
    const typo = `${id.slice(0, 9)}${(Number(id[9]) + 1) % 10}`;
    const wrong = await person.say(typo);
    expect(texts(wrong)[0]).toMatch(/أحد أرقام الهوية غير صحيح/);
    expect(wrong.expecting?.slot).toBe('national_id');
    const right = await person.say(id.replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)]!));
    expect(right.expecting?.slot).toBe('mobile');
  });

  it('other associations: yes asks which, and the request is marked for staff verification', async () => {
    const person = applicant();
    const nationalId = newCitizenId();
    const answers = eligibleAnswers(nationalId);
    answers[answers.length - 1] = { payload: 'yes' };
    const r = await person.play([...answers, 'جمعية البر الخيرية', ...DOCUMENTS, 'موافق']);
    expect(r.at(-5)!.expecting?.slot).toBe('id_copy');
    const reference = /HB-\d{4}-\d{6}/.exec(texts(r.at(-1)!).join('\n'))![0];
    const detail = await app.requests.getRequest(reference);
    expect(detail).toMatchObject({ otherAssociations: true, otherAssociationsNames: 'جمعية البر الخيرية', eligibility: 'needs_verification' });
  });

  it('documents: an executable named .pdf and an oversized file are refused by what they are', async () => {
    const person = applicant();
    await person.play(eligibleAnswers(newCitizenId()));
    const fake = await person.say({ file: 'fake.pdf', declared: 'application/pdf' });
    expect(texts(fake)[0]).toMatch(/نوع الملف غير مقبول/);
    expect(fake.expecting?.slot).toBe('id_copy');
    const big = Buffer.alloc(11 * 1024 * 1024, 0);
    fixture('id-card.jpg').copy(big);
    const tooBig = await app.gateway.receive(inbound(person.user, '', { attachments: [{ kind: 'image', mime: 'image/jpeg', fileName: 'big.jpg', fetch: async () => big }] }));
    expect(texts(tooBig)[0]).toMatch(/حجم الملف أكبر من المسموح \(10 ميجابايت\)/);
    const ok = await person.say({ file: 'photo.heic', declared: 'application/octet-stream' });
    expect(ok.expecting?.slot).toBe('family_book');
    const conversationId = ok.conversation!.id;
    const stored = await app.store.db.select({ mime: documents.mime }).from(documents).where(eq(documents.conversationId, conversationId));
    expect(stored).toEqual([{ mime: 'image/heic' }]);
  });

  it('a duplicate: the same national ID with an open request gets its reference and status right after the ID', async () => {
    const first = applicant();
    const nationalId = newCitizenId();
    const r = await first.play([...eligibleAnswers(nationalId), ...DOCUMENTS, 'نعم']);
    const reference = /HB-\d{4}-\d{6}/.exec(texts(r.at(-1)!).join('\n'))![0];

    const second = applicant();
    const again = await second.play([{ payload: 'flow:support-request' }, 'نعم', 'نورة', nationalId]);
    const reply = texts(again.at(-1)!).join('\n');
    expect(reply).toContain(reference);
    expect(reply).toContain('تم الاستلام، بانتظار دراسة لجنة البحث');
    expect(again.at(-1)!.expecting).toBeUndefined();
    const [row] = await app.store.db.select({ hash: supportRequests.nationalIdHash }).from(supportRequests).where(eq(supportRequests.reference, reference));
    expect(await requestsOf(row!.hash)).toHaveLength(1);
  });

  it('reference numbers are unique and counted per year', async () => {
    const rows = await requestsOf();
    const refs = rows.map((row) => row.reference);
    expect(new Set(refs).size).toBe(refs.length);
    for (const ref of refs) expect(ref).toMatch(new RegExp(`^HB-${YEAR}-\\d{6}$`));
    const conversationsCount = await app.store.db.select({ id: conversations.id }).from(conversations);
    expect(conversationsCount.length).toBeGreaterThan(0);
  });
});
