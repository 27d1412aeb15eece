import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openStore, type Store } from '../../src/store/db';

/** The PostgreSQL server the tests use: DATABASE_URL, else the local one CI starts. */
export const POSTGRES_ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_TEST_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestDatabase {
  url?: string;
  store: Store;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file. PostgreSQL: a new database on the server, dropped after.
 * PGlite: in memory, or in `dataDir` when the test restarts the app on the same files.
 */
export async function freshDatabase(kind: 'postgres' | 'pglite', dataDir?: string): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const store = await openStore({ dataDir });
    return { store, drop: () => store.close() };
  }
  const url = await createPostgresDatabase();
  const store = await openStore({ databaseUrl: url, poolSize: 5 });
  return {
    url,
    store,
    drop: async () => {
      await store.close();
      await dropPostgresDatabase(url);
    },
  };
}

/** Creates an empty database on the test server and returns its URL. */
export async function createPostgresDatabase(): Promise<string> {
  const name = `nabta_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropPostgresDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Both stores: every store and pipeline test runs on each. */
export const STORE_KINDS = ['pglite', 'postgres'] as const;
