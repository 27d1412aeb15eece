import { requestContentEnv } from '../../requests/content';
import { startTelegramApp, type TelegramHarness } from './harness';

/** Long polling (no TELEGRAM_WEBHOOK_URL): getUpdates in a loop, offsets confirming what was processed. */
describe('Telegram in long-polling mode (PGlite)', () => {
  let h: TelegramHarness;

  beforeAll(async () => {
    h = await startTelegramApp({ store: 'pglite', mode: 'polling', env: requestContentEnv(), leftoverWebhook: 'https://old.example.org/webhooks/telegram' });
  }, 90_000); // starting the app (FAQ index, migrations) is slow on a machine the tests share
  afterAll(() => h.dispose());

  it('removes a webhook left from webhook mode, receives updates, answers, and confirms them', async () => {
    const { fake, app } = h;
    await fake.waitForCall((c) => c.method === 'deleteWebhook' && c.status === 200);
    expect(fake.webhook).toBeUndefined();
    const person = h.user();
    const hello = await person.send(person.text('السلام عليكم'));
    await fake.waitForCall((c) => c.method === 'sendMessage' && c.status === 200 && String(c.params.chat_id) === String(person.chatId) && c.params.text === app.texts.t('menu.prompt', 'ar'));
    // The next getUpdates confirms the processed update (offset past it), so Telegram forgets it.
    await fake.waitForCall((c) => c.method === 'getUpdates' && Number(c.params.offset) === hello.update_id + 1);

    // Buttons work the same way over polling.
    const pressed = await person.send(person.press(app.texts.t('menu.status', 'ar')));
    await fake.waitForCall((c) => c.method === 'answerCallbackQuery' && c.status === 200 && c.params.callback_query_id === pressed.callback_query.id);
    await fake.waitForCall((c) => c.method === 'sendMessage' && c.status === 200 && String(c.params.chat_id) === String(person.chatId) && c.params.text === app.texts.t('requests.ask.reference', 'ar'));
  });
});
