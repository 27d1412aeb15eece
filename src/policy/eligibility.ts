import path from 'node:path';
import { z } from 'zod';
import type { SlotValue } from '../engine/state';
import { loadYaml } from '../engine/yamlFile';

const ruleSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  /** The policy's own words, for staff and auditors. */
  policy: z.string().min(1),
  /** Slot (dotted path) the rule reads. */
  fact: z.string().min(1),
  equals: z.union([z.string(), z.boolean(), z.number()]),
  fail: z.enum(['not_eligible', 'needs_verification']),
  /** i18n key of the plain-language explanation. */
  message: z.string().min(1),
});
const fileSchema = z.strictObject({ rules: z.array(ruleSchema).min(1) });

export type EligibilityRule = z.infer<typeof ruleSchema>;
export type Outcome = 'eligible' | 'not_eligible' | 'needs_verification';

export interface EligibilityResult {
  outcome: Outcome;
  /** The first rule that refused (not_eligible) or asks staff to verify. */
  rule: string | null;
  message: string | null;
  /** Every rule: passed, failed, or not checked yet (its fact unknown). */
  checks: { id: string; result: 'pass' | 'fail' | 'unknown' }[];
}

/** Loads flows/data/eligibility.yaml (validated; errors name the line). */
export function loadEligibilityRules(dataDir: string): EligibilityRule[] {
  return loadYaml(path.join(dataDir, 'eligibility.yaml'), fileSchema).data.rules;
}

/**
 * Applies the rules to the facts known so far. `not_eligible` wins over `needs_verification`;
 * unknown facts are skipped, so an incomplete form is `eligible` "so far".
 */
export function evaluateEligibility(rules: EligibilityRule[], facts: Record<string, SlotValue>): EligibilityResult {
  const checks: EligibilityResult['checks'] = [];
  let refused: EligibilityRule | undefined;
  let verify: EligibilityRule | undefined;
  for (const rule of rules) {
    const value = readPath(facts, rule.fact);
    if (value === undefined || value === null) {
      checks.push({ id: rule.id, result: 'unknown' });
      continue;
    }
    const pass = value === rule.equals;
    checks.push({ id: rule.id, result: pass ? 'pass' : 'fail' });
    if (pass) continue;
    if (rule.fail === 'not_eligible') refused ??= rule;
    else verify ??= rule;
  }
  const decisive = refused ?? verify;
  return {
    outcome: refused ? 'not_eligible' : verify ? 'needs_verification' : 'eligible',
    rule: decisive?.id ?? null,
    message: decisive?.message ?? null,
    checks,
  };
}

function readPath(facts: Record<string, SlotValue>, dotted: string): SlotValue | undefined {
  let value: SlotValue | undefined = facts;
  for (const part of dotted.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, SlotValue>)[part];
  }
  return value;
}
