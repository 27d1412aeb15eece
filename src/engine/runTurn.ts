import type { Choice, Locale, Match, Outbound } from '../core/types';
import type { FaqEntry, Intent, KnowledgeBase, Understander, Understanding } from '../nlu/types';
import type { VocabularyMatcher } from '../nlu/vocabulary';
import type { FlowSet } from './loader';
import type { AskSpec, CommandName, Condition, Flow, ResolvedStep } from './schema';
import { currentFrame, type ConversationState, type FlowFrame, type SlotValue } from './state';
import { pickChoice, validateAnswer, type Answer, type DomainValidator } from './validators';

export type Translate = (key: string, locale: Locale, vars?: Record<string, unknown>) => string;

/** Everything a turn reads. All of it is loaded at start-up; nothing in here does I/O. */
export interface EngineContext {
  flows: FlowSet;
  kb: KnowledgeBase;
  nlu: Understander;
  vocabulary: VocabularyMatcher;
  validators: ReadonlyMap<string, DomainValidator>;
  /** Named option lists (e.g. the service area's towns), labels already in the person's language. */
  optionSources: ReadonlyMap<string, (locale: Locale) => Choice[]>;
  t: Translate;
  /** The association's configured facts (ORG_*), available to texts as {{ORG_PHONE}}; empty = unknown. */
  facts: Readonly<Record<string, string>>;
  maxRetries: number;
}

export type TurnEvent =
  | { type: 'message'; answer: Answer }
  /** The result of the action the previous turn asked for (`TurnResult.call`). */
  | { type: 'actionResult'; value: SlotValue }
  /** Start a flow without a message: deep links, staff asking for missing information. */
  | { type: 'start'; flowId: string }
  /** Staff closed the conversation: the bot takes over again. */
  | { type: 'handoffClosed' };

export type Effect =
  | { type: 'handoff'; reason: string; priority: number; flowId?: string; slots?: Record<string, SlotValue> }
  | { type: 'leaveQueue' }
  | { type: 'relay' }
  | { type: 'audit'; action: string; details?: Record<string, unknown> };

/** The engine asks the gateway to run a named action (I/O) and to call runTurn again with its result. */
export interface ActionCall {
  name: string;
  args: Record<string, unknown>;
  flowId: string;
  slots: Record<string, SlotValue>;
}

export interface TurnResult {
  state: ConversationState;
  replies: Outbound[];
  effects: Effect[];
  match?: Match;
  call?: ActionCall;
}

const MAX_STEPS_PER_TURN = 200;
const MENU_FLOW = 'menu';
const GREETING_FLOW = 'greeting';
const FEEDBACK_ON_CLOSE_FLOW = 'csat';

/** Runs one turn of a conversation. Pure: the same state, event and context always give the same result. */
export function runTurn(state: ConversationState, event: TurnEvent, ctx: EngineContext): TurnResult {
  const turn = new Turn(structuredClone(state), ctx);
  turn.handle(event);
  return turn.result();
}

class Turn {
  private readonly replies: Outbound[] = [];
  private readonly effects: Effect[] = [];
  private match?: Match;
  private call?: ActionCall;

  constructor(
    private readonly state: ConversationState,
    private readonly ctx: EngineContext,
  ) {}

  result(): TurnResult {
    const last = this.replies[this.replies.length - 1];
    // Choices offered while no question is open (menus, FAQ follow-ups) can be answered by typing them.
    this.state.offered = currentFrame(this.state)?.waiting ? undefined : last?.choices;
    return { state: this.state, replies: this.replies, effects: this.effects, match: this.match, call: this.call };
  }

  handle(event: TurnEvent): void {
    switch (event.type) {
      case 'message':
        return this.onMessage(event.answer);
      case 'actionResult':
        return this.onActionResult(event.value);
      case 'start':
        return this.startFlow(event.flowId);
      case 'handoffClosed':
        this.state.mode = 'bot';
        this.state.stack = [];
        if (this.ctx.flows.flows.has(FEEDBACK_ON_CLOSE_FLOW)) this.startFlow(FEEDBACK_ON_CLOSE_FLOW);
        return;
    }
  }

  // ---- messages -------------------------------------------------------------------------------

