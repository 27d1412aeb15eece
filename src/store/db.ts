import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';

export type Schema = typeof schema;
/** A database or a transaction on it: repositories take either, on PostgreSQL or PGlite alike. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Store {
  kind: 'postgres' | 'pglite';
  db: Db;
  /** Runs `fn` in one transaction. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** postgres://… → node-postgres pool. Unset → PGlite. */
  databaseUrl?: string;
  /** PGlite's folder; unset with no databaseUrl → in memory (tests). */
  dataDir?: string;
  poolSize?: number;
}

const MIGRATIONS = path.join(__dirname, 'migrations');

/** Opens the store and applies pending migrations. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const store = options.databaseUrl ? await openPostgres(options.databaseUrl, options.poolSize ?? 10) : await openPglite(options.dataDir);
  return store;
}

async function openPostgres(url: string, max: number): Promise<Store> {
  const { Pool } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const pool = new Pool({ connectionString: url, max });
  // An idle client's network error must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const db = drizzle(pool, { schema });
  await migrate(db, { migrationsFolder: MIGRATIONS });
  return wrap('postgres', db as unknown as Db, () => pool.end());
}

async function openPglite(dataDir?: string): Promise<Store> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  let releaseLock = () => undefined as void;
  let folder: string | undefined;
  if (dataDir) {
    folder = path.join(dataDir, 'pglite');
    mkdirSync(folder, { recursive: true });
    releaseLock = lockFolder(folder);
  }
  const client = await PGlite.create(folder);
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: MIGRATIONS });
  return wrap('pglite', db as unknown as Db, async () => {
    await client.close();
    releaseLock();
  });
}

/**
 * PGlite is one process's database: a second process opening the same folder would corrupt it.
 * A pid file refuses that with a clear message (a stale file from a killed process is taken over).
 */
function lockFolder(folder: string): () => void {
  const file = path.join(folder, '..', 'pglite.pid');
  try {
    const pid = Number(readFileSync(file, 'utf8'));
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new Error(`The embedded database in ${folder} is in use by process ${pid}. Stop it, or set DATABASE_URL to share a PostgreSQL server.`);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function wrap(kind: Store['kind'], db: Db, close: () => Promise<void>): Store {
  return {
    kind,
    db,
    transaction: (fn) => db.transaction((tx) => fn(tx as unknown as Db)),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close,
  };
}
