import { eq } from 'drizzle-orm';
import { findStaffByEmail, updateStaff } from '../../src/store/repos/staff';
import { auditLog } from '../../src/store/schema';
import { startTestApp, type TestApp } from '../support/app';
import { createStaff, PASSWORD, StaffClient, uniquePrefix } from './support';

/**
 * Who may sign in and do what, over real HTTP on PostgreSQL and Redis: passwords, lock-out, the
 * per-IP brake, session cookies, CSRF, role checks on the server for every kind of route, users
 * managed by admins, and the audit trail of it all.
 */
describe('console sign-in, sessions and roles', () => {
  let app: TestApp;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    app = await startTestApp({
      store: 'postgres',
      redis: true,
      env: { QUEUE_PREFIX: prefix, LOGIN_MAX_FAILURES: '3', LOGIN_LOCK_MINUTES: '2', LOGIN_ATTEMPTS_PER_IP: '40' },
    });
  });
  afterAll(async () => {
    if (app?.redis) {
      const keys = await app.redis.keys(`${prefix}:*`);
      if (keys.length) await app.redis.del(...keys);
    }
    await app?.dispose();
  });

  async function signedIn(role: 'agent' | 'supervisor' | 'committee' | 'admin', name: string) {
    const user = await createStaff(app, role, name);
    const client = new StaffClient(app.url);
    expect((await client.login(user.email)).status).toBe(200);
    return { user, client };
  }

  it('answers a wrong password and an unknown email alike, and signs in with a session cookie and a CSRF token', async () => {
    const anonymous = new StaffClient(app.url);
    expect((await anonymous.get('/queue')).body).toEqual({ error: { code: 'not_signed_in' } });
    expect((await anonymous.get('/queue')).status).toBe(401);
    // The login page's texts are public.
    const texts = await anonymous.get('/texts?locale=ar');
    // Times show in the association's time zone (TIME_ZONE), not the staff device's.
    expect(texts.body).toMatchObject({ locale: 'ar', dir: 'rtl', timeZone: 'Asia/Riyadh', texts: { web: { login: { heading: 'تسجيل الدخول' } } } });

    const user = await createStaff(app, 'agent', 'basma');
    const wrong = await anonymous.login(user.email, 'wrong-password-123');
    const unknown = await anonymous.login('nobody@example.org', 'wrong-password-123');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body).toEqual({ error: { code: 'wrong_credentials' } });
    expect(unknown.body).toEqual(wrong.body);
    expect((await anonymous.call('POST', '/login', '{"email":', { 'content-type': 'application/json' })).status).toBe(400);
    expect((await anonymous.login('not-an-email', 'x')).status).toBe(400);

    const client = new StaffClient(app.url);
    const ok = await client.login(user.email);
    expect(ok.status).toBe(200);
    expect(ok.body.user).toEqual({ id: user.id, email: user.email, name: 'basma', role: 'agent', active: 1, capacity: 5 });
    expect(ok.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^nabta_console=[A-Za-z0-9_-]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect((await client.get('/me')).body).toEqual({ user: ok.body.user, csrfToken: ok.body.csrfToken });
    // A wrong password no longer counts against the account once the right one was given.
    expect((await findStaffByEmail(app.store.db, user.email))!.failedLogins).toBe(0);

    // Signing out ends the session on the server, not only in the browser.
    const oldCookie = client.cookie;
    const out = await client.post('/logout');
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/nabta_console=;.*Expires=Thu, 01 Jan 1970/);
    const replay = new StaffClient(app.url);
    replay.cookie = oldCookie;
    expect((await replay.get('/me')).status).toBe(401);

    const actions = (await app.store.db.select().from(auditLog).where(eq(auditLog.subjectId, user.id))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['console.login.failed', 'console.login', 'console.logout']));
  });

  it('locks an account after LOGIN_MAX_FAILURES wrong passwords, even against the right one, until the lock runs out', async () => {
    const user = await createStaff(app, 'agent', 'kholoud');
    const client = new StaffClient(app.url);
    for (let i = 0; i < 3; i++) expect((await client.login(user.email, `guess-number-${i}`)).status).toBe(401);
    const locked = await client.login(user.email, PASSWORD);
    expect(locked.status).toBe(423);
    expect(locked.body).toEqual({ error: { code: 'locked' } });
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(60);
    expect(retryAfter).toBeLessThanOrEqual(120);
    expect(client.cookie).toBe('');

    // The lock has run out (moved into the past rather than waiting two minutes): one more typo does
    // not lock again at once, and the right password signs in and clears the count.
    await updateStaff(app.store.db, user.id, { lockedUntil: new Date(Date.now() - 1000) });
    expect((await client.login(user.email, 'one-more-typo')).status).toBe(401);
    expect((await client.login(user.email, PASSWORD)).status).toBe(200);
    expect(await findStaffByEmail(app.store.db, user.email)).toMatchObject({ failedLogins: 0, lockedUntil: null });
    const actions = (await app.store.db.select().from(auditLog).where(eq(auditLog.subjectId, user.id))).map((a) => a.action);
    expect(actions.filter((a) => a === 'console.login.failed')).toHaveLength(4);
    expect(actions).toContain('console.login.locked');
  });

  it('refuses state changes without the CSRF token, and checks the role on every route', async () => {
    const { client: agent } = await signedIn('agent', 'lulwa');
    const { client: supervisor } = await signedIn('supervisor', 'muna');
    const { client: committee } = await signedIn('committee', 'nasser');
    const { client: admin } = await signedIn('admin', 'ola');

    // CSRF: missing or wrong -> 403 before anything happens; reads need none.
    const noToken = await agent.call('POST', '/conversations/anything/claim', {}, { 'x-csrf-token': '' });
    expect(noToken.status).toBe(403);
    expect(noToken.body).toEqual({ error: { code: 'csrf' } });
    const withoutHeader = new StaffClient(app.url);
    withoutHeader.cookie = agent.cookie;
    expect((await withoutHeader.post('/canned', { title: 'x', text: 'y' })).body).toEqual({ error: { code: 'csrf' } });
    expect((await agent.call('POST', '/logout', {}, { 'x-csrf-token': 'forged-token-forged-token-xx' })).status).toBe(403);
    expect((await agent.get('/me')).status).toBe(200); // the forged logout did nothing
    expect((await agent.get('/queue')).status).toBe(200);

    // An agent: no admin routes (users, audit), no committee routes (decisions, export).
    const forbidden = { error: { code: 'forbidden' } };
    expect((await agent.get('/users')).body).toEqual(forbidden);
    expect((await agent.post('/users', { email: 'x@example.org', name: 'x', role: 'admin', password: 'long-enough-pw' })).status).toBe(403);
    expect((await agent.call('PATCH', '/users/whoever', { role: 'admin' })).status).toBe(403);
    expect((await agent.get('/audit')).status).toBe(403);
    expect((await agent.post('/requests/HB-2025-000001/decision', { status: 'accepted' })).status).toBe(403);
    expect((await agent.get('/requests/export.csv')).status).toBe(403);
    expect((await agent.post('/canned', { title: 'x', text: 'y' })).status).toBe(403);

    // A committee member decides support requests; conversations with beneficiaries are not theirs.
    for (const path of ['/queue', '/mine', '/dashboard', '/staff', '/canned', '/users', '/audit']) expect((await committee.get(path)).status).toBe(403);
    expect((await committee.post('/conversations/anything/claim')).status).toBe(403);
    expect((await committee.post('/conversations/anything/messages', { text: 'x' })).status).toBe(403);
    await expect(committee.socket()).rejects.toThrow('not_signed_in');
    expect((await committee.get('/requests/export.csv')).status).toBe(200);

    // A supervisor edits canned replies but does not manage users.
    expect((await supervisor.post('/canned', { title: 'شكر', text: 'شكرًا لتواصلك' })).status).toBe(201);
    expect((await supervisor.get('/users')).status).toBe(403);
    expect((await supervisor.get('/audit')).status).toBe(403);

    // An admin sees the audit trail.
    const audit = (await admin.get('/audit')).body.items as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['console.login', 'canned.created']));
  });

  it('lets admins manage users: create any role, refuse a taken email, disable (ending sessions), reset a password', async () => {
    const { client: admin } = await signedIn('admin', 'rashed');
    const email = `new-agent-${prefix}@example.org`;
    const created = await admin.post('/users', { email, name: 'وعد', role: 'agent', password: 'a-long-password-1', capacity: 3 });
    expect(created.status).toBe(201);
    expect(created.body.user).toEqual({ id: expect.any(String), email, name: 'وعد', role: 'agent', active: 1, capacity: 3 });
    expect(JSON.stringify(created.body)).not.toContain('argon2');
    expect((await admin.post('/users', { email: email.toUpperCase(), name: 'x', role: 'agent', password: 'a-long-password-1' })).body).toEqual({ error: { code: 'email_taken' } });
    expect((await admin.post('/users', { email: 'short@example.org', name: 'x', role: 'agent', password: 'short' })).status).toBe(400);
    expect((await admin.post('/users', { email: 'role@example.org', name: 'x', role: 'owner', password: 'a-long-password-1' })).status).toBe(400);
    expect((await admin.get('/users')).body.items.map((u: { email: string }) => u.email)).toContain(email);

    const newcomer = new StaffClient(app.url);
    expect((await newcomer.login(email, 'a-long-password-1')).status).toBe(200);
    const id = created.body.user.id;
    expect((await admin.call('PATCH', `/users/${id}`, { active: false })).body.user.active).toBe(0);
    expect((await newcomer.get('/me')).status).toBe(401);
    expect((await newcomer.login(email, 'a-long-password-1')).status).toBe(401);

    expect((await admin.call('PATCH', `/users/${id}`, { active: true, password: 'another-password-2', role: 'supervisor' })).body.user).toMatchObject({ active: 1, role: 'supervisor' });
    expect((await newcomer.login(email, 'a-long-password-1')).status).toBe(401);
    expect((await newcomer.login(email, 'another-password-2')).body.user.role).toBe('supervisor');
    expect((await admin.call('PATCH', '/users/no-such-user', { name: 'x' })).status).toBe(404);
    const actions = (await app.store.db.select().from(auditLog).where(eq(auditLog.subjectId, id))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['staff.created', 'staff.updated']));
  });

  it('slows down one address that keeps trying (429 with Retry-After), without touching other addresses', async () => {
    const fromOneAddress = new StaffClient(app.url);
    const headers = { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.77' };
    let answer;
    for (let i = 0; i < 40; i++) {
      answer = await fromOneAddress.call('POST', '/login', { email: 'x', password: 'y' }, headers);
      expect(answer.status).toBe(400);
    }
    answer = await fromOneAddress.call('POST', '/login', { email: 'x', password: 'y' }, headers);
    expect(answer.status).toBe(429);
    expect(answer.body).toEqual({ error: { code: 'too_many_attempts' } });
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    const elsewhere = await fromOneAddress.call('POST', '/login', { email: 'x', password: 'y' }, { ...headers, 'x-forwarded-for': '203.0.113.78' });
    expect(elsewhere.status).toBe(400);
  });
});
