// Passwords: argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane) — strong,
// and fast enough (~30 ms) that a login on a 2-core office server stays snappy.
import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';

const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
export const MIN_PASSWORD_LENGTH = 10;

export function hashPassword(password: string, salt?: Buffer): Promise<string> {
  return argon2.hash(password, salt ? { ...OPTIONS, salt } : OPTIONS);
}

/** A hash of nothing, verified against when the username is unknown, so both cases take as long. */
let decoy: Promise<string> | null = null;

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (!hash) {
    decoy ??= hashPassword(randomBytes(16).toString('hex'));
    await argon2.verify(await decoy, password).catch(() => false);
    return false;
  }
  return argon2.verify(hash, password).catch(() => false);
}

/** A one-time password people can type: 14 characters without look-alikes (0/O, 1/l/I). */
export function generatePassword(length = 14): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/** Why a new password is refused, as a message code; null when it is acceptable. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return 'PASSWORD_TOO_SHORT';
  if (password.toLowerCase().includes(username.toLowerCase())) return 'PASSWORD_HAS_USERNAME';
  return null;
}
