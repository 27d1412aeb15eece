import path from 'node:path';
import { z } from 'zod';
import { parseKey } from './documents/crypto';

/** Empty string in the environment means "not set": compose files and .env templates write `X=`. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const withDefault = <T extends z.ZodType>(schema: T, fallback: z.input<T>) =>
  z.preprocess((v) => (v === '' || v === undefined ? fallback : v), schema) as unknown as z.ZodType<z.output<T>>;

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const urlWith = (...protocols: string[]) =>
  z.string().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.join(' or ')}//`);

/** The WhatsApp Cloud API channel runs when all of these are set. */
export const WHATSAPP_CLOUD_REQUIRED = ['WHATSAPP_CLOUD_ACCESS_TOKEN', 'WHATSAPP_CLOUD_PHONE_NUMBER_ID', 'WHATSAPP_CLOUD_APP_SECRET', 'WHATSAPP_CLOUD_VERIFY_TOKEN'] as const;

/** Every variable Nabta reads. `.env.example` documents each one; keep the two in step. */
const schema = z.object({
  NODE_ENV: withDefault(z.enum(['development', 'production', 'test']), 'development'),
  HOST: withDefault(z.string().min(1), '0.0.0.0'),
  PORT: withDefault(port, 3000),
  PUBLIC_URL: optional(urlWith('http:', 'https:')),
  LOG_LEVEL: withDefault(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
  DATA_DIR: withDefault(z.string().min(1), './data'),
  DATABASE_URL: optional(urlWith('postgres:', 'postgresql:')),
  DATABASE_POOL_SIZE: withDefault(positiveInt, 10),
  REDIS_URL: optional(urlWith('redis:', 'rediss:')),
  FLOWS_DIR: withDefault(z.string().min(1), './flows'),
  LOCALES_DIR: withDefault(z.string().min(1), './locales'),
  // Where the FAQ classifier's trained networks are kept by content, so a restart skips seconds of
  // training; unset = DATA_DIR/cache/nlu. Safe to delete.
  NLU_CACHE_DIR: optional(z.string().min(1)),
  DEFAULT_LOCALE: withDefault(z.enum(['ar', 'en']), 'ar'),
  FORM_MAX_RETRIES: withDefault(z.coerce.number().int().min(1).max(10), 3),
  DEDUPE_TTL_SECONDS: withDefault(positiveInt, 7 * 24 * 3600),
  OUTBOX_LEASE_SECONDS: withDefault(positiveInt, 30),
  OUTBOX_POLL_MS: withDefault(positiveInt, 1000),
  OUTBOX_MAX_ATTEMPTS: withDefault(positiveInt, 12),
  // Facts about the association. The policy gives none of these: empty until the association sets them,
  // and the bot says it does not know rather than guessing.
  ORG_NAME_AR: withDefault(z.string().min(1), 'جمعية حماية البيئة بحفر الباطن'),
  ORG_NAME_EN: withDefault(z.string().min(1), 'Environment Protection Association in Hafr Al-Batin'),
  ORG_PHONE: withDefault(z.string(), ''),
  ORG_WHATSAPP: withDefault(z.string(), ''),
  ORG_EMAIL: withDefault(z.string(), ''),
  ORG_WEBSITE: withDefault(z.string(), ''),
  ORG_ADDRESS_AR: withDefault(z.string(), ''),
  ORG_ADDRESS_EN: withDefault(z.string(), ''),
  ORG_HOURS_AR: withDefault(z.string(), ''),
  ORG_HOURS_EN: withDefault(z.string(), ''),
  ORG_SOCIAL: withDefault(z.string(), ''),
  ORG_PRIMARY_COLOR: withDefault(z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #2e7d32'), '#2e7d32'),
  // Support requests: key of documents and national IDs at rest (32 bytes, 64 hex characters or base64;
  // `openssl rand -hex 32`). Unset: a key file is created under DATA_DIR/keys, readable by its owner only.
  DOCUMENTS_KEY: optional(z.string().refine((v) => parseKey(v) !== undefined, 'must be 32 bytes as 64 hex characters or base64 (openssl rand -hex 32)')),
  // Largest document an applicant may send, in megabytes.
  MAX_UPLOAD_MB: withDefault(z.coerce.number().positive().max(50), 10),
  // Comma-separated places of the service area (names as in flows/data/places.json); unset = flows/data/service-area.yaml.
  SERVICE_AREA_CENTRES: optional(z.string().min(1)),
  // Distance (km) from a centre within which a shared location counts as inside; unset = service-area.yaml.
  SERVICE_AREA_RADIUS_KM: optional(z.coerce.number().positive().max(200)),
  PRETTY_LOGS: optional(bool),
  // WhatsApp Web (whatsapp-web.js): the association's own phone linked by QR. Unofficial; off unless turned on.
  WHATSAPP_WEB_ENABLED: withDefault(bool, 'false'),
  // The system's Chromium, which whatsapp-web.js drives (no browser is ever downloaded).
  CHROME_PATH: withDefault(z.string().min(1), '/usr/bin/chromium'),
  // Web chat: on unless turned off (it is the public face of the bot and the simple HTTP way to talk to it).
  WEBCHAT_ENABLED: withDefault(bool, 'true'),
  // Comma-separated origins allowed to call /api/webchat from a browser; `*` (default) = any site may embed the widget.
  WEBCHAT_ALLOWED_ORIGINS: withDefault(z.string().min(1), '*'),
  // Largest file a visitor may send through the web chat, in megabytes.
  WEBCHAT_MAX_FILE_MB: withDefault(z.coerce.number().positive().max(50), 10),
  // Requests per minute one IP address may make to the web chat API (429 with Retry-After beyond).
  RATE_LIMIT_PER_IP_PER_MINUTE: withDefault(positiveInt, 600),
  // Messages per minute one conversation may send (429 with Retry-After beyond).
  RATE_LIMIT_PER_CONVERSATION_PER_MINUTE: withDefault(positiveInt, 30),
  // Telegram: on when the bot token (from @BotFather) is set, off otherwise.
  TELEGRAM_BOT_TOKEN: optional(z.string().regex(/^\d{3,20}:[A-Za-z0-9_-]{20,100}$/, 'must be the token @BotFather gave, like 123456789:AA…')),
  // Set: webhook mode (Nabta calls setWebhook with this URL, which must reach POST /webhooks/telegram). Unset: long polling.
  TELEGRAM_WEBHOOK_URL: optional(urlWith('https:', 'http:')),
  // Secret Telegram sends with every webhook call (X-Telegram-Bot-Api-Secret-Token); required in webhook mode.
  TELEGRAM_WEBHOOK_SECRET: optional(z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 characters of A-Z a-z 0-9 _ - (openssl rand -hex 32)')),
  // Bot API server; set it for a self-hosted telegram-bot-api server (which also lifts the 20 MB download limit).
  TELEGRAM_API_ROOT: withDefault(urlWith('https:', 'http:'), 'https://api.telegram.org'),
  // Serve Prometheus metrics at GET /metrics (keep it off the public internet at the proxy).
  METRICS_ENABLED: withDefault(bool, 'true'),
  // One JSON log line per HTTP request (method, path, status, ms); off by default because it is noisy.
  LOG_REQUESTS: withDefault(bool, 'false'),
  // Staff working hours, e.g. "sun-thu 08:00-15:00; sat 10:00-13:00"; empty = always "as soon as possible".
  WORKING_HOURS: withDefault(z.string(), ''),
  // Time zone of working hours and of "today" on the dashboard.
  TIME_ZONE: withDefault(z.string().refine((tz) => { try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; } }, 'must be an IANA time zone like Asia/Riyadh'), 'Asia/Riyadh'),
  // Minutes a conversation may wait unclaimed before supervisors are reminded (fractions allowed).
  SLA_UNCLAIMED_MINUTES: withDefault(z.coerce.number().positive(), 10),
  // Minutes without a staff reply before the beneficiary gets an update (fractions allowed).
  SLA_NO_REPLY_MINUTES: withDefault(z.coerce.number().positive(), 5),
  // Prefix of the handoff queue's keys in Redis (BullMQ).
  QUEUE_PREFIX: withDefault(z.string().regex(/^[A-Za-z0-9_.-]+$/), 'nabta'),
  // Seconds between checks that the Redis queue still holds every waiting conversation (rebuilt from PostgreSQL).
  HANDOFF_RECONCILE_SECONDS: withDefault(positiveInt, 60),
  // Give waiting conversations to online agents in turn (least recently assigned first, under their capacity).
  HANDOFF_AUTO_ASSIGN: withDefault(bool, 'false'),
  // Hours a staff console session lasts.
  CONSOLE_SESSION_HOURS: withDefault(positiveInt, 12),
  // Send the console cookie only over HTTPS; unset = on when NODE_ENV=production.
  CONSOLE_COOKIE_SECURE: optional(bool),
  // Wrong passwords in a row before an account is locked, and for how many minutes.
  LOGIN_MAX_FAILURES: withDefault(positiveInt, 5),
  LOGIN_LOCK_MINUTES: withDefault(positiveInt, 15),
  // Login attempts one IP address may make per 15 minutes (429 beyond).
  LOGIN_ATTEMPTS_PER_IP: withDefault(positiveInt, 30),
  // WhatsApp Business Cloud API (Meta): on when the four credentials are set, off when none is.
  WHATSAPP_CLOUD_ACCESS_TOKEN: optional(z.string().min(1)),
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: optional(z.string().regex(/^\d{5,30}$/, 'must be the numeric phone number ID from the WhatsApp Manager')),
  WHATSAPP_CLOUD_APP_SECRET: optional(z.string().min(1)),
  WHATSAPP_CLOUD_VERIFY_TOKEN: optional(z.string().min(1)),
  // The Graph API base URL with its version (tests point it at a local fake).
  WHATSAPP_CLOUD_API_ROOT: withDefault(urlWith('http:', 'https:'), 'https://graph.facebook.com/v23.0'),
  // Outside the 24-hour window only approved templates may be sent: the default template's name
  // (empty = such messages are not sent and staff see why), per-author overrides, and languages.
  WHATSAPP_CLOUD_TEMPLATE_NAME: withDefault(z.string().regex(/^[a-z0-9_]*$/, 'must be a template name: lower-case letters, digits, _'), ''),
  WHATSAPP_CLOUD_TEMPLATES: withDefault(z.string().regex(/^\s*((staff|system|bot)\s*=\s*[a-z0-9_]+\s*(,\s*|$))*$/, 'must look like staff=name,system=name,bot=name'), ''),
  WHATSAPP_CLOUD_TEMPLATE_LANGUAGES: withDefault(z.string().regex(/^\s*(ar|en)\s*:\s*[A-Za-z_]{2,6}\s*(,\s*(ar|en)\s*:\s*[A-Za-z_]{2,6}\s*)*$/, 'must look like ar:ar,en:en_US'), 'ar:ar,en:en'),
  // The templates' body has one variable ({{1}}) that receives the message's text.
  WHATSAPP_CLOUD_TEMPLATE_TEXT_PARAMETER: withDefault(bool, 'true'),
}).superRefine((env, ctx) => {
  // Half a WhatsApp Cloud configuration is a mistake to report, not a channel to leave silently off.
  const set = WHATSAPP_CLOUD_REQUIRED.filter((name) => env[name] !== undefined);
  if (set.length === 0 || set.length === WHATSAPP_CLOUD_REQUIRED.length) return;
  for (const name of WHATSAPP_CLOUD_REQUIRED.filter((n) => env[n] === undefined)) {
    ctx.addIssue({ code: 'custom', path: [name], message: `required when ${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set` });
  }
}).superRefine((env, ctx) => {
  // Without the secret, anyone who finds the webhook's address could post updates as Telegram.
  if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_WEBHOOK_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_SECRET'], message: 'required when TELEGRAM_WEBHOOK_URL is set (webhook mode), e.g. from `openssl rand -hex 32`' });
  }
});

export type Env = z.output<typeof schema>;

/** The names of every variable Nabta reads. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

export interface Config extends Env {
  dataDir: string;
  flowsDir: string;
  localesDir: string;
  nluCacheDir: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** Reads and validates the environment. Throws ConfigError with one line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?');
      const value = env[name];
      const shown = value === undefined ? '' : ` (got "${redactValue(name, value)}")`;
      return `${name}: ${issue.message}${shown}`;
    });
    throw new ConfigError(problems);
  }
  const cfg = parsed.data;
  return {
    ...cfg,
    dataDir: path.resolve(cfg.DATA_DIR),
    flowsDir: path.resolve(cfg.FLOWS_DIR),
    localesDir: path.resolve(cfg.LOCALES_DIR),
    nluCacheDir: path.resolve(cfg.NLU_CACHE_DIR ?? path.join(cfg.DATA_DIR, 'cache', 'nlu')),
  };
}

/** For commands (`npm start`, `chat`, `admin`): the configuration, or each problem printed on its own line and undefined. */
export function loadConfigOrReport(env: NodeJS.ProcessEnv = process.env): Config | undefined {
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const problem of err.problems) console.error(`Configuration error: ${problem}`);
    return undefined;
  }
}

/** Secrets stay out of error messages; URLs lose their passwords. */
function redactValue(name: string, value: string): string {
  if (/SECRET|TOKEN|PASSWORD|KEY/.test(name)) return '***';
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return value.length > 80 ? `${value.slice(0, 80)}…` : value;
  }
}
