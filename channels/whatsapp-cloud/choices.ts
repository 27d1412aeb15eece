import type { Inbound } from '../../src/core/types';
import type { Store } from '../../src/store/db';
import { findConversationByChannelUser } from '../../src/store/repos/conversations';
import { recentOutbound } from '../../src/store/repos/messages';
import { CHANNEL } from './inbound';
import { OPAQUE_ID_PREFIX, opaqueId } from './render';

/**
 * A button or row whose choice value was too long for WhatsApp carried a hash of it: the value is
 * found again among the choices the person was last shown. Not found (a very old button): the
 * words on the button are taken as typed text.
 */
export async function resolveOpaqueChoice(store: Store, inbound: Inbound, title: string | undefined): Promise<Inbound> {
  if (!inbound.payload?.startsWith(OPAQUE_ID_PREFIX)) return inbound;
  const conversation = await findConversationByChannelUser(store.db, CHANNEL, inbound.sender.id);
  const shown = conversation ? await recentOutbound(store.db, conversation.id, 20) : [];
  for (const row of shown) {
    const choices = ((row.body ?? {}) as { choices?: { value: string }[] }).choices ?? [];
    const found = choices.find((c) => opaqueId(c.value) === inbound.payload);
    if (found) return { ...inbound, payload: found.value };
  }
  const { payload: _unknown, ...rest } = inbound;
  return title ? { ...rest, text: title } : rest;
}
