import type { Outbound } from '../core/types';
import { decrypt, lookupHash, type Keys } from '../documents/crypto';
import type { Translate, TurnEvent } from '../engine/runTurn';
import { checkNationalId, maskNationalId } from '../policy/nationalId';
import type { Store } from '../store/db';
import { audit } from '../store/repos/audit';
import { findDocument, listDocuments, type DocumentInfo } from '../store/repos/documents';
import { findByReference, queryRequests, updateRequest, type RequestRow } from '../store/repos/requests';
import { REQUEST_STATUSES, type RequestStatus } from '../store/schema';

/** What staff may set. `submitted` is the applicant's. */
export const DECISION_STATUSES = ['under_review', 'needs_info', 'accepted', 'rejected'] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];
/** The flow that lets an applicant send what the committee asked for. */
export const REQUEST_INFO_FLOW = 'request-info';

export class RequestError extends Error {
  constructor(
    readonly code: 'not_found' | 'bad_status' | 'reason_required' | 'document_not_found',
    message: string,
  ) {
    super(message);
  }
}

/** A request as a staff list shows it: no national ID beyond its last 4 digits. */
export interface RequestSummary {
  id: string;
  reference: string;
  status: RequestStatus;
  fullName: string;
  nationalIdMasked: string;
  mobile: string;
  residence: string | null;
  eligibility: string;
  submittedAt: Date;
  updatedAt: Date;
}

export interface RequestDetail extends RequestSummary {
  channel: string;
  conversationId: string;
  idType: string;
  /** In clear: only for roles allowed to see it (the console checks the role). */
  nationalId: string;
  otherAssociations: boolean;
  otherAssociationsNames: string | null;
  eligibilityResult: Record<string, unknown>;
  residenceDetail: Record<string, unknown>;
  declaredAt: Date;
  decisionReason: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  documents: DocumentInfo[];
}

/** Where decisions go out: the gateway's notify (same outbox as every reply) and flow starts. */
export interface Notifier {
  notify(conversationId: string, messages: Outbound[], author: 'staff' | 'bot' | 'system'): Promise<unknown>;
  dispatchEvent(conversationId: string, event: TurnEvent): Promise<unknown>;
}

export interface RequestsDomainDeps {
  store: Store;
  keys: Keys;
  t: Translate;
  notifier: Notifier;
}

/** The back office's domain functions; the console's routes call these (after checking the staff role). */
export class RequestsDomain {
  constructor(private readonly deps: RequestsDomainDeps) {}

  /** Requests by status and/or a search: reference, part of a name, a mobile number, or a full national ID. */
  async listRequests(filter: { status?: RequestStatus; q?: string } = {}): Promise<RequestSummary[]> {
    if (filter.status && !REQUEST_STATUSES.includes(filter.status)) throw new RequestError('bad_status', `Unknown status ${filter.status}`);
    const q = filter.q?.trim().slice(0, 100) || undefined;
    const id = q ? checkNationalId(q) : undefined;
    const rows = await queryRequests(this.deps.store.db, {
      status: filter.status,
      q,
      idHash: id?.ok ? lookupHash(this.deps.keys.lookup, id.digits) : undefined,
    });
    return rows.map(summary);
  }

  /** One request with its eligibility result and documents (no bytes). `staffId` records the view. */
  async getRequest(reference: string, viewer?: { staffId: string }): Promise<RequestDetail> {
    const row = await this.find(reference);
    const docs = await listDocuments(this.deps.store.db, [row.id]);
    if (viewer) await audit(this.deps.store.db, { actor: `staff:${viewer.staffId}`, action: 'request.viewed', subjectType: 'support_request', subjectId: row.id });
    return {
      ...summary(row),
      channel: row.channel,
      conversationId: row.conversationId,
      idType: row.idType,
      nationalId: decrypt(this.deps.keys.identity, Buffer.from(row.nationalIdEnc, 'base64'), 'national-id').toString(),
      otherAssociations: row.otherAssociations,
      otherAssociationsNames: row.otherAssociationsNames,
      eligibilityResult: row.eligibility,
      residenceDetail: row.residence,
      declaredAt: row.declaredAt,
      decisionReason: row.decisionReason,
      decidedBy: row.decidedBy,
      decidedAt: row.decidedAt,
      documents: docs,
    };
  }

