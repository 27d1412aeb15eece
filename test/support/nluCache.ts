import os from 'node:os';
import path from 'node:path';

/**
 * One cache of trained networks for the whole test run (each test's DATA_DIR is its own): the dozens of
 * tests that load the real examples train on them once, not once each. Keyed by content, so a test that
 * edits an example still trains on its own copy.
 */
export const NLU_CACHE_DIR = path.join(os.tmpdir(), 'nabta-test-nlu-cache');
