import { eq } from 'drizzle-orm';
import { messages } from '../../src/store/schema';
import { startTestApp, type TestApp } from '../support/app';
import { inbound, RecordingChannel } from '../support/recordingChannel';
import { STORE_KINDS } from '../support/stores';

describe.each(STORE_KINDS)('gateway pipeline on %s', (store) => {
  let app: TestApp;
  let channel: RecordingChannel;

  beforeEach(async () => {
    channel = new RecordingChannel();
    app = await startTestApp({ store, channels: [channel], http: false });
  });
  afterEach(() => app.dispose());

  it('answers a greeting with the association’s welcome and the main menu', async () => {
    const result = await app.gateway.receive(inbound('u1', 'السلام عليكم'));
    expect(result.match).toEqual({ kind: 'command', id: 'greeting', score: 1 });
    expect(result.replies[0]!.text).toContain('جمعية حماية البيئة بحفر الباطن');
    expect(result.replies[1]!.choices?.map((c) => c.value)).toContain('flow:support-request');
    await channel.waitForSent(2);
    expect(channel.texts('u1')).toEqual(result.replies.map((r) => r.text));
  });

  it('processes the same channel message id once', async () => {
    const message = inbound('u2', 'السلام عليكم');
    const first = await app.gateway.receive(message);
    const second = await app.gateway.receive({ ...message });
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    const rows = await app.store.db.select().from(messages).where(eq(messages.conversationId, first.conversation!.id));
    expect(rows.filter((r) => r.direction === 'in')).toHaveLength(1);
  });

  it('delivers messages sent outside a turn (staff replies), also from inside another transaction', async () => {
    const first = await app.gateway.receive(inbound('u3', 'السلام عليكم'));
    const conversationId = first.conversation!.id;
    await channel.waitForSent(2);
    await app.gateway.notify(conversationId, [{ text: 'أهلًا، معك سارة من الجمعية.' }], 'staff', 'staff-1');
    await app.store.transaction((tx) => app.gateway.notify(conversationId, [{ text: 'تم استلام طلبك.' }], 'staff', 'staff-1', tx));
    await channel.waitForSent(4);
    expect(channel.texts('u3').slice(2)).toEqual(['أهلًا، معك سارة من الجمعية.', 'تم استلام طلبك.']);
    expect(channel.sent[3]!.message.author).toBe('staff');
  });

  it('can answer a webhook once the turn is committed, and still delivers each person\'s replies in order', async () => {
    // The platform holds the first delivery: receive() must not wait for it.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holds = 1;
    channel.beforeSend = async () => {
      if (holds-- > 0) await held;
    };
    const first = await app.gateway.receive(inbound('u4', 'السلام عليكم'), { untilCommitted: true });
    expect(first.replies).toHaveLength(2);
    expect(channel.sent).toHaveLength(0);
    const stored = await app.store.db.select().from(messages).where(eq(messages.conversationId, first.conversation!.id));
    expect(stored.filter((r) => r.direction === 'out')).toHaveLength(2);

    // The same person's next message waits behind the held delivery, so replies cannot overtake it.
    const second = app.gateway.receive(inbound('u4', 'وش الاوراق المطلوبة'), { untilCommitted: true });
    release();
    const answered = await second;
    await channel.waitForSent(2 + answered.replies.length);
    expect(channel.texts('u4')).toEqual([...first.replies, ...answered.replies].map((r) => r.text));
  });
});
