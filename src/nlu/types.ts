import type { Locale } from '../core/types';

export type IntentKind = 'faq' | 'flow' | 'command';

export interface Intent {
  kind: IntentKind;
  /** FAQ entry id, flow id or command id (greeting, human, ...). */
  id: string;
  score: number;
}

/**
 * What the NLU made of a message. high: act on `best`. medium: offer `candidates` ("did you mean").
 * low: not understood (fallback).
 */
export interface Understanding {
  confidence: 'high' | 'medium' | 'low';
  best?: Intent;
  candidates: Intent[];
}

/** Pure and synchronous: the engine calls it inside runTurn. */
export interface Understander {
  understand(text: string, locale: Locale): Understanding;
}

/** One knowledge-base answer. Texts are i18n keys; facts the association has not configured are never invented. */
export interface FaqEntry {
  id: string;
  /** i18n key of the answer. */
  answer: string;
  /** Configuration facts the answer needs (ORG_PHONE, ...). Missing -> `unknownAnswer` and a person offered. */
  requires?: string[];
  unknownAnswer?: string;
  /** Offered after the answer: labels are i18n keys, values are payloads (`flow:support-request`). */
  followUp?: { label: string; value: string }[];
  /** i18n key of the entry's short title, shown in "did you mean" choices. */
  title?: string;
}

export interface KnowledgeBase {
  entries: ReadonlyMap<string, FaqEntry>;
}

export const NOT_UNDERSTOOD: Understanding = { confidence: 'low', candidates: [] };
