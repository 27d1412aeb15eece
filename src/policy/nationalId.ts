import { toAsciiDigits } from '../nlu/normalize';

/** 1 = Saudi national ID (citizen), 2 = iqama (resident). */
export type NationalIdType = 'citizen' | 'resident';

export type NationalIdCheck =
  | { ok: true; digits: string; type: NationalIdType }
  | { ok: false; reason: 'length' | 'prefix' | 'checksum' };

/**
 * Checks a Saudi national ID / iqama number: 10 digits, first digit 1 or 2, Luhn-style check digit
 * over the 10 digits. Arabic-Indic digits, spaces and dashes are accepted.
 */
export function checkNationalId(input: string): NationalIdCheck {
  const digits = toAsciiDigits(input.normalize('NFKC')).replace(/[\s\-_.\u200e\u200f]/g, '');
  if (!/^\d{10}$/.test(digits)) return { ok: false, reason: 'length' };
  if (digits[0] !== '1' && digits[0] !== '2') return { ok: false, reason: 'prefix' };
  if (!luhnValid(digits)) return { ok: false, reason: 'checksum' };
  return { ok: true, digits, type: digits[0] === '1' ? 'citizen' : 'resident' };
}

/** Luhn from the left on 10 digits: odd positions (1st, 3rd, …) are doubled. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Completes 9 digits with their check digit (tests and fixtures). */
export function withCheckDigit(nine: string): string {
  for (let c = 0; c <= 9; c++) if (luhnValid(`${nine}${c}`)) return `${nine}${c}`;
  throw new Error('unreachable');
}

/** `******7890`: what logs, transcripts and staff lists may show. */
export function maskNationalId(digits: string): string {
  return `${'*'.repeat(Math.max(0, digits.length - 4))}${digits.slice(-4)}`;
}
