import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../support/app';

const ROOT = path.resolve(__dirname, '../..');

/**
 * The real NLU data, menu, greeting and texts plus a tiny test form, copied to a temp folder: the FAQ
 * tests do not depend on other flows being finished, and may edit the data files freely.
 */
export function faqContent(): { flowsDir: string; localesDir: string } {
  const dir = tempDir('nabta-faq-');
  const flowsDir = path.join(dir, 'flows');
  const localesDir = path.join(dir, 'locales');
  mkdirSync(flowsDir, { recursive: true });
  cpSync(path.join(ROOT, 'flows/nlu'), path.join(flowsDir, 'nlu'), { recursive: true });
  for (const f of ['greeting.yaml', 'menu.yaml', 'questions.yaml']) cpSync(path.join(ROOT, 'flows', f), path.join(flowsDir, f));
  cpSync(path.join(ROOT, 'test/fixtures/faq/flows'), flowsDir, { recursive: true });
  for (const locale of ['ar', 'en']) {
    mkdirSync(path.join(localesDir, locale), { recursive: true });
    for (const f of ['bot.json', 'faq.json']) cpSync(path.join(ROOT, 'locales', locale, f), path.join(localesDir, locale, f));
    cpSync(path.join(ROOT, 'test/fixtures/faq/locales', locale), path.join(localesDir, locale), { recursive: true });
  }
  return { flowsDir, localesDir };
}
