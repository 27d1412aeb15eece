import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { signatureOf } from '../../../channels/whatsapp-cloud/signature';
import type { FakeGraphApi, SentMessage } from '../../support/fakeGraphApi';
import { deliveriesSettled } from '../../support/app';

/** Webhook payloads exactly as Meta's documentation shows them; tests fill in ids and senders. */
export const FIXTURES = path.resolve(__dirname, '../../fixtures/whatsapp-cloud');
export const fixture = (name: string): any => JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));

export const APP_SECRET = 'test-app-secret-6f1c2d';
export const VERIFY_TOKEN = 'nabta-verify-token-test';

/** The environment that turns the channel on, pointed at the fake Graph API. */
export function whatsappEnv(graph: FakeGraphApi, extra: Record<string, string> = {}): Record<string, string> {
  return {
    WHATSAPP_CLOUD_ACCESS_TOKEN: graph.token,
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: graph.phoneNumberId,
    WHATSAPP_CLOUD_APP_SECRET: APP_SECRET,
    WHATSAPP_CLOUD_VERIFY_TOKEN: VERIFY_TOKEN,
    WHATSAPP_CLOUD_API_ROOT: graph.root,
    ...extra,
  };
}

export const newWamid = () => `wamid.${Buffer.from(`${Date.now()}${randomBytes(10).toString('hex')}`).toString('base64')}`;

/** A Saudi mobile number as WhatsApp writes it (wa_id), unique per call. */
let serial = (process.pid % 1000) * 1000;
export function newWaId(): string {
  serial += 1;
  return `9665${String(10_000_000 + serial).padStart(8, '0')}`;
}

export interface Posted {
  status: number;
  text: string;
}

/** Meta's side of the webhook: signs the raw body with the app secret like Meta does. */
export async function postWebhook(baseUrl: string, payload: unknown, signature?: string | null): Promise<Posted> {
  const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const sig = signature === undefined ? signatureOf(raw, APP_SECRET) : signature;
  if (sig !== null) headers['x-hub-signature-256'] = sig;
  const res = await fetch(`${baseUrl}/webhooks/whatsapp`, { method: 'POST', headers, body: raw });
  return { status: res.status, text: await res.text() };
}

/** One person writing to the association's WhatsApp number. */
export class WhatsAppPerson {
  constructor(
    readonly baseUrl: string,
    readonly waId: string = newWaId(),
    readonly name = 'نورة',
  ) {}

  /** A fixture's message as this person sent it now, with a fresh message id. */
  message(kind: string, fill: (message: any) => void = () => {}): { payload: any; wamid: string } {
    const payload = fixture(kind);
    const value = payload.entry[0].changes[0].value;
    value.contacts[0].wa_id = this.waId;
    value.contacts[0].profile.name = this.name;
    const message = value.messages[0];
    message.from = this.waId;
    message.id = newWamid();
    message.timestamp = String(Math.floor(Date.now() / 1000));
    fill(message);
    return { payload, wamid: message.id };
  }

  async post(payload: unknown): Promise<Posted> {
    const answer = await postWebhook(this.baseUrl, payload);
    expect(answer).toEqual({ status: 200, text: 'OK' });
    await deliveriesSettled(this.baseUrl);
    return answer;
  }

  text(body: string) {
    return this.post(this.message('text', (m) => (m.text.body = body)).payload);
  }

  button(id: string, title: string) {
    return this.post(this.message('interactive_button_reply', (m) => (m.interactive.button_reply = { id, title })).payload);
  }

  listReply(id: string, title: string, description?: string) {
    return this.post(this.message('interactive_list_reply', (m) => (m.interactive.list_reply = { id, title, ...(description ? { description } : {}) })).payload);
  }

  image(mediaId: string, mime = 'image/jpeg', caption?: string) {
    return this.post(
      this.message('image', (m) => {
        m.image.id = mediaId;
        m.image.mime_type = mime;
        if (caption === undefined) delete m.image.caption;
        else m.image.caption = caption;
      }).payload,
    );
  }

  document(mediaId: string, filename: string, mime = 'application/pdf') {
    return this.post(
      this.message('document', (m) => {
        m.document.id = mediaId;
        m.document.filename = filename;
        m.document.mime_type = mime;
        delete m.document.caption;
      }).payload,
    );
  }

  location(latitude: number, longitude: number) {
    return this.post(this.message('location', (m) => Object.assign(m.location, { latitude, longitude })).payload);
  }
}

/** A status notification (sent, delivered, read, failed) about one of our messages. */
export function statusPayload(wamid: string, recipient: string, status: 'sent' | 'delivered' | 'read' | 'failed', errors?: unknown[]): any {
  const payload = fixture(`status_${status}`);
  const entry = payload.entry[0].changes[0].value.statuses[0];
  entry.id = wamid;
  entry.recipient_id = recipient;
  entry.timestamp = String(Math.floor(Date.now() / 1000));
  if (errors) entry.errors = errors;
  return payload;
}

/** What a person sees of one message the bot sent: its words and the choices offered with it. */
export interface Seen {
  type: string;
  text: string;
  buttons?: { id: string; title: string }[];
  rows?: { id: string; title: string; description?: string }[];
  template?: { name: string; language: string; parameters: string[] };
}

export function seen(message: SentMessage): Seen {
  const b = message.body;
  switch (b.type) {
    case 'text':
      return { type: 'text', text: b.text.body };
    case 'interactive': {
      const i = b.interactive;
      if (i.type === 'button') return { type: 'buttons', text: i.body.text, buttons: i.action.buttons.map((x: any) => x.reply) };
      if (i.type === 'list') return { type: 'list', text: i.body.text, rows: i.action.sections.flatMap((s: any) => s.rows) };
      return { type: i.type, text: i.body.text };
    }
    case 'template':
      return {
        type: 'template',
        text: '',
        template: {
          name: b.template.name,
          language: b.template.language.code,
          parameters: (b.template.components ?? []).flatMap((c: any) => c.parameters.map((p: any) => p.text)),
        },
      };
    default:
      return { type: b.type, text: b[b.type]?.caption ?? '' };
  }
}

/** Messages the fake received for `waId` after the first `from`, as the person sees them. */
export function seenSince(graph: FakeGraphApi, waId: string, from: number): Seen[] {
  return graph.sentTo(waId).slice(from).map(seen);
}
