import { eligibility, isRecordedStatus, type OutcomeStatus } from '@jemput/core';
import { expect, it } from 'vitest';
import { seedDemo } from '../seed/demo.ts';
import { describeOnEachDatabase, TEST_TODAY, type TestApi } from '../test/databases.ts';
import { subscribe } from '../test/sse.ts';
import { verifyDriveTallies } from './verify.ts';
import { MIN_PUBLISH_INTERVAL_MS } from './feed.ts';

const TALLIES = /* GraphQL */ `
  query ($driveId: ID!, $groupBy: [TallyScope!]!) {
    tallies(driveId: $driveId, groupBy: $groupBy) {
      asOf blankStock { balance runwayDays }
      rows { scope key name eligible recordableNow recorded remaining absent refused failed notEligible printable printed ikdActivated percentDone recordedToday forecast { neededPerDay pacePerDay } }
    }
  }`;

const SUBSCRIPTION = /* GraphQL */ `
  subscription ($driveId: ID!) { tallyUpdates(driveId: $driveId) { asOf rows { scope key recorded absent eligible } } }`;

/** Counts straight from raw rows with the core rules, school by school: what the counters must equal. */
async function recount(api: TestApi, driveId: string) {
  const drive = await api.db.drive.findUniqueOrThrow({ where: { id: driveId } });
  const students = await api.db.student.findMany({ include: { outcomes: { where: { driveId } } } });
  const bySchool = new Map<string, Record<string, number>>();
  for (const s of students) {
    if (!eligibility(s, drive.electionDate, TEST_TODAY).eligible) continue;
    const o = s.outcomes[0];
    const status = (o?.status ?? null) as OutcomeStatus | null;
    const row = bySchool.get(s.schoolId) ?? { eligible: 0, recorded: 0, absent: 0, notEligible: 0, printed: 0, ikdActivated: 0 };
    row.eligible! += 1;
    if (isRecordedStatus(status)) row.recorded! += 1;
    if (status === 'ABSENT') row.absent! += 1;
    if (status === 'NOT_ELIGIBLE') row.notEligible! += 1;
    if (o?.printedAt) row.printed! += 1;
    if (o?.ikdActivatedAt) row.ikdActivated! += 1;
    bySchool.set(s.schoolId, row);
  }
  return bySchool;
}

async function expectTalliesMatchRawRows(api: TestApi, driveId: string) {
  expect(await verifyDriveTallies(api.db, driveId)).toEqual([]);
  const expected = await recount(api, driveId);
  const report = (await api.data(TALLIES, { driveId, groupBy: ['SCHOOL', 'OFFICE'] })).tallies;
  const schoolRows = report.rows.filter((r: any) => r.scope === 'SCHOOL');
  for (const row of schoolRows) {
    const want = expected.get(row.key) ?? { eligible: 0, recorded: 0, absent: 0, notEligible: 0, printed: 0, ikdActivated: 0 };
    expect({ key: row.key, eligible: row.eligible, recorded: row.recorded, absent: row.absent, notEligible: row.notEligible, printed: row.printed, ikdActivated: row.ikdActivated }).toEqual({ key: row.key, ...want });
  }
  const office = report.rows.find((r: any) => r.scope === 'OFFICE');
  expect(office.eligible).toBe([...expected.values()].reduce((n, r) => n + (r.eligible ?? 0), 0));
  return report;
}

