import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { LOCALES, type Locale } from './core/types';
import type { Translate } from './engine/runTurn';

type Tree = { [key: string]: string | Tree };

export interface Texts {
  t: Translate;
  /** True when `key` has a text in every locale. */
  hasText: (key: string) => boolean;
  /** The resources of one locale (served to the web widget and the console). */
  bundle: (locale: Locale, prefix?: string) => Tree;
}

/**
 * Loads every `locales/<lng>/*.json` into one i18next instance. Files only organise the texts: their
 * keys are merged, and the same key in two files is an error.
 */
export function loadTexts(dir: string): Texts {
  const resources: Record<string, { translation: Tree }> = {};
  for (const locale of LOCALES) {
    const tree: Tree = {};
    const folder = path.join(dir, locale);
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.json')).sort()) {
      const full = path.join(folder, file);
      let data: Tree;
      try {
        data = JSON.parse(readFileSync(full, 'utf8')) as Tree;
      } catch (err) {
        throw new Error(`${path.relative(process.cwd(), full)}: invalid JSON: ${(err as Error).message}`);
      }
      merge(tree, data, path.relative(process.cwd(), full), '');
    }
    resources[locale] = { translation: tree };
  }
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: 'ar',
    fallbackLng: 'ar',
    supportedLngs: [...LOCALES],
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  const fixed = new Map<Locale, TFunction>(LOCALES.map((l) => [l, instance.getFixedT(l)]));
  return {
    t: (key, locale, vars) => (fixed.get(locale) ?? fixed.get('ar')!)(key, vars ?? {}) as string,
    hasText: (key) => LOCALES.every((l) => typeof lookup(resources[l]!.translation, key) === 'string'),
    bundle: (locale, prefix) => {
      const tree = resources[locale]!.translation;
      const sub = prefix ? lookup(tree, prefix) : tree;
      return typeof sub === 'object' && sub ? sub : {};
    },
  };
}

function merge(into: Tree, from: Tree, file: string, prefix: string): void {
  for (const [key, value] of Object.entries(from)) {
    const full = prefix ? `${prefix}.${key}` : key;
    const existing = into[key];
    if (typeof value === 'object' && value !== null) {
      if (typeof existing === 'string') throw new Error(`${file}: key "${full}" is already a text in another file`);
      into[key] = existing ?? {};
      merge(into[key] as Tree, value, file, full);
    } else {
      if (existing !== undefined) throw new Error(`${file}: key "${full}" is defined twice`);
      into[key] = value;
    }
  }
}

function lookup(tree: Tree, key: string): string | Tree | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) {
    if (typeof node !== 'object') return undefined;
    node = node[part];
  }
  return node;
}
