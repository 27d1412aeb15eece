import { ConfigError, loadConfig } from '../../../src/config';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('Telegram configuration', () => {
  it('is off by default and uses Telegram’s own Bot API server', () => {
    const config = loadConfig({});
    expect(config.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(config.TELEGRAM_WEBHOOK_URL).toBeUndefined();
    expect(config.TELEGRAM_API_ROOT).toBe('https://api.telegram.org');
  });

  it('polls without a webhook URL; webhook mode needs its secret, said clearly', () => {
    expect(problems({ TELEGRAM_BOT_TOKEN: TOKEN })).toEqual([]);
    expect(problems({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: 'https://chat.example.org/webhooks/telegram' })).toEqual([
      'TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set (webhook mode), e.g. from `openssl rand -hex 32`',
    ]);
    expect(problems({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: 'https://chat.example.org/webhooks/telegram', TELEGRAM_WEBHOOK_SECRET: 'a1_B2-c3' })).toEqual([]);
  });

  it('refuses a malformed token, secret or server address without printing the secrets', () => {
    const found = problems({ TELEGRAM_BOT_TOKEN: 'not-a-token', TELEGRAM_WEBHOOK_SECRET: 'has spaces!', TELEGRAM_API_ROOT: 'ftp://bots.example.org' });
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^TELEGRAM_BOT_TOKEN: must be the token @BotFather gave.*\(got "\*\*\*"\)$/);
    expect(found[1]).toMatch(/^TELEGRAM_WEBHOOK_SECRET: must be 1-256 characters.*\(got "\*\*\*"\)$/);
    expect(found[2]).toMatch(/^TELEGRAM_API_ROOT: must be a URL/);
    expect(found.join('\n')).not.toContain('has spaces');
  });
});