  private onMessage(answer: Answer): void {
    const text = answer.text?.trim() ?? '';
    if (this.state.mode !== 'bot') return this.whileWithStaff(text, answer.payload);

    if (!answer.payload && text && this.state.offered?.length) {
      const picked = pickChoice({ text }, this.state.offered);
      if (picked.ok) answer = { ...answer, payload: String(picked.value) };
    }
    const payload = answer.payload;
    if (payload?.startsWith('cmd:')) return this.command(payload.slice(4) as CommandName);
    if (payload?.startsWith('flow:')) {
      this.match = { kind: 'flow', id: payload.slice(5) };
      this.state.fallbacks = 0;
      return this.startFlow(payload.slice(5));
    }
    if (payload?.startsWith('faq:')) return this.answerFaq(payload.slice(4), 1);

    const command = text ? this.ctx.vocabulary.command(text) : undefined;
    if (command) return this.command(command);

    const frame = currentFrame(this.state);
    if (frame?.waiting) return this.onAnswer(frame, answer);
    this.understand(text);
  }

  /** While a person is waiting for staff or talking to them, the bot only lets them leave the queue. */
  private whileWithStaff(text: string, payload?: string): void {
    const command = payload === 'cmd:cancel' ? 'cancel' : text ? this.ctx.vocabulary.command(text) : undefined;
    if (this.state.mode === 'queued' && command === 'cancel') {
      this.state.mode = 'bot';
      this.effects.push({ type: 'leaveQueue' });
      this.match = { kind: 'command', id: 'cancel' };
      this.say('handoff.left');
      return this.showMenu();
    }
    this.effects.push({ type: 'relay' });
    this.match = { kind: 'relay', id: this.state.mode };
  }

  private onAnswer(frame: FlowFrame, answer: Answer): void {
    const { flow, step } = this.locate(frame);
    if (!('ask' in step)) return this.advance();
    const spec = step.ask;
    const result = validateAnswer(spec, answer, {
      vocabulary: this.ctx.vocabulary,
      options: this.optionsOf(spec),
      domain: this.ctx.validators,
    });
    const text = answer.text?.trim() ?? '';
    let understood: Understanding | undefined;
    if (text && (!result.ok || (spec.kind === 'text' && looksLikeQuestion(text)))) {
      understood = this.ctx.nlu.understand(text, this.state.locale);
      const best = understood.confidence === 'high' ? understood.best : undefined;
      // A question asked mid-form ("وش الأوراق المطلوبة؟") is answered, then the form resumes.
      if (best?.kind === 'faq') {
        this.answerFaq(best.id, best.score);
        return this.prompt(frame, flow, spec, true);
      }
      // Not an answer, and clearly something else: a person ("ابي اكلم موظف"), a greeting, another
      // service ("وين وصل طلبي"). That is done now; a service started here returns to this form when it ends.
      if (best && !result.ok && (this.ctx.flows.triggers.get(best.id) ?? best.id) !== flow.id) {
        this.state.fallbacks = 0;
        return this.act(best, text);
      }
    }
    if (result.ok) {
      frame.slots[spec.slot] = result.value;
      frame.asked.push(step.id);
      frame.retries = 0;
      frame.waiting = false;
      this.match ??= { kind: 'flow', id: flow.id };
      this.next(frame, flow, step);
      return;
    }
    // Words the bot reads as something (not as a malformed answer, "0501"), though nothing it can answer
    // ("كم سعر الذهب"): asked again, and reported as not understood.
    this.match =
      understood?.best && understood.confidence !== 'high'
        ? { kind: 'fallback', id: 'fallback', reason: 'not-an-answer', score: understood.best?.score }
        : { kind: 'flow', id: flow.id };
    frame.retries += 1;
    this.say(result.reason, result.vars);
    const limit = spec.retries ?? this.ctx.maxRetries;
    if (frame.retries >= limit) {
      const onFail = spec.onFail ?? 'offer-human';
      if (onFail === 'handoff') return this.handoff(`too-many-retries:${flow.id}:${spec.slot}`, 1);
      if (typeof onFail === 'object') {
        frame.waiting = false;
        frame.retries = 0;
        this.jump(frame, flow, onFail.goto);
        return;
      }
      frame.retries = 0;
      this.say('form.offer_human', {}, [this.choice('form.talk_to_staff', 'cmd:human'), this.choice('form.cancel', 'cmd:cancel')]);
    }
    this.prompt(frame, flow, spec, true);
  }

