import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import type { Choice, GeoPoint } from '../core/types';
import { normalize, normalizeLetters, toAsciiDigits } from '../nlu/normalize';
import type { VocabularyMatcher } from '../nlu/vocabulary';
import type { AskSpec } from './schema';
import type { SlotValue } from './state';

/** An attachment as the engine sees it: already stored by the gateway, referenced by id. */
export interface AttachmentInfo {
  kind: 'image' | 'document' | 'audio' | 'video' | 'other';
  mime?: string;
  size?: number;
  fileName?: string;
  /** Where the gateway stored the bytes (document id). */
  ref: string;
}

export interface Answer {
  text?: string;
  payload?: string;
  attachments?: AttachmentInfo[];
  location?: GeoPoint;
}

/** A failed answer names an i18n key that tells the person what was wrong. */
export type Validation = { ok: true; value: SlotValue } | { ok: false; reason: string; vars?: Record<string, string | number>; outcome?: string };

/** A named domain validator (national ID, residence, ...), registered by the issue that needs it. */
export type DomainValidator = (value: SlotValue, answer: Answer) => Validation;

export interface ValidationContext {
  vocabulary: VocabularyMatcher;
  /** The options of a choice question, labels already translated. */
  options: Choice[];
  domain: ReadonlyMap<string, DomainValidator>;
}

const DEFAULT_TEXT_MAX = 500;

/** Validates an answer for an ask step: the kind's own rules, then the named domain validator. */
export function validateAnswer(spec: AskSpec, answer: Answer, ctx: ValidationContext): Validation {
  const base = validateKind(spec, answer, ctx);
  const domain = spec.validator ? ctx.domain.get(spec.validator) : undefined;
  if (!domain) return base;
  if (base.ok) return domain(base.value, answer);
  // A choice with a validator lets it judge what no option matched (residence: a shared location, a typed town).
  return spec.kind === 'choice' ? domain(null, answer) : base;
}

function validateKind(spec: AskSpec, answer: Answer, ctx: ValidationContext): Validation {
  const text = (answer.text ?? '').trim();
  switch (spec.kind) {
    case 'text': {
      const min = spec.min ?? 1;
      const max = spec.max ?? DEFAULT_TEXT_MAX;
      if (!text) return fail('validation.text_empty');
      if (text.length < min) return fail('validation.text_short', { min });
      if (text.length > max) return fail('validation.text_long', { max });
      return ok(text);
    }
    case 'choice':
      return pickChoice(answer, ctx.options);
    case 'yes_no': {
      if (answer.payload === 'yes' || answer.payload === 'no') return ok(answer.payload === 'yes');
      const yn = text ? ctx.vocabulary.yesNo(text) : undefined;
      return yn === undefined ? fail('validation.yes_no') : ok(yn);
    }
    case 'number': {
      const digits = toAsciiDigits(text).replace(/[\s,٬]/g, '').replace('٫', '.');
      if (!/^-?\d+(\.\d+)?$/.test(digits)) return fail('validation.number');
      const n = Number(digits);
      if (spec.min !== undefined && n < spec.min) return fail('validation.number_min', { min: spec.min });
      if (spec.max !== undefined && n > spec.max) return fail('validation.number_max', { max: spec.max });
      return ok(n);
    }
    case 'date':
      return parseDate(text);
    case 'phone': {
      const cleaned = toAsciiDigits(text).replace(/[\s\-().]/g, '').replace(/^00/, '+');
      const phone = parsePhoneNumberFromString(cleaned, 'SA');
      if (!phone || !phone.isValid() || phone.country !== 'SA') return fail('validation.phone');
      return ok(phone.number);
    }
    case 'file': {
      const file = answer.attachments?.[0];
      if (!file) return fail('validation.file_missing');
      if (spec.accept && !(file.mime && spec.accept.includes(file.mime))) return fail('validation.file_type');
      if (spec.max !== undefined && (file.size ?? 0) > spec.max) return fail('validation.file_size', { max: Math.round(spec.max / 1_000_000) });
      return ok({ ref: file.ref, mime: file.mime ?? null, size: file.size ?? null, fileName: file.fileName ?? null, kind: file.kind });
    }
    case 'location':
      return answer.location ? ok({ lat: answer.location.lat, lng: answer.location.lng }) : fail('validation.location');
    default:
      return fail('validation.generic');
  }
}

/** A choice is a pressed button's value, the option's number ("2", "٢"), or its label typed. */
export function pickChoice(answer: Answer, options: Choice[]): Validation {
  if (answer.payload) {
    const byValue = options.find((o) => o.value === answer.payload);
    if (byValue) return ok(byValue.value);
  }
  const typed = normalize(answer.text ?? '');
  if (!typed) return fail('validation.choice');
  if (/^\d{1,2}$/.test(typed)) {
    const byNumber = options[Number(typed) - 1];
    if (byNumber) return ok(byNumber.value);
  }
  const stripAl = (s: string) => s.replace(/(^| )ال/g, '$1');
  const byLabel = options.find((o) => normalize(o.label) === typed || stripAl(normalize(o.label)) === stripAl(typed));
  return byLabel ? ok(byLabel.value) : fail('validation.choice');
}

function parseDate(text: string): Validation {
  const t = normalizeLetters(text).trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  let y: number, mo: number, d: number;
  if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else {
    m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(t);
    if (!m) return fail('validation.date');
    [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return fail('validation.date');
  return ok(date.toISOString().slice(0, 10));
}

const ok = (value: SlotValue): Validation => ({ ok: true, value });
const fail = (reason: string, vars?: Record<string, string | number>): Validation => ({ ok: false, reason, vars });
