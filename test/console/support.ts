import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { App } from '../../src/app';
import { hashPassword } from '../../src/console/auth/passwords';
import { insertStaff, type StaffRow } from '../../src/store/repos/staff';
import type { StaffRole } from '../../src/store/schema';

export const PASSWORD = 'correct-horse-battery';

/** A member of staff created straight in the database (as `npm run admin -- create-user` does). */
export async function createStaff(app: App, role: StaffRole, name: string = role): Promise<StaffRow> {
  return insertStaff(app.store.db, { email: `${name}-${randomBytes(4).toString('hex')}@example.org`, name, role, passwordHash: await hashPassword(PASSWORD) });
}

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A staff browser: keeps the session cookie and sends the CSRF token on state changes. */
export class StaffClient {
  cookie = '';
  csrf = '';

  constructor(readonly baseUrl: string) {}

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(`${this.baseUrl}/api/console${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  async login(email: string, password = PASSWORD): Promise<Answer> {
    const answer = await this.call('POST', '/login', { email, password });
    if (answer.status === 200) this.csrf = answer.body.csrfToken;
    return answer;
  }

  get = (path: string) => this.call('GET', path);
  post = (path: string, body?: unknown) => this.call('POST', path, body ?? {});

  /** The console's live connection, authenticated by the session cookie like a browser's. */
  async socket(): Promise<Socket> {
    const socket = io(`${this.baseUrl}/console`, { transports: ['websocket'], extraHeaders: { cookie: this.cookie }, reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  }
}

/** Resolves with the first `event` whose payload passes `match` (other tests share the Redis adapter). */
export function nextEvent<T = any>(socket: Socket, event: string, match: (payload: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const listener = (payload: T) => {
      if (!match(payload)) return;
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

export function watch(socket: Socket, conversationId: string): Promise<{ ok: boolean }> {
  return socket.emitWithAck('watch', conversationId);
}

/** A unique BullMQ prefix per test, so parallel tests never share queue keys. */
export const uniquePrefix = () => `nabta-test-${randomBytes(5).toString('hex')}`;

/** The web chat API as a visitor's widget calls it. */
export function webchatClient(baseUrl: string) {
  const call = async (path: string, init: RequestInit = {}): Promise<Answer> => {
    const res = await fetch(`${baseUrl}${path}`, init);
    return { status: res.status, headers: res.headers, body: await res.json() };
  };
  return {
    post: (body: unknown) => call('/api/webchat/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    transcript: (token: string) => call(`/api/webchat/conversations/${token}/messages`),
  };
}

/**
 * Polls `probe` until `check` accepts its value, for outcomes that arrive on their own (outbox
 * deliveries, timers, a rebuilt queue). Bounded: fails with the last value seen, never hangs.
 */
export async function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await probe();
    if (check(last)) return last;
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)?.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The texts of a web chat visitor's transcript (what they were sent). */
export async function visitorTexts(web: ReturnType<typeof webchatClient>, token: string): Promise<string[]> {
  return (await web.transcript(token)).body.messages.map((m: { text: string }) => m.text);
}
