// Several API instances: two real server processes over one PostgreSQL database and one Redis.
// A write on one instance reaches a dashboard subscribed on the other, and the survivor keeps
// serving its subscribers when the other instance is killed.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eligibility } from '@jemput/core';
import { todayInJakarta } from '../common/time.ts';
import { seedDemo } from '../seed/demo.ts';
import { fetchWithCookie, loginOverHttp, startServerProcess, type ServerProcess } from '../server/process.ts';
import { createTestDatabase, type TestDatabase } from '../test/databases.ts';
import { subscribe, type Subscription } from '../test/sse.ts';
import { testRedisAnswers, TEST_REDIS_URL } from '../test/redis.ts';

const redisAvailable = await testRedisAnswers();
const postgresAvailable = inject('postgresTemplate') !== null;
if (!redisAvailable) console.warn(`\n⚠ Redis not reachable at ${TEST_REDIS_URL}: the multi-instance fan-out test is SKIPPED.\n`);

const OFFICE_ABSENT = /* GraphQL */ `subscription ($d: ID!) { tallyUpdates(driveId: $d) { rows { scope absent } } }`;
const RECORD_ABSENT = /* GraphQL */ `mutation ($r: [OutcomeRowInput!]!) { upsertOutcomes(rows: $r) { created } }`;

describe.skipIf(!redisAvailable || !postgresAvailable)('tallies across two API instances (PostgreSQL + Redis)', () => {
  let database: TestDatabase;
  let a: ServerProcess | undefined;
  let b: ServerProcess | undefined;
  let subscription: Subscription | undefined;
  let driveId: string;
  let candidates: string[] = [];
  let authedFetch: (url: string, init?: RequestInit) => Promise<Response> = fetch;

  beforeAll(async () => {
    database = await createTestDatabase('postgresql');
    const today = todayInJakarta();
    const summary = await seedDemo(database.db, { today, schools: 3, students: 400 });
    driveId = summary.drive.id;
    const students = await database.db.student.findMany({ where: { outcomes: { none: {} } } });
    candidates = students.filter((s) => eligibility(s, summary.drive.electionDate, today).eligible).map((s) => s.id);
    const env = { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL };
    [a, b] = await Promise.all([startServerProcess({ env }), startServerProcess({ env })]);
    // Sessions live in the shared database: one login serves both instances.
    authedFetch = fetchWithCookie(await loginOverHttp(a.base));
  }, 120_000);

  afterAll(async () => {
    subscription?.close();
    a?.child.kill('SIGKILL');
    await b?.stop();
    await database?.drop();
  });

  const absentOnOffice = (event: any) => event.tallyUpdates.rows.find((r: any) => r.scope === 'OFFICE')?.absent as number | undefined;

  async function officeAbsent(server: ServerProcess): Promise<number> {
    const response = await authedFetch(`${server.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `query ($d: ID!) { tallies(driveId: $d, groupBy: [OFFICE]) { rows { absent } } }`, variables: { d: driveId } }),
    });
    return ((await response.json()) as any).data.tallies.rows[0].absent;
  }

  async function recordAbsentOn(server: ServerProcess, studentId: string) {
    const response = await authedFetch(`${server.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: RECORD_ABSENT, variables: { r: [{ driveId, studentId, status: 'ABSENT' }] } }),
    });
    expect(((await response.json()) as any).data.upsertOutcomes.created).toBe(1);
  }

  it('delivers a write made on instance A to a subscriber of instance B', async () => {
    expect(candidates.length).toBeGreaterThan(2);
    subscription = await subscribe(authedFetch, `${b!.base}/graphql`, OFFICE_ABSENT, { d: driveId });
    const before = await officeAbsent(b!);
    await recordAbsentOn(a!, candidates[0] as string);
    const event = await subscription.next((e) => absentOnOffice(e) === before + 1, 10_000);
    expect(absentOnOffice(event)).toBe(before + 1);
  });

  it("keeps B's subscribers served after A is killed", async () => {
    const killed = new Promise((resolve) => a!.child.once('exit', resolve));
    a!.child.kill('SIGKILL');
    await killed;
    const before = await officeAbsent(b!);
    await recordAbsentOn(b!, candidates[1] as string);
    const event = await subscription!.next((e) => absentOnOffice(e) === before + 1, 10_000);
    expect(absentOnOffice(event)).toBe(before + 1);
  });
});
