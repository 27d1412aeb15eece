import { and, eq } from 'drizzle-orm';
import { auditLog, supportRequests } from '../../src/store/schema';
import type { StaffRole } from '../../src/store/schema';
import { createStaff, StaffClient, uniquePrefix } from '../console/support';
import { startTestApp, type TestApp } from '../support/app';
import { STORE_KINDS } from '../support/stores';
import { fixture } from './conversation';
import { requestContentEnv } from './content';
import { replyText, WebchatApplicant } from './webchatApplicant';

const FILES: Record<string, { name: string; mime: string }> = {
  id_copy: { name: 'id-card.jpg', mime: 'image/jpeg' },
  family_book: { name: 'family-book.png', mime: 'image/png' },
  residence_proof: { name: 'residence-proof.pdf', mime: 'application/pdf' },
};

/**
 * The support requests' back office over real HTTP: requests made through the web chat API, then
 * staff of each role list, open, read documents, decide and export, and the applicant's web chat
 * transcript shows what the committee decided.
 */
describe.each(STORE_KINDS)('support requests back office on %s', (store) => {
  let app: TestApp;
  const prefix = uniquePrefix();
  const staff = {} as Record<StaffRole, StaffClient>;
  const staffIds = {} as Record<StaffRole, string>;
  let noura: { applicant: WebchatApplicant; reference: string; nationalId: string };
  let khalid: { applicant: WebchatApplicant; reference: string; nationalId: string };

  const audits = (action: string, subjectId?: string) =>
    app.store.db.select().from(auditLog).where(subjectId ? and(eq(auditLog.action, action), eq(auditLog.subjectId, subjectId)) : eq(auditLog.action, action));
  const requestId = async (reference: string) => (await app.store.db.select().from(supportRequests).where(eq(supportRequests.reference, reference)))[0]!.id;

  beforeAll(async () => {
    app = await startTestApp({ store, redis: store === 'postgres', env: { ...requestContentEnv(), QUEUE_PREFIX: prefix } });
    for (const role of ['agent', 'supervisor', 'committee', 'admin'] as const) {
      const user = await createStaff(app, role, `${role}-${store}`);
      staff[role] = new StaffClient(app.url);
      staffIds[role] = user.id;
      expect((await staff[role].login(user.email)).status).toBe(200);
    }
    const a = new WebchatApplicant(app.url);
    noura = { applicant: a, ...(await a.submitRequest({ fullName: 'نورة محمد العتيبي' })) };
    const b = new WebchatApplicant(app.url);
    khalid = { applicant: b, ...(await b.submitRequest({ fullName: 'خالد سعد الحربي', otherAssociations: 'جمعية البر' })) };
  }, 120_000); // four argon2id accounts and two whole requests, on a machine the tests share
  afterAll(async () => {
    if (app?.redis) {
      const keys = await app.redis.keys(`${prefix}:*`);
      if (keys.length) await app.redis.del(...keys);
    }
    await app?.dispose();
  });

  it('answers 401 to anyone not signed in, on every route', async () => {
    const stranger = new StaffClient(app.url);
    const detail = await staff.committee.get(`/requests/${noura.reference}`);
    const doc = detail.body.request.documents[0];
    for (const answer of [
      await stranger.get('/requests'),
      await stranger.get(`/requests/${noura.reference}`),
      await stranger.get(`/requests/${noura.reference}/documents/${doc.id}`),
      await stranger.get('/requests/export.csv'),
      await stranger.post(`/requests/${noura.reference}/decision`, { status: 'accepted' }),
    ]) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ error: { code: 'not_signed_in' } });
    }
  });

  it('lists requests for every role, filtered by status and by a search, and records each listing', async () => {
    for (const role of ['agent', 'supervisor', 'committee', 'admin'] as const) {
      const all = await staff[role].get('/requests');
      expect(all.status).toBe(200);
      expect(all.body.items.map((r: { reference: string }) => r.reference)).toEqual(expect.arrayContaining([noura.reference, khalid.reference]));
    }
    const byReference = await staff.agent.get(`/requests?q=${noura.reference}`);
    expect(byReference.body.items).toEqual([
      expect.objectContaining({ reference: noura.reference, status: 'submitted', fullName: 'نورة محمد العتيبي', nationalIdMasked: `******${noura.nationalId.slice(-4)}`, residence: 'القيصومة', eligibility: 'eligible' }),
    ]);
    expect(JSON.stringify(byReference.body)).not.toContain(noura.nationalId);
    expect((await staff.agent.get(`/requests?q=${encodeURIComponent('خالد')}`)).body.items.map((r: { reference: string }) => r.reference)).toEqual([khalid.reference]);
    expect((await staff.agent.get(`/requests?q=${khalid.nationalId}`)).body.items.map((r: { reference: string }) => r.reference)).toEqual([khalid.reference]);
    const submitted = await staff.supervisor.get('/requests?status=submitted');
    expect(submitted.body.items.every((r: { status: string }) => r.status === 'submitted')).toBe(true);
    expect((await staff.supervisor.get(`/requests?status=accepted&q=${noura.reference}`)).body.items).toEqual([]);
    expect(await staff.agent.get('/requests?status=maybe')).toMatchObject({ status: 400, body: { error: { code: 'bad_status' } } });

    // The search for a national ID is in the trail, masked like every log.
    const listed = await audits('requests.listed');
    const search = listed.find((a) => a.actor === `staff:${staffIds.agent}` && String((a.details as { q?: string }).q ?? '').endsWith(khalid.nationalId.slice(-2)));
    expect(search).toBeDefined();
    expect(JSON.stringify(listed)).not.toContain(khalid.nationalId);
  });

  it('shows a request with its eligibility in the policy’s words and its documents; the full ID only to the committee and admins', async () => {
    const committee = await staff.committee.get(`/requests/${khalid.reference}`);
    expect(committee.status).toBe(200);
    const request = committee.body.request;
    expect(request).toMatchObject({
      reference: khalid.reference,
      fullName: 'خالد سعد الحربي',
      nationalId: khalid.nationalId,
      mobile: '+966551234567',
      channel: 'webchat',
      otherAssociations: true,
      otherAssociationsNames: 'جمعية البر',
      residence: { place: 'القيصومة', inArea: true },
      eligibility: { outcome: 'needs_verification', rule: 'other_associations' },
    });
    expect(request.eligibility.checks).toEqual([
      { id: 'saudi_nationality', result: 'pass', policy: '١. ان يكون سعودي الجنسية' },
      { id: 'service_area', result: 'pass', policy: '٢. ان يكون داخل النطاق الجغرافي لخدمات الجمعية' },
      { id: 'other_associations', result: 'fail', policy: '٣. التحقق من استفادته من الجمعيات الاخرى' },
    ]);
    expect(request.documents.map((d: { role: string; mime: string }) => [d.role, d.mime])).toEqual(Object.entries(FILES).map(([role, f]) => [role, f.mime]));
    expect(request.documents.every((d: { url: string }) => d.url.startsWith(`/api/console/requests/${khalid.reference}/documents/`))).toBe(true);
    expect(committee.body.permissions).toEqual({ view: true, fullIdentity: true, documents: true, decide: true, export: true });
    expect((await staff.admin.get(`/requests/${khalid.reference}`)).body.request.nationalId).toBe(khalid.nationalId);

    for (const role of ['agent', 'supervisor'] as const) {
      const masked = await staff[role].get(`/requests/${khalid.reference.toLowerCase()}`);
      expect(masked.status).toBe(200);
      expect(masked.body.request.nationalId).toBe(`******${khalid.nationalId.slice(-4)}`);
      expect(JSON.stringify(masked.body)).not.toContain(khalid.nationalId);
      expect(masked.body.request.documents).toHaveLength(3);
      expect(masked.body.request.documents.every((d: { url: unknown }) => d.url === null)).toBe(true);
      expect(masked.body.permissions).toEqual({ view: true, fullIdentity: false, documents: false, decide: false, export: false });
    }
    const viewers = (await audits('request.viewed', await requestId(khalid.reference))).map((a) => a.actor);
    expect(viewers).toEqual(expect.arrayContaining(['committee', 'admin', 'agent', 'supervisor'].map((r) => `staff:${staffIds[r as StaffRole]}`)));
    expect(await staff.agent.get('/requests/HB-1999-000001')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await staff.agent.get('/requests/not-a-reference')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('serves the decrypted documents to the committee and admins only, never cached, and records every view', async () => {
    const { body } = await staff.committee.get(`/requests/${noura.reference}`);
    for (const doc of body.request.documents as { id: string; role: string; url: string }[]) {
      const path = doc.url.replace('/api/console', '');
      for (const role of ['committee', 'admin'] as const) {
        const res = await fetch(`${app.url}${doc.url}`, { headers: { cookie: staff[role].cookie } });
        expect(res.status).toBe(200);
        expect(Buffer.from(await res.arrayBuffer()).equals(fixture(FILES[doc.role]!.name))).toBe(true);
        expect(res.headers.get('content-type')).toBe(FILES[doc.role]!.mime);
        expect(res.headers.get('content-disposition')).toBe(`inline; filename="${noura.reference}-${doc.role}.${FILES[doc.role]!.name.split('.').pop()}"`);
        expect(res.headers.get('cache-control')).toContain('no-store');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      }
      const download = await staff.admin.get(`${path}?download=1`);
      expect(download.headers.get('content-disposition')).toMatch(/^attachment; /);
      expect(await staff.agent.get(path)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
      expect(await staff.supervisor.get(path)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
      expect((await new StaffClient(app.url).get(path)).status).toBe(401);

      const views = await audits('document.viewed', doc.id);
      expect(views.map((v) => v.actor).sort()).toEqual([`staff:${staffIds.admin}`, `staff:${staffIds.admin}`, `staff:${staffIds.committee}`].sort());
      expect(views[0]!.details).toMatchObject({ requestId: await requestId(noura.reference), role: doc.role });
    }
    // A document is only reachable under its own request.
    const other = (await staff.committee.get(`/requests/${khalid.reference}`)).body.request.documents[0].id;
    expect(await staff.committee.get(`/requests/${noura.reference}/documents/${other}`)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect((await audits('document.viewed', other)).length).toBe(0);
  });

  it('refuses decisions without the CSRF token, from roles that do not decide, and without a reason where one is needed', async () => {
    const path = `/requests/${noura.reference}/decision`;
    const noToken = await staff.committee.call('POST', path, { status: 'accepted' }, { 'x-csrf-token': '' });
    expect(noToken).toMatchObject({ status: 403, body: { error: { code: 'csrf' } } });
    const forged = new StaffClient(app.url);
    forged.cookie = staff.committee.cookie; // the session cookie alone, as a forged cross-site form would carry it
    expect(await forged.post(path, { status: 'accepted' })).toMatchObject({ status: 403, body: { error: { code: 'csrf' } } });
    for (const role of ['agent', 'supervisor'] as const) {
      expect(await staff[role].post(path, { status: 'accepted' })).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    }
    expect(await staff.committee.post(path, { status: 'rejected' })).toMatchObject({ status: 400, body: { error: { code: 'reason_required' } } });
    expect(await staff.committee.post(path, { status: 'needs_info', reason: '   ' })).toMatchObject({ status: 400, body: { error: { code: 'reason_required' } } });
    expect(await staff.committee.post(path, { status: 'submitted' })).toMatchObject({ status: 400, body: { error: { code: 'bad_status' } } });
    expect(await staff.committee.post(path, { reason: 'x' })).toMatchObject({ status: 400, body: { error: { code: 'bad_status' } } });
    expect(await staff.committee.call('POST', path, '{not json', { 'content-type': 'application/json' })).toMatchObject({ status: 400 });
    expect(await staff.committee.post('/requests/HB-1999-000001/decision', { status: 'accepted' })).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    const [row] = await app.store.db.select().from(supportRequests).where(eq(supportRequests.reference, noura.reference));
    expect(row!.status).toBe('submitted');
    expect(await audits('request.decided', row!.id)).toHaveLength(0);
  });

  it('a committee decision reaches the applicant’s web chat in Arabic and is audited', async () => {
    const before = (await noura.applicant.transcript()).length;
    const review = await staff.committee.post(`/requests/${noura.reference}/decision`, { status: 'under_review' });
    expect(review.status).toBe(200);
    expect(review.body.request.status).toBe('under_review');

    const accepted = await staff.committee.post(`/requests/${noura.reference}/decision`, { status: 'accepted' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.request).toMatchObject({ status: 'accepted', decision: { decidedBy: 'committee-' + store, reason: null } });

    const sent = (await noura.applicant.transcript()).slice(before);
    expect(sent.map((m) => m.text)).toEqual([
      app.texts.t('requests.decision.under_review', 'ar', { reference: noura.reference }),
      app.texts.t('requests.decision.accepted', 'ar', { reference: noura.reference }),
    ]);
    expect(sent[1]!.text).toContain(`قررت لجنة البحث قبول طلب الدعم رقم ${noura.reference}`);
    expect(sent.every((m) => m.author === 'staff')).toBe(true);

    const decided = await audits('request.decided', await requestId(noura.reference));
    expect(decided.map((a) => [a.actor, (a.details as { to: string }).to])).toEqual([
      [`staff:${staffIds.committee}`, 'under_review'],
      [`staff:${staffIds.committee}`, 'accepted'],
    ]);
    // The owner asking for their status now hears the decision.
    const status = await noura.applicant.send({ payload: 'flow:status' });
    expect(replyText(status)).toContain('مقبول');
  });

  it('a rejection carries the reason to the applicant', async () => {
    const applicant = new WebchatApplicant(app.url);
    const { reference } = await applicant.submitRequest({ fullName: 'سارة فهد القحطاني' });
    // Two lines, as the form's text box allows: the CSV keeps them in one quoted cell.
    const reason = 'لم يثبت السكن داخل نطاق الجمعية بعد الزيارة الميدانية.\nيسعدنا استقبال طلب جديد عند تغيّر مكان السكن.';
    const res = await staff.admin.post(`/requests/${reference}/decision`, { status: 'rejected', reason });
    expect(res.body.request).toMatchObject({ status: 'rejected', decision: { reason } });
    const last = (await applicant.transcript()).at(-1)!;
    expect(last.text).toBe(app.texts.t('requests.decision.rejected', 'ar', { reference, reason }));
    expect(last.text).toContain(`السبب: ${reason}`);
    const csv = String((await staff.admin.get('/requests/export.csv?status=rejected')).body);
    expect(csv).toContain(`"${reason}"`);
  });

  it('needs_info: the applicant is told what is missing, sends it from the web chat, and the request returns to the committee', async () => {
    const reason = 'نحتاج صورة أوضح لدفتر العائلة، فالصفحة الثانية غير مقروءة.';
    const before = (await khalid.applicant.transcript()).length;
    const res = await staff.committee.post(`/requests/${khalid.reference}/decision`, { status: 'needs_info', reason });
    expect(res.body.request.status).toBe('needs_info');

    const sent = (await khalid.applicant.transcript()).slice(before);
    expect(sent[0]!.text).toBe(app.texts.t('requests.decision.needs_info', 'ar', { reference: khalid.reference, reason }));
    expect(sent.at(-1)!.expecting?.slot).toBe('info_text');

    expect((await khalid.applicant.send({ text: 'أرفقت صورة جديدة لدفتر العائلة' })).body.expecting.slot).toBe('info_has_file');
    expect((await khalid.applicant.send({ text: 'نعم' })).body.expecting.slot).toBe('info_file');
    const thanks = await khalid.applicant.upload('family-book.png', 'image/png');
    expect(replyText(thanks)).toContain(khalid.reference);

    const detail = await staff.committee.get(`/requests/${khalid.reference}`);
    expect(detail.body.request.status).toBe('under_review');
    const extra = detail.body.request.documents.find((d: { role: string }) => d.role === 'extra');
    expect(extra).toBeDefined();
    const file = await fetch(`${app.url}${extra.url}`, { headers: { cookie: staff.committee.cookie } });
    expect(Buffer.from(await file.arrayBuffer()).equals(fixture('family-book.png'))).toBe(true);
    const added = await audits('request.info_added', await requestId(khalid.reference));
    expect(added[0]!.details).toMatchObject({ note: 'أرفقت صورة جديدة لدفتر العائلة', documents: 1 });
  });

  it('exports a CSV for the board to the committee and admins: header, masked IDs, a download, audited', async () => {
    const res = await fetch(`${app.url}/api/console/requests/export.csv`, { headers: { cookie: staff.committee.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="nabta-requests-all-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const csv = await res.text();
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]!.split(',')).toEqual(expect.arrayContaining(['reference', 'status', 'full_name', 'national_id', 'mobile', 'eligibility', 'decision_reason']));
    expect(lines.find((l) => l.startsWith(noura.reference))).toContain(`******${noura.nationalId.slice(-4)}`);
    expect(lines.find((l) => l.startsWith(khalid.reference))).toContain(`******${khalid.nationalId.slice(-4)}`);
    expect(csv).not.toContain(noura.nationalId);
    expect(csv).not.toContain(khalid.nationalId);

    const accepted = await staff.admin.get('/requests/export.csv?status=accepted');
    expect(accepted.status).toBe(200);
    const acceptedLines = String(accepted.body).replace(/^\uFEFF/, '').trim().split('\r\n').slice(1);
    expect(acceptedLines.map((l) => l.split(',')[0])).toContain(noura.reference);
    expect(acceptedLines.every((l) => l.split(',')[1] === 'accepted')).toBe(true);

    expect(await staff.agent.get('/requests/export.csv')).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await staff.supervisor.get('/requests/export.csv')).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    const exported = await audits('requests.exported');
    expect(exported.map((a) => [a.actor, (a.details as { status: string | null }).status])).toEqual(
      expect.arrayContaining([
        [`staff:${staffIds.committee}`, null],
        [`staff:${staffIds.admin}`, 'accepted'],
      ]),
    );
    expect((exported.find((a) => a.actor === `staff:${staffIds.committee}`)!.details as { rows: number }).rows).toBe(lines.length - 1);
  });

  it('the console’s texts carry the section’s, in Arabic and in English', async () => {
    const ar = await staff.agent.get('/texts');
    expect(ar.body.texts.requests).toMatchObject({ nav: 'الطلبات', statuses: { needs_info: 'بحاجة إلى استكمال معلومات' } });
    const en = await staff.agent.get('/texts?locale=en');
    expect(en.body.texts.requests).toMatchObject({ nav: 'Requests' });
  });
});
