import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequestsModule } from '../../src/requests';
import { findConversationByChannelUser } from '../../src/store/repos/conversations';
import { startTestApp, tempDir, type TestApp } from '../support/app';
import { inbound, RecordingChannel } from '../support/recordingChannel';
import { createStaff, StaffClient } from '../console/support';

/** A real Ogg/Opus voice note (the format WhatsApp and Telegram record), 127 bytes. */
const VOICE = readFileSync(path.join(__dirname, 'fixtures/voice-note.ogg'));

describe('voice notes reach the member of staff', () => {
  let app: TestApp;
  const channel = new RecordingChannel('voice-test');

  beforeAll(async () => {
    app = await startTestApp({ store: 'postgres', channels: [channel] });
  });
  afterAll(() => app?.dispose());

  it('stores a voice note sent to staff encrypted and plays it in the console for the agent who holds the chat', async () => {
    await app.gateway.receive({ ...inbound('caller-1', 'ابي اكلم موظف'), channel: 'voice-test' });
    const conversation = (await findConversationByChannelUser(app.store.db, 'voice-test', 'caller-1'))!;
    const agent = await createStaff(app, 'agent', 'noura');
    const client = new StaffClient(app.url);
    expect((await client.login(agent.email)).status).toBe(200);
    expect((await client.post(`/conversations/${conversation.id}/claim`)).status).toBe(200);

    await app.gateway.receive({
      ...inbound('caller-1', ''),
      text: undefined,
      channel: 'voice-test',
      attachments: [{ kind: 'audio', mime: 'audio/ogg; codecs=opus', size: VOICE.length, fetch: async () => VOICE }],
    });

    const detail = (await client.get(`/conversations/${conversation.id}`)).body;
    const voice = detail.messages.find((m: { body: { attachments?: unknown[] } | null }) => m.body?.attachments);
    expect(voice.body.attachments).toEqual([expect.objectContaining({ kind: 'audio', mime: 'audio/ogg', ref: expect.stringMatching(/^doc:/) })]);
    const played = await fetch(`${app.url}/api/console/conversations/${conversation.id}/attachments/${voice.body.attachments[0].ref.slice(4)}`, { headers: { cookie: client.cookie } });
    expect(played.status).toBe(200);
    expect(played.headers.get('content-type')).toBe('audio/ogg');
    expect(Buffer.from(await played.arrayBuffer()).equals(VOICE)).toBe(true);
  });

  it('refuses audio bytes that claim to be a document, and a voice note as one of the policy documents', async () => {
    await app.gateway.receive({
      ...inbound('caller-2', ''),
      text: undefined,
      channel: 'voice-test',
      attachments: [{ kind: 'document', fileName: 'id.pdf', mime: 'application/pdf', fetch: async () => VOICE }],
    });
    const conversation = (await findConversationByChannelUser(app.store.db, 'voice-test', 'caller-2'))!;
    const client = new StaffClient(app.url);
    expect((await client.login((await createStaff(app, 'admin', 'huda')).email)).status).toBe(200);
    const detail = (await client.get(`/conversations/${conversation.id}`)).body;
    const sent = detail.messages.find((m: { body: { attachments?: unknown[] } | null }) => m.body?.attachments);
    expect(sent.body.attachments).toEqual([expect.objectContaining({ ref: 'refused:type' })]);

    const requests = createRequestsModule({ dataDir: tempDir(), flowsDir: path.resolve(__dirname, '../../flows'), MAX_UPLOAD_MB: 10 });
    const asDocument = requests.validators.get('document')!({ ref: 'doc:0b0c', mime: 'audio/ogg', size: VOICE.length }, {});
    expect(asDocument).toMatchObject({ ok: false, reason: 'validation.file_type' });
  });
});