/** Small deterministic PRNG so a failing run can be replayed. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T,>(items: T[]): T => items[Math.floor(next() * items.length)] as T, int: (n: number) => Math.floor(next() * n) };
}

describeOnEachDatabase(
  'live tallies',
  (api: () => TestApi) => {
    const drive = () => api().db.drive.findFirstOrThrow();

    it('sums the maintained counters to exactly what the raw rows say, per school, district and office', async () => {
      const { id } = await drive();
      const report = await expectTalliesMatchRawRows(api(), id);
      const office = report.rows.find((r: any) => r.scope === 'OFFICE');
      expect(office.recorded).toBeGreaterThan(0);
      expect(office.remaining).toBe(office.eligible - office.recorded - office.notEligible);
      const districts = (await api().data(TALLIES, { driveId: id, groupBy: ['DISTRICT'] })).tallies.rows;
      expect(districts.reduce((n: number, r: any) => n + r.eligible, 0)).toBe(office.eligible);
      expect(report.blankStock.balance).toBeGreaterThan(0);
    });

    it('has no drift after random writes of every kind: students created, edited, moved and deleted; outcomes recorded, printed, deleted; drive dates changed', async () => {
      const rng = random(27112024);
      const { id: driveId } = await drive();
      const schools = (await api().db.school.findMany({ select: { id: true } })).map((s) => s.id);
      for (let step = 0; step < 300; step++) {
        const students = await api().db.student.findMany({ select: { id: true, version: true }, take: 50, skip: rng.int(400) });
        const outcomes = await api().db.outcome.findMany({ select: { id: true, version: true, status: true, studentId: true }, take: 30, skip: rng.int(100) });
        const birthDate = `200${rng.pick([6, 7, 8])}-${String(1 + rng.int(12)).padStart(2, '0')}-${String(1 + rng.int(28)).padStart(2, '0')}`;
        const kind = rng.int(9);
        if (kind === 0) {
          await api().gql(`mutation ($i: StudentInput!) { createStudent(input: $i) { __typename } }`, {
            i: { name: `Acak ${step}`, sex: rng.pick(['L', 'P']), birthDate, married: rng.next() < 0.1, schoolId: rng.pick(schools) },
          });
        } else if (kind === 1 && students.length) {
          const s = rng.pick(students);
          const patch = rng.pick([{ birthDate }, { married: rng.next() < 0.5 }, { schoolId: rng.pick(schools) }, { birthDate, schoolId: rng.pick(schools) }]);
          await api().gql(`mutation ($id: ID!, $v: Int!, $p: StudentInput!) { updateStudent(id: $id, version: $v, patch: $p) { __typename } }`, { id: s.id, v: s.version, p: patch });
        } else if (kind === 2 && students.length) {
          const s = rng.pick(students);
          await api().gql(`mutation ($id: ID!, $v: Int!) { deleteStudent(id: $id, version: $v) { __typename } }`, { id: s.id, v: s.version });
        } else if ((kind === 3 || kind === 4) && students.length) {
          const rows = Array.from({ length: 1 + rng.int(5) }, () => ({ driveId, studentId: rng.pick(students).id, status: rng.pick(['RECORDED', 'ABSENT', 'REFUSED', 'FAILED', 'NOT_ELIGIBLE', 'ALREADY_RECORDED']) }));
          await api().gql(`mutation ($r: [OutcomeRowInput!]!) { upsertOutcomes(rows: $r) { created } }`, { r: rows });
        } else if ((kind === 5 || kind === 6) && outcomes.length) {
          const o = rng.pick(outcomes);
          const patch = rng.pick([{ status: 'RECORDED' }, { status: 'ALREADY_RECORDED' }, { printedAt: '2024-09-30T03:00:00Z' }, { ikdActivatedAt: '2024-10-01T02:00:00Z' }, { status: 'ABSENT' }]);
          await api().gql(`mutation ($id: ID!, $v: Int!, $p: OutcomeInput!) { updateOutcome(id: $id, version: $v, patch: $p) { __typename } }`, { id: o.id, v: o.version, p: patch });
        } else if (kind === 7 && outcomes.length) {
          const o = rng.pick(outcomes);
          await api().gql(`mutation ($id: ID!, $v: Int!) { deleteOutcome(id: $id, version: $v) { __typename } }`, { id: o.id, v: o.version });
        } else if (kind === 8 && step % 60 === 8) {
          const d = await drive();
          await api().gql(`mutation ($id: ID!, $v: Int!, $p: DriveInput!) { updateDrive(id: $id, version: $v, patch: $p) { __typename } }`, {
            id: d.id,
            v: d.version,
            p: { startDate: rng.pick(['2024-08-15', '2024-09-10', '2024-09-20']) },
          });
        }
      }
      expect(await api().db.outcome.count()).toBeGreaterThan(0);
      await expectTalliesMatchRawRows(api(), driveId);
    }, 120_000);

    it('pushes the changed rows to subscribers once per burst, with the numbers the query gives', async () => {
      const { id: driveId } = await drive();
      await api().feed.settled();
      const sub = await subscribe(api().fetch, 'http://test/graphql', SUBSCRIPTION, { driveId });
      try {
        const before = (await api().data(TALLIES, { driveId, groupBy: ['OFFICE'] })).tallies.rows[0];
        const fresh = await api().db.student.findMany({ where: { outcomes: { none: { driveId } } }, select: { id: true }, take: 400 });
        const eligibleFresh = [];
        for (const s of fresh) {
          const full = await api().db.student.findUniqueOrThrow({ where: { id: s.id } });
          if (eligibility(full, (await drive()).electionDate, TEST_TODAY).eligible) eligibleFresh.push(s.id);
        }
        const [first, ...rest] = eligibleFresh;
        await api().data(`mutation ($r: [OutcomeRowInput!]!) { upsertOutcomes(rows: $r) { created } }`, { r: [{ driveId, studentId: first, status: 'ABSENT' }] });
        const event = await sub.next((e) => e.tallyUpdates.rows.some((r: any) => r.scope === 'OFFICE' && r.absent === before.absent + 1));
        expect(event.tallyUpdates.rows.length).toBeLessThan(10);

        // A burst of single writes collapses into far fewer events than writes.
        const eventsBefore = sub.events.length;
        await Promise.all(rest.slice(0, 150).map((studentId) => api().gql(`mutation ($r: [OutcomeRowInput!]!) { upsertOutcomes(rows: $r) { created } }`, { r: [{ driveId, studentId, status: 'ABSENT' }] })));
        await api().feed.settled();
        const after = (await api().data(TALLIES, { driveId, groupBy: ['OFFICE'] })).tallies.rows[0];
        expect(after.absent).toBe(before.absent + 1 + Math.min(150, rest.length));
        const last = await sub.next((e) => e.tallyUpdates.rows.some((r: any) => r.scope === 'OFFICE' && r.absent === after.absent));
        expect(last).toBeTruthy();
        const burstEvents = sub.events.length - eventsBefore;
        expect(burstEvents).toBeGreaterThan(0);
        expect(burstEvents).toBeLessThan(75);
      } finally {
        sub.close();
      }
    }, 60_000);

    it('publishes a drive at most every MIN_PUBLISH_INTERVAL_MS under steady writes, and at once after a quiet spell', async () => {
      const { id: driveId } = await drive();
      await api().feed.settled();
      const events = api().feed.subscribe(driveId)[Symbol.asyncIterator]();
      const arrivals: number[] = [];
      const reading = (async () => {
        for (;;) {
          const next = await events.next();
          if (next.done) return;
          arrivals.push(performance.now());
        }
      })();
      try {
        const fresh = (await api().db.student.findMany({ where: { outcomes: { none: { driveId } } }, select: { id: true }, take: 60 })).map((s) => s.id);
        const write = (studentId: string) => api().gql(`mutation ($r: [OutcomeRowInput!]!) { upsertOutcomes(rows: $r) { created } }`, { r: [{ driveId, studentId, status: 'ABSENT' }] });
        // Steady writes, one every ~20 ms for about a second: a 5 ms flush alone would publish dozens of times.
        const start = performance.now();
        for (const studentId of fresh.slice(0, 50)) {
          await write(studentId);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const spell = performance.now() - start;
        await new Promise((resolve) => setTimeout(resolve, MIN_PUBLISH_INTERVAL_MS + 100));
        const steady = arrivals.length;
        expect(steady).toBeGreaterThan(1);
        expect(steady).toBeLessThanOrEqual(Math.ceil(spell / MIN_PUBLISH_INTERVAL_MS) + 2);

        // After the quiet spell, the next write is published without waiting out an interval
        // (timed from the answer, so a slow write on a busy machine does not count).
        await write(fresh[50]!);
        const answered = performance.now();
        while (arrivals.length === steady && performance.now() - answered < 2000) await new Promise((resolve) => setTimeout(resolve, 5));
        expect(arrivals.length).toBe(steady + 1);
        expect(arrivals[steady]! - answered).toBeLessThan(MIN_PUBLISH_INTERVAL_MS - 50);
      } finally {
        await events.return?.();
        await reading;
      }
    }, 60_000);

    it('executes an event once for subscribers who see the same thing, and apart for a district-limited viewer', async () => {
      const { id: driveId } = await drive();
      await api().feed.settled();
      const student = await api().db.student.findFirstOrThrow({ where: { outcomes: { none: { driveId } }, birthDate: { lte: '2007-01-01' } }, include: { school: true } });
      const district = student.school.districtCode;
      const otherDistrict = (await api().db.school.findFirstOrThrow({ where: { districtCode: { not: district } } })).districtCode;
      const viewer = await api().as({ role: 'VIEWER', districts: [otherDistrict] });
      const url = 'http://test/graphql';
      const admins = await Promise.all([0, 1, 2].map(() => subscribe(api().fetch, url, SUBSCRIPTION, { driveId })));
      const limited = await subscribe(viewer.fetch, url, SUBSCRIPTION, { driveId });
      try {
        const before = { ...api().feed.fanout };
        await api().data(`mutation ($r: [OutcomeRowInput!]!) { upsertOutcomes(rows: $r) { created } }`, { r: [{ driveId, studentId: student.id, status: 'ABSENT' }] });
        await api().feed.settled();
        const events = await Promise.all(admins.map((sub) => sub.next((e) => e.tallyUpdates.rows.some((r: any) => r.scope === 'SCHOOL' && r.key === student.schoolId))));
        const seen = await limited.next();
        // The same answer for every admin, from one execution; the viewer's own, without the other district's rows.
        expect(events[1]).toEqual(events[0]);
        expect(events[2]).toEqual(events[0]);
        expect(events[0].tallyUpdates.rows.map((r: any) => r.scope)).toEqual(expect.arrayContaining(['OFFICE', 'DISTRICT', 'SCHOOL']));
        expect(seen.tallyUpdates.rows.map((r: any) => r.scope)).toEqual(['OFFICE']);
        // (A stream an earlier test closed may still be winding down and receive the event too: at least 4.)
        expect(api().feed.fanout.delivered - before.delivered).toBeGreaterThanOrEqual(4);
        expect(api().feed.fanout.executed - before.executed).toBe(2);
        // And its JSON text made once per view too, not once per stream.
        expect(api().feed.fanout.serialized - before.serialized).toBe(2);
      } finally {
        for (const sub of [...admins, limited]) sub.close();
      }
    });

    it('moves the blank-card balance live when stock is received, and refuses a bad movement', async () => {
      const { id: driveId } = await drive();
      await api().feed.settled();
      const before = (await api().data(TALLIES, { driveId, groupBy: ['OFFICE'] })).tallies.blankStock.balance;
      const sub = await subscribe(api().fetch, 'http://test/graphql', `subscription ($d: ID!) { tallyUpdates(driveId: $d) { blankStock { balance } } }`, { d: driveId });
      try {
        const created = await api().data(`mutation { createStockMovement(input: { kind: RECEIVED, quantity: 500, date: "${TEST_TODAY}", notes: "Kiriman pusat" }) { __typename ... on ValidationError { problems { field code message } } } }`);
        expect(created.createStockMovement.__typename).toBe('MutationCreateStockMovementSuccess');
        await sub.next((e) => e.tallyUpdates.blankStock.balance === before + 500);
        expect((await api().data(TALLIES, { driveId, groupBy: ['OFFICE'] })).tallies.blankStock.balance).toBe(before + 500);
        const bad = await api().data(`mutation { createStockMovement(input: { kind: USED, quantity: -3, date: "${TEST_TODAY}" }) { __typename ... on ValidationError { problems { field } } } }`);
        expect(bad.createStockMovement.problems[0].field).toBe('quantity');
      } finally {
        sub.close();
      }
    });

    it('refuses a subscription to a drive that does not exist', async () => {
      const response = await api().fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query: SUBSCRIPTION, variables: { driveId: 'nope' } }),
      });
      expect(await response.text()).toMatch(/tidak ditemukan/);
    });
  },
  {
    fill: async (db) => (await seedDemo(db, { today: TEST_TODAY, schools: 6, students: 900 })).office.id,
  },
);
