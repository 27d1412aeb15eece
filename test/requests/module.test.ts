import path from 'node:path';
import { createRequestsModule } from '../../src/requests';
import { REQUEST_ACTIONS, REQUEST_OPTION_SOURCES, REQUEST_VALIDATORS } from '../../src/requests/names';
import { tempDir } from '../support/app';

describe('requests module', () => {
  const module = createRequestsModule({ dataDir: tempDir(), flowsDir: path.resolve(__dirname, '../../flows'), MAX_UPLOAD_MB: 10 });

  it('implements exactly the names the engine announces to the flow loader', () => {
    expect([...module.validators.keys()].sort()).toEqual([...REQUEST_VALIDATORS].sort());
    expect([...module.optionSources.keys()].sort()).toEqual([...REQUEST_OPTION_SOURCES].sort());
    expect([...module.actions.keys()].sort()).toEqual([...REQUEST_ACTIONS].sort());
  });

  it('keeps the national ID out of the slot: masked, hashed for lookup, encrypted for staff', () => {
    const result = module.validators.get('national_id')!('١٠٥٤٣٢١٩٨٧', { text: '١٠٥٤٣٢١٩٨٧' });
    expect(result).toMatchObject({ ok: true, value: { type: 'citizen', last4: '1987', masked: '******1987' } });
    expect(JSON.stringify(result)).not.toContain('1054321987');
  });

  it('reads request references and last-4 digits however they are typed', () => {
    const ref = module.validators.get('request_reference')!;
    expect(ref('hb ٢٠٢٦ ٠٠٠٠١٢', {})).toEqual({ ok: true, value: 'HB-2026-000012' });
    expect(ref('HB-2026-12', {})).toEqual({ ok: true, value: 'HB-2026-000012' });
    expect(ref('12', {})).toMatchObject({ ok: false, reason: 'requests.validation.reference' });
    const last4 = module.validators.get('id_last4')!;
    expect(last4('١٩٨٧', {})).toEqual({ ok: true, value: '1987' });
    expect(last4('198', {})).toMatchObject({ ok: false });
  });

  it('offers the service area centres as choices in both languages', () => {
    const options = module.optionSources.get('service_area_centres')!;
    expect(options('ar')[0]).toEqual({ label: 'حفر الباطن', value: 'hafar-al-batin' });
    expect(options('en')[0]).toEqual({ label: 'Hafar Al Batin', value: 'hafar-al-batin' });
  });
});
