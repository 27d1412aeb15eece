import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { counters } from '../schema';

/** The next value of a named counter, unique across instances (an upsert is atomic in PostgreSQL). */
export async function nextCounter(db: Db, name: string): Promise<number> {
  const rows = await db
    .insert(counters)
    .values({ name, value: 1 })
    .onConflictDoUpdate({ target: counters.name, set: { value: sql`${counters.value} + 1` } })
    .returning({ value: counters.value });
  return rows[0]!.value;
}
