import path from 'node:path';
import { loadTexts } from '../../src/i18n';
import { loadUnderstanding } from '../../src/nlu/index';
import { NLU_CACHE_DIR } from './nluCache';

/**
 * Trains the real examples once, before any test, into the run's shared cache of trained networks.
 * Without it the first tests of both workers would each train (tens of seconds on two busy cores)
 * inside a test's own time limit.
 */
export default function trainOnce(): void {
  const root = path.resolve(__dirname, '../..');
  loadUnderstanding(path.join(root, 'flows'), loadTexts(path.join(root, 'locales')).hasText, { cacheDir: NLU_CACHE_DIR });
}
