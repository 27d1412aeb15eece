import path from 'node:path';
import type { Choice, Locale } from '../core/types';
import { loadKeys, type Keys } from '../documents/crypto';
import { documentSink } from '../documents/sink';
import type { DomainValidator } from '../engine/validators';
import type { Action, AttachmentSink } from '../gateway';
import { loadEligibilityRules, type EligibilityRule } from '../policy/eligibility';
import { loadServiceArea, type ServiceArea } from '../policy/serviceArea';
import { requestActions } from './actions';
import { requestOptionSources, requestValidators } from './validators';

export interface RequestsSettings {
  dataDir: string;
  flowsDir: string;
  DOCUMENTS_KEY?: string;
  MAX_UPLOAD_MB: number;
  SERVICE_AREA_CENTRES?: string;
  SERVICE_AREA_RADIUS_KM?: number;
}

/** What support requests add to the app: validators, option lists, actions, and the encrypted file store. */
export interface RequestsModule {
  keys: Keys;
  area: ServiceArea;
  rules: EligibilityRule[];
  validators: Map<string, DomainValidator>;
  optionSources: Map<string, (locale: Locale) => Choice[]>;
  actions: Map<string, Action>;
  attachments: AttachmentSink;
}

/** Loads keys, service area and eligibility rules (from `<flowsDir>/data`); throws with a clear message when one is wrong. */
export function createRequestsModule(settings: RequestsSettings): RequestsModule {
  const keys = loadKeys({ configured: settings.DOCUMENTS_KEY, dataDir: settings.dataDir });
  const dataDir = path.join(settings.flowsDir, 'data');
  const area = loadServiceArea(dataDir, { centres: settings.SERVICE_AREA_CENTRES, radiusKm: settings.SERVICE_AREA_RADIUS_KM });
  const rules = loadEligibilityRules(dataDir);
  return {
    keys,
    area,
    rules,
    validators: requestValidators({ keys, area, maxUploadMb: settings.MAX_UPLOAD_MB }),
    optionSources: requestOptionSources(area),
    actions: requestActions({ rules }),
    attachments: documentSink({ key: keys.documents, maxBytes: Math.round(settings.MAX_UPLOAD_MB * 1024 * 1024) }),
  };
}

export { RequestsDomain, RequestError, DECISION_STATUSES, type DecisionStatus } from './domain';
