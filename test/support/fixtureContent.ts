import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './app';

const ROOT = path.resolve(__dirname, '../..');

/**
 * The real flows and texts plus the test form (`signup`), copied to a temp folder so tests can also
 * break files without touching the real ones.
 */
export function fixtureContent(): { flowsDir: string; localesDir: string } {
  const dir = tempDir('nabta-content-');
  const flowsDir = path.join(dir, 'flows');
  const localesDir = path.join(dir, 'locales');
  cpSync(path.join(ROOT, 'flows'), flowsDir, { recursive: true });
  cpSync(path.join(ROOT, 'locales'), localesDir, { recursive: true });
  cpSync(path.join(ROOT, 'test/fixtures/engine/flows'), flowsDir, { recursive: true });
  for (const locale of ['ar', 'en']) {
    mkdirSync(path.join(localesDir, locale), { recursive: true });
    cpSync(path.join(ROOT, 'test/fixtures/engine/locales', locale), path.join(localesDir, locale), { recursive: true });
  }
  return { flowsDir, localesDir };
}

/** The same, as the environment variables `startApp` reads. */
export function fixtureContentEnv(): { FLOWS_DIR: string; LOCALES_DIR: string } {
  const { flowsDir, localesDir } = fixtureContent();
  return { FLOWS_DIR: flowsDir, LOCALES_DIR: localesDir };
}
