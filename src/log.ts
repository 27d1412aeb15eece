import pino, { type Logger } from 'pino';

export type { Logger };

// Saudi national IDs / iqamas (10 digits starting 1 or 2) and phone numbers, in ASCII or Arabic-Indic digits.
const NATIONAL_ID = /(?<![\d٠-٩])[12١٢][\d٠-٩]{9}(?![\d٠-٩])/g;
const PHONE = /(?<![\d٠-٩])(?:\+|00)?[\d٠-٩][\d٠-٩ \-]{7,14}[\d٠-٩](?![\d٠-٩])/g;

/** Masks national IDs and phone numbers in free text, keeping the last 2 digits for support work. */
export function maskPersonalData(text: string): string {
  return text
    .replace(NATIONAL_ID, (m) => `${'*'.repeat(m.length - 2)}${m.slice(-2)}`)
    .replace(PHONE, (m) => `${m.slice(0, -2).replace(/[\d٠-٩]/g, '*')}${m.slice(-2)}`);
}

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonalData(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth + 1);
  return out;
}

/** JSON logs (pino) with personal data masked in every field and message. */
export function createLogger(options: { level: string; pretty?: boolean; name?: string }): Logger {
  return pino({
    name: options.name ?? 'nabta',
    level: options.level,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', '*.password', '*.token', 'password', 'token'], censor: '[redacted]' },
    formatters: { log: (obj) => maskDeep(obj) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === 'string' ? maskPersonalData(a) : a)) as Parameters<typeof method>;
        method.apply(this, masked);
      },
    },
    ...(options.pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  });
}
