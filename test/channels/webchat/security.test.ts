import { startTestApp, type TestApp } from '../../support/app';

describe('web chat security headers and CORS', () => {
  describe('with the default (any origin may embed the widget)', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ store: 'pglite' });
    });
    afterAll(() => app.dispose());

    it('serves widget.js so any site can load it, with security headers on our pages', async () => {
      const widget = await fetch(`${app.url}/widget.js`);
      expect(widget.status).toBe(200);
      expect(widget.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
      expect(widget.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(await widget.text()).toContain('Nabta web chat widget');

      const page = await fetch(`${app.url}/`);
      const csp = page.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      expect(page.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      const html = await page.text();
      expect(html).toContain('<html lang="ar" dir="rtl">');
      expect(html).toContain('<script src="/widget.js" defer></script>');
    });

    it('lets any website call the public API', async () => {
      const preflight = await fetch(`${app.url}/api/webchat/messages`, {
        method: 'OPTIONS',
        headers: { origin: 'https://hafr-env.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    });
  });

  describe('with WEBCHAT_ALLOWED_ORIGINS set', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ store: 'pglite', env: { WEBCHAT_ALLOWED_ORIGINS: 'https://hafr-env.example, https://www.hafr-env.example' } });
    });
    afterAll(() => app.dispose());

    it('allows only the configured sites, and gives staff routes no CORS at all', async () => {
      const ask = (path: string, origin: string) =>
        fetch(`${app.url}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
      expect((await ask('/api/webchat/messages', 'https://www.hafr-env.example')).headers.get('access-control-allow-origin')).toBe('https://www.hafr-env.example');
      expect((await ask('/api/webchat/messages', 'https://elsewhere.example')).headers.get('access-control-allow-origin')).toBeNull();
      expect((await ask('/api/console/conversations', 'https://hafr-env.example')).headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
