import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small stand-in for Meta's Graph API (WhatsApp Cloud API), over real HTTP on 127.0.0.1: it
 * takes messages (checking them against WhatsApp's documented limits, as the real API refuses
 * them), serves media by id with a URL whose bytes need the Bearer token, and can be told to fail
 * with Graph's error shapes.
 */

export interface SentMessage {
  id: string;
  to: string;
  type: string;
  body: any;
}

export interface GraphError {
  status: number;
  error: { message: string; type: string; code: number; error_subcode?: number; error_data?: { messaging_product: 'whatsapp'; details: string }; fbtrace_id: string };
}

const trace = () => `A${randomBytes(8).toString('base64url')}`;

/** Graph's answers for the failures the channel must handle (codes from Meta's error reference). */
export const GRAPH_FAILURES = {
  /** More than 24 hours since the person last wrote: only templates. */
  reEngagement: (): GraphError => ({
    status: 400,
    error: {
      message: '(#131047) Re-engagement message',
      type: 'OAuthException',
      code: 131047,
      error_data: { messaging_product: 'whatsapp', details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
      fbtrace_id: trace(),
    },
  }),
  rateLimit: (): GraphError => ({
    status: 400,
    error: {
      message: '(#130429) Rate limit hit',
      type: 'OAuthException',
      code: 130429,
      error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' },
      fbtrace_id: trace(),
    },
  }),
  undeliverable: (): GraphError => ({
    status: 400,
    error: {
      message: '(#131026) Message Undeliverable',
      type: 'OAuthException',
      code: 131026,
      error_data: { messaging_product: 'whatsapp', details: 'Unable to deliver message.' },
      fbtrace_id: trace(),
    },
  }),
  templateMissing: (name: string, language: string): GraphError => ({
    status: 404,
    error: {
      message: '(#132001) Template name does not exist in the translation',
      type: 'OAuthException',
      code: 132001,
      error_subcode: 2494073,
      error_data: { messaging_product: 'whatsapp', details: `template name (${name}) does not exist in ${language}` },
      fbtrace_id: trace(),
    },
  }),
};

interface Media {
  bytes: Buffer;
  mime: string;
}

export class FakeGraphApi {
  readonly version = 'v23.0';
  readonly token = `EAAG${randomBytes(12).toString('hex')}`;
  readonly phoneNumberId = '106540352242922';
  readonly sent: SentMessage[] = [];
  /** Every request, for assertions about what was (not) asked. */
  readonly requests: { method: string; path: string; authorized: boolean }[] = [];
  /** Approved templates (name -> languages); a template not listed is refused like Meta does. */
  readonly templates = new Map<string, string[]>();
  private readonly media = new Map<string, Media>();
  private readonly failures: (() => GraphError)[] = [];
  private passBeforeFailing = 0;
  private readonly waiters: { count: number; resolve: () => void }[] = [];
  private server?: Server;
  private base = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => json(res, 500, { error: { message: String(err), type: 'FakeError', code: 1, fbtrace_id: trace() } }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** What WHATSAPP_CLOUD_API_ROOT points at. */
  get root(): string {
    return `${this.base}/${this.version}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Uploads bytes as a person's phone would: returns the media id a webhook names. */
  addMedia(bytes: Buffer, mime: string): string {
    const id = String(1_000_000_000_000 + Math.floor(Math.random() * 8_999_999_999_999));
    this.media.set(id, { bytes, mime });
    return id;
  }

  approveTemplate(name: string, ...languages: string[]): void {
    this.templates.set(name, languages);
  }

  /** The next `times` sends fail with this answer, after `after` more sends have gone through. */
  failNext(failure: () => GraphError, times = 1, after = 0): void {
    this.passBeforeFailing = after;
    for (let i = 0; i < times; i++) this.failures.push(failure);
  }

  sentTo(waId: string): SentMessage[] {
    return this.sent.filter((m) => m.to === waId);
  }

  /** Resolves once at least `count` messages were accepted in all (bounded: rejects after `ms`). */
  waitForSent(count: number, ms = 10_000): Promise<SentMessage[]> {
    if (this.sent.length >= count) return Promise.resolve(this.sent);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fake Graph API: ${this.sent.length} of ${count} messages after ${ms} ms`)), ms);
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.sent);
        },
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const authorized = req.headers.authorization === `Bearer ${this.token}`;
    this.requests.push({ method: req.method ?? '', path: url.pathname, authorized });
    const body = await readBody(req);
    if (!authorized) {
      return json(res, 401, { error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190, fbtrace_id: trace() } });
    }
    const parts = url.pathname.split('/').filter(Boolean);

    // The binary behind a media URL (Meta serves it from another host; the token is needed all the same).
    if (req.method === 'GET' && parts[0] === 'media-download' && parts[1]) {
      const media = this.media.get(parts[1]);
      if (!media) return json(res, 404, { error: { message: 'not found', type: 'GraphMethodException', code: 100, fbtrace_id: trace() } });
      res.writeHead(200, { 'content-type': media.mime, 'content-length': media.bytes.length });
      return void res.end(media.bytes);
    }
    if (parts[0] !== this.version) return json(res, 404, { error: { message: 'Unknown path components', type: 'OAuthException', code: 2500, fbtrace_id: trace() } });

    if (req.method === 'GET' && parts.length === 2) {
      const media = this.media.get(parts[1]!);
      if (!media) {
        return json(res, 400, { error: { message: `Unsupported get request. Object with ID '${parts[1]}' does not exist`, type: 'GraphMethodException', code: 100, error_subcode: 33, fbtrace_id: trace() } });
      }
      return json(res, 200, {
        messaging_product: 'whatsapp',
        url: `${this.base}/media-download/${parts[1]}?ext=${Date.now()}&hash=${randomBytes(6).toString('hex')}`,
        mime_type: media.mime,
        sha256: createHash('sha256').update(media.bytes).digest('hex'),
        file_size: media.bytes.length,
        id: parts[1],
      });
    }

    if (req.method === 'POST' && parts.length === 3 && parts[2] === 'messages') {
      if (parts[1] !== this.phoneNumberId) {
        return json(res, 400, { error: { message: `Unsupported post request. Object with ID '${parts[1]}' does not exist`, type: 'GraphMethodException', code: 100, error_subcode: 33, fbtrace_id: trace() } });
      }
      let message: any;
      try {
        message = JSON.parse(body.toString('utf8'));
      } catch {
        return json(res, 400, { error: invalid('(#100) Invalid JSON', 100, 'The request body is not JSON').error });
      }
      const failure = this.failures.length && this.passBeforeFailing-- <= 0 ? this.failures.shift() : undefined;
      if (failure) {
        const { status, error } = failure();
        return json(res, status, { error });
      }
      const problem = checkMessage(message, this.templates);
      if (problem) return json(res, problem.status, { error: problem.error });
      const id = `wamid.${Buffer.from(`${message.to}${randomBytes(12).toString('hex')}`).toString('base64')}`;
      this.sent.push({ id, to: message.to, type: message.type, body: message });
      this.waiters.splice(0).forEach((w) => (this.sent.length >= w.count ? w.resolve() : this.waiters.push(w)));
      return json(res, 200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: message.to, wa_id: message.to }],
        messages: [message.type === 'template' ? { id, message_status: 'accepted' } : { id }],
      });
    }
    return json(res, 400, { error: { message: 'Unsupported request', type: 'GraphMethodException', code: 100, fbtrace_id: trace() } });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function invalid(message: string, code: number, details: string): GraphError {
  return { status: 400, error: { message, type: 'OAuthException', code, error_data: { messaging_product: 'whatsapp', details }, fbtrace_id: trace() } };
}

