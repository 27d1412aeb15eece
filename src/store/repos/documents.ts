import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { documents } from '../schema';

export type DocumentRow = typeof documents.$inferSelect;
export type DocumentInfo = Omit<DocumentRow, 'content'>;

const INFO = {
  id: documents.id,
  conversationId: documents.conversationId,
  requestId: documents.requestId,
  role: documents.role,
  mime: documents.mime,
  size: documents.size,
  fileName: documents.fileName,
  createdAt: documents.createdAt,
};

export async function insertDocument(db: Db, row: typeof documents.$inferInsert): Promise<void> {
  await db.insert(documents).values(row);
}

/** The document with its (encrypted) content. */
export async function findDocument(db: Db, id: string): Promise<DocumentRow | undefined> {
  return (await db.select().from(documents).where(eq(documents.id, id)).limit(1))[0];
}

/** Attaches files a conversation sent to its request, each with its role. Files of other conversations are ignored. */
export async function linkDocuments(db: Db, requestId: string, conversationId: string, files: { id: string; role: string }[]): Promise<number> {
  let linked = 0;
  for (const f of files) {
    const rows = await db
      .update(documents)
      .set({ requestId, role: f.role })
      .where(and(eq(documents.id, f.id), eq(documents.conversationId, conversationId), isNull(documents.requestId)))
      .returning({ id: documents.id });
    linked += rows.length;
  }
  return linked;
}

/** A request's documents, without their bytes. */
export async function listDocuments(db: Db, requestIds: string[]): Promise<DocumentInfo[]> {
  if (requestIds.length === 0) return [];
  return db.select(INFO).from(documents).where(inArray(documents.requestId, requestIds)).orderBy(asc(documents.createdAt));
}
