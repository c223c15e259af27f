// Live rows: what the editing engine commits reaches rowChanges subscribers of that entity and
// scope (ids and versions only), and grids can page any list by offset.
import { expect, it } from 'vitest';
import { eligibility, type IsoDate } from '@jemput/core';
import { seedDemo } from '../seed/demo.ts';
import { describeOnEachDatabase, TEST_TODAY, type TestApi } from '../test/databases.ts';
import { subscribe } from '../test/sse.ts';

const ROWS = /* GraphQL */ `
  subscription ($entity: RowEntity!, $driveId: ID, $schoolId: ID) {
    rowChanges(entity: $entity, driveId: $driveId, schoolId: $schoolId) { entity id version deleted }
  }`;

type Change = { entity: string; id: string; version: number; deleted: boolean };
type Event = { rowChanges: Change[] };

describeOnEachDatabase(
  'rowChanges and grid paging',
  (api: () => TestApi) => {
    const studentsOf = async (schoolId: string, first = 3) =>
      (await api().data(`query ($s: ID!, $n: Int) { students(first: $n, filter: { schoolId: { equals: $s } }) { edges { node { id version schoolId } } } }`, { s: schoolId, n: first })).students.edges.map(
        (e: { node: { id: string; version: number; schoolId: string } }) => e.node,
      );
    const schoolIds = async () => (await api().data(`{ schools(first: 2, sort: [{ field: NPSN }]) { edges { node { id } } } }`)).schools.edges.map((e: { node: { id: string } }) => e.node.id);

    it('tells subscribers of a school which of its students changed, with the new version, and nothing about other schools', async () => {
      const [schoolA, schoolB] = await schoolIds();
      const [mine] = await studentsOf(schoolA);
      const [other] = await studentsOf(schoolB);
      const sub = await subscribe<Event>(api().fetch, 'http://test/graphql', ROWS, { entity: 'STUDENT', schoolId: schoolA });
      try {
        await api().data(`mutation ($id: ID!, $v: Int!) { updateStudent(id: $id, version: $v, patch: { birthPlace: "Kota Lain Uji" }) { __typename } }`, { id: other.id, v: other.version });
        const saved = await api().data(`mutation ($id: ID!, $v: Int!) { updateStudent(id: $id, version: $v, patch: { birthPlace: "Tulungagung Uji" }) { __typename ... on Error { message } } }`, { id: mine.id, v: mine.version });
        expect(saved.updateStudent).toEqual({ __typename: "MutationUpdateStudentSuccess" });
        const event = await sub.next((e) => e.rowChanges.some((c) => c.id === mine.id));
        expect(event.rowChanges).toEqual([{ entity: 'STUDENT', id: mine.id, version: mine.version + 1, deleted: false }]);
        expect(sub.events.flatMap((e) => e.rowChanges).some((c) => c.id === other.id)).toBe(false);
      } finally {
        sub.close();
      }
    });

    it('sends a pasted batch as one event, and a student moved out of the school to the old school’s subscribers too', async () => {
      const [schoolA, schoolB] = await schoolIds();
      const rows = await studentsOf(schoolA, 4);
      const sub = await subscribe<Event>(api().fetch, 'http://test/graphql', ROWS, { entity: 'STUDENT', schoolId: schoolA });
      try {
        const input = rows.map((r: { id: string; version: number }, i: number) => ({ id: r.id, version: r.version, className: `XII IPA ${i + 1}`, ...(i === 0 ? { schoolId: schoolB } : {}) }));
        const result = await api().data(`mutation ($rows: [StudentRowInput!]!) { upsertStudents(rows: $rows) { updated } }`, { rows: input });
        expect(result.upsertStudents.updated).toBe(4);
        const event = await sub.next((e) => e.rowChanges.length === 4);
        expect(event.rowChanges.map((c) => c.id).sort()).toEqual(rows.map((r: { id: string }) => r.id).sort());
      } finally {
        sub.close();
      }
    });

    it('reports deleted rows, and visits of one drive only', async () => {
      const drives = (await api().data(`{ drives(first: 5) { edges { node { id } } } }`)).drives.edges;
      const driveId = drives[0].node.id;
      const [schoolA] = await schoolIds();
      const sub = await subscribe<Event>(api().fetch, 'http://test/graphql', ROWS, { entity: 'VISIT', driveId });
      const otherDrive = await subscribe<Event>(api().fetch, 'http://test/graphql', ROWS, { entity: 'VISIT', driveId: 'no-such-drive' });
      try {
        const created = await api().data(
          `mutation ($d: ID!, $s: ID!) { createVisit(input: { driveId: $d, schoolId: $s, date: "2024-10-20", startTime: "08:00", endTime: "12:00", kits: 2, team: "Tim 9" }) { ... on MutationCreateVisitSuccess { data { id version } } } }`,
          { d: driveId, s: schoolA },
        );
        const visit = created.createVisit.data;
        await sub.next((e) => e.rowChanges.some((c) => c.id === visit.id && !c.deleted));
        await api().data(`mutation ($id: ID!, $v: Int!) { deleteVisit(id: $id, version: $v) { __typename } }`, { id: visit.id, v: visit.version });
        const gone = await sub.next((e) => e.rowChanges.some((c) => c.id === visit.id && c.deleted));
        expect(gone.rowChanges).toEqual([{ entity: 'VISIT', id: visit.id, version: visit.version, deleted: true }]);
        expect(otherDrive.events).toEqual([]);
      } finally {
        sub.close();
        otherDrive.close();
      }
    });

    it('pages schools, visits and drives by offset, sorted and filtered on the server', async () => {
      const all = (await api().data(`{ schools(first: 500, sort: [{ field: NPSN }]) { totalCount edges { node { npsn } } } }`)).schools;
      const page = (await api().data(`{ schools(first: 3, offset: 4, sort: [{ field: NPSN }]) { edges { node { npsn } } } }`)).schools;
      expect(page.edges.map((e: any) => e.node.npsn)).toEqual(all.edges.slice(4, 7).map((e: any) => e.node.npsn));
      const visits = (await api().data(`{ visits(first: 500, sort: [{ field: DATE }]) { totalCount edges { node { id } } } }`)).visits;
      const visitPage = (await api().data(`{ visits(first: 2, offset: 5, sort: [{ field: DATE }]) { edges { node { id } } } }`)).visits;
      expect(visitPage.edges.map((e: any) => e.node.id)).toEqual(visits.edges.slice(5, 7).map((e: any) => e.node.id));
      const firstSchool = (await api().data(`{ visits(first: 1, sort: [{ field: SCHOOL_NAME }]) { edges { node { school { name } } } } }`)).visits.edges[0].node.school.name;
      const bySchool = (await api().data(`query ($n: String) { visits(first: 100, filter: { schoolName: { contains: $n } }) { totalCount edges { node { school { name } } } } }`, { n: firstSchool.toUpperCase() })).visits;
      expect(bySchool.totalCount).toBeGreaterThan(0);
      expect(bySchool.edges.every((e: any) => e.node.school.name === firstSchool || e.node.school.name.toLowerCase().includes(firstSchool.toLowerCase()))).toBe(true);
      await api().data(`mutation { createDrive(input: { name: "Pemilu Uji", electionDate: "2029-02-14", startDate: "2028-10-01", endDate: "2029-02-13" }) { __typename } }`);
      const drives = (await api().data(`{ drives(first: 10, sort: [{ field: NAME }], filter: { electionDate: { gte: "2029-01-01" } }) { totalCount edges { node { name } } } }`)).drives;
      expect(drives).toEqual({ totalCount: 1, edges: [{ node: { name: 'Pemilu Uji' } }] });
      // Grids re-read rows someone else changed by id, in one query per list.
      const ids = visits.edges.slice(0, 3).map((e: any) => e.node.id);
      const byId = (await api().data(`query ($ids: [ID!]) { visits(first: 10, filter: { id: { in: $ids } }) { edges { node { id } } } }`, { ids })).visits;
      expect(byId.edges.map((e: any) => e.node.id).sort()).toEqual([...ids].sort());
      const student = (await api().data(`{ students(first: 1) { edges { node { id } } } }`)).students.edges[0].node.id;
      const students = (await api().data(`query ($ids: [ID!]) { students(first: 10, filter: { id: { in: $ids } }) { totalCount } }`, { ids: [student] })).students;
      expect(students.totalCount).toBe(1);
    });

    it('lists recordings per day for the dashboard chart, adding up to the recorded tally', async () => {
      const driveId = (await api().data(`{ drives(first: 1, sort: [{ field: ELECTION_DATE }]) { edges { node { id } } } }`)).drives.edges[0].node.id;
      const { recordingDays, tallies } = await api().data(
        `query ($d: ID!) { recordingDays(driveId: $d) { date recorded printed } tallies(driveId: $d, groupBy: [OFFICE]) { rows { recorded printed } } }`,
        { d: driveId },
      );
      expect(recordingDays.length).toBeGreaterThan(3);
      const dates = recordingDays.map((d: { date: string }) => d.date);
      expect(dates).toEqual([...dates].sort());
      // Checked against the raw rows: recordings of eligible students in this drive, on their day in Jakarta.
      const { electionDate } = await api().db.drive.findUniqueOrThrow({ where: { id: driveId } });
      const outcomes = await api().db.outcome.findMany({
        where: { driveId, status: { in: ['RECORDED', 'ALREADY_RECORDED'] }, recordedAt: { not: null } },
        select: { recordedAt: true, student: { select: { birthDate: true, married: true } } },
      });
      const perDay = new Map<string, number>();
      for (const o of outcomes) {
        if (!eligibility(o.student as { birthDate: IsoDate; married: boolean }, electionDate as IsoDate, TEST_TODAY).eligible) continue;
        const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(o.recordedAt as Date);
        perDay.set(day, (perDay.get(day) ?? 0) + 1);
      }
      expect(Object.fromEntries(recordingDays.filter((d: { recorded: number }) => d.recorded > 0).map((d: { date: string; recorded: number }) => [d.date, d.recorded]))).toEqual(Object.fromEntries([...perDay].sort()));
      expect(tallies.rows[0].recorded).toBeGreaterThan(0);
    });
  },
  { fill: async (db) => (await seedDemo(db, { today: TEST_TODAY, schools: 4, students: 400 })).office.id },
);
