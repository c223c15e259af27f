// The session cache of a running server (main.ts turns it on): requests within its time read the
// session once, and logout or a change of the user ends it at once on this instance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createYogaApp } from '../server/app.ts';
import { createTestDatabase, postgresAvailable, TEST_TODAY, type TestDatabase } from '../test/databases.ts';
import { createSession, SESSION_COOKIE } from './sessions.ts';
import { forgetCachedSessions, SessionCache } from './user.ts';

const ME = '{ me { username role } }';

for (const provider of ['sqlite', 'postgresql'] as const) {
  describe.skipIf(provider === 'postgresql' && !postgresAvailable())(`session cache [${provider}]`, () => {
    let database: TestDatabase;
    let yoga: ReturnType<typeof createYogaApp>;
    let officeId: string;
    beforeAll(async () => {
      database = await createTestDatabase(provider);
      officeId = (await database.db.office.create({ data: { regencyCode: '35.73', name: 'Dinas Kota Malang', regencyName: 'Kota Malang', provinceName: 'Jawa Timur', kits: 2 } })).id;
      yoga = createYogaApp({ db: database.db, provider, officeId, today: () => TEST_TODAY, graphiql: false, sessionCacheMs: 60_000 });
    });
    afterAll(async () => {
      await yoga.feed.settled();
      await database.drop();
    });

    async function signedIn(role: 'ADMIN' | 'OPERATOR', username: string) {
      const user = await database.db.user.create({ data: { officeId, username, displayName: username, role, mustChangePassword: false, passwordHash: null } });
      const { token } = await createSession(database.db, user.id, { ip: null, userAgent: 'vitest' });
      return { user, cookie: `${SESSION_COOKIE}=${token}` };
    }
    const gql = async (cookie: string, query: string, variables: Record<string, unknown> = {}) => {
      const response = await yoga.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ query, variables }) });
      return (await response.json()) as { data?: any; errors?: unknown[] };
    };
    const sessionReads = () => database.queries.filter((q) => /FROM\s+\S*"?Session"?/.test(q) && /^SELECT/i.test(q.trim())).length;

    it('reads a session once for many requests', async () => {
      const { cookie } = await signedIn('ADMIN', `cache-admin-${provider}`);
      const before = sessionReads();
      for (let i = 0; i < 5; i++) expect((await gql(cookie, ME)).data.me.role).toBe('ADMIN');
      expect(sessionReads() - before).toBe(1);
    });

    it('forgets a session at logout', async () => {
      const { cookie } = await signedIn('OPERATOR', `cache-out-${provider}`);
      expect((await gql(cookie, ME)).data.me.role).toBe('OPERATOR');
      expect((await gql(cookie, 'mutation { logout }')).data.logout).toBe(true);
      expect((await gql(cookie, ME)).data.me).toBeNull();
    });

    it('does not remember a session that was read before a logout and answered after it', async () => {
      const { cookie } = await signedIn('OPERATOR', `cache-race-${provider}`);
      const token = cookie.slice(cookie.indexOf('=') + 1);
      const cache = new SessionCache(60_000);
      const reading = cache.user(database.db, token); // still waiting for the database…
      forgetCachedSessions(); // …when a logout forgets every session
      expect((await reading)?.username).toBe(`cache-race-${provider}`);
      const before = sessionReads();
      await cache.user(database.db, token);
      expect(sessionReads() - before).toBe(1);
    });

    it('reads the user again after an administrator changes it', async () => {
      const admin = await signedIn('ADMIN', `cache-boss-${provider}`);
      const { user, cookie } = await signedIn('OPERATOR', `cache-changed-${provider}`);
      expect((await gql(cookie, ME)).data.me.role).toBe('OPERATOR');
      const changed = await gql(admin.cookie, 'mutation ($id: ID!, $v: Int!, $p: UserInput!) { updateUser(id: $id, version: $v, patch: $p) { __typename } }', { id: user.id, v: user.version, p: { role: 'VIEWER' } });
      expect(changed.errors).toBeUndefined();
      expect((await gql(cookie, ME)).data.me.role).toBe('VIEWER');
      await gql(admin.cookie, 'mutation ($id: ID!, $v: Int!, $p: UserInput!) { updateUser(id: $id, version: $v, patch: $p) { __typename } }', { id: user.id, v: user.version + 1, p: { active: false } });
      expect((await gql(cookie, ME)).data.me).toBeNull();
    });
  });
}
