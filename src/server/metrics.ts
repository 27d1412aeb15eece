import type { RequestHandler } from 'express';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { GatewayObserver } from '../gateway';

export interface Metrics {
  registry: Registry;
  /** Feeds the gateway's pipeline events into the counters. */
  observer: GatewayObserver;
  /** Counts a request an API refused (4xx), by channel and code. */
  rejected(channel: string, code: string): void;
  handler: RequestHandler;
}

/** Prometheus metrics in a registry of its own (several apps can run in one test process). */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'nabta_' });
  const messagesIn = new Counter({ name: 'nabta_messages_in_total', help: 'Inbound messages processed, by channel', labelNames: ['channel', 'match'], registers: [registry] });
  const messagesOut = new Counter({ name: 'nabta_messages_out_total', help: 'Outbound messages delivered, by channel', labelNames: ['channel'], registers: [registry] });
  const latency = new Histogram({
    name: 'nabta_pipeline_seconds',
    help: 'Time from dedupe to commit of one inbound message, by channel',
    labelNames: ['channel'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const errors = new Counter({ name: 'nabta_errors_total', help: 'Failures by kind (pipeline, turn, http, ...)', labelNames: ['kind'], registers: [registry] });
  const rejections = new Counter({ name: 'nabta_http_rejections_total', help: 'Requests refused with a 4xx, by channel and code', labelNames: ['channel', 'code'], registers: [registry] });

  return {
    registry,
    observer: {
      processed(channel, ms, match) {
        messagesIn.inc({ channel, match: match?.kind ?? 'none' });
        latency.observe({ channel }, ms / 1000);
      },
      delivered(channel, count) {
        messagesOut.inc({ channel }, count);
      },
      failed(kind) {
        errors.inc({ kind });
      },
    },
    rejected(channel, code) {
      rejections.inc({ channel, code });
    },
    handler: async (_req, res) => {
      res.setHeader('Content-Type', registry.contentType);
      res.send(await registry.metrics());
    },
  };
}

/** Calls every observer given (metrics plus whatever a test or an issue adds). */
export function combineObservers(...observers: (GatewayObserver | undefined)[]): GatewayObserver {
  const list = observers.filter((o): o is GatewayObserver => Boolean(o));
  return {
    processed: (...args) => list.forEach((o) => o.processed?.(...args)),
    delivered: (...args) => list.forEach((o) => o.delivered?.(...args)),
    failed: (...args) => list.forEach((o) => o.failed?.(...args)),
  };
}
