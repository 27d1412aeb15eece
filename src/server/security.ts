import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers for everything we serve. Our own pages load only our own scripts; the widget
 * and the web chat API set Cross-Origin-Resource-Policy: cross-origin themselves so any site may
 * embed them (CORS on /api/webchat decides which origins may call it).
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        // The widget's styles live in its shadow root; websockets to ourselves for live messages.
        'style-src': ["'self'", "'unsafe-inline'"],
        'connect-src': ["'self'", 'ws:', 'wss:'],
        'img-src': ["'self'", 'data:', 'blob:'],
        'frame-ancestors': ["'self'"],
        // TLS is the proxy's job (HSTS there); upgrading here would break plain-HTTP installs and tests.
        'upgrade-insecure-requests': null,
      },
    },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
}
