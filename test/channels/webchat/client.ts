/** A tiny HTTP client for the web chat API, as a website's script would call it. */
export interface ApiAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** `defaults` runs for every request (a test can give each request its own client IP). */
export function webchatClient(baseUrl: string, defaults: () => Record<string, string> = () => ({})) {
  const call = async (path: string, init: RequestInit = {}): Promise<ApiAnswer> => {
    const res = await fetch(`${baseUrl}${path}`, { ...init, headers: { ...defaults(), ...(init.headers as Record<string, string>) } });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON: the test will say so */
    }
    return { status: res.status, headers: res.headers, body };
  };
  return {
    call,
    post: (body: unknown, headers: Record<string, string> = {}) =>
      call('/api/webchat/messages', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }),
    postForm: (form: FormData, headers: Record<string, string> = {}) => call('/api/webchat/messages', { method: 'POST', body: form, headers }),
    transcript: (conversationId: string, after?: number | string) =>
      call(`/api/webchat/conversations/${conversationId}/messages${after === undefined ? '' : `?after=${after}`}`),
  };
}

/** A real 1x1 PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
