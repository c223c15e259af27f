// Tally counters under concurrent writes to the same student on PostgreSQL: a student edit or
// delete racing an outcome write. Each transaction computes its counter delta from the other
// row as it reads it; under READ COMMITTED, with a pool of connections, both could read the
// other's row as it was before the other's uncommitted change, and the counters drifted from
// the raw rows (`tallies:verify` not clean). The interleavings are forced: a third session
// holds the student's counter rows, so the first write stops before its commit while the
// second one runs. (SQLite has one writer at a time: nothing to interleave.)
import { eligibility } from '@jemput/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../seed/demo.ts';
import { createTestApi, postgresAvailable, TEST_TODAY, type TestApi } from '../test/databases.ts';
import { verifyDriveTallies } from './verify.ts';

const UPDATE_STUDENT = `mutation ($id: ID!, $v: Int!, $p: StudentInput!) { updateStudent(id: $id, version: $v, patch: $p) { __typename } }`;
const DELETE_STUDENT = `mutation ($id: ID!, $v: Int!) { deleteStudent(id: $id, version: $v) { __typename } }`;
const UPSERT_OUTCOMES = `mutation ($r: [OutcomeRowInput!]!) { upsertOutcomes(rows: $r) { rows { status problems { code } } } }`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!postgresAvailable())('tally counters under concurrent writes to one student [postgresql]', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi('postgresql', { fill: async (db) => (await seedDemo(db, { today: TEST_TODAY, schools: 4, students: 600 })).office.id });
  });
  afterAll(async () => api?.drop());

  /** A recordable student without an outcome, a different one each call. */
  const used = new Set<string>();
  async function freshStudent() {
    const drive = await api.db.drive.findFirstOrThrow();
    const students = await api.db.student.findMany({ where: { outcomes: { none: { driveId: drive.id } } }, orderBy: { id: 'asc' } });
    const student = students.find((s) => !used.has(s.id) && eligibility(s, drive.electionDate, TEST_TODAY).recordableNow)!;
    used.add(student.id);
    return { drive, student };
  }

  /**
   * Runs `first` until it waits on the counter rows of the student's school (held by another
   * session), then `second` until it waits too, then lets both finish.
   */
  async function interleave<A, B>(schoolId: string, driveId: string, first: () => Promise<A>, second: () => Promise<B>): Promise<[A, B]> {
    const blocker = new pg.Client({ connectionString: api.url });
    // A session of its own: inside the blocker's transaction pg_stat_activity would stay a snapshot.
    const monitor = new pg.Client({ connectionString: api.url });
    await Promise.all([blocker.connect(), monitor.connect()]);
    const waitingSessions = async (n: number) => {
      for (let i = 0; i < 400; i++) {
        const { rows } = await monitor.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        if (rows[0].n >= n) return;
        await sleep(25);
      }
      throw new Error(`fewer than ${n} sessions waiting for a lock`);
    };
    try {
      await blocker.query('BEGIN');
      await blocker.query(`SELECT 1 FROM "TallyCell" WHERE "driveId" = $1 AND "schoolId" = $2 FOR UPDATE`, [driveId, schoolId]);
      const a = first();
      await waitingSessions(1);
      const b = second();
      await waitingSessions(2);
      await blocker.query('COMMIT');
      return [await a, await b];
    } finally {
      await Promise.all([blocker.end(), monitor.end()]);
    }
  }

  it('an outcome written while an edit making its student ineligible is uncommitted counts the edited student', async () => {
    const { drive, student } = await freshStudent();
    const [edit, record] = await interleave(
      student.schoolId,
      drive.id,
      () => api.gql(UPDATE_STUDENT, { id: student.id, v: student.version, p: { birthDate: '2012-06-01' } }),
      () => api.gql(UPSERT_OUTCOMES, { r: [{ driveId: drive.id, studentId: student.id, status: 'ABSENT' }] }),
    );
    expect(edit.data.updateStudent.__typename).toBe('MutationUpdateStudentSuccess');
    expect(record.data.upsertOutcomes.rows[0].status).toBe('CREATED');
    expect(await verifyDriveTallies(api.db, drive.id)).toEqual([]);
  }, 60_000);

  it('an edit made while an outcome of the student is uncommitted counts that outcome out', async () => {
    const { drive, student } = await freshStudent();
    const [record, edit] = await interleave(
      student.schoolId,
      drive.id,
      () => api.gql(UPSERT_OUTCOMES, { r: [{ driveId: drive.id, studentId: student.id, status: 'RECORDED' }] }),
      () => api.gql(UPDATE_STUDENT, { id: student.id, v: student.version, p: { birthDate: '2012-06-01' } }),
    );
    expect(record.data.upsertOutcomes.rows[0].status).toBe('CREATED');
    expect(edit.data.updateStudent.__typename).toBe('MutationUpdateStudentSuccess');
    expect(await verifyDriveTallies(api.db, drive.id)).toEqual([]);
  }, 60_000);

  it('a student deleted while an outcome of the student is uncommitted is counted out with that outcome', async () => {
    const { drive, student } = await freshStudent();
    const [record, removed] = await interleave(
      student.schoolId,
      drive.id,
      () => api.gql(UPSERT_OUTCOMES, { r: [{ driveId: drive.id, studentId: student.id, status: 'ABSENT' }] }),
      () => api.gql(DELETE_STUDENT, { id: student.id, v: student.version }),
    );
    expect(record.data.upsertOutcomes.rows[0].status).toBe('CREATED');
    expect(removed.data.deleteStudent.__typename).toBe('MutationDeleteStudentSuccess');
    expect(await verifyDriveTallies(api.db, drive.id)).toEqual([]);
  }, 60_000);
});