  /** A document's decrypted bytes; every read is in the audit log. */
  async readDocument(documentId: string, viewer: { staffId: string }): Promise<{ bytes: Buffer; mime: string; fileName: string | null; size: number }> {
    const doc = await findDocument(this.deps.store.db, documentId);
    if (!doc) throw new RequestError('document_not_found', 'No such document');
    const bytes = decrypt(this.deps.keys.documents, doc.content, `document:${doc.id}`);
    await audit(this.deps.store.db, {
      actor: `staff:${viewer.staffId}`,
      action: 'document.viewed',
      subjectType: 'document',
      subjectId: doc.id,
      details: { requestId: doc.requestId, role: doc.role },
    });
    return { bytes, mime: doc.mime, fileName: doc.fileName, size: doc.size };
  }

  /**
   * Records a decision, audits it, and tells the applicant in their language on their channel. For
   * needs_info the conversation then asks them for what is missing.
   */
  async decide(reference: string, decision: { status: DecisionStatus; reason?: string; staffId: string }): Promise<RequestDetail> {
    if (!DECISION_STATUSES.includes(decision.status)) throw new RequestError('bad_status', `Staff cannot set status ${decision.status}`);
    const reason = decision.reason?.trim() ? decision.reason.trim().slice(0, 2000) : null;
    if (!reason && (decision.status === 'needs_info' || decision.status === 'rejected')) {
      throw new RequestError('reason_required', `A reason is required for ${decision.status}`);
    }
    const row = await this.deps.store.transaction(async (tx) => {
      const current = await findByReference(tx, reference);
      if (!current) throw new RequestError('not_found', `No request ${reference}`);
      const updated = await updateRequest(tx, current.id, { status: decision.status, decisionReason: reason, decidedBy: decision.staffId, decidedAt: new Date() });
      await audit(tx, {
        actor: `staff:${decision.staffId}`,
        action: 'request.decided',
        subjectType: 'support_request',
        subjectId: current.id,
        details: { from: current.status, to: decision.status, reason },
      });
      return updated;
    });
    const locale = row.locale === 'en' ? 'en' : 'ar';
    const text = this.deps.t(`requests.decision.${decision.status}`, locale, { reference: row.reference, reason: reason ?? '' });
    await this.deps.notifier.notify(row.conversationId, [{ text }], 'staff');
    if (decision.status === 'needs_info') await this.deps.notifier.dispatchEvent(row.conversationId, { type: 'start', flowId: REQUEST_INFO_FLOW });
    return this.getRequest(reference);
  }

  /** Every request as CSV (UTF-8 with BOM for Excel); national IDs masked, formulas neutralised. */
  async requestsCsv(filter: { status?: RequestStatus } = {}): Promise<string> {
    const rows = await queryRequests(this.deps.store.db, { status: filter.status, limit: 100_000 });
    const docs = await listDocuments(this.deps.store.db, rows.map((r) => r.id));
    const header = ['reference', 'status', 'submitted_at', 'full_name', 'national_id', 'mobile', 'residence', 'in_service_area', 'other_associations', 'other_associations_names', 'eligibility', 'eligibility_rule', 'documents', 'decided_at', 'decision_reason'];
    const lines = rows.map((r) => {
      const eligibility = r.eligibility as { outcome?: string; rule?: string | null };
      const residence = r.residence as { place?: string | null; in_area?: boolean };
      return [
        r.reference, r.status, r.createdAt.toISOString(), r.fullName, maskNationalId(`000000${r.nationalIdLast4}`), r.mobile,
        residence.place ?? '', String(residence.in_area ?? ''), r.otherAssociations ? 'yes' : 'no', r.otherAssociationsNames ?? '',
        eligibility.outcome ?? '', eligibility.rule ?? '', String(docs.filter((d) => d.requestId === r.id).length),
        r.decidedAt?.toISOString() ?? '', r.decisionReason ?? '',
      ].map(csvCell).join(',');
    });
    return `\uFEFF${[header.join(','), ...lines].join('\r\n')}\r\n`;
  }

  private async find(reference: string): Promise<RequestRow> {
    const row = await findByReference(this.deps.store.db, reference);
    if (!row) throw new RequestError('not_found', `No request ${reference}`);
    return row;
  }
}

function summary(row: RequestRow): RequestSummary {
  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    fullName: row.fullName,
    nationalIdMasked: maskNationalId(`000000${row.nationalIdLast4}`),
    mobile: row.mobile,
    residence: ((row.residence as { place?: string | null }).place ?? null),
    eligibility: String((row.eligibility as { outcome?: string }).outcome ?? ''),
    submittedAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Quotes a CSV cell; a leading = + - @ is prefixed so a spreadsheet never runs it as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n']/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}
