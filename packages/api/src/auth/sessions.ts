// Sessions: a random token in an HttpOnly, SameSite=Lax cookie (Secure over https); the
// database keeps only the token's SHA-256, so a leaked table cannot be replayed as cookies.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client.ts';

export const SESSION_COOKIE = 'jemput_session';
/** A session ends after 12 h without a request (a working day plus margin)… */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** …and 7 days after login whatever happens. */
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
/** lastSeenAt is refreshed at most this often. */
export const SESSION_TOUCH_MS = 60 * 1000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(db: Db, userId: string, meta: { ip: string | null; userAgent: string | null }, now = new Date()): Promise<{ token: string; id: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const id = hashToken(token);
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
  // Expired sessions of this user go when a new one starts, so the table does not grow forever.
  await db.session.deleteMany({ where: { userId, OR: [{ expiresAt: { lt: now } }, { lastSeenAt: { lt: new Date(now.getTime() - SESSION_IDLE_MS) } }] } });
  await db.session.create({ data: { id, userId, createdAt: now, lastSeenAt: now, expiresAt, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 300) ?? null } });
  return { token, id, expiresAt };
}

export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_ABSOLUTE_MS / 1000}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;
}

/** The session token from a Cookie header, if any. */
export function sessionTokenOf(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=') || null;
  }
  return null;
}
