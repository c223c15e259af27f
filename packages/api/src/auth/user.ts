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
  return signedIn(db, session.user, id);
}

type UserRow = { id: string; username: string; displayName: string; role: string; officeId: string; team: string | null; mustChangePassword: boolean };

/** A user row as the signed-in user of a session, with its districts. */
export async function signedIn(db: Db, user: UserRow, sessionId: string): Promise<AuthUser> {
  // Districts only limit OPERATOR and VIEWER (scope.ts); the others skip the query.
  const limited = user.role === 'OPERATOR' || user.role === 'VIEWER';
  const districts = limited ? await db.userDistrict.findMany({ where: { userId: user.id }, select: { districtCode: true }, orderBy: { districtCode: 'asc' } }) : [];
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role as Role,
    officeId: user.officeId,
    districtCodes: districts.map((d) => d.districtCode),
    team: user.team,
    mustChangePassword: user.mustChangePassword,
    sessionId,
  };
}

/**
 * Signed-in users remembered for a few seconds per session, so a busy officer's requests do not
 * each read the session and the user (two queries of a few in a cell edit). Logout, a password
 * change or reset and any change of a user forget them at once on this instance
 * (`forgetCachedSessions`); another API instance sees such a change within `ttlMs`. A session
 * whose idle or absolute limit passes meanwhile ends at most `ttlMs` late.
 */
export class SessionCache {
  private readonly entries = new Map<string, { user: AuthUser | null; until: number }>();
  /** Bumped by clear(), so a session read before a logout is not remembered after it. */
  private generation = 0;

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {
    caches.add(new WeakRef(this));
  }

  async user(db: Db, token: string): Promise<AuthUser | null> {
    const id = hashToken(token);
    const now = Date.now();
    const hit = this.entries.get(id);
    if (hit && hit.until > now) return hit.user;
    const generation = this.generation;
    const user = await userOfSessionToken(db, token);
    // Only known sessions are kept: random cookies must not fill the map.
    if (user && this.ttlMs > 0 && generation === this.generation) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(id, { user, until: now + this.ttlMs });
    } else this.entries.delete(id);
    return user;
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}

const caches = new Set<WeakRef<SessionCache>>();

/** Forgets every remembered session of this process (a session or user was changed). */
export function forgetCachedSessions(): void {
  for (const ref of caches) {
    const cache = ref.deref();
    if (cache) cache.clear();
    else caches.delete(ref);
  }
}

/** The user of a request's session cookie (for HTTP routes outside GraphQL, e.g. exports). */
export async function userOfRequest(db: Db, request: Request, cache?: SessionCache): Promise<AuthUser | null> {
  const token = sessionTokenOf(request.headers.get('cookie'));
  if (!token) return null;
  return cache ? cache.user(db, token) : userOfSessionToken(db, token);
}
