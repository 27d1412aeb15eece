import type { Choice, ConversationMode, Locale } from '../core/types';

/** A value collected by an `ask` step, or set by an action. JSON only: state is saved as jsonb. */
export type SlotValue = string | number | boolean | null | SlotValue[] | { [key: string]: SlotValue };

/** Where one flow is: which step, what it has collected, how many times the current question failed. */
export interface FlowFrame {
  flowId: string;
  stepId: string;
  slots: Record<string, SlotValue>;
  retries: number;
  /** Step ids of questions already answered, for the `back` command. */
  asked: string[];
  /** True while the frame waits for the answer to the ask step `stepId`. */
  waiting: boolean;
}

/** Everything the engine needs to continue a conversation; saved after every turn. */
export interface ConversationState {
  version: 1;
  locale: Locale;
  mode: ConversationMode;
  /** Active flow, innermost last. Empty when the bot is idle. */
  stack: FlowFrame[];
  /** Consecutive messages the bot did not understand. */
  fallbacks: number;
  /** A pending action call: the engine asked the gateway for something and waits for its result. */
  pending?: { action: string; into?: string; stepId: string };
  /** Values that outlive one flow (the beneficiary's reference, ...). */
  memory: Record<string, SlotValue>;
  /** Choices shown while no question is open (menu, FAQ follow-ups): typing a label or its number picks it. */
  offered?: Choice[];
}

export function initialState(locale: Locale): ConversationState {
  return { version: 1, locale, mode: 'bot', stack: [], fallbacks: 0, memory: {} };
}

export function currentFrame(state: ConversationState): FlowFrame | undefined {
  return state.stack[state.stack.length - 1];
}
