import type { Db } from '../db';
import { auditLog } from '../schema';

export interface AuditEntry {
  actor: string;
  action: string;
  subjectType?: string;
  subjectId?: string;
  details?: Record<string, unknown>;
}

/** Appends to the audit trail. Never store raw national IDs or documents in `details`. */
export async function audit(db: Db, entry: AuditEntry | AuditEntry[]): Promise<void> {
  const rows = Array.isArray(entry) ? entry : [entry];
  if (rows.length > 0) await db.insert(auditLog).values(rows);
}
