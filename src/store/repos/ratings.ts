import type { Db } from '../db';
import { ratings } from '../schema';

export type RatingRow = typeof ratings.$inferSelect;

/** Stores one satisfaction rating (score 1–5, optional comment) with its agent, channel and time. */
export async function insertRating(db: Db, rating: Omit<typeof ratings.$inferInsert, 'id' | 'createdAt'>): Promise<RatingRow> {
  const rows = await db.insert(ratings).values(rating).returning();
  return rows[0]!;
}