  private understand(text: string): void {
    if (!text) {
      this.match = { kind: 'fallback', id: 'fallback', reason: 'empty' };
      return this.fallback();
    }
    const understood = this.ctx.nlu.understand(text, this.state.locale);
    const best = understood.best;
    if (understood.confidence === 'high' && best) {
      this.state.fallbacks = 0;
      return this.act(best, text);
    }
    if (understood.confidence === 'medium' && understood.candidates.length > 0) {
      this.state.fallbacks = 0;
      const top = understood.candidates.slice(0, 3);
      this.match = { kind: 'fallback', id: 'fallback', reason: 'did-you-mean', score: best?.score };
      const choices = top.map((c) => ({ label: this.titleOf(c), value: `${c.kind === 'command' ? 'cmd' : c.kind}:${c.id}` }));
      choices.push(this.choice('fallback.none_of_these', 'cmd:human'));
      return this.say('fallback.did_you_mean', {}, choices);
    }
    this.match = { kind: 'fallback', id: 'fallback', reason: 'not-understood', score: best?.score };
    this.fallback();
  }

  private act(intent: Intent, text: string): void {
    if (intent.kind === 'faq') return this.answerFaq(intent.id, intent.score);
    if (intent.kind === 'flow') {
      this.match = { kind: 'flow', id: intent.id, score: intent.score };
      return this.startFlow(this.ctx.flows.triggers.get(intent.id) ?? intent.id);
    }
    if (intent.id === GREETING_FLOW) {
      this.match = { kind: 'command', id: GREETING_FLOW, score: intent.score };
      // The greeting flow answers in kind: `said` is salam, morning, evening, farewell or thanks (vocabulary.yaml).
      const said = this.ctx.vocabulary.greetingKind(text);
      return this.startFlow(GREETING_FLOW, said ? { said } : {});
    }
    this.command(intent.id as CommandName, intent.score);
  }

  private fallback(): void {
    this.state.fallbacks += 1;
    if (this.state.fallbacks >= 2) {
      return this.say('fallback.offer_human', {}, [this.choice('fallback.talk_to_staff', 'cmd:human'), this.choice('menu.show', 'cmd:menu')]);
    }
    this.say('fallback.not_understood');
    this.showMenu();
  }

  private answerFaq(id: string, score: number): void {
    const entry = this.ctx.kb.entries.get(id);
    this.match = { kind: 'faq', id, score };
    if (!entry) return this.fallback();
    this.state.fallbacks = 0;
    const known = (entry.requires ?? []).every((fact) => (this.ctx.facts[fact] ?? '') !== '');
    const key = known || !entry.unknownAnswer ? entry.answer : entry.unknownAnswer;
    const choices = (entry.followUp ?? []).map((f) => this.choice(f.label, f.value));
    if (!known) choices.push(this.choice('fallback.talk_to_staff', 'cmd:human'));
    this.say(key, {}, choices.length ? choices : undefined);
  }

  // ---- commands -------------------------------------------------------------------------------

  private command(name: CommandName | string, score = 1): void {
    this.match = { kind: 'command', id: name === 'lang_en' || name === 'lang_ar' ? 'language' : name, score };
    this.state.fallbacks = 0;
    switch (name) {
      case 'cancel': {
        const hadForm = this.state.stack.length > 0;
        this.state.stack = [];
        this.say(hadForm ? 'commands.cancelled' : 'commands.nothing_to_cancel');
        return this.showMenu();
      }
      case 'back':
        return this.back();
      case 'menu':
        this.state.stack = [];
        return this.showMenu();
      case 'human':
        return this.handoff('requested', this.state.stack.length > 0 ? 1 : 0);
      case 'lang_en':
      case 'lang_ar': {
        this.state.locale = name === 'lang_en' ? 'en' : 'ar';
        this.say('commands.language_switched');
        const frame = currentFrame(this.state);
        if (frame?.waiting) {
          const { flow, step } = this.locate(frame);
          if ('ask' in step) return this.prompt(frame, flow, step.ask, false);
        }
        return this.showMenu();
      }
      case GREETING_FLOW:
        return this.startFlow(GREETING_FLOW);
      default:
        this.match = { kind: 'fallback', id: 'fallback', reason: 'not-understood' };
        return this.fallback();
    }
  }

  private back(): void {
    const frame = currentFrame(this.state);
    if (!frame) {
      this.say('commands.nothing_to_go_back_to');
      return this.showMenu();
    }
    const { flow } = this.locate(frame);
    const previous = frame.asked.pop();
    if (!previous) {
      this.say('commands.first_question');
    } else {
      frame.stepId = previous;
    }
    const { step } = this.locate(frame);
    if ('ask' in step) {
      delete frame.slots[step.ask.slot];
      frame.retries = 0;
      return this.prompt(frame, flow, step.ask, false);
    }
    this.advance();
  }

