// Who is signed in: the user behind a session cookie, with the role and district scope that
// every rule (rules.ts) and every scoped query (scope.ts) reads.
import type { Db } from '../db/client.ts';
import { hashToken, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, SESSION_TOUCH_MS, sessionTokenOf } from './sessions.ts';

export const ROLES = ['ADMIN', 'SUPERVISOR', 'OPERATOR', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

export type AuthUser = {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  officeId: string;
  /** Districts the user is limited to; empty means the whole office. */
  districtCodes: string[];
  /** Field team ("Tim 1"): an OPERATOR records outcomes only for visits of this team. */
  team: string | null;
  mustChangePassword: boolean;
  /** The session's id (SHA-256 of its token). */
  sessionId: string;
};

/**
 * The user of a session token, or null when the token is unknown, expired (idle or absolute)
 * or its user deactivated. Refreshes lastSeenAt at most once a minute, so reads stay reads.
 */
export async function userOfSessionToken(db: Db, token: string, now = new Date()): Promise<AuthUser | null> {
  const id = hashToken(token);
  const session = await db.session.findUnique({
    where: { id },
    include: { user: true },
  });
  if (!session) return null;
  const idle = now.getTime() - session.lastSeenAt.getTime() > SESSION_IDLE_MS;
  const absolute = now.getTime() > session.expiresAt.getTime() || now.getTime() - session.createdAt.getTime() > SESSION_ABSOLUTE_MS;
  if (idle || absolute || !session.user.active) {
    await db.session.deleteMany({ where: { id } });
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() > SESSION_TOUCH_MS) await db.session.updateMany({ where: { id }, data: { lastSeenAt: now } });
  const u = session.user;
  // Districts only limit OPERATOR and VIEWER (scope.ts); the others skip the query.
  const limited = u.role === 'OPERATOR' || u.role === 'VIEWER';
  const districts = limited ? await db.userDistrict.findMany({ where: { userId: u.id }, select: { districtCode: true }, orderBy: { districtCode: 'asc' } }) : [];
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role as Role,
    officeId: u.officeId,
    districtCodes: districts.map((d) => d.districtCode),
    team: u.team,
    mustChangePassword: u.mustChangePassword,
    sessionId: id,
  };
}

/** The user of a request's session cookie (for HTTP routes outside GraphQL, e.g. exports). */
export async function userOfRequest(db: Db, request: Request): Promise<AuthUser | null> {
  const token = sessionTokenOf(request.headers.get('cookie'));
  return token ? userOfSessionToken(db, token) : null;
}
