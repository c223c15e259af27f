// First start: an office without an ADMIN gets one, `admin`, whose one-time password is
// JEMPUT_ADMIN_PASSWORD or a generated one printed once; it must be changed at first login.
import type { Db } from '../db/client.ts';
import { generatePassword, hashPassword } from './passwords.ts';

export async function ensureOfficeAdmin(db: Db, officeId: string, env: { JEMPUT_ADMIN_PASSWORD?: string | undefined } = process.env): Promise<{ username: string; password: string | null } | null> {
  const admins = await db.user.count({ where: { officeId, role: 'ADMIN', active: true } });
  if (admins > 0) return null;
  const fromEnv = env.JEMPUT_ADMIN_PASSWORD || null;
  const password = fromEnv ?? generatePassword();
  // `admin` may be taken by an inactive account or another office: then admin-2, admin-3…
  let username = 'admin';
  for (let n = 2; await db.user.findUnique({ where: { username } }); n++) username = `admin-${n}`;
  await db.user.create({ data: { officeId, username, displayName: 'Administrator', role: 'ADMIN', passwordHash: await hashPassword(password), mustChangePassword: true } });
  return { username, password: fromEnv ? null : password };
}
