import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { maskPersonalData } from '../log';
import type { EligibilityRule } from '../policy/eligibility';
import { DECISION_STATUSES, RequestError, type RequestsDomain } from '../requests';
import type { RequestDetail, RequestSummary } from '../requests/domain';
import type { Store } from '../store/db';
import { audit } from '../store/repos/audit';
import { listDocuments } from '../store/repos/documents';
import { findByReference } from '../store/repos/requests';
import { findStaff } from '../store/repos/staff';
import { REQUEST_STATUSES, type RequestStatus, type StaffRole } from '../store/schema';
import { ConsoleError, requireRole, staffOf } from './auth/guard';

/**
 * Who may do what with support requests (the policy's research committee studies and decides them).
 * Agents and supervisors answer beneficiaries' questions about their requests, so they see the list
 * and the details with the national ID masked and without the exact home location; the documents,
 * the full ID, decisions and the board's CSV are for the committee and admins only.
 */
export const REQUEST_PERMISSIONS = {
  view: ['agent', 'supervisor', 'committee', 'admin'],
  fullIdentity: ['committee', 'admin'],
  documents: ['committee', 'admin'],
  decide: ['committee', 'admin'],
  export: ['committee', 'admin'],
} as const satisfies Record<string, readonly StaffRole[]>;
export type RequestPermission = keyof typeof REQUEST_PERMISSIONS;

const REFERENCE = /^HB-\d{4}-\d{6}$/;
const DOCUMENT_ID = /^[A-Za-z0-9_-]{1,100}$/;
const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/heic': 'heic', 'application/pdf': 'pdf' };
const ERROR_STATUS: Record<RequestError['code'], number> = { not_found: 404, document_not_found: 404, bad_status: 400, reason_required: 400 };
const decisionBody = z.object({ status: z.enum(DECISION_STATUSES), reason: z.string().max(2000).optional() });

export interface RequestRoutesDeps {
  store: Store;
  requests: RequestsDomain;
  /** The eligibility rules, so a check is shown with the policy's own words. */
  rules: readonly EligibilityRule[];
}

const can = (role: StaffRole, permission: RequestPermission) => (REQUEST_PERMISSIONS[permission] as readonly StaffRole[]).includes(role);
const permissionsOf = (role: StaffRole) =>
  Object.fromEntries(Object.keys(REQUEST_PERMISSIONS).map((p) => [p, can(role, p as RequestPermission)])) as Record<RequestPermission, boolean>;

function referenceOf(raw: unknown): string {
  const reference = String(raw).toUpperCase();
  if (!REFERENCE.test(reference)) throw new ConsoleError(404, 'not_found');
  return reference;
}

function statusOf(raw: unknown): RequestStatus | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!(REQUEST_STATUSES as readonly unknown[]).includes(raw)) throw new ConsoleError(400, 'bad_status');
  return raw as RequestStatus;
}