const len = (v: unknown) => (typeof v === 'string' ? [...v].length : -1);

/** The Cloud API's documented limits: what the real API answers with 131009 / 100 / 132xxx. */
function checkMessage(m: any, templates: Map<string, string[]>): GraphError | undefined {
  const bad = (details: string) => invalid('(#131009) Parameter value is not valid', 131009, details);
  if (m?.messaging_product !== 'whatsapp') return invalid('(#100) The parameter messaging_product is required.', 100, 'messaging_product must be whatsapp');
  if (typeof m.to !== 'string' || !/^\+?\d{6,20}$/.test(m.to)) return bad('to must be a phone number or WhatsApp ID');
  switch (m.type) {
    case 'text': {
      const n = len(m.text?.body);
      if (n < 1 || n > 4096) return bad(`text.body must be 1-4096 characters (got ${n})`);
      return undefined;
    }
    case 'image':
    case 'document':
    case 'audio':
    case 'video': {
      const media = m[m.type];
      if (!media?.link && !media?.id) return bad(`${m.type} needs a link or an id`);
      if (media.caption !== undefined && len(media.caption) > 1024) return bad('caption is over 1024 characters');
      return undefined;
    }
    case 'interactive':
      return checkInteractive(m.interactive, bad);
    case 'template': {
      const t = m.template;
      if (!t?.name || !t.language?.code) return bad('template needs a name and a language code');
      const languages = templates.get(t.name);
      if (!languages || !languages.includes(t.language.code)) return GRAPH_FAILURES.templateMissing(t.name, t.language.code);
      for (const component of t.components ?? []) {
        for (const p of component.parameters ?? []) {
          if (p.type === 'text' && (typeof p.text !== 'string' || !p.text || /[\n\t]|\s{5,}/.test(p.text))) {
            return invalid('(#132018) There was an issue with the parameters in your template.', 132018, 'Param text cannot have new-line/tab characters or more than 4 consecutive spaces');
          }
        }
      }
      return undefined;
    }
    default:
      return invalid('(#131051) Unsupported message type', 131051, `type ${String(m.type)} is not supported`);
  }
}

