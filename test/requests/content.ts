import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../support/app';

const ROOT = path.resolve(__dirname, '../..');
/** The flows these tests talk to (other flows are other issues' and may need their own actions). */
const FLOWS = ['greeting.yaml', 'menu.yaml', 'questions.yaml', 'support-request.yaml', 'status.yaml', 'request-info.yaml'];

/** A copy of the real support-request content, as the environment variables `startApp` reads. */
export function requestContentEnv(): { FLOWS_DIR: string; LOCALES_DIR: string } {
  const dir = tempDir('nabta-requests-content-');
  const flowsDir = path.join(dir, 'flows');
  mkdirSync(flowsDir, { recursive: true });
  for (const f of FLOWS) cpSync(path.join(ROOT, 'flows', f), path.join(flowsDir, f));
  cpSync(path.join(ROOT, 'flows/nlu'), path.join(flowsDir, 'nlu'), { recursive: true });
  cpSync(path.join(ROOT, 'flows/data'), path.join(flowsDir, 'data'), { recursive: true });
  return { FLOWS_DIR: flowsDir, LOCALES_DIR: path.join(ROOT, 'locales') };
}
