import { ConfigError, loadConfig } from '../../../src/config';
import { whatsappCloudConfigured } from '../../../channels/whatsapp-cloud/adapter';
import { requestContentEnv } from '../../requests/content';
import { startTestApp } from '../../support/app';

describe('WhatsApp Cloud API configuration', () => {
  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      loadConfig(env);
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
  };

  it('is off when nothing is set, on when the four credentials are', () => {
    expect(whatsappCloudConfigured(loadConfig({}))).toBe(false);
    const on = loadConfig({ WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAG123', WHATSAPP_CLOUD_PHONE_NUMBER_ID: '106540352242922', WHATSAPP_CLOUD_APP_SECRET: 's', WHATSAPP_CLOUD_VERIFY_TOKEN: 'v' });
    expect(whatsappCloudConfigured(on)).toBe(true);
    expect(on.WHATSAPP_CLOUD_API_ROOT).toMatch(/^https:\/\/graph\.facebook\.com\/v\d+\.\d+$/);
    expect(on).toMatchObject({ WHATSAPP_CLOUD_TEMPLATE_NAME: '', WHATSAPP_CLOUD_TEMPLATE_LANGUAGES: 'ar:ar,en:en', WHATSAPP_CLOUD_TEMPLATE_TEXT_PARAMETER: true });
  });

  it('names what is missing from half a configuration, without showing secrets', () => {
    const problems = problemsOf({ WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAGsecret', WHATSAPP_CLOUD_PHONE_NUMBER_ID: '106540352242922' });
    expect(problems).toEqual([
      'WHATSAPP_CLOUD_APP_SECRET: required when WHATSAPP_CLOUD_ACCESS_TOKEN, WHATSAPP_CLOUD_PHONE_NUMBER_ID are set',
      'WHATSAPP_CLOUD_VERIFY_TOKEN: required when WHATSAPP_CLOUD_ACCESS_TOKEN, WHATSAPP_CLOUD_PHONE_NUMBER_ID are set',
    ]);
    expect(problems.join('\n')).not.toContain('EAAGsecret');
  });

  it('refuses malformed template settings with one line each', () => {
    expect(problemsOf({ WHATSAPP_CLOUD_TEMPLATE_NAME: 'Nabta Update' })).toEqual([expect.stringMatching(/^WHATSAPP_CLOUD_TEMPLATE_NAME: must be a template name/)]);
    expect(problemsOf({ WHATSAPP_CLOUD_TEMPLATES: 'staff:nabta' })).toEqual([expect.stringMatching(/^WHATSAPP_CLOUD_TEMPLATES: must look like staff=name/)]);
    expect(problemsOf({ WHATSAPP_CLOUD_TEMPLATE_LANGUAGES: 'fr:fr' })).toEqual([expect.stringMatching(/^WHATSAPP_CLOUD_TEMPLATE_LANGUAGES: must look like ar:ar/)]);
    expect(problemsOf({ WHATSAPP_CLOUD_TEMPLATES: 'staff=nabta_staff_reply, bot=nabta_update', WHATSAPP_CLOUD_TEMPLATE_LANGUAGES: 'ar:ar, en:en_US' })).toEqual([]);
  });

  it('does not listen for WhatsApp webhooks when off', async () => {
    const app = await startTestApp({ store: 'pglite', env: requestContentEnv() });
    try {
      const res = await fetch(`${app.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1`);
      expect(res.status).toBe(404);
    } finally {
      await app.dispose();
    }
    // A whole app on PGlite: slow on a busy machine.
  }, 90_000);
});
