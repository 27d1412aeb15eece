import type { StoredOutbound } from '../../src/core/channel';
import { clip } from '../../src/core/text';
import type { Choice, Expecting, Match } from '../../src/core/types';
import type { MessageRow } from '../../src/store/repos/messages';

/** One bot or staff message as web chat clients receive it (HTTP answer, transcript, socket push). */
export interface WireMessage {
  id: number;
  author: 'bot' | 'staff' | 'system';
  text: string;
  choices?: Choice[];
  expecting?: Expecting;
  media?: StoredOutbound['media'];
  createdAt: string;
}

export interface WireTurn {
  conversationId: string;
  replies: WireMessage[];
  expecting?: Expecting;
  match?: Match;
  /** The id of the last message the bot sent: pass it as `after` to catch up later. */
  cursor?: number;
  duplicate?: true;
}

/** A message the gateway just delivered or committed. */
export function renderOutbound(message: StoredOutbound & { createdAt?: Date }, maxLabel: number): WireMessage {
  return compact({
    id: message.id,
    author: message.author,
    text: message.text,
    choices: message.choices?.map((c) => ({ label: clip(c.label, maxLabel), value: c.value })),
    expecting: message.expecting,
    media: message.media,
    createdAt: (message.createdAt ?? new Date()).toISOString(),
  });
}

/** A transcript row (GET …/messages). */
export function renderRow(row: MessageRow, maxLabel: number): WireMessage {
  const body = (row.body ?? {}) as { choices?: Choice[]; expecting?: Expecting; media?: StoredOutbound['media'] };
  return renderOutbound(
    { id: row.id, author: row.author as WireMessage['author'], text: row.text ?? '', choices: body.choices, expecting: body.expecting, media: body.media, createdAt: row.createdAt },
    maxLabel,
  );
}

function compact<T extends object>(obj: T): T {
  for (const key of Object.keys(obj) as (keyof T)[]) if (obj[key] === undefined) delete obj[key];
  return obj;
}