  private showMenu(): void {
    if (this.ctx.flows.flows.has(MENU_FLOW)) this.runFlowInline(MENU_FLOW);
  }

  // ---- flows ----------------------------------------------------------------------------------

  private startFlow(flowId: string, slots: Record<string, SlotValue> = {}): void {
    const flow = this.ctx.flows.flows.get(flowId);
    if (!flow) {
      // A service the bot cannot do yet goes to a person, never to "coming soon".
      this.say('handoff.service_by_staff');
      return this.handoff(`service:${flowId}`, 0, false);
    }
    this.match ??= { kind: 'flow', id: flowId };
    const frame: FlowFrame = { flowId, stepId: flow.steps[0]!.id, slots, retries: 0, asked: [], waiting: false };
    // A flow started from inside another (a status check mid-application) returns to it when done.
    const parent = currentFrame(this.state);
    if (parent && !parent.waiting) this.state.stack.pop();
    this.state.stack.push(frame);
    this.advance();
  }

  /** Runs a flow that only speaks (the menu) without disturbing an open form. */
  private runFlowInline(flowId: string): void {
    const saved = this.state.stack;
    this.state.stack = [];
    this.startFlow(flowId);
    this.state.stack = [...saved, ...this.state.stack.filter((f) => f.waiting)];
  }

  private advance(): void {
    for (let i = 0; i < MAX_STEPS_PER_TURN; i++) {
      const frame = currentFrame(this.state);
      if (!frame || frame.waiting || this.state.pending || this.state.mode !== 'bot') return;
      const flow = this.ctx.flows.flows.get(frame.flowId);
      const index = flow?.index.get(frame.stepId);
      if (!flow || index === undefined) {
        this.state.stack.pop();
        continue;
      }
      const step = flow.steps[index]!;
      if (!this.execute(frame, flow, step)) return;
    }
    throw new Error(`Flow loop: more than ${MAX_STEPS_PER_TURN} steps in one turn (flow ${currentFrame(this.state)?.flowId})`);
  }

  /** Executes one step. Returns true when the walk goes on this turn. */
  private execute(frame: FlowFrame, flow: Flow, step: ResolvedStep): boolean {
    if ('say' in step) {
      this.say(step.say, frame.slots, step.choices?.map((c) => this.choice(c.label, c.value)));
      return this.next(frame, flow, step, false);
    }
    if ('ask' in step) {
      this.prompt(frame, flow, step.ask, false);
      return false;
    }
    if ('branch' in step) {
      const target = step.branch.find((b) => !b.when || holds(b.when, frame.slots));
      if (target) return this.jump(frame, flow, target.goto, false);
      return this.next(frame, flow, step, false);
    }
    if ('action' in step) {
      this.state.pending = { action: step.action.name, into: step.action.into, stepId: step.id };
      this.call = { name: step.action.name, args: step.action.args ?? {}, flowId: flow.id, slots: { ...frame.slots } };
      return false;
    }
    if ('handoff' in step) {
      this.handoff(step.handoff.reason, step.handoff.priority ?? 0);
      return false;
    }
    if ('goto' in step) return this.jump(frame, flow, step.goto, false);
    if ('start' in step) {
      this.state.stack.pop();
      this.startFlow(step.start);
      return false;
    }
    // end
    if (typeof step.end === 'string') this.say(step.end, frame.slots, step.choices?.map((c) => this.choice(c.label, c.value)));
    this.finish();
    return false;
  }

  /** Ends the current flow; a form it interrupted asks its question again. */
  private finish(): void {
    this.state.stack.pop();
    const parent = currentFrame(this.state);
    if (parent?.waiting) {
      const { flow, step } = this.locate(parent);
      if ('ask' in step) this.prompt(parent, flow, step.ask, true);
    }
  }

  private next(frame: FlowFrame, flow: Flow, step: ResolvedStep, walk = true): boolean {
    const index = flow.index.get(step.id)!;
    const following = flow.steps[index + 1];
    if (!following) {
      this.finish();
      return false;
    }
    frame.stepId = following.id;
    if (walk) this.advance();
    return true;
  }

  private jump(frame: FlowFrame, flow: Flow, stepId: string, walk = true): boolean {
    frame.stepId = stepId;
    frame.waiting = false;
    if (walk) this.advance();
    return flow.index.has(stepId);
  }

