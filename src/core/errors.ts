/**
 * A failed send. `retryable` decides what happens next: back to the outbox with backoff (or the
 * platform's retry-after), or given up and recorded. Never logged-and-dropped.
 */
export class SendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'SendError';
  }
}

/** An error with the context it happened in: which conversation, which channel, which step. */
export class ContextError extends Error {
  constructor(
    message: string,
    readonly context: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ContextError';
  }
}
