import { sql } from 'drizzle-orm';
import { audit } from '../../src/store/repos/audit';
import { findConversation, getOrCreateConversation, saveConversationState } from '../../src/store/repos/conversations';
import { insertInbound, insertOutbound, listMessages } from '../../src/store/repos/messages';
import { claimDueOutbox, enqueueOutbox, markOutboxDone, markOutboxFailed, pendingOutboxCount } from '../../src/store/repos/outbox';
import { auditLog } from '../../src/store/schema';
import { freshDatabase, STORE_KINDS, type TestDatabase } from '../support/stores';

describe.each(STORE_KINDS)('store repositories on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase(kind);
  });
  afterAll(() => database.drop());
  const db = () => database.store.db;

  it('creates one conversation per person and channel, even when asked concurrently', async () => {
    const all = await Promise.all(Array.from({ length: 5 }, () => getOrCreateConversation(db(), 'telegram', '42', 'ar')));
    expect(new Set(all.map((c) => c.id)).size).toBe(1);
    expect(all[0]!.id.length).toBeGreaterThanOrEqual(32);
    const other = await getOrCreateConversation(db(), 'webchat', '42', 'en');
    expect(other.id).not.toBe(all[0]!.id);
    expect(other.state).toMatchObject({ locale: 'en', mode: 'bot', stack: [] });
  });

  it('saves and reloads the engine state', async () => {
    const c = await getOrCreateConversation(db(), 'telegram', 'state-user', 'ar');
    await saveConversationState(db(), c.id, { ...c.state, mode: 'queued', memory: { reference: 'HB-2026-000001' } }, true);
    const again = await findConversation(db(), c.id);
    expect(again).toMatchObject({ mode: 'queued', state: { mode: 'queued', memory: { reference: 'HB-2026-000001' } } });
    expect(again!.lastInboundAt).toBeInstanceOf(Date);
  });

  it('keeps the transcript in both directions and refuses an inbound message id twice', async () => {
    const c = await getOrCreateConversation(db(), 'whatsapp-cloud', '966500000000', 'ar');
    const base = { conversationId: c.id, author: 'beneficiary', channel: 'whatsapp-cloud', channelMessageId: 'wamid.1', text: 'مرحبا' };
    expect(await insertInbound(db(), base)).toBeDefined();
    expect(await insertInbound(db(), base)).toBeUndefined();
    const out = await insertOutbound(db(), [
      { conversationId: c.id, author: 'bot', channel: 'whatsapp-cloud', text: 'أهلًا' },
      { conversationId: c.id, author: 'bot', channel: 'whatsapp-cloud', text: 'كيف أخدمك؟' },
    ]);
    const after = await listMessages(db(), c.id, { after: out[0]!.id });
    expect(after.map((m) => m.text)).toEqual(['كيف أخدمك؟']);
    expect((await listMessages(db(), c.id)).map((m) => m.direction)).toEqual(['in', 'out', 'out']);
  });

  it('hands each due outbox row to one worker only, and retries failures later', async () => {
    const rows = await enqueueOutbox(db(), Array.from({ length: 6 }, (_, i) => ({ kind: 'deliver', payload: { i } })));
    const [a, b] = await Promise.all([claimDueOutbox(db(), 3, 30), claimDueOutbox(db(), 3, 30)]);
    const ids = [...a, ...b].map((r) => r.id).sort((x, y) => x - y);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(rows.map((r) => r.id).slice(0, ids.length));
    expect(await claimDueOutbox(db(), 10, 30)).toHaveLength(6 - ids.length);

    await markOutboxDone(db(), ids.slice(1));
    await markOutboxFailed(db(), ids[0]!, 'platform down', 60_000);
    expect(await claimDueOutbox(db(), 10, 30)).toEqual([]);
    const pending = await pendingOutboxCount(db());
    expect(pending).toBeGreaterThanOrEqual(1);
  });

  it('records audit entries', async () => {
    await audit(db(), { actor: 'staff:1', action: 'document.viewed', subjectType: 'request', subjectId: 'HB-2026-000001' });
    const rows = await db().select().from(auditLog).where(sql`${auditLog.action} = 'document.viewed'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.at).toBeInstanceOf(Date);
  });
});
