import type { Choice, Locale } from '../core/types';
import type { SlotValue } from '../engine/state';
import type { Answer, DomainValidator, Validation } from '../engine/validators';
import { toAsciiDigits } from '../nlu/normalize';
import { encrypt, lookupHash, type Keys } from '../documents/crypto';
import { DOCUMENT_TYPES } from '../documents/fileType';
import { REFUSED } from '../documents/sink';
import { checkNationalId, maskNationalId } from '../policy/nationalId';
import { residenceFromChoice, residenceFromLocation, residenceFromText, type ServiceArea } from '../policy/serviceArea';

/**
 * The national ID as a slot: never in clear. `hash` finds duplicates, `enc` is what staff may see,
 * `type` drives the nationality rule, `masked` is what the summary shows.
 */
export function nationalIdSlot(keys: Keys, digits: string, type: string): SlotValue {
  return {
    type,
    last4: digits.slice(-4),
    masked: maskNationalId(digits),
    hash: lookupHash(keys.lookup, digits),
    enc: encrypt(keys.identity, Buffer.from(digits), 'national-id').toString('base64'),
  };
}

const ok = (value: SlotValue): Validation => ({ ok: true, value });
const fail = (reason: string, vars?: Record<string, string | number>): Validation => ({ ok: false, reason, vars });

/** Domain validators of the support-request and status flows, by the names flows use. */
export function requestValidators(deps: { keys: Keys; area: ServiceArea; maxUploadMb: number }): Map<string, DomainValidator> {
  const nationalId: DomainValidator = (value) => {
    const checked = checkNationalId(String(value ?? ''));
    if (!checked.ok) return fail(`requests.validation.national_id_${checked.reason}`);
    return ok(nationalIdSlot(deps.keys, checked.digits, checked.type));
  };

  const residence: DomainValidator = (value, answer: Answer) => {
    if (typeof value === 'string') {
      const chosen = residenceFromChoice(deps.area, value);
      if (chosen) return ok(chosen as unknown as SlotValue);
    }
    if (answer.location) return ok(residenceFromLocation(deps.area, answer.location) as unknown as SlotValue);
    const typed = answer.text?.trim();
    const found = typed ? residenceFromText(deps.area, typed) : undefined;
    return found ? ok(found as unknown as SlotValue) : fail('requests.validation.residence_unknown');
  };

  const document: DomainValidator = (value) => {
    const file = value as { ref?: string; mime?: string | null; size?: number | null } | null;
    const ref = file?.ref ?? '';
    if (ref === REFUSED.size) return fail('validation.file_size', { max: deps.maxUploadMb });
    if (ref === REFUSED.type) return fail('validation.file_type');
    if (!ref.startsWith('doc:')) return fail('validation.file_missing');
    // A voice note is stored for staff, but it is not one of the policy's documents.
    if (file?.mime && !(DOCUMENT_TYPES as readonly string[]).includes(file.mime)) return fail('validation.file_type');
    return ok({ document: ref.slice(4), mime: file?.mime ?? null, size: file?.size ?? null });
  };

  const reference: DomainValidator = (value) => {
    const text = toAsciiDigits(String(value ?? '')).toUpperCase().replace(/[\s_.]/g, '');
    const m = /^HB-?(\d{4})-?(\d{1,6})$/.exec(text);
    return m ? ok(`HB-${m[1]}-${m[2]!.padStart(6, '0')}`) : fail('requests.validation.reference');
  };

  const last4: DomainValidator = (value) => {
    const digits = toAsciiDigits(String(value ?? '')).replace(/\s/g, '');
    return /^\d{4}$/.test(digits) ? ok(digits) : fail('requests.validation.id_last4');
  };

  return new Map<string, DomainValidator>([
    ['national_id', nationalId],
    ['residence', residence],
    ['document', document],
    ['request_reference', reference],
    ['id_last4', last4],
  ]);
}

/** The service area's centres as choices (Arabic or English names). */
export function requestOptionSources(area: ServiceArea): Map<string, (locale: Locale) => Choice[]> {
  return new Map([['service_area_centres', (locale: Locale) => area.centres.map((c) => ({ label: locale === 'ar' ? c.name_ar : c.name_en, value: c.id }))]]);
}
