import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildEngine } from '../../src/engine/context';
import { FlowLoadError } from '../../src/engine/loader';
import { fixtureContent } from '../support/fixtureContent';
import { NLU_CACHE_DIR } from '../support/nluCache';

function loadWith(fileName: string, yaml: string): Error {
  const content = fixtureContent();
  writeFileSync(path.join(content.flowsDir, fileName), yaml);
  try {
    buildEngine({ ...content, FORM_MAX_RETRIES: 3, nluCacheDir: NLU_CACHE_DIR }, { actions: new Set(['save']) });
  } catch (err) {
    return err as Error;
  }
  throw new Error('the broken flow was accepted');
}

describe('flow loading', () => {
  it('loads the shipped flows', () => {
    const { engine } = buildEngine({ ...fixtureContent(), FORM_MAX_RETRIES: 3, nluCacheDir: NLU_CACHE_DIR }, { actions: new Set(['save']) });
    expect([...engine.flows.flows.keys()]).toEqual(expect.arrayContaining(['greeting', 'menu', 'questions', 'signup']));
  });

  it('names the file, the path in it, the line and the reason for a schema error', () => {
    const err = loadWith('broken.yaml', ['id: broken', 'steps:', '  - say: menu.prompt', '  - ask:', '      slot: age', '      kind: colour', '      prompt: menu.prompt', ''].join('\n'));
    expect(err).toBeInstanceOf(FlowLoadError);
    expect(err.message).toMatch(/broken\.yaml:6: steps\[1\]\.ask\.kind: Invalid option/);
  });

  it('rejects a jump to a step that does not exist', () => {
    const err = loadWith('jump.yaml', 'id: jump\nsteps:\n  - say: menu.prompt\n  - goto: nowhere\n');
    expect(err.message).toMatch(/jump\.yaml:4: steps\[1\]\.goto: no step "nowhere" in flow "jump"/);
  });

  it('rejects a text that is missing from a locale', () => {
    const err = loadWith('texts.yaml', 'id: texts\nsteps:\n  - say: menu.no_such_text\n');
    expect(err.message).toMatch(/texts\.yaml:3: steps\[0\]\.say: text "menu\.no_such_text" is missing from a locale/);
  });

  it('rejects an unknown action and a YAML syntax error', () => {
    expect(loadWith('act.yaml', 'id: act\nsteps:\n  - action: { name: launch_rockets }\n').message).toMatch(/act\.yaml:3: steps\[0\]\.action\.name: unknown action "launch_rockets"/);
    expect(loadWith('syntax.yaml', 'id: syntax\nsteps:\n  - say: [unclosed\n').message).toMatch(/syntax\.yaml:\d+: \(top level\): YAML syntax/);
  });

  it('rejects two flows with the same id', () => {
    expect(loadWith('zz-copy.yaml', 'id: menu\nsteps:\n  - say: menu.prompt\n').message).toMatch(/zz-copy\.yaml:1: id: flow id "menu" is already used/);
  });
});
