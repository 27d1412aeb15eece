import argon2 from 'argon2';

/** argon2id with the library's defaults (OWASP-level memory cost); parameters travel in the hash. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

// Verifying against this when the email is unknown keeps the answer time the same: no user enumeration.
let dummy: Promise<string> | undefined;

export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  dummy ??= hashPassword('not-a-real-password');
  try {
    return await argon2.verify(hash ?? (await dummy), password).then((ok) => ok && hash !== undefined);
  } catch {
    return false;
  }
}

/** Minimum a staff password must meet (checked by the CLI and the users API). */
export const PASSWORD_MIN_LENGTH = 10;
