/**
 * What eval:faq and xval:faq share: an engine built from the flow files as the app builds it, and the
 * route one question takes as the first message of a new conversation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config';
import type { Match } from '../../src/core/types';
import { buildEngine, type EngineExtensions } from '../../src/engine/context';
import type { EngineContext } from '../../src/engine/runTurn';
import { runTurn } from '../../src/engine/runTurn';
import { initialState, type SlotValue } from '../../src/engine/state';
import type { LabelledQuestion } from '../../src/nlu/examples';

type StepDoc = { action?: { name?: unknown }; ask?: { validator?: unknown; optionsFrom?: unknown } };

/** Names of the actions, validators and option lists the flows use (read from the files). */
function referencedNames(flowsDir: string): { actions: Set<string>; validators: Set<string>; optionSources: Set<string> } {
  const names = { actions: new Set<string>(), validators: new Set<string>(), optionSources: new Set<string>() };
  for (const file of readdirSync(flowsDir).filter((f) => /\.ya?ml$/.test(f))) {
    const doc = parse(readFileSync(path.join(flowsDir, file), 'utf8')) as { steps?: StepDoc[] } | null;
    for (const step of doc?.steps ?? []) {
      if (typeof step?.action?.name === 'string') names.actions.add(step.action.name);
      if (typeof step?.ask?.validator === 'string') names.validators.add(step.ask.validator);
      if (typeof step?.ask?.optionsFrom === 'string') names.optionSources.add(step.ask.optionsFrom);
    }
  }
  return names;
}

/**
 * The engine as the app builds it. The evaluation looks at the first turn of a new conversation only:
 * it never runs a flow's actions, validators or option lists, so the names the flows use are
 * registered as stand-ins here (the app's start-up checks them against its real registry).
 */
export function evaluationEngine(flowsDir: string, localesDir: string, nlu?: EngineExtensions['nlu']): EngineContext {
  const names = referencedNames(flowsDir);
  return buildEngine(
    // Trained networks are kept where the app keeps them: evaluating unchanged content again skips training.
    { flowsDir, localesDir, FORM_MAX_RETRIES: 3, nluCacheDir: loadConfig().nluCacheDir },
    {
      actions: names.actions,
      validators: new Map([...names.validators].map((n) => [n, (value: SlotValue) => ({ ok: true as const, value })])),
      optionSources: new Map([...names.optionSources].map((n) => [n, () => []])),
      ...(nlu && { nlu }),
    },
  ).engine;
}

export interface Routed extends LabelledQuestion {
  got: string;
  score: number;
  ok: boolean;
}

/** Where the question goes. "Did you mean" counts as `fallback`: the bot did not answer it. */
export function route(engine: EngineContext, row: LabelledQuestion): Routed {
  const { match } = runTurn(initialState('ar'), { type: 'message', answer: { text: row.question } }, engine);
  return routed(row, match);
}

function routed(row: LabelledQuestion, match: Match | undefined): Routed {
  const got = !match || match.kind === 'fallback' ? 'fallback' : match.id;
  return { ...row, got, score: match?.score ?? 0, ok: row.expect.includes(got) };
}

/**
 * The same question asked through a running Nabta's web chat API (`POST /api/webchat/messages`), as a
 * new visitor: the first message of a new conversation, exactly what `route` evaluates in-process. A
 * 429 is waited out as its Retry-After says (the API limits each address per minute).
 */
export async function routeOverHttp(baseUrl: string, row: LabelledQuestion): Promise<Routed> {
  for (;;) {
    const res = await fetch(new URL('/api/webchat/messages', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: row.question, locale: 'ar' }),
    }).catch((err: Error) => {
      throw new Error(`cannot reach Nabta at ${baseUrl}: ${(err.cause as Error | undefined)?.message ?? err.message}`);
    });
    if (res.status === 429) {
      const seconds = Number(res.headers.get('retry-after')) || 1;
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      continue;
    }
    if (!res.ok) throw new Error(`${baseUrl}: HTTP ${res.status} for line ${row.line}: ${await res.text()}`);
    const body = (await res.json()) as { match?: Match };
    return routed(row, body.match);
  }
}

/** Right answers overall and the share of off-topic questions (first expected `fallback`) sent to fallback. */
export function tally(results: readonly Routed[]): { right: number; total: number; offTopicRight: number; offTopic: number } {
  const off = results.filter((r) => r.expect[0] === 'fallback');
  return { right: results.filter((r) => r.ok).length, total: results.length, offTopicRight: off.filter((r) => r.got === 'fallback').length, offTopic: off.length };
}

export function pct(n: number, d: number): string {
  return d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`;
}
