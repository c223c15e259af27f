// Row changes across API instances: two apps over one PostgreSQL database and one Redis. An
// edit committed on A reaches a grid subscribed on B (the same pub/sub as the tallies).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedDemo } from '../seed/demo.ts';
import { createYogaApp } from '../server/app.ts';
import { createSession, SESSION_COOKIE } from '../auth/sessions.ts';
import { createTestDatabase, TEST_TODAY, type TestDatabase } from '../test/databases.ts';
import { subscribe } from '../test/sse.ts';
import { testRedisAnswers, TEST_REDIS_URL } from '../test/redis.ts';

const redisAvailable = await testRedisAnswers();
if (!redisAvailable) console.warn(`\n⚠ Redis not reachable at ${TEST_REDIS_URL}: the rowChanges fan-out test is SKIPPED.\n`);

describe.skipIf(!redisAvailable || inject('postgresTemplate') === null)('rowChanges across two API instances (PostgreSQL + Redis)', () => {
  let database: TestDatabase;
  let a: ReturnType<typeof createYogaApp>;
  let b: ReturnType<typeof createYogaApp>;
  let cookie = '';

  beforeAll(async () => {
    database = await createTestDatabase('postgresql');
    const summary = await seedDemo(database.db, { today: TEST_TODAY, schools: 2, students: 100 });
    const options = { db: database.db, provider: 'postgresql' as const, officeId: summary.office.id, today: () => TEST_TODAY, graphiql: false, redisUrl: TEST_REDIS_URL, databaseUrl: database.url };
    a = createYogaApp(options);
    b = createYogaApp(options);
    // The demo admin's session, in the shared database: valid on both instances.
    cookie = `${SESSION_COOKIE}=${(await createSession(database.db, 'usr_admin', { ip: null, userAgent: 'vitest' })).token}`;
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.feed.settled(), b?.feed.settled()]);
    await Promise.all([a?.closePubSub(), b?.closePubSub()]);
    await database?.drop();
  });

  it('an edit on one instance reaches a subscriber on the other', async () => {
    const student = await database.db.student.findFirstOrThrow({ orderBy: { id: 'asc' } });
    const sub = await subscribe<{ rowChanges: { id: string; version: number }[] }>(async (url, init) => b.fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie } }), 'http://b/graphql', `subscription { rowChanges(entity: STUDENT) { id version } }`, {});
    try {
      // Redis SUBSCRIBE is asynchronous: write until the subscriber on B hears one.
      let version = student.version;
      const heard = sub.next((e) => e.rowChanges.some((c) => c.id === student.id), 8000);
      for (let i = 0; i < 10 && sub.events.length === 0; i++) {
        const response = await a.fetch('http://a/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ query: `mutation ($id: ID!, $v: Int!, $c: String) { updateStudent(id: $id, version: $v, patch: { className: $c }) { ... on MutationUpdateStudentSuccess { data { version } } } }`, variables: { id: student.id, v: version, c: `XII Redis ${i}` } }),
        });
        version = ((await response.json()) as any).data.updateStudent.data.version;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const event = await heard;
      expect(event.rowChanges[0]).toMatchObject({ id: student.id });
      expect(event.rowChanges[0]!.version).toBeGreaterThan(student.version);
    } finally {
      sub.close();
    }
  });
});
