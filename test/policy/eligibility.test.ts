import path from 'node:path';
import { evaluateEligibility, loadEligibilityRules } from '../../src/policy/eligibility';

const rules = loadEligibilityRules(path.resolve(__dirname, '../../flows/data'));
const citizen = { national_id: { type: 'citizen' } };
const inside = { residence: { in_area: true } };

describe('eligibility rules (flows/data/eligibility.yaml)', () => {
  it('holds the three conditions of the policy, in its order', () => {
    expect(rules.map((r) => r.id)).toEqual(['saudi_nationality', 'service_area', 'other_associations']);
  });

  it('eligible: Saudi, inside the area, no aid from other associations', () => {
    const r = evaluateEligibility(rules, { ...citizen, ...inside, other_associations: false });
    expect(r).toMatchObject({ outcome: 'eligible', rule: null, message: null });
    expect(r.checks.every((c) => c.result === 'pass')).toBe(true);
  });

  it('not eligible: an iqama holder, with the rule and its plain-language message', () => {
    const r = evaluateEligibility(rules, { national_id: { type: 'resident' } });
    expect(r).toMatchObject({ outcome: 'not_eligible', rule: 'saudi_nationality', message: 'requests.eligibility.saudi_nationality' });
    expect(r.checks).toEqual([
      { id: 'saudi_nationality', result: 'fail' },
      { id: 'service_area', result: 'unknown' },
      { id: 'other_associations', result: 'unknown' },
    ]);
  });

  it('not eligible: living outside the service area', () => {
    expect(evaluateEligibility(rules, { ...citizen, residence: { in_area: false } })).toMatchObject({ outcome: 'not_eligible', rule: 'service_area' });
  });

  it('needs staff verification: aid from other associations (a refusal still wins)', () => {
    expect(evaluateEligibility(rules, { ...citizen, ...inside, other_associations: true })).toMatchObject({ outcome: 'needs_verification', rule: 'other_associations' });
    expect(evaluateEligibility(rules, { ...citizen, residence: { in_area: false }, other_associations: true })).toMatchObject({ outcome: 'not_eligible', rule: 'service_area' });
  });

  it('skips facts not collected yet, so the form can check early', () => {
    expect(evaluateEligibility(rules, citizen)).toMatchObject({ outcome: 'eligible' });
  });
});