function checkInteractive(i: any, bad: (d: string) => GraphError): GraphError | undefined {
  const body = len(i?.body?.text);
  if (body < 1 || body > 1024) return bad(`interactive body.text must be 1-1024 characters (got ${body})`);
  if (i.type === 'button') {
    const buttons: any[] = i.action?.buttons ?? [];
    if (buttons.length < 1 || buttons.length > 3) return bad('buttons: 1 to 3');
    for (const b of buttons) {
      if (b.type !== 'reply') return bad('button type must be reply');
      if (len(b.reply?.id) < 1 || len(b.reply.id) > 256) return bad('button id: 1-256 characters');
      if (len(b.reply?.title) < 1 || len(b.reply.title) > 20) return bad(`button title: 1-20 characters (got "${b.reply?.title}")`);
    }
    if (new Set(buttons.map((b) => b.reply.title)).size !== buttons.length) return bad('button titles must be unique');
    if (new Set(buttons.map((b) => b.reply.id)).size !== buttons.length) return bad('button ids must be unique');
    return undefined;
  }
  if (i.type === 'list') {
    const button = len(i.action?.button);
    if (button < 1 || button > 20) return bad('list button: 1-20 characters');
    const sections: any[] = i.action?.sections ?? [];
    if (sections.length < 1 || sections.length > 10) return bad('sections: 1 to 10');
    if (sections.length > 1 && sections.some((s) => len(s.title) < 1)) return bad('section titles are required with more than one section');
    const rows = sections.flatMap((s) => s.rows ?? []);
    if (rows.length < 1 || rows.length > 10) return bad(`rows: 1 to 10 in all (got ${rows.length})`);
    for (const r of rows) {
      if (len(r.id) < 1 || len(r.id) > 200) return bad('row id: 1-200 characters');
      if (len(r.title) < 1 || len(r.title) > 24) return bad(`row title: 1-24 characters (got "${r.title}")`);
      if (r.description !== undefined && len(r.description) > 72) return bad('row description: up to 72 characters');
    }
    if (new Set(rows.map((r) => r.id)).size !== rows.length) return bad('row ids must be unique');
    return undefined;
  }
  if (i.type === 'location_request_message') return i.action?.name === 'send_location' ? undefined : bad('action.name must be send_location');
  return bad(`interactive type ${String(i.type)} is not supported`);
}