  private onActionResult(value: SlotValue): void {
    const pending = this.state.pending;
    const frame = currentFrame(this.state);
    this.state.pending = undefined;
    if (!pending || !frame) return;
    const { flow, step } = this.locate(frame);
    if (pending.into) frame.slots[pending.into] = value;
    this.next(frame, flow, step);
  }

  private prompt(frame: FlowFrame, flow: Flow, spec: AskSpec, _again: boolean): void {
    frame.waiting = true;
    const options = spec.kind === 'yes_no' ? this.yesNoChoices() : this.optionsOf(spec);
    const choices = spec.kind === 'choice' || spec.kind === 'yes_no' ? options : undefined;
    const text = this.ctx.t(spec.prompt, this.state.locale, this.vars(frame.slots));
    this.replies.push({
      text,
      choices,
      expecting: { slot: spec.slot, kind: spec.kind, options: choices },
    });
    this.match ??= { kind: 'flow', id: flow.id };
  }

  private handoff(reason: string, priority: number, announce = true): void {
    const frame = currentFrame(this.state);
    this.effects.push({ type: 'handoff', reason, priority, flowId: frame?.flowId, slots: frame ? { ...frame.slots } : undefined });
    this.state.mode = 'queued';
    this.state.stack = [];
    this.state.pending = undefined;
    this.match ??= { kind: 'command', id: 'human' };
    if (announce) this.say('handoff.queued', {}, [this.choice('handoff.leave', 'cmd:cancel')]);
    else this.replies[this.replies.length - 1]!.choices = [this.choice('handoff.leave', 'cmd:cancel')];
  }

  // ---- helpers --------------------------------------------------------------------------------

  private locate(frame: FlowFrame): { flow: Flow; step: ResolvedStep } {
    const flow = this.ctx.flows.flows.get(frame.flowId);
    const index = flow?.index.get(frame.stepId);
    if (!flow || index === undefined) throw new Error(`Conversation points at a missing step ${frame.flowId}/${frame.stepId}`);
    return { flow, step: flow.steps[index]! };
  }

  private optionsOf(spec: AskSpec): Choice[] {
    if (spec.kind === 'yes_no') return this.yesNoChoices();
    const fromSource = spec.optionsFrom ? (this.ctx.optionSources.get(spec.optionsFrom)?.(this.state.locale) ?? []) : [];
    return [...(spec.options ?? []).map((o) => this.choice(o.label, o.value)), ...fromSource];
  }

  private yesNoChoices(): Choice[] {
    return [this.choice('common.yes', 'yes'), this.choice('common.no', 'no')];
  }

  private choice(labelKey: string, value: string): Choice {
    return { label: this.ctx.t(labelKey, this.state.locale, this.vars({})), value };
  }

  private titleOf(intent: Intent): string {
    const entry: FaqEntry | undefined = intent.kind === 'faq' ? this.ctx.kb.entries.get(intent.id) : undefined;
    const flowTitle = intent.kind === 'flow' ? this.ctx.flows.flows.get(this.ctx.flows.triggers.get(intent.id) ?? intent.id)?.title : undefined;
    const key = entry?.title ?? flowTitle ?? `intents.${intent.id}`;
    return this.ctx.t(key, this.state.locale, this.vars({}));
  }

  private say(key: string, slots: Record<string, SlotValue> = {}, choices?: Choice[]): void {
    this.replies.push({ text: this.ctx.t(key, this.state.locale, this.vars(slots)), choices });
  }

  private vars(slots: Record<string, SlotValue>): Record<string, unknown> {
    return { ...this.ctx.facts, ...this.state.memory, ...slots };
  }
}

function holds(cond: Condition, slots: Record<string, SlotValue>): boolean {
  const value = readPath(slots, cond.slot);
  if (cond.exists !== undefined) return (value !== undefined && value !== null) === cond.exists;
  if (cond.equals !== undefined) return value === cond.equals;
  if (cond.in !== undefined) return cond.in.includes(value as string | number);
  return Boolean(value);
}

/** `national_id.type` reads a field of a slot's object value. */
function readPath(slots: Record<string, SlotValue>, path: string): SlotValue | undefined {
  let value: SlotValue | undefined = slots;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, SlotValue>)[part];
  }
  return value;
}

const QUESTION = /[?؟]\s*$|^(?:وش|ايش|شو|شنو|كيف|متى|وين|ليش|هل|ما هي|ماهي|ما هو|ماهو|كم|what|how|when|where|why|which|who|can|do|does|is|are)\b/i;

/** A free-text answer that is really a question to the bot. */
function looksLikeQuestion(text: string): boolean {
  return QUESTION.test(text.trim());
}
