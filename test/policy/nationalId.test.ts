import { checkNationalId, luhnValid, maskNationalId, withCheckDigit } from '../../src/policy/nationalId';

describe('Saudi national ID / iqama numbers', () => {
  it('accepts a citizen ID with a valid check digit, written with Arabic-Indic digits and spaces', () => {
    expect(checkNationalId('1054321987')).toEqual({ ok: true, digits: '1054321987', type: 'citizen' });
    expect(checkNationalId('١٠٥ ٤٣٢ ١٩٨٧')).toEqual({ ok: true, digits: '1054321987', type: 'citizen' });
    expect(checkNationalId(' 1054-321-987 ')).toMatchObject({ ok: true, digits: '1054321987' });
    expect(checkNationalId('۱۰۵۴۳۲۱۹۸۷')).toMatchObject({ ok: true, type: 'citizen' });
  });

  it('recognises an iqama (first digit 2) as a resident, not a citizen', () => {
    expect(checkNationalId('2098765437')).toEqual({ ok: true, digits: '2098765437', type: 'resident' });
  });

  it('says what is wrong: length, first digit, check digit', () => {
    expect(checkNationalId('105432198')).toEqual({ ok: false, reason: 'length' });
    expect(checkNationalId('10543219870')).toEqual({ ok: false, reason: 'length' });
    expect(checkNationalId('abc')).toEqual({ ok: false, reason: 'length' });
    expect(checkNationalId('')).toEqual({ ok: false, reason: 'length' });
    expect(checkNationalId('3054321987')).toEqual({ ok: false, reason: 'prefix' });
    expect(checkNationalId('1054321988')).toEqual({ ok: false, reason: 'checksum' });
  });

  it('computes the check digit Luhn-style over the 10 digits', () => {
    expect(withCheckDigit('105432198')).toBe('1054321987');
    expect(luhnValid('1122334459')).toBe(true);
    expect(luhnValid('1122334458')).toBe(false);
    // Every one-digit typo is caught.
    const id = '1054321987';
    for (let i = 0; i < 10; i++) {
      for (let d = 0; d < 10; d++) {
        if (String(d) === id[i]) continue;
        expect(luhnValid(id.slice(0, i) + d + id.slice(i + 1))).toBe(false);
      }
    }
  });

  it('masks all but the last 4 digits', () => {
    expect(maskNationalId('1054321987')).toBe('******1987');
  });
});
