/** A refusal the console API turns into a status and a code (the UI shows the matching text). */
export class HandoffError extends Error {
  constructor(
    readonly status: 403 | 404 | 409,
    readonly code: string,
  ) {
    super(code);
  }
}
