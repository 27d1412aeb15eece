import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decrypt, encrypt, loadKeys, lookupHash, parseKey } from '../../src/documents/crypto';
import { sniffDocumentType } from '../../src/documents/fileType';
import { loadConfig } from '../../src/config';
import { tempDir } from '../support/app';

const FIXTURES = path.resolve(__dirname, '../fixtures/requests');
const HEX_KEY = 'a'.repeat(64);

describe('document encryption', () => {
  it('round-trips with AES-256-GCM, and refuses a swapped or tampered blob', () => {
    const keys = loadKeys({ configured: HEX_KEY, dataDir: tempDir() });
    const plain = readFileSync(path.join(FIXTURES, 'id-card.jpg'));
    const sealed = encrypt(keys.documents, plain, 'document:1');
    expect(sealed.includes(plain)).toBe(false);
    expect(decrypt(keys.documents, sealed, 'document:1')).toEqual(plain);
    expect(() => decrypt(keys.documents, sealed, 'document:2')).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => decrypt(keys.documents, tampered, 'document:1')).toThrow();
    expect(() => decrypt(keys.identity, sealed, 'document:1')).toThrow();
  });

  it('derives separate keys, and a stable lookup hash for national IDs', () => {
    const keys = loadKeys({ configured: HEX_KEY, dataDir: tempDir() });
    expect(keys.documents.equals(keys.identity)).toBe(false);
    expect(lookupHash(keys.lookup, '1054321987')).toBe(lookupHash(loadKeys({ configured: HEX_KEY, dataDir: tempDir() }).lookup, '1054321987'));
    expect(lookupHash(keys.lookup, '1054321987')).not.toContain('1054321987');
  });

  it('embedded default: creates a key file readable by its owner only, and reuses it', () => {
    const dir = tempDir();
    const first = loadKeys({ dataDir: dir });
    const file = path.join(dir, 'keys', 'documents.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadKeys({ dataDir: dir }).documents.equals(first.documents)).toBe(true);
    writeFileSync(file, 'not a key');
    expect(() => loadKeys({ dataDir: dir })).toThrow(/does not hold a valid key/);
  });

  it('accepts hex or base64 keys of 32 bytes; configuration refuses a malformed one', () => {
    expect(parseKey(HEX_KEY)?.length).toBe(32);
    expect(parseKey(Buffer.alloc(32, 7).toString('base64'))?.length).toBe(32);
    expect(parseKey('short')).toBeUndefined();
    expect(parseKey(Buffer.alloc(16).toString('base64'))).toBeUndefined();
    expect(() => loadConfig({ DOCUMENTS_KEY: 'too-short' })).toThrow(/DOCUMENTS_KEY: must be 32 bytes.*\(got "\*\*\*"\)/);
    expect(() => loadKeys({ configured: 'nope', dataDir: tempDir() })).toThrow(/DOCUMENTS_KEY/);
    expect(loadConfig({ DOCUMENTS_KEY: HEX_KEY }).DOCUMENTS_KEY).toBe(HEX_KEY);
  });
});

describe('document type by content', () => {
  it.each([
    ['id-card.jpg', 'image/jpeg'],
    ['family-book.png', 'image/png'],
    ['residence-proof.pdf', 'application/pdf'],
    ['photo.heic', 'image/heic'],
  ])('%s is %s', (file, mime) => {
    expect(sniffDocumentType(readFileSync(path.join(FIXTURES, file)))).toBe(mime);
  });

  it('refuses an executable named .pdf, and text', () => {
    expect(sniffDocumentType(readFileSync(path.join(FIXTURES, 'fake.pdf')))).toBeUndefined();
    expect(sniffDocumentType(Buffer.from('hello, this is not an image'))).toBeUndefined();
    expect(sniffDocumentType(Buffer.alloc(0))).toBeUndefined();
  });
});
