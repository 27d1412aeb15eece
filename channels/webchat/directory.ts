import type { Store } from '../../src/store/db';
import { findConversationByChannelUser } from '../../src/store/repos/conversations';
import { TOKEN_PATTERN } from './inbound';

/**
 * Token -> internal conversation id. Known tokens are remembered (a conversation never changes its
 * token), so a visitor's next message costs no extra query; unknown ones are always asked again.
 */
export class ConversationDirectory {
  private readonly known = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly maxEntries = 50_000,
  ) {}

  async resolve(token: string): Promise<string | undefined> {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    const cached = this.known.get(token);
    if (cached) return cached;
    const row = await findConversationByChannelUser(this.store.db, 'webchat', token);
    if (row) this.remember(token, row.id);
    return row?.id;
  }

  remember(token: string, conversationId: string): void {
    if (this.known.has(token)) return;
    this.known.set(token, conversationId);
    // Oldest first out: Map keeps insertion order.
    if (this.known.size > this.maxEntries) this.known.delete(this.known.keys().next().value!);
  }
}
