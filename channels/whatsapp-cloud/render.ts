import { createHash } from 'node:crypto';
import type { StoredOutbound } from '../../src/core/channel';
import { clip, splitText } from '../../src/core/text';
import type { Choice } from '../../src/core/types';
import { WHATSAPP_LIMITS as L } from './limits';

/** One message for POST /<phone-number-id>/messages, without `messaging_product` and `to`. */
export type WhatsAppMessage = Record<string, unknown> & { type: string };

/** The few words rendering adds, already in the conversation's language. */
export interface RenderTexts {
  /** The button that opens a list ("Options"). */
  listButton: string;
  /** Under numbered options: "Reply with the number of your choice". */
  pickByNumber: string;
  /** Body of a choice message that has no text of its own. */
  choose: string;
}

/**
 * A bot or staff message as the WhatsApp messages that show it, in order: text split at WhatsApp's
 * length limit at a paragraph, line, sentence or word, media by link with the text as caption when it fits,
 * choices as reply buttons (up to 3 short titles), a list (up to 10 rows) or numbered lines.
 */
export function renderOutbound(message: Pick<StoredOutbound, 'text' | 'choices' | 'media' | 'expecting'>, texts: RenderTexts): WhatsAppMessage[] {
  const parts: WhatsAppMessage[] = [];
  let text = message.text.trim();
  const choices = message.choices ?? [];

  const media = message.media?.url ? message.media : undefined;
  if (media) {
    const captioned = choices.length === 0 && text.length <= L.caption && media.kind !== 'audio';
    parts.push(mediaMessage(media.kind, media.url!, captioned ? text : undefined, media.fileName));
    if (captioned) text = '';
  }

  if (choices.length > L.listRows) {
    text = [text, numbered(choices), texts.pickByNumber].filter(Boolean).join('\n\n');
    return [...parts, ...splitText(text, L.text).map(textMessage)];
  }
  if (choices.length > 0 || message.expecting?.kind === 'location') {
    // The question goes in the interactive message's body; whatever does not fit goes before it as text.
    const chunks = splitText(text, L.text);
    let last = chunks.pop() ?? '';
    if (last.length > L.interactiveBody) {
      const tail = splitText(last, L.interactiveBody);
      last = tail.pop()!;
      chunks.push(...tail);
    }
    parts.push(...chunks.map(textMessage));
    const body = last || texts.choose;
    parts.push(choices.length > 0 ? choiceMessage(body, choices, texts) : locationRequest(body));
    return parts;
  }
  return [...parts, ...splitText(text, L.text).map(textMessage)];
}

/** Reply buttons when every title fits, else a list. */
function choiceMessage(body: string, choices: Choice[], texts: RenderTexts): WhatsAppMessage {
  const titles = choices.map((c) => c.label.trim());
  const buttonsFit = choices.length <= L.buttons && titles.every((t) => t.length > 0 && t.length <= L.buttonTitle) && new Set(titles).size === titles.length;
  if (buttonsFit) {
    return {
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: body },
        action: { buttons: choices.map((c, i) => ({ type: 'reply', reply: { id: choiceId(c.value, L.buttonId), title: titles[i] } })) },
      },
    };
  }
  return {
    type: 'interactive',
    interactive: {
      type: 'list',
      body: { text: body },
      action: {
        button: clip(texts.listButton, L.listButton),
        sections: [
          {
            rows: choices.map((c, i) => {
              const label = titles[i] || String(i + 1);
              // A long label keeps its full words in the row's description.
              return { id: choiceId(c.value, L.rowId), title: clip(label, L.rowTitle), ...(label.length > L.rowTitle ? { description: clip(label, L.rowDescription) } : {}) };
            }),
          },
        ],
      },
    },
  };
}

function locationRequest(body: string): WhatsAppMessage {
  return { type: 'interactive', interactive: { type: 'location_request_message', body: { text: body }, action: { name: 'send_location' } } };
}

function mediaMessage(kind: string, link: string, caption: string | undefined, fileName: string | undefined): WhatsAppMessage {
  const type = kind === 'image' || kind === 'audio' || kind === 'video' ? kind : 'document';
  const object: Record<string, unknown> = { link };
  if (caption) object.caption = caption;
  if (type === 'document' && fileName) object.filename = fileName;
  return { type, [type]: object };
}

export function textMessage(body: string): WhatsAppMessage {
  return { type: 'text', text: { body, preview_url: /https?:\/\//i.test(body) } };
}

function numbered(choices: Choice[]): string {
  return choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n');
}

/** Prefix of ids that stand for a choice value too long for WhatsApp (looked up again on the reply). */
export const OPAQUE_ID_PREFIX = 'h:';

/** The id a button or row carries: the choice's value itself when it fits, else a short hash of it. */
export function choiceId(value: string, max: number): string {
  return value.length <= max && !value.startsWith(OPAQUE_ID_PREFIX) ? value : opaqueId(value);
}

export function opaqueId(value: string): string {
  return `${OPAQUE_ID_PREFIX}${createHash('sha256').update(value).digest('base64url').slice(0, 22)}`;
}

