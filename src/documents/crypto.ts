import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import path from 'node:path';

/** Keys derived from the one configured secret, each for one job. */
export interface Keys {
  /** AES-256-GCM for document bytes. */
  documents: Buffer;
  /** AES-256-GCM for national ID numbers. */
  identity: Buffer;
  /** HMAC-SHA256 for looking a national ID up (duplicates) without storing it in clear. */
  lookup: Buffer;
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A key is 32 bytes written as 64 hex characters or as base64. Returns undefined when malformed. */
export function parseKey(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(t) || /^[A-Za-z0-9_-]{43}$/.test(t)) {
    const buf = Buffer.from(t, t.includes('-') || t.includes('_') ? 'base64url' : 'base64');
    return buf.length === 32 ? buf : undefined;
  }
  return undefined;
}

/**
 * The configured DOCUMENTS_KEY, or (embedded default) `<DATA_DIR>/keys/documents.key`, created on
 * first start readable by its owner only. A malformed key stops the start with a clear message.
 */
export function loadKeys(options: { configured?: string; dataDir: string }): Keys {
  let master: Buffer | undefined;
  if (options.configured !== undefined && options.configured !== '') {
    master = parseKey(options.configured);
    if (!master) throw new Error('DOCUMENTS_KEY must be 32 random bytes as 64 hex characters or base64 (openssl rand -hex 32)');
  } else {
    const dir = path.join(options.dataDir, 'keys');
    const file = path.join(dir, 'documents.key');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    // Tighten a file someone loosened; the key protects every document.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    master = parseKey(readFileSync(file, 'utf8'));
    if (!master) throw new Error(`${file} does not hold a valid key (64 hex characters); restore it from your backup`);
  }
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', master!, Buffer.alloc(0), `nabta:${info}`, 32));
  return { documents: derive('documents'), identity: derive('national-id'), lookup: derive('national-id-lookup') };
}

/** AES-256-GCM; `aad` binds the ciphertext to its record (a swapped blob fails to decrypt). */
export function encrypt(key: Buffer, plain: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
}

export function decrypt(key: Buffer, sealed: Buffer, aad: string): Buffer {
  if (sealed[0] !== VERSION) throw new Error('Unknown ciphertext version');
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
}

/** Equality lookup without the value in clear. */
export function lookupHash(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('hex');
}
