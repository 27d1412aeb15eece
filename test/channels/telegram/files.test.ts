import { TelegramApi } from '../../../channels/telegram/api';
import { downloadAttachment } from '../../../channels/telegram/files';
import { fixture } from '../../requests/conversation';
import { FakeTelegram } from '../../support/fakeTelegram';

/** Downloading what a person sent: getFile, then the file, bounded in size at every step. */
describe('Telegram file downloads (against the fake Bot API)', () => {
  let fake: FakeTelegram;
  let api: TelegramApi;
  const getFiles = (fileId: string) => fake.calls.filter((c) => c.method === 'getFile' && c.params.file_id === fileId);

  beforeEach(async () => {
    fake = await new FakeTelegram().start();
    api = new TelegramApi({ token: fake.token, apiRoot: fake.apiRoot });
  });
  afterEach(() => fake.stop());

  it('fetches the bytes through getFile and /file/bot<token>/<path>', async () => {
    const bytes = fixture('id-card.jpg');
    const { file_id } = fake.addFile(bytes, 'photos', 'jpg');
    const attachment = await downloadAttachment(api, { fileId: file_id, kind: 'image', mime: 'image/jpeg' }, 1024);
    expect(attachment.size).toBe(bytes.length);
    expect((await attachment.fetch()).equals(bytes)).toBe(true);
  });

  it('does not even ask for a file Telegram already said is too large', async () => {
    const { file_id } = fake.addFile(fixture('residence-proof.pdf'));
    const attachment = await downloadAttachment(api, { fileId: file_id, kind: 'document', size: 5_000_000 }, 1_000_000);
    expect(attachment.size).toBe(5_000_000);
    await expect(attachment.fetch()).rejects.toThrow(/over the limit/);
    expect(getFiles(file_id)).toEqual([]);
  });

  it('stops a download of unknown size once it passes the limit, and reports the size it saw', async () => {
    fake.hideSizes = true;
    const bytes = Buffer.alloc(64 * 1024, 7);
    const { file_id } = fake.addFile(bytes);
    const attachment = await downloadAttachment(api, { fileId: file_id, kind: 'document' }, 10 * 1024);
    expect(attachment.size).toBeGreaterThan(10 * 1024);
    expect(attachment.size).toBeLessThan(bytes.length);
    await expect(attachment.fetch()).rejects.toThrow(/over the limit/);
  });

  it('reads the file from disk when a self-hosted server in --local mode gives an absolute path', async () => {
    fake.useLocalFiles();
    const bytes = fixture('family-book.png');
    const { file_id } = fake.addFile(bytes, 'documents', 'png');
    const attachment = await downloadAttachment(api, { fileId: file_id, kind: 'image' }, 1024);
    expect((await attachment.fetch()).equals(bytes)).toBe(true);
  });

  it('knows that only Telegram’s own servers limit downloads to 20 MB', () => {
    expect(new TelegramApi({ token: fake.token, apiRoot: 'https://api.telegram.org' }).official).toBe(true);
    expect(api.official).toBe(false);
  });
});
