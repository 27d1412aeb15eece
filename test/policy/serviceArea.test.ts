import path from 'node:path';
import { findPlaceByName, loadServiceArea, residenceFromChoice, residenceFromLocation, residenceFromText } from '../../src/policy/serviceArea';

const DATA = path.resolve(__dirname, '../../flows/data');
const area = loadServiceArea(DATA);

describe('service area', () => {
  it('defaults to the governorate main towns from the data files, with a radius', () => {
    expect(area.centres.map((c) => c.name_ar)).toContain('حفر الباطن');
    expect(area.centres.map((c) => c.name_ar)).toContain('ام قليب');
    expect(area.radiusKm).toBe(15);
  });

  it('understands typed names however they are written (hamza, ى/ي, with or without ال)', () => {
    expect(residenceFromText(area, 'أم قليب')).toMatchObject({ place: 'ام قليب', in_area: true, via: 'text' });
    expect(residenceFromText(area, 'ام قليب')).toMatchObject({ place: 'ام قليب', in_area: true });
    expect(residenceFromText(area, 'الرقعي')).toMatchObject({ place: 'الرقعى', in_area: true });
    expect(residenceFromText(area, 'الرقعى')).toMatchObject({ place: 'الرقعى', in_area: true });
    expect(residenceFromText(area, 'قيصومه')).toMatchObject({ place: 'القيصومة', in_area: true });
    expect(residenceFromText(area, 'اسكن في حفر الباطن')).toMatchObject({ place: 'حفر الباطن', in_area: true });
    expect(residenceFromText(area, 'Al Qaysumah')).toMatchObject({ place: 'القيصومة' });
  });

  it('a known place that is not a centre is outside; an unknown name is not guessed', () => {
    expect(residenceFromText(area, 'السعيرة')).toMatchObject({ place: 'السعيرة', in_area: false });
    expect(residenceFromText(area, 'الرياض')).toBeUndefined();
    expect(findPlaceByName(area, '')).toBeUndefined();
  });

  it('the longest name wins ("الرقعي الجديدة" is not "الرقعى")', () => {
    expect(findPlaceByName(area, 'الرقعي الجديدة')?.name_ar).toBe('الرقعي الجديدة');
  });

  it('a chosen centre is inside', () => {
    const id = area.centres[1]!.id;
    expect(residenceFromChoice(area, id)).toMatchObject({ place: 'القيصومة', in_area: true, via: 'choice' });
    expect(residenceFromChoice(area, 'riyadh')).toBeUndefined();
  });

  it('a shared location is judged by distance to the centres, never by a name', () => {
    // A street in Hafr Al-Batin, a few km from the centre point.
    expect(residenceFromLocation(area, { lat: 28.41, lng: 45.96 })).toMatchObject({ place: 'حفر الباطن', in_area: true, via: 'location' });
    // Riyadh.
    expect(residenceFromLocation(area, { lat: 24.7136, lng: 46.6753 })).toMatchObject({ place: null, in_area: false });
    // Another region's "Umm Qulaib"-like name does not matter: a point near Hail is far from every centre.
    expect(residenceFromLocation(area, { lat: 27.5114, lng: 41.7208 })).toMatchObject({ in_area: false });
    // As Su'ayyirah exists in places.json but is not a centre: outside.
    expect(residenceFromLocation(area, { lat: 27.82641, lng: 47.51989 })).toMatchObject({ in_area: false });
  });

  it('centres and radius are configuration', () => {
    const small = loadServiceArea(DATA, { centres: 'حفر الباطن, Al Qaysumah', radiusKm: 5 });
    expect(small.centres.map((c) => c.name_ar)).toEqual(['حفر الباطن', 'القيصومة']);
    expect(residenceFromText(small, 'ام قليب')).toMatchObject({ in_area: false });
    expect(residenceFromLocation(small, { lat: 28.38, lng: 45.96 })).toMatchObject({ in_area: false });
    expect(() => loadServiceArea(DATA, { centres: 'Atlantis' })).toThrow(/"Atlantis" is not a place/);
  });
});
