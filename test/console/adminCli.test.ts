import { execFile } from 'node:child_process';
import path from 'node:path';
import { startTestApp, tempDir, type TestApp } from '../support/app';
import { createPostgresDatabase, dropPostgresDatabase } from '../support/stores';
import { StaffClient } from './support';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run admin -- …` as a person runs it: a separate process, its exit code and its output. */
function admin(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      ['src/cli/admin.ts', ...args],
      // DATABASE_URL is always given (empty = embedded) so a developer's .env cannot redirect the test.
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: '', LOG_LEVEL: 'silent', ...env }, timeout: 90_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run admin', () => {
  it('refuses bad usage in Arabic and English with exit code 2, before touching any database', async () => {
    const env = { DATA_DIR: tempDir('nabta-cli-') };
    // Few processes (each one starts TypeScript): help, two refusals of a wrong value, an unknown command.
    const [help, badRole, shortPassword, unknown] = await Promise.all([
      admin(['help'], env),
      admin(['create-user', '--email', 'a@example.org', '--password', 'long-enough-1', '--role', 'owner', '--name', 'x'], env),
      admin(['create-user', '--email', 'a@example.org', '--password', 'short', '--role', 'agent'], env),
      admin(['delete-everything', '--colour'], env),
    ]);
    expect(help).toMatchObject({ code: 0 });
    expect(help.stdout).toContain('npm run admin -- create-user --email E --password P --role agent|supervisor|committee|admin --name N');
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('الدور غير معروف: owner');
    expect(badRole.stderr).toContain('Unknown role: owner');
    expect(shortPassword.code).toBe(2);
    expect(shortPassword.stderr).toContain('كلمة المرور قصيرة؛ يلزم 10 أحرف على الأقل.');
    expect(shortPassword.stderr).toContain('Password too short; at least 10 characters.');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--colour'");
    expect(unknown.stderr).toContain('الاستخدام:');
  }, 60_000);

  // One process on PGlite: creating a fresh embedded database is the slow part (WebAssembly + migrations).
  it('creates the first admin on a fresh embedded database', async () => {
    const env = { DATA_DIR: tempDir('nabta-cli-') };
    const created = await admin(['create-user', '--email', 'Admin@Example.org', '--password', 'first-admin-pass', '--role', 'admin', '--name', 'مدير الجمعية'], env);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toContain('أُنشئ الحساب: مدير الجمعية <admin@example.org> بدور admin.');
    expect(created.stdout).toContain('Account created: مدير الجمعية <admin@example.org> as admin.');
  }, 120_000);

  describe('on PostgreSQL', () => {
    let databaseUrl: string;
    let app: TestApp | undefined;
    beforeAll(async () => {
      databaseUrl = await createPostgresDatabase();
    });
    afterAll(async () => {
      await app?.dispose();
      await dropPostgresDatabase(databaseUrl);
    });

    it('creates any role, refuses a taken email, sets passwords, disables and enables; the console agrees', async () => {
      const env = { DATABASE_URL: databaseUrl, DATA_DIR: tempDir('nabta-cli-') };
      // The first run creates the schema; the others run on it.
      const first = await admin(['create-user', '--email', 'boss@example.org', '--password', 'boss-password-1', '--role', 'admin', '--name', 'Boss'], env);
      expect(first).toMatchObject({ code: 0, stderr: '' });
      const [committee, listed] = await Promise.all([
        admin(['create-user', '--email', 'agent@example.org', '--password', 'agent-password-1', '--role', 'committee', '--name', 'عضو', '--capacity', '3'], env),
        admin(['list-users'], env),
      ]);
      expect(committee).toMatchObject({ code: 0, stderr: '' });
      expect(listed.stdout).toContain('boss@example.org\tadmin\tBoss\tactive\tcapacity=5');
      const taken = await admin(['create-user', '--email', 'BOSS@example.org', '--password', 'boss-password-1', '--role', 'agent', '--name', 'x'], env);
      expect(taken.code).toBe(1);
      expect(taken.stderr).toContain('يوجد حساب بهذا البريد: boss@example.org');
      expect(taken.stderr).toContain('An account with this email exists: boss@example.org');
      const missing = await admin(['disable', '--email', 'ghost@example.org'], env);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('No account with this email: ghost@example.org');

      const [reset, disabled] = await Promise.all([
        admin(['set-password', '--email', 'boss@example.org', '--password', 'new-boss-password'], env),
        admin(['disable', '--email', 'agent@example.org'], env),
      ]);
      expect(reset.code).toBe(0);
      expect(reset.stdout).toContain('Password of boss@example.org changed');
      expect(disabled.code).toBe(0);
      expect(disabled.stdout).toContain('أُوقف حساب agent@example.org');

      // The server on the same database: the admin signs in with the new password; the disabled member cannot.
      app = await startTestApp({ store: 'postgres', databaseUrl });
      const boss = new StaffClient(app.url);
      expect((await boss.login('boss@example.org', 'boss-password-1')).status).toBe(401);
      const signedIn = await boss.login('boss@example.org', 'new-boss-password');
      expect(signedIn.body.user).toMatchObject({ email: 'boss@example.org', role: 'admin', name: 'Boss' });
      expect((await boss.get('/users')).body.items).toEqual(
        expect.arrayContaining([expect.objectContaining({ email: 'agent@example.org', role: 'committee', capacity: 3, active: 0 })]),
      );
      const member = new StaffClient(app.url);
      expect((await member.login('agent@example.org', 'agent-password-1')).status).toBe(401);
      expect((await admin(['enable', '--email', 'agent@example.org'], env)).code).toBe(0);
      expect((await member.login('agent@example.org', 'agent-password-1')).body.user).toMatchObject({ role: 'committee' });
      const audit = (await boss.get('/audit')).body.items.map((a: { actor: string; action: string }) => `${a.actor} ${a.action}`);
      expect(audit).toEqual(expect.arrayContaining(['cli staff.created', 'cli staff.password_set', 'cli staff.disabled', 'cli staff.enabled']));
    }, 120_000);
  });
});
