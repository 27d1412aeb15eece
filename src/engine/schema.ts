import { z } from 'zod';

/** Flow files are data; this schema is the single source of their shape (and of the Flow types). */

const id = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'must be lower-case letters, digits, - or _ (starting with a letter)');
const i18nKey = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be an i18n key like menu.prompt');

const choice = z.strictObject({
  /** i18n key of the label. */
  label: i18nKey,
  /** What the client sends back. `flow:<id>`, `cmd:<name>` and `faq:<id>` work from anywhere. */
  value: z.string().min(1).max(64),
});

const condition = z.strictObject({
  slot: z.string().min(1),
  equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
  in: z.array(z.union([z.string(), z.number()])).optional(),
  exists: z.boolean().optional(),
});

const onFail = z.union([z.literal('offer-human'), z.literal('handoff'), z.strictObject({ goto: id })]);

export const askSchema = z.strictObject({
  slot: z.string().regex(/^[a-z][a-z0-9_]*$/, 'slot names are snake_case'),
  kind: z.enum(['text', 'choice', 'yes_no', 'number', 'date', 'phone', 'file', 'location']),
  prompt: i18nKey,
  /** Named domain validator run after the kind's own (registered in code, e.g. national_id). */
  validator: z.string().optional(),
  options: z.array(choice).min(1).max(20).optional(),
  /** Named source of options computed at start-up (e.g. the service area's towns). */
  optionsFrom: z.string().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  /** File kinds accepted, as MIME types. */
  accept: z.array(z.string()).optional(),
  retries: z.number().int().min(1).max(10).optional(),
  onFail: onFail.optional(),
  /** Where a sensitive answer is masked in transcripts shown to staff and in logs. */
  sensitive: z.boolean().optional(),
});

const say = z.strictObject({ id: id.optional(), say: i18nKey, choices: z.array(choice).max(20).optional() });
const ask = z.strictObject({ id: id.optional(), ask: askSchema });
const branch = z.strictObject({
  id: id.optional(),
  branch: z.array(z.strictObject({ when: condition.optional(), goto: id })).min(1),
});
const action = z.strictObject({
  id: id.optional(),
  action: z.strictObject({
    name: z.string().min(1),
    args: z.record(z.string(), z.unknown()).optional(),
    into: z.string().optional(),
  }),
});
const handoff = z.strictObject({
  id: id.optional(),
  handoff: z.strictObject({ reason: z.string().min(1), priority: z.number().int().min(0).max(10).optional() }),
});
const gotoStep = z.strictObject({ id: id.optional(), goto: id });
const start = z.strictObject({ id: id.optional(), start: id });
const end = z.strictObject({ id: id.optional(), end: z.union([i18nKey, z.literal(true)]), choices: z.array(choice).max(20).optional() });

const STEP_KINDS = { say, ask, branch, action, handoff, goto: gotoStep, start, end } as const;
type StepKind = keyof typeof STEP_KINDS;

/**
 * A step is whichever kind its key names. Validating against that one kind (rather than a plain union)
 * gives errors like `steps[3].ask.kind: Invalid option` instead of "Invalid input".
 */
export const stepSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    const kinds = value && typeof value === 'object' ? (Object.keys(value).filter((k) => k in STEP_KINDS) as StepKind[]) : [];
    if (kinds.length !== 1) {
      ctx.addIssue({ code: 'custom', message: `a step needs exactly one of: ${Object.keys(STEP_KINDS).join(', ')}` });
      return;
    }
    const parsed = STEP_KINDS[kinds[0]!].safeParse(value);
    if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  })
  .transform((value) => value as z.infer<(typeof STEP_KINDS)[StepKind]>);

export const flowSchema = z.strictObject({
  id,
  /** i18n key of the flow's name, shown in menus and summaries. */
  title: i18nKey.optional(),
  /** Intent ids (from the NLU) that start this flow; default: the flow's id. */
  triggers: z.array(z.string()).optional(),
  steps: z.array(stepSchema).min(1),
});

export type Choice = z.infer<typeof choice>;
export type Condition = z.infer<typeof condition>;
export type AskSpec = z.infer<typeof askSchema>;
export type Step = z.infer<typeof stepSchema>;
export type FlowDefinition = z.infer<typeof flowSchema>;

/** A step with its id resolved (the file may leave ids out of steps nobody jumps to). */
export type ResolvedStep = Step & { id: string };

export interface Flow {
  id: string;
  title?: string;
  triggers: string[];
  steps: ResolvedStep[];
  /** step id -> index */
  index: Map<string, number>;
  file: string;
}

const phrases = z.strictObject({ ar: z.array(z.string().min(1)), en: z.array(z.string().min(1)) });

/** Global commands and yes/no words, as data: a content writer adds a synonym without touching code. */
export const vocabularySchema = z.strictObject({
  commands: z.strictObject({
    cancel: phrases,
    back: phrases,
    menu: phrases,
    human: phrases,
    lang_en: phrases,
    lang_ar: phrases,
  }),
  answers: z.strictObject({ yes: phrases, no: phrases }),
  /** What a greeting says, so the reply answers in kind ("صباح الخير" -> "صباح النور", a goodbye -> "في أمان الله", thanks -> "العفو"). */
  greetings: z.strictObject({ salam: phrases, morning: phrases, evening: phrases, farewell: phrases, thanks: phrases.optional() }).optional(),
});
export type Vocabulary = z.infer<typeof vocabularySchema>;
export type CommandName = keyof Vocabulary['commands'];
export const COMMAND_NAMES: readonly CommandName[] = ['cancel', 'back', 'menu', 'human', 'lang_en', 'lang_ar'];
export type GreetingKind = keyof NonNullable<Vocabulary['greetings']>;
/** Checked in this order: a message that opens with salam and ends with a goodbye is answered as salam; "thanks, bye" as a goodbye. */
export const GREETING_KINDS: readonly GreetingKind[] = ['salam', 'morning', 'evening', 'farewell', 'thanks'];
