import { readdirSync } from 'node:fs';
import path from 'node:path';
import { flowSchema, type Flow, type ResolvedStep, type Step } from './schema';
import { DataFileError, formatPath, loadYaml } from './yamlFile';

export interface FlowSet {
  flows: Map<string, Flow>;
  /** intent id -> flow id */
  triggers: Map<string, string>;
}

/** What the loader checks references against: the names the code registers. */
export interface FlowReferences {
  actions: ReadonlySet<string>;
  validators: ReadonlySet<string>;
  optionSources: ReadonlySet<string>;
  /** True when the i18n key exists in every locale. */
  hasText: (key: string) => boolean;
}

/** Loads and validates every `*.yaml` in `dir` (not sub-folders: those hold NLU and content data). */
export function loadFlows(dir: string, refs: FlowReferences): FlowSet {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
  const flows = new Map<string, Flow>();
  const triggers = new Map<string, string>();
  const problems: DataFileError[] = [];
  const pendingStarts: { flow: Flow; target: string; stepIndex: number; lineOf: (p: (string | number)[]) => number | undefined }[] = [];

  for (const name of files) {
    try {
      const loaded = loadYaml(path.join(dir, name), flowSchema);
      const def = loaded.data;
      const local: { path: string; line?: number; reason: string }[] = [];
      const report = (p: (string | number)[], reason: string) => local.push({ path: formatPath(p), line: loaded.lineOf(p), reason });

      if (flows.has(def.id)) report(['id'], `flow id "${def.id}" is already used by ${flows.get(def.id)!.file}`);
      const steps: ResolvedStep[] = def.steps.map((s, i) => ({ ...s, id: s.id ?? `step-${i + 1}` }) as ResolvedStep);
      const index = new Map<string, number>();
      steps.forEach((s, i) => {
        if (index.has(s.id)) report(['steps', i, 'id'], `step id "${s.id}" appears twice`);
        index.set(s.id, i);
      });
      const flow: Flow = { id: def.id, title: def.title, triggers: def.triggers ?? [def.id], steps, index, file: loaded.file };
      if (def.title && !refs.hasText(def.title)) report(['title'], `text "${def.title}" is missing from a locale`);
      steps.forEach((step, i) => checkStep(step, i, flow, refs, report, (target) => pendingStarts.push({ flow, target, stepIndex: i, lineOf: loaded.lineOf })));
      if (local.length > 0) throw new DataFileError(loaded.file, local);
      flows.set(flow.id, flow);
      for (const trigger of flow.triggers) triggers.set(trigger, flow.id);
    } catch (err) {
      if (err instanceof DataFileError) problems.push(err);
      else throw err;
    }
  }
  for (const s of pendingStarts) {
    if (!flows.has(s.target) && problems.length === 0) {
      problems.push(
        new DataFileError(s.flow.file, [
          { path: formatPath(['steps', s.stepIndex, 'start']), line: s.lineOf(['steps', s.stepIndex, 'start']), reason: `no flow has id "${s.target}"` },
        ]),
      );
    }
  }
  if (problems.length > 0) throw new FlowLoadError(problems);
  return { flows, triggers };
}

export class FlowLoadError extends Error {
  constructor(readonly files: DataFileError[]) {
    super(`Flow files are invalid:\n${files.map((f) => f.message).join('\n')}`);
  }
}

function checkStep(
  step: ResolvedStep,
  i: number,
  flow: Flow,
  refs: FlowReferences,
  report: (p: (string | number)[], reason: string) => void,
  needsFlow: (id: string) => void,
): void {
  const at = (...rest: (string | number)[]) => ['steps', i, ...rest];
  const text = (key: string, ...p: (string | number)[]) => {
    if (!refs.hasText(key)) report(at(...p), `text "${key}" is missing from a locale`);
  };
  const target = (id: string, ...p: (string | number)[]) => {
    if (!flow.index.has(id)) report(at(...p), `no step "${id}" in flow "${flow.id}"`);
  };
  // A choice may name a flow that is not built yet (`flow:volunteer`): the engine hands those to a person.
  const choices = (list: { label: string }[] | undefined, key: string) => list?.forEach((c, j) => text(c.label, key, j, 'label'));

  const s = step as Step;
  if ('say' in s) {
    text(s.say, 'say');
    choices(s.choices, 'choices');
  } else if ('ask' in s) {
    const a = s.ask;
    text(a.prompt, 'ask', 'prompt');
    if (a.validator && !refs.validators.has(a.validator)) report(at('ask', 'validator'), `unknown validator "${a.validator}"`);
    if (a.optionsFrom && !refs.optionSources.has(a.optionsFrom)) report(at('ask', 'optionsFrom'), `unknown option source "${a.optionsFrom}"`);
    if (a.kind === 'choice' && !a.options && !a.optionsFrom) report(at('ask'), 'a choice question needs options or optionsFrom');
    a.options?.forEach((c, j) => text(c.label, 'ask', 'options', j, 'label'));
    if (a.onFail && typeof a.onFail === 'object') target(a.onFail.goto, 'ask', 'onFail', 'goto');
  } else if ('branch' in s) {
    s.branch.forEach((b, j) => target(b.goto, 'branch', j, 'goto'));
  } else if ('action' in s) {
    if (!refs.actions.has(s.action.name)) report(at('action', 'name'), `unknown action "${s.action.name}"`);
  } else if ('goto' in s) {
    target(s.goto, 'goto');
  } else if ('start' in s) {
    needsFlow(s.start);
  } else if ('end' in s) {
    if (typeof s.end === 'string') text(s.end, 'end');
    choices(s.choices, 'choices');
  }
}
