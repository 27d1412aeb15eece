import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { GeoPoint } from '../core/types';
import { loadYaml } from '../engine/yamlFile';
import { normalize } from '../nlu/normalize';

/** A populated place with its centre point (flows/data/places.json). */
export interface Place {
  name_ar: string;
  name_en: string;
  lat: number;
  lng: number;
  /** Stable id used as a choice value. */
  id: string;
}

export interface ServiceArea {
  radiusKm: number;
  /** The places the association serves, in the configured order. */
  centres: Place[];
  /** Every known place (inside and outside the area), for typed names. */
  places: Place[];
  aliases: Map<string, string[]>;
}

/** Where a person lives, as the support request records it. */
export interface Residence {
  place: string | null;
  place_en: string | null;
  in_area: boolean;
  via: 'choice' | 'text' | 'location';
  km?: number;
  lat?: number;
  lng?: number;
  [key: string]: string | number | boolean | null | undefined;
}

const placesFile = z.object({
  places: z.array(z.object({ name_ar: z.string().min(1), name_en: z.string().min(1), lat: z.number(), lng: z.number() })).min(1),
});
const areaFile = z.strictObject({
  radius_km: z.number().positive().max(200),
  centres: z.array(z.string().min(1)).min(1).max(20),
  aliases: z.record(z.string(), z.array(z.string().min(1))).optional(),
});

export interface ServiceAreaOverrides {
  /** Comma-separated names (Arabic or English, as in places.json). */
  centres?: string;
  radiusKm?: number;
}

/** Loads places.json and service-area.yaml from `dataDir`, with configuration overrides. Throws on unknown names. */
export function loadServiceArea(dataDir: string, overrides: ServiceAreaOverrides = {}): ServiceArea {
  const raw = placesFile.parse(JSON.parse(readFileSync(path.join(dataDir, 'places.json'), 'utf8')));
  const places: Place[] = raw.places.map((p) => ({ ...p, id: slug(p.name_en) }));
  const area = loadYaml(path.join(dataDir, 'service-area.yaml'), areaFile).data;
  const wanted = overrides.centres
    ? overrides.centres.split(',').map((s) => s.trim()).filter(Boolean)
    : area.centres;
  const centres = wanted.map((name) => {
    const found = places.find((p) => key(p.name_ar) === key(name) || p.name_en.toLowerCase() === name.toLowerCase());
    if (!found) throw new Error(`Service area: "${name}" is not a place in ${path.join(dataDir, 'places.json')}`);
    return found;
  });
  const aliases = new Map<string, string[]>();
  for (const [name, list] of Object.entries(area.aliases ?? {})) {
    const place = places.find((p) => key(p.name_ar) === key(name));
    if (!place) throw new Error(`Service area aliases: "${name}" is not a place in places.json`);
    aliases.set(place.id, list);
  }
  return { radiusKm: overrides.radiusKm ?? area.radius_km, centres, places, aliases };
}

/** A typed place name: the known place it names (longest match wins), or undefined. */
export function findPlaceByName(area: ServiceArea, text: string): Place | undefined {
  const typed = ` ${key(text)} `;
  if (!typed.trim()) return undefined;
  let best: { place: Place; length: number } | undefined;
  for (const place of area.places) {
    const names = [place.name_ar, place.name_en, ...(area.aliases.get(place.id) ?? [])];
    for (const name of names) {
      const k = key(name);
      if (k && typed.includes(` ${k} `) && (!best || k.length > best.length)) best = { place, length: k.length };
    }
  }
  return best?.place;
}

/** Judges a typed residence: a centre (inside), another known place (outside), or unknown. */
export function residenceFromText(area: ServiceArea, text: string): Residence | undefined {
  const place = findPlaceByName(area, text);
  if (!place) return undefined;
  const inside = area.centres.some((c) => c.id === place.id);
  return { place: place.name_ar, place_en: place.name_en, in_area: inside, via: 'text' };
}

/** A chosen centre. */
export function residenceFromChoice(area: ServiceArea, id: string): Residence | undefined {
  const place = area.centres.find((c) => c.id === id);
  return place ? { place: place.name_ar, place_en: place.name_en, in_area: true, via: 'choice' } : undefined;
}

/**
 * A shared location is judged by distance to the centres' points only, never by a name: a place of
 * another region that shares a name with a centre stays outside.
 */
export function residenceFromLocation(area: ServiceArea, point: GeoPoint): Residence {
  let nearest: { place: Place; km: number } | undefined;
  for (const c of area.centres) {
    const km = distanceKm(point, c);
    if (!nearest || km < nearest.km) nearest = { place: c, km };
  }
  const inside = nearest !== undefined && nearest.km <= area.radiusKm;
  const lat = round(point.lat, 5);
  const lng = round(point.lng, 5);
  return inside
    ? { place: nearest!.place.name_ar, place_en: nearest!.place.name_en, in_area: true, via: 'location', km: round(nearest!.km, 1), lat, lng }
    : { place: null, place_en: null, in_area: false, via: 'location', lat, lng };
}

/** Great-circle distance (haversine), in kilometres. */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** Matching form of a place name: normalised, each word without its "ال". */
function key(name: string): string {
  return normalize(name)
    .split(' ')
    .map((w) => (w.length > 3 && w.startsWith('ال') ? w.slice(2) : w))
    .join(' ');
}

function slug(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
