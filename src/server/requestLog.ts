import type { RequestHandler } from 'express';
import type { Logger } from '../log';

/** One line per request once it finishes: method, path, status, ms. Conversation tokens are bearer secrets: masked. */
export function requestLogger(log: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      log.info({ method: req.method, path: req.path.replace(/[A-Za-z0-9_-]{22,}/g, ':token'), status: res.statusCode, ms: Math.round(performance.now() - started) }, 'http');
    });
    next();
  };
}
