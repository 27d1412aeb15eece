import 'dotenv/config';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfigOrReport } from '../config';
import { hashPassword, PASSWORD_MIN_LENGTH } from '../console/auth/passwords';
import { loadTexts, type Texts } from '../i18n';
import { openStore, type Store } from '../store/db';
import { audit } from '../store/repos/audit';
import { deleteSessionsOf, findStaffByEmail, insertStaff, listStaff, updateStaff } from '../store/repos/staff';
import { STAFF_ROLES, type StaffRole } from '../store/schema';

/**
 * `npm run admin -- <command>`: staff accounts from the terminal, on the database the server uses
 * (DATABASE_URL, else the embedded one under DATA_DIR). The first admin is made here; after that,
 * admins manage users in the console too. Exit codes: 0 done, 1 refused or failed, 2 bad usage.
 */

const EXIT = { ok: 0, refused: 1, usage: 2 } as const;

/** A problem to report in both languages, with the exit code it ends the command with. */
class CliProblem extends Error {
  constructor(
    readonly key: string,
    readonly vars: Record<string, unknown> = {},
    readonly code: number = EXIT.refused,
  ) {
    super(key);
  }
}

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const OPTIONS = {
  email: { type: 'string' },
  password: { type: 'string' },
  role: { type: 'string' },
  name: { type: 'string' },
  capacity: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Arabic first, then English: whoever runs the command reads one of the two. */
function bilingual(texts: Texts, key: string, vars: Record<string, unknown> = {}): string {
  const ar = texts.t(`console.cli.${key}`, 'ar', vars);
  const en = texts.t(`console.cli.${key}`, 'en', vars);
  return ar === en ? ar : `${ar}\n${en}`;
}

function required(values: Record<string, unknown>, option: string): string {
  const value = values[option];
  if (typeof value !== 'string' || value.trim() === '') throw new CliProblem('missing', { option }, EXIT.usage);
  return value;
}

function emailOf(values: Record<string, unknown>): string {
  const email = required(values, 'email').trim().toLowerCase();
  if (!z.email().safeParse(email).success) throw new CliProblem('bad_email', { email }, EXIT.usage);
  return email;
}

function passwordOf(values: Record<string, unknown>): string {
  const password = required(values, 'password');
  if (password.length < PASSWORD_MIN_LENGTH) throw new CliProblem('short_password', { min: PASSWORD_MIN_LENGTH }, EXIT.usage);
  return password;
}

async function run(command: string | undefined, values: Record<string, unknown>, store: () => Promise<Store>, texts: Texts, io: Io): Promise<void> {
  const say = (key: string, vars?: Record<string, unknown>) => io.out(bilingual(texts, key, vars));
  switch (command) {
    case 'create-user': {
      const email = emailOf(values);
      const password = passwordOf(values);
      const name = required(values, 'name').trim().slice(0, 100);
      const role = required(values, 'role').trim() as StaffRole;
      if (!STAFF_ROLES.includes(role)) throw new CliProblem('bad_role', { role }, EXIT.usage);
      const capacity = values.capacity === undefined ? undefined : Number(values.capacity);
      if (capacity !== undefined && !(Number.isInteger(capacity) && capacity >= 1 && capacity <= 50)) throw new CliProblem('bad_capacity', {}, EXIT.usage);
      const db = (await store()).db;
      if (await findStaffByEmail(db, email)) throw new CliProblem('email_taken', { email });
      const user = await insertStaff(db, { email, name, role, passwordHash: await hashPassword(password), capacity });
      await audit(db, { actor: 'cli', action: 'staff.created', subjectType: 'staff', subjectId: user.id, details: { role } });
      return say('created', { name, email, role });
    }
    case 'list-users': {
      const users = await listStaff((await store()).db);
      if (users.length === 0) return say('no_users');
      for (const u of users) io.out([u.email, u.role, u.name, u.active ? 'active' : 'disabled', `capacity=${u.capacity}`].join('\t'));
      return;
    }
    case 'set-password': {
      const email = emailOf(values);
      const password = passwordOf(values);
      const db = (await store()).db;
      const user = await findStaffByEmail(db, email);
      if (!user) throw new CliProblem('not_found', { email });
      // A forgotten password is also the way out of a lock-out.
      await updateStaff(db, user.id, { passwordHash: await hashPassword(password), failedLogins: 0, lockedUntil: null });
      await deleteSessionsOf(db, user.id);
      await audit(db, { actor: 'cli', action: 'staff.password_set', subjectType: 'staff', subjectId: user.id });
      return say('password_set', { email });
    }
    case 'disable':
    case 'enable': {
      const email = emailOf(values);
      const db = (await store()).db;
      const user = await findStaffByEmail(db, email);
      if (!user) throw new CliProblem('not_found', { email });
      await updateStaff(db, user.id, { active: command === 'enable' ? 1 : 0 });
      if (command === 'disable') await deleteSessionsOf(db, user.id);
      await audit(db, { actor: 'cli', action: command === 'enable' ? 'staff.enabled' : 'staff.disabled', subjectType: 'staff', subjectId: user.id });
      return say(command === 'enable' ? 'enabled' : 'disabled', { email });
    }
    case undefined:
    case 'help':
      return say('usage');
    default:
      throw new CliProblem('unknown_command', { command }, EXIT.usage);
  }
}

async function main(): Promise<number> {
  const config = loadConfigOrReport();
  if (!config) return EXIT.refused;
  const texts = loadTexts(config.localesDir);
  const io: Io = { out: (line) => console.log(line), err: (line) => console.error(line) };
  let opened: Store | undefined;
  const store = async () => (opened ??= await openStore({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir, poolSize: 2 }));
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: process.argv.slice(2), options: OPTIONS, allowPositionals: true, strict: true });
    } catch (err) {
      io.err((err as Error).message);
      io.err(bilingual(texts, 'usage'));
      return EXIT.usage;
    }
    const command = parsed.values.help ? 'help' : parsed.positionals[0];
    await run(command, parsed.values, store, texts, io);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CliProblem) {
      io.err(bilingual(texts, err.key, err.vars));
      if (err.code === EXIT.usage) io.err(bilingual(texts, 'usage'));
      return err.code;
    }
    io.err(bilingual(texts, 'failed', { message: err instanceof Error ? err.message : String(err) }));
    return EXIT.refused;
  } finally {
    await opened?.close();
  }
}

void main().then((code) => process.exit(code));
