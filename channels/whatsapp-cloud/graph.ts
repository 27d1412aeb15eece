/**
 * The few Graph API calls the channel makes: send a message, look a media id up, download its
 * bytes. Errors keep Meta's shape ({error: {message, type, code, error_subcode, fbtrace_id}}) so
 * the sender can decide by code.
 */

export interface GraphSettings {
  /** Base URL with the version, e.g. https://graph.facebook.com/v23.0 */
  root: string;
  token: string;
  phoneNumberId: string;
  timeoutMs?: number;
}

/** A Graph API error answer, or a network failure (`code` undefined, `status` 0). */
export class GraphApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: number,
    readonly subcode?: number,
    readonly details?: string,
    readonly fbtraceId?: string,
  ) {
    super(message);
    this.name = 'GraphApiError';
  }
}

export interface MediaInfo {
  url: string;
  mime?: string;
  size?: number;
}

/** The media file is larger than we accept (known from its declared size or while downloading). */
export class MediaTooLargeError extends Error {
  constructor(readonly size: number) {
    super(`media is ${size} bytes, over the limit`);
    this.name = 'MediaTooLargeError';
  }
}

const DEFAULT_TIMEOUT_MS = 15_000;

export class GraphClient {
  private readonly root: string;

  constructor(private readonly settings: GraphSettings) {
    this.root = settings.root.replace(/\/+$/, '');
  }

  /** POST /<phone-number-id>/messages; returns the WhatsApp message id (wamid). */
  async sendMessage(body: Record<string, unknown>): Promise<string> {
    const answer = (await this.call(`${this.root}/${encodeURIComponent(this.settings.phoneNumberId)}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', ...body }),
    })) as { messages?: { id?: string }[] };
    const id = answer.messages?.[0]?.id;
    if (!id) throw new GraphApiError('send answer without a message id', 502);
    return id;
  }

  /** GET /<media-id>: where the bytes are (a URL valid for a few minutes), their type and size. */
  async mediaInfo(mediaId: string): Promise<MediaInfo> {
    const answer = (await this.call(`${this.root}/${encodeURIComponent(mediaId)}`, { method: 'GET' })) as { url?: string; mime_type?: string; file_size?: number | string };
    if (!answer.url) throw new GraphApiError('media answer without a url', 502);
    const size = Number(answer.file_size);
    return { url: answer.url, mime: answer.mime_type, size: Number.isFinite(size) && size >= 0 ? size : undefined };
  }

  /** The bytes behind a media URL (it needs the token too), stopped as soon as they pass `maxBytes`. */
  async download(url: string, maxBytes: number): Promise<Buffer> {
    const res = await this.fetch(url, { method: 'GET' });
    if (!res.ok) throw await toError(res);
    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw new MediaTooLargeError(declared);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    if (!res.body) return Buffer.alloc(0);
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new MediaTooLargeError(total);
      }
      chunks.push(Buffer.from(value));
    }
    return Buffer.concat(chunks);
  }

  private async call(url: string, init: RequestInit): Promise<unknown> {
    const res = await this.fetch(url, init);
    if (!res.ok) throw await toError(res);
    return res.json().catch(() => {
      throw new GraphApiError('answer is not JSON', 502);
    });
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, {
        ...init,
        headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${this.settings.token}` },
        signal: AbortSignal.timeout(this.settings.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        redirect: 'follow',
      });
    } catch (err) {
      throw new GraphApiError(`Graph API unreachable: ${err instanceof Error ? err.message : String(err)}`, 0);
    }
  }
}

async function toError(res: Response): Promise<GraphApiError> {
  const text = await res.text().catch(() => '');
  try {
    const { error } = JSON.parse(text) as { error?: { message?: string; code?: number; error_subcode?: number; error_data?: { details?: string }; fbtrace_id?: string } };
    if (error) return new GraphApiError(error.message ?? `HTTP ${res.status}`, res.status, error.code, error.error_subcode, error.error_data?.details, error.fbtrace_id);
  } catch {
    /* not Graph's JSON: a proxy or an outage page */
  }
  return new GraphApiError(`HTTP ${res.status}`, res.status);
}
