import { mkdirSync } from 'node:fs';
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
  let client;
  if (dataDir) {
    const folder = path.join(dataDir, 'pglite');
    mkdirSync(folder, { recursive: true });
    client = await PGlite.create(folder);
  } else {
    client = await PGlite.create();
  }
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: MIGRATIONS });
  return wrap('pglite', db as unknown as Db, () => client.close());
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
