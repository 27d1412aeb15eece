import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import type { Locale } from '../../src/core/types';
import type { Texts } from '../../src/i18n';

/** The widget's source folder, next to this file in the sources and in a build that copied it. */
function widgetDir(): string {
  const candidates = [path.join(__dirname, 'widget'), path.resolve(__dirname, '../../../channels/webchat/widget')];
  return candidates.find((dir) => existsSync(path.join(dir, 'widget.js'))) ?? candidates[0]!;
}

/**
 * widget.js = the socket.io client + our widget, in one closure: host pages get one script and no
 * globals (the client's UMD header sees a local `module` and exports into it).
 */
export function buildWidgetScript(): string {
  const clientPath = path.join(path.dirname(require.resolve('socket.io-client/package.json')), 'dist', 'socket.io.min.js');
  const client = readFileSync(clientPath, 'utf8').replace(/\/\/# sourceMappingURL=.*$/m, '');
  const widget = readFileSync(path.join(widgetDir(), 'widget.js'), 'utf8');
  return `/*! Nabta web chat widget */\n(function () {\n'use strict';\nvar module = { exports: {} }, exports = module.exports, define = undefined;\n${client}\n;var io = module.exports;\n${widget}\n})();\n`;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** GET /widget.js (embeddable anywhere) and GET / (the demo page, `?lang=en` for English). */
export function mountWidgetAssets(app: Express, texts: Texts, orgName: (locale: Locale) => string): void {
  let script: string | undefined;
  const template = readFileSync(path.join(widgetDir(), 'demo.html'), 'utf8');

  app.get('/widget.js', (_req, res) => {
    script ??= buildWidgetScript();
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('application/javascript; charset=utf-8').send(script);
  });

  app.get('/', (req, res) => {
    const locale: Locale = req.query.lang === 'en' ? 'en' : 'ar';
    const t = (key: string) => texts.t(`webchat.demo.${key}`, locale, { org: orgName(locale) });
    const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const values: Record<string, string> = {
      lang: locale,
      dir: locale === 'ar' ? 'rtl' : 'ltr',
      title: t('title'),
      heading: t('heading'),
      intro: t('intro'),
      snippet: `<script src="${origin}/widget.js" defer></script>`,
    };
    const html = template.replace(/\{\{(\w+)\}\}/g, (_m, key: string) => escapeHtml(values[key] ?? ''));
    res.type('html').send(html);
  });
}