/** /api/console/requests: the back office of support requests. Every route checks the role and is audited. */
export function requestRoutes(deps: RequestRoutesDeps): Router {
  const { store, requests } = deps;
  const router = Router();
  const json = express.json({ limit: '16kb' });
  const actor = (res: Response) => `staff:${staffOf(res).id}`;
  const policyWords = new Map(deps.rules.map((r) => [r.id, r.policy]));

  router.get('/', requireRole(...REQUEST_PERMISSIONS.view), async (req, res) => {
    const status = statusOf(req.query.status);
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : '';
    const items = await requests.listRequests({ status, q: q || undefined });
    // A search may be a national ID or a mobile number: the trail keeps what was looked for, masked.
    await audit(store.db, { actor: actor(res), action: 'requests.listed', subjectType: 'support_request', details: { status: status ?? null, q: q ? maskPersonalData(q) : null, count: items.length } });
    res.json({ items: items.map(listItem), permissions: permissionsOf(staffOf(res).role) });
  });

  router.get('/export.csv', requireRole(...REQUEST_PERMISSIONS.export), async (req, res) => {
    const status = statusOf(req.query.status);
    const csv = await requests.requestsCsv({ status });
    const rows = csvRecords(csv) - 1; // without the header
    await audit(store.db, { actor: actor(res), action: 'requests.exported', subjectType: 'support_request', details: { status: status ?? null, rows } });
    const day = new Date().toISOString().slice(0, 10);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="nabta-requests-${status ?? 'all'}-${day}.csv"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(csv);
  });

  /** The detail as this role may see it, with the name of whoever decided last. */
  const answer = async (res: Response, detail: RequestDetail) => {
    const role = staffOf(res).role;
    const decider = detail.decidedBy ? await findStaff(store.db, detail.decidedBy) : undefined;
    res.json({ request: detailView(detail, role, policyWords, decider?.name ?? null), permissions: permissionsOf(role) });
  };

  router.get('/:ref', requireRole(...REQUEST_PERMISSIONS.view), async (req, res) => {
    await answer(res, await requests.getRequest(referenceOf(req.params.ref), { staffId: staffOf(res).id }));
  });

  router.get('/:ref/documents/:id', requireRole(...REQUEST_PERMISSIONS.documents), async (req, res) => {
    const id = String(req.params.id);
    if (!DOCUMENT_ID.test(id)) throw new ConsoleError(404, 'not_found');
    const request = await findByReference(store.db, referenceOf(req.params.ref));
    // A document is served only under the request it belongs to: an id alone opens nothing.
    const docs = request ? await listDocuments(store.db, [request.id]) : [];
    const info = docs.find((d) => d.id === id);
    if (!request || !info) throw new ConsoleError(404, 'not_found');
    const file = await requests.readDocument(id, { staffId: staffOf(res).id });
    const name = `${request.reference}-${info.role ?? 'document'}.${EXTENSIONS[file.mime] ?? 'bin'}`;
    res.setHeader('Content-Type', file.mime); // the type the bytes showed at upload, never the declared one
    res.setHeader('Content-Length', String(file.bytes.length));
    res.setHeader('Content-Disposition', `${req.query.download === '1' ? 'attachment' : 'inline'}; filename="${name}"`);
    res.setHeader('Cache-Control', 'no-store, max-age=0');
    res.setHeader('Pragma', 'no-cache');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.end(file.bytes);
  });

  router.post('/:ref/decision', requireRole(...REQUEST_PERMISSIONS.decide), json, async (req, res) => {
    const parsed = decisionBody.safeParse(req.body);
    if (!parsed.success) throw new ConsoleError(400, parsed.error.issues.some((i) => i.path[0] === 'status') ? 'bad_status' : 'bad_request');
    await answer(res, await requests.decide(referenceOf(req.params.ref), { ...parsed.data, staffId: staffOf(res).id }));
  });

  // The domain's refusals, as the console API's codes.
  router.use((err: unknown, _req: Request, _res: Response, next: NextFunction) => {
    next(err instanceof RequestError ? new ConsoleError(ERROR_STATUS[err.code], err.code) : err);
  });
  return router;
}

/** Records in a CSV: line breaks outside quotes (a decision's reason may hold its own). */
function csvRecords(csv: string): number {
  let quoted = false;
  let records = 0;
  for (const ch of csv) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '\n' && !quoted) records += 1;
  }
  return records;
}

function listItem(s: RequestSummary) {
  return {
    reference: s.reference,
    status: s.status,
    fullName: s.fullName,
    nationalIdMasked: s.nationalIdMasked,
    mobile: s.mobile,
    residence: s.residence,
    eligibility: s.eligibility,
    submittedAt: s.submittedAt,
    updatedAt: s.updatedAt,
  };
}

/** A request as one role may see it: the full ID and the exact location only for those allowed. */
function detailView(d: RequestDetail, role: StaffRole, policyWords: Map<string, string>, deciderName: string | null) {
  const full = can(role, 'fullIdentity');
  const residence = d.residenceDetail as { place?: string | null; in_area?: boolean; via?: string; km?: number; lat?: number; lng?: number };
  const eligibility = d.eligibilityResult as { outcome?: string; rule?: string | null; checks?: { id: string; result: string }[] };
  const documents = can(role, 'documents');
  return {
    ...listItem(d),
    channel: d.channel,
    idType: d.idType,
    nationalId: full ? d.nationalId : d.nationalIdMasked,
    residence: {
      place: residence.place ?? null,
      inArea: residence.in_area ?? null,
      via: residence.via ?? null,
      km: residence.km ?? null,
      ...(full && residence.lat !== undefined ? { lat: residence.lat, lng: residence.lng } : {}),
    },
    otherAssociations: d.otherAssociations,
    otherAssociationsNames: d.otherAssociationsNames,
    eligibility: {
      outcome: eligibility.outcome ?? null,
      rule: eligibility.rule ?? null,
      checks: (eligibility.checks ?? []).map((c) => ({ id: c.id, result: c.result, policy: policyWords.get(c.id) ?? null })),
    },
    declaredAt: d.declaredAt,
    decision: { reason: d.decisionReason, decidedBy: deciderName, decidedAt: d.decidedAt },
    documents: d.documents.map((doc) => ({
      id: doc.id,
      role: doc.role,
      mime: doc.mime,
      size: doc.size,
      createdAt: doc.createdAt,
      url: documents ? `/api/console/requests/${encodeURIComponent(d.reference)}/documents/${encodeURIComponent(doc.id)}` : null,
    })),
  };
}
