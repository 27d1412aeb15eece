import path from 'node:path';
import type { Config } from '../config';
import type { Choice, Locale } from '../core/types';
import { loadTexts, type Texts } from '../i18n';
import { deriveFacts, loadUnderstanding } from '../nlu/index';
import type { KnowledgeBase, Understander } from '../nlu/types';
import { VocabularyMatcher } from '../nlu/vocabulary';
import { builtInActions } from '../submissions/actions';
import { HANDOFF_ACTIONS } from '../handoff/csat';
import { REQUEST_ACTIONS, REQUEST_OPTION_SOURCES, REQUEST_VALIDATORS } from '../requests/names';
import { loadFlows } from './loader';
import type { EngineContext } from './runTurn';
import { vocabularySchema } from './schema';
import type { DomainValidator } from './validators';
import { loadYaml } from './yamlFile';

/** What issues add to the engine: domain validators, option lists, actions, a better understander. */
export interface EngineExtensions {
  validators?: ReadonlyMap<string, DomainValidator>;
  optionSources?: ReadonlyMap<string, (locale: Locale) => Choice[]>;
  actions?: ReadonlySet<string>;
  nlu?: (texts: Texts) => { nlu: Understander; kb: KnowledgeBase };
}

/** Loads texts, vocabulary and flows, and validates every cross-reference. Throws with file, path and reason. */
export function buildEngine(config: Pick<Config, 'flowsDir' | 'localesDir' | 'FORM_MAX_RETRIES'> & Partial<Pick<Config, 'nluCacheDir'>>, ext: EngineExtensions = {}): { engine: EngineContext; texts: Texts } {
  const texts = loadTexts(config.localesDir);
  const vocabulary = new VocabularyMatcher(loadYaml(path.join(config.flowsDir, 'nlu', 'vocabulary.yaml'), vocabularySchema).data);
  const validators = ext.validators ?? new Map();
  const optionSources = ext.optionSources ?? new Map();
  const flows = loadFlows(config.flowsDir, {
    actions: new Set([...builtInActions.keys(), ...HANDOFF_ACTIONS.keys(), ...REQUEST_ACTIONS, ...(ext.actions ?? [])]),
    validators: new Set([...validators.keys(), ...REQUEST_VALIDATORS]),
    optionSources: new Set([...optionSources.keys(), ...REQUEST_OPTION_SOURCES]),
    hasText: texts.hasText,
  });
  const understanding = ext.nlu?.(texts) ?? loadUnderstanding(config.flowsDir, texts.hasText, { cacheDir: config.nluCacheDir });
  const facts: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) if (key.startsWith('ORG_') && typeof value === 'string') facts[key] = value;
  Object.assign(facts, deriveFacts(facts, texts.t));
  return {
    texts,
    engine: {
      flows,
      kb: understanding.kb,
      nlu: understanding.nlu,
      vocabulary,
      validators,
      optionSources,
      t: texts.t,
      facts,
      maxRetries: config.FORM_MAX_RETRIES,
    },
  };
}
