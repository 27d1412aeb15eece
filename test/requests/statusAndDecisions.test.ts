import { and, eq } from 'drizzle-orm';
import { RequestError } from '../../src/requests';
import { csvCell } from '../../src/requests/domain';
import { auditLog, supportRequests } from '../../src/store/schema';
import { startTestApp, type TestApp } from '../support/app';
import { RecordingChannel } from '../support/recordingChannel';
import { STORE_KINDS } from '../support/stores';
import { Applicant, DOCUMENTS, eligibleAnswers, newCitizenId, texts } from './conversation';
import { requestContentEnv } from './content';

describe.each(STORE_KINDS)('request status and staff decisions on %s', (store) => {
  let app: TestApp;
  let channel: RecordingChannel;
  let n = 0;
  const applicant = () => new Applicant(app, `status-${store}-${++n}`);

  /** Submits a complete request; returns the applicant, the reference and the national ID. */
  async function submitted(): Promise<{ person: Applicant; reference: string; nationalId: string; conversationId: string }> {
    const person = applicant();
    const nationalId = newCitizenId();
    const results = await person.play([...eligibleAnswers(nationalId), ...DOCUMENTS, 'نعم']);
    const reference = /HB-\d{4}-\d{6}/.exec(texts(results.at(-1)!).join('\n'))![0];
    return { person, reference, nationalId, conversationId: results.at(-1)!.conversation!.id };
  }

  beforeAll(async () => {
    channel = new RecordingChannel();
    app = await startTestApp({ store, http: false, channels: [channel], env: requestContentEnv() });
  });
  afterAll(async () => {
    await app.dispose();
  });

  it('the owner sees their request status without any question', async () => {
    const { person, reference } = await submitted();
    const r = await person.say({ payload: 'flow:status' });
    expect(r.expecting).toBeUndefined();
    expect(texts(r).join('\n')).toContain(reference);
    expect(texts(r).join('\n')).toContain('تم الاستلام، بانتظار دراسة لجنة البحث');
  });

  it('a stranger gives the reference and the last 4 digits; a wrong pair reveals nothing', async () => {
    const { reference, nationalId } = await submitted();
    const stranger = applicant();
    const asked = await stranger.play([{ payload: 'flow:status' }, reference.toLowerCase().replace(/-/g, ' ')]);
    expect(asked.map((r) => r.expecting?.slot)).toEqual(['reference', 'id_last4']);

    const wrong = await stranger.say(nationalId.slice(-4) === '0000' ? '1111' : '0000');
    const unknown = await stranger.play([{ payload: 'flow:status' }, 'HB-1999-999999', '1234']);
    const wrongText = texts(wrong).join('\n');
    // The same answer whether the reference exists or not, and nothing of the request in it.
    expect(wrongText).toBe(texts(unknown.at(-1)!).join('\n'));
    expect(wrongText).not.toContain(reference);
    expect(wrongText).toMatch(/لم أجد طلبًا مطابقًا/);

    const right = await stranger.play([{ payload: 'flow:status' }, reference, nationalId.slice(-4).replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)]!)]);
    const rightText = texts(right.at(-1)!).join('\n');
    expect(rightText).toContain(reference);
    expect(rightText).toContain('تم الاستلام، بانتظار دراسة لجنة البحث');
  });

  it('repeated wrong pairs are rate-limited, even with the right pair afterwards', async () => {
    const { reference, nationalId } = await submitted();
    const guesser = applicant();
    for (let i = 0; i < 5; i++) {
      const r = await guesser.play([{ payload: 'flow:status' }, reference, String(1000 + i) === nationalId.slice(-4) ? '9999' : String(1000 + i)]);
      expect(texts(r.at(-1)!).join('\n')).toMatch(/لم أجد طلبًا مطابقًا/);
    }
    const limited = await guesser.play([{ payload: 'flow:status' }, reference, nationalId.slice(-4)]);
    const text = texts(limited.at(-1)!).join('\n');
    expect(text).toMatch(/أوقفنا الاستعلام مؤقتًا/);
    expect(text).not.toContain('تم الاستلام');
  });

  it('a decision reaches the applicant on their channel, in Arabic, and is audited', async () => {
    const { person, reference } = await submitted();
    const before = channel.sent.length;
    const detail = await app.requests.decide(reference, { status: 'accepted', staffId: 'committee-1' });
    expect(detail.status).toBe('accepted');
    await channel.waitForSent(before + 1);
    const delivered = channel.sent.slice(before).filter((s) => s.address.channelUserId === person.user);
    expect(delivered.map((s) => s.message.text).join('\n')).toContain(`قررت لجنة البحث قبول طلب الدعم رقم ${reference}`);
    expect(delivered[0]!.message.author).toBe('staff');
    const audits = await app.store.db.select().from(auditLog).where(and(eq(auditLog.action, 'request.decided'), eq(auditLog.subjectId, detail.id)));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor: 'staff:committee-1', details: { from: 'submitted', to: 'accepted', reason: null } });
    // The status flow now shows the decision.
    const status = await person.say({ payload: 'flow:status' });
    expect(texts(status).join('\n')).toContain('مقبول');
  });

  it('rejected and needs_info need a reason; an unknown status or reference is refused', async () => {
    const { reference } = await submitted();
    await expect(app.requests.decide(reference, { status: 'rejected', staffId: 's' })).rejects.toMatchObject({ code: 'reason_required' });
    await expect(app.requests.decide(reference, { status: 'needs_info', reason: '   ', staffId: 's' })).rejects.toBeInstanceOf(RequestError);
    await expect(app.requests.decide(reference, { status: 'submitted' as never, staffId: 's' })).rejects.toMatchObject({ code: 'bad_status' });
    await expect(app.requests.decide('HB-1999-000001', { status: 'accepted', staffId: 's' })).rejects.toMatchObject({ code: 'not_found' });
    const [row] = await app.store.db.select().from(supportRequests).where(eq(supportRequests.reference, reference));
    expect(row!.status).toBe('submitted');
  });

  it('needs_info: the applicant is told what is missing, sends it, and the request returns to the committee', async () => {
    const { person, reference } = await submitted();
    const before = channel.sent.length;
    await app.requests.decide(reference, { status: 'needs_info', reason: 'صورة أوضح لدفتر العائلة', staffId: 'committee-2' });
    await channel.waitForSent(before + 2);
    const mine = channel.sent.slice(before).filter((s) => s.address.channelUserId === person.user).map((s) => s.message);
    expect(mine[0]!.text).toContain('صورة أوضح لدفتر العائلة');
    expect(mine[0]!.text).toContain(reference);
    expect(mine.at(-1)!.expecting?.slot).toBe('info_text');

    const replies = await person.play(['أرفقت صورة أوضح', 'نعم', { file: 'family-book.png' }]);
    expect(texts(replies.at(-1)!).join('\n')).toContain(reference);
    const detail = await app.requests.getRequest(reference);
    expect(detail.status).toBe('under_review');
    expect(detail.documents.map((d) => d.role)).toEqual(['id_copy', 'family_book', 'residence_proof', 'extra']);
  });

  it('listRequests filters by status and finds by reference, name, mobile or full national ID; the CSV masks IDs', async () => {
    const { reference, nationalId } = await submitted();
    expect((await app.requests.listRequests({ q: reference })).map((r) => r.reference)).toEqual([reference]);
    expect((await app.requests.listRequests({ q: nationalId })).map((r) => r.reference)).toEqual([reference]);
    const byName = await app.requests.listRequests({ q: 'نورة', status: 'submitted' });
    expect(byName.map((r) => r.reference)).toContain(reference);
    expect(byName.every((r) => r.status === 'submitted')).toBe(true);
    expect(JSON.stringify(byName)).not.toContain(nationalId);
    expect(await app.requests.listRequests({ q: '%' })).toEqual([]);

    const csv = await app.requests.requestsCsv();
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('reference,status,submitted_at,full_name,national_id,mobile,residence,in_service_area,other_associations,other_associations_names,eligibility,eligibility_rule,documents,decided_at,decision_reason');
    const line = lines.find((l) => l.startsWith(reference))!;
    expect(line).toContain(`******${nationalId.slice(-4)}`);
    expect(line).toContain(',3,');
    expect(csv).not.toContain(nationalId);
  });

  it('CSV cells that look like formulas are neutralised', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('نورة, محمد')).toBe('"نورة, محمد"');
    expect(csvCell('plain')).toBe('plain');
  });
});
