import { cpSync } from 'node:fs';
import path from 'node:path';
import { fixtureContentEnv } from '../support/fixtureContent';

/** The real flows and texts, the engine's test form, and two flows that hand over to staff. */
export function handoffContentEnv(): { FLOWS_DIR: string; LOCALES_DIR: string } {
  const env = fixtureContentEnv();
  const fixtures = path.join(__dirname, 'fixtures');
  cpSync(path.join(fixtures, 'flows'), env.FLOWS_DIR, { recursive: true });
  cpSync(path.join(fixtures, 'locales'), env.LOCALES_DIR, { recursive: true });
  return env;
}
