import { composeNik, maskNik } from '@jemput/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRegions } from '../regions/load-regions.ts';
import { describeOnEachDatabase, sqlitePlansOf, type TestApi } from '../test/databases.ts';
import { PAGE_ROWS } from '../../../web/src/screens/students-documents.ts';
import { pruneStaleRows } from '../db/housekeeping.ts';

const STUDENT_FIELDS = 'id version name nik nisn sex birthDate className married schoolId';

const CREATE_SCHOOL = /* GraphQL */ `
  mutation ($input: SchoolInput!) {
    createSchool(input: $input) {
      __typename
      ... on MutationCreateSchoolSuccess { data { id npsn districtCode } }
      ... on ValidationError { message problems { field code message severity } }
    }
  }`;

const CREATE_STUDENT = /* GraphQL */ `
  mutation ($input: StudentInput!) {
    createStudent(input: $input) {
      __typename
      ... on MutationCreateStudentSuccess { data { ${STUDENT_FIELDS} warnings { field code message } } }
      ... on ValidationError { message problems { field code message severity } }
    }
  }`;

const UPDATE_STUDENT = /* GraphQL */ `
  mutation ($id: ID!, $version: Int!, $patch: StudentInput!) {
    updateStudent(id: $id, version: $version, patch: $patch) {
      __typename
      ... on MutationUpdateStudentSuccess { data { ${STUDENT_FIELDS} } }
      ... on StudentConflictError { message current { ${STUDENT_FIELDS} } }
      ... on NotFoundError { message }
      ... on ValidationError { message problems { field code message } }
    }
  }`;

const UPSERT_STUDENTS = /* GraphQL */ `
  mutation ($rows: [StudentRowInput!]!) {
    upsertStudents(rows: $rows) {
      created updated unchanged rejected conflicts
      rows { index id status problems { field code message severity } row { id version name } }
    }
  }`;

/** A paste as the Siswa grid sends it: the saved rows come back. */
const PASTE_WITH_ROWS = /* GraphQL */ `
  mutation ($rows: [StudentRowInput!]!) {
    upsertStudents(rows: $rows) { rows { index id status row { id version name nik nikMasked nisn sex birthDate className married schoolId } } }
  }`;

const STUDENTS_PAGE = /* GraphQL */ `
  query ($first: Int, $after: String, $filter: StudentFilter, $sort: [StudentSort!], $search: String, $driveId: ID) {
    students(first: $first, after: $after, filter: $filter, sort: $sort, search: $search) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name nisn nik birthDate className school { id name npsn } outcome(driveId: $driveId) { status recordedAt } } }
    }
  }`;

/** A valid student row of a school, with a NIK that agrees with birth date and sex. */
function studentRow(schoolId: string, i: number, overrides: Record<string, unknown> = {}) {
  const sex = i % 2 ? 'P' : 'L';
  const birthDate = `2007-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
  return {
    name: `Siswa Uji ${i}`,
    sex,
    birthDate,
    nik: composeNik({ districtCode: '35.73.01', birthDate, sex, serial: (i % 9999) + 1 }),
    nisn: String(70_000_000 + i).padStart(10, '0'),
    className: `XII IPA ${(i % 3) + 1}`,
    schoolId,
    ...overrides,
  };
}

describeOnEachDatabase('students API', (api: () => TestApi) => {
  let schoolId: string;
  let otherSchoolId: string;

  beforeAll(async () => {
    await loadRegions(api().db, '35.73');
    const a = await api().data(CREATE_SCHOOL, {
      input: { npsn: '20533001', name: 'SMA Negeri 1 Malang', level: 'SMA', status: 'NEGERI', districtCode: '357301' },
    });
    expect(a.createSchool.__typename).toBe('MutationCreateSchoolSuccess');
    expect(a.createSchool.data.districtCode).toBe('35.73.01');
    schoolId = a.createSchool.data.id;
    const b = await api().data(CREATE_SCHOOL, {
      input: { npsn: '20533002', name: 'SMK Negeri 2 Malang', level: 'SMK', status: 'NEGERI', districtCode: '35.73.02' },
    });
    otherSchoolId = b.createSchool.data.id;
  });

  describe('create', () => {
    it('stores a valid student and returns NIK warnings without refusing', async () => {
      const row = studentRow(schoolId, 1000, { nik: composeNik({ districtCode: '35.73.01', birthDate: '2007-05-05', sex: 'P', serial: 9 }) });
      const result = await api().data(CREATE_STUDENT, { input: row });
      expect(result.createStudent.__typename).toBe('MutationCreateStudentSuccess');
      expect(result.createStudent.data.nisn).toBe(row.nisn);
      expect(result.createStudent.data.warnings.map((w: { code: string }) => w.code)).toContain('NIK_BIRTHDATE_MISMATCH');
    });

    it('refuses an invalid NIK with a typed error in Bahasa Indonesia, and in English on request', async () => {
      const input = studentRow(schoolId, 1001, { nik: '35730112345' });
      const id = await api().data(CREATE_STUDENT, { input });
      expect(id.createStudent.__typename).toBe('ValidationError');
      expect(id.createStudent.problems).toEqual([expect.objectContaining({ field: 'nik', code: 'NIK_LENGTH', severity: 'ERROR' })]);
      expect(id.createStudent.problems[0].message).toMatch(/16 digit/);
      const en = await api().data(CREATE_STUDENT, { input }, { 'accept-language': 'en-US,en;q=0.9' });
      expect(en.createStudent.problems[0].message).toMatch(/digits/);
      expect(en.createStudent.problems[0].message).not.toBe(id.createStudent.problems[0].message);
      expect(await api().db.student.count({ where: { nisn: input.nisn } })).toBe(0);
    });

    it('refuses a student of a school that does not exist', async () => {
      const result = await api().data(CREATE_STUDENT, { input: studentRow('no-such-school', 1002) });
      expect(result.createStudent.__typename).toBe('ValidationError');
      expect(result.createStudent.problems[0]).toMatchObject({ field: 'schoolId', code: 'NOT_FOUND' });
    });
  });

  describe('update with optimistic concurrency', () => {
    it('applies an update made on the current version and bumps the version', async () => {
      const created = (await api().data(CREATE_STUDENT, { input: studentRow(schoolId, 1100) })).createStudent.data;
      const updated = await api().data(UPDATE_STUDENT, { id: created.id, version: created.version, patch: { className: 'XII IPS 1' } });
      expect(updated.updateStudent.__typename).toBe('MutationUpdateStudentSuccess');
      expect(updated.updateStudent.data).toMatchObject({ className: 'XII IPS 1', version: created.version + 1 });
      const audit = await api().db.auditEvent.findMany({ where: { entityId: created.id, action: 'UPDATE' } });
      expect(audit).toEqual([expect.objectContaining({ field: 'className', oldValue: 'XII IPA 3', newValue: 'XII IPS 1' })]);
    });

    it('sends no school or tally look-ups for an edit that changes neither (a class name)', async () => {
      const created = (await api().data(CREATE_STUDENT, { input: studentRow(schoolId, 1150) })).createStudent.data;
      await api().feed.settled(); // the live feed's reads for the create are not the edit's
      const from = api().queries.length;
      const updated = await api().data(UPDATE_STUDENT, { id: created.id, version: created.version, patch: { className: 'XII IPS 2' } });
      expect(updated.updateStudent.__typename).toBe('MutationUpdateStudentSuccess');
      const sent = api().queries.slice(from);
      expect(sent.filter((sql) => /Drive|Tally|1=0/.test(sql))).toEqual([]);
      // The student was read within the caller's scope, so its unchanged school needs no second look.
      expect(sent.filter((sql) => /FROM [`"](main|public)[`"]\.[`"]School[`"]/.test(sql))).toEqual([]);
      expect(sent.some((sql) => /^UPDATE "Student"/.test(sql))).toBe(true);
    });

    it('rewrites the search name only when the name changes (each rewrite costs its indexes a write)', async () => {
      const created = (await api().data(CREATE_STUDENT, { input: studentRow(schoolId, 1160) })).createStudent.data;
      const updates = async (patch: object, version: number) => {
        const from = api().queries.length;
        const answer = await api().data(UPDATE_STUDENT, { id: created.id, version, patch });
        expect(answer.updateStudent.__typename).toBe('MutationUpdateStudentSuccess');
        return api().queries.slice(from).filter((sql) => /^UPDATE "Student"/.test(sql));
      };
      const classEdit = await updates({ className: 'XII IPS 3' }, created.version);
      expect(classEdit).toHaveLength(1);
      expect(classEdit[0]).not.toMatch(/"nameSearch"/);
      const rename = await updates({ name: 'Ayu Lestari' }, created.version + 1);
      expect(rename[0]).toMatch(/"nameSearch"/);
      expect(await api().db.student.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ name: 'Ayu Lestari', nameSearch: 'ayu lestari', className: 'XII IPS 3' });
    });

    it('answers a paste with the rows it wrote, NIKs included, without reading them again', async () => {
      const rows = [1170, 1171, 1172].map((i) => studentRow(schoolId, i));
      const from = api().queries.length;
      const pasted = (await api().data(PASTE_WITH_ROWS, { rows })).upsertStudents.rows;
      expect(pasted.map((r: { status: string }) => r.status)).toEqual(['CREATED', 'CREATED', 'CREATED']);
      expect(pasted.map((r: { row: { nik: string; nikMasked: string } }) => [r.row.nik, r.row.nikMasked])).toEqual(rows.map((r) => [r.nik, maskNik(r.nik)]));
      const sent = api().queries.slice(from);
      const inserted = sent.findIndex((sql) => /^INSERT INTO "Student"/.test(sql));
      // The engine reads the new rows back once (for the columns the database fills); no second time to answer.
      expect(sent.slice(inserted + 1).filter((sql) => /^SELECT .* FROM [`"](main|public)[`"]\.[`"]Student[`"]/.test(sql))).toHaveLength(1);
    });

    it('refuses a stale version with the current row, and does not overwrite', async () => {
      const created = (await api().data(CREATE_STUDENT, { input: studentRow(schoolId, 1101) })).createStudent.data;
      await api().data(UPDATE_STUDENT, { id: created.id, version: created.version, patch: { name: 'Nama Pertama' } });
      const stale = await api().data(UPDATE_STUDENT, { id: created.id, version: created.version, patch: { name: 'Nama Kedua' } });
      expect(stale.updateStudent.__typename).toBe('StudentConflictError');
      expect(stale.updateStudent.current).toMatchObject({ name: 'Nama Pertama', version: created.version + 1 });
      const stored = await api().db.student.findUniqueOrThrow({ where: { id: created.id } });
      expect(stored.name).toBe('Nama Pertama');
    });

    it('reports a missing row as NotFoundError', async () => {
      const result = await api().data(UPDATE_STUDENT, { id: 'missing', version: 1, patch: { name: 'X' } });
      expect(result.updateStudent.__typename).toBe('NotFoundError');
    });

    it('keeps NIKs masked in the audit log', async () => {
      const created = (await api().data(CREATE_STUDENT, { input: studentRow(schoolId, 1102) })).createStudent.data;
      const createEvent = await api().db.auditEvent.findFirstOrThrow({ where: { entityId: created.id, action: 'CREATE' } });
      expect(JSON.parse(createEvent.newValue as string).nik).toMatch(/^\d{4}•+\d{4}$/);
      await api().data(UPDATE_STUDENT, { id: created.id, version: created.version, patch: { nik: composeNik({ districtCode: '35.73.02', birthDate: created.birthDate, sex: created.sex, serial: 77 }) } });
      const nikEvent = await api().db.auditEvent.findFirstOrThrow({ where: { entityId: created.id, field: 'nik' } });
      expect(nikEvent.oldValue).toMatch(/^\d{4}•+\d{4}$/);
      expect(nikEvent.newValue).toMatch(/^\d{4}•+\d{4}$/);
    });
  });

  describe('delete', () => {
    it('deletes a student at the current version and refuses to delete a school that still has students', async () => {
      const created = (await api().data(CREATE_STUDENT, { input: studentRow(otherSchoolId, 1200) })).createStudent.data;
      const del = await api().data(`mutation ($id: ID!, $v: Int!) { deleteStudent(id: $id, version: $v) { __typename ... on MutationDeleteStudentSuccess { data { id } } } }`, { id: created.id, v: created.version });
      expect(del.deleteStudent.__typename).toBe('MutationDeleteStudentSuccess');
      expect(await api().db.student.count({ where: { id: created.id } })).toBe(0);

      await api().data(CREATE_STUDENT, { input: studentRow(otherSchoolId, 1201) });
      const school = await api().db.school.findUniqueOrThrow({ where: { id: otherSchoolId } });
      const refused = await api().data(
        `mutation ($id: ID!, $v: Int!) { deleteSchool(id: $id, version: $v) { __typename ... on ValidationError { problems { code message } } } }`,
        { id: otherSchoolId, v: school.version },
      );
      expect(refused.deleteSchool.__typename).toBe('ValidationError');
      expect(refused.deleteSchool.problems[0].code).toBe('IN_USE');
      expect(await api().db.school.count({ where: { id: otherSchoolId } })).toBe(1);
    });
  });

  describe('batch upsert (grid paste)', () => {
    it('saves valid rows, returns invalid ones with per-field problems, and counts', async () => {
      const rows: Record<string, unknown>[] = Array.from({ length: 100 }, (_, i) => studentRow(schoolId, 2000 + i));
      rows[10] = { ...rows[10], nik: '123' };
      rows[20] = { ...rows[20], nik: '35730112X4560001' };
      rows[30] = { ...rows[30], nik: '3573011234560000' };
      rows[40] = { ...rows[40], nisn: (rows[39] as { nisn: string }).nisn };
      rows[50] = { ...rows[50], birthDate: undefined, name: '' };
      const result = (await api().data(UPSERT_STUDENTS, { rows })).upsertStudents;
      expect(result).toMatchObject({ created: 95, rejected: 5, updated: 0, conflicts: 0 });
      const rejected = result.rows.filter((r: { status: string }) => r.status === 'REJECTED');
      expect(rejected.map((r: { index: number }) => r.index)).toEqual([10, 20, 30, 40, 50]);
      expect(rejected[0].problems[0]).toMatchObject({ field: 'nik', severity: 'ERROR' });
      expect(rejected[3].problems[0]).toMatchObject({ field: 'nisn', code: 'DUPLICATE' });
      expect(rejected[4].problems.map((p: { field: string }) => p.field).sort()).toEqual(['birthDate', 'name']);
      expect(await api().db.student.count({ where: { name: { startsWith: 'Siswa Uji 20' } } })).toBe(95);
    });

    it('updates, leaves unchanged rows alone, creates with client ids, and reports stale rows as conflicts', async () => {
      const first = (await api().data(UPSERT_STUDENTS, { rows: [studentRow(schoolId, 3000), studentRow(schoolId, 3001)] })).upsertStudents;
      const [a, b] = first.rows.map((r: { row: { id: string; version: number } }) => r.row);
      await api().data(UPDATE_STUDENT, { id: b.id, version: b.version, patch: { className: 'XI' } });
      const second = (
        await api().data(UPSERT_STUDENTS, {
          rows: [
            { id: a.id, version: a.version, className: 'XII IPA 9' },
            { id: a.id === b.id ? 'x' : b.id, version: b.version, className: 'XII IPA 8' },
            { id: 'client-made-id-1', ...studentRow(schoolId, 3002) },
          ],
        })
      ).upsertStudents;
      expect(second).toMatchObject({ updated: 1, conflicts: 1, created: 1 });
      expect(second.rows[1].status).toBe('CONFLICT');
      expect(second.rows[1].row.version).toBe(b.version + 1);
      expect(second.rows[2]).toMatchObject({ status: 'CREATED', id: 'client-made-id-1' });
      const third = (await api().data(UPSERT_STUDENTS, { rows: [{ id: a.id, version: a.version + 1, className: 'XII IPA 9' }] })).upsertStudents;
      expect(third).toMatchObject({ unchanged: 1, updated: 0 });
    });

    it('refuses more than 5,000 rows with a clear error and keeps serving', async () => {
      const rows = Array.from({ length: 5001 }, () => ({ name: 'x' }));
      const result = await api().gql(UPSERT_STUDENTS, { rows });
      expect(result.errors?.[0]?.message).toMatch(/5000/);
      const after = await api().gql('{ students(first: 1) { totalCount } }');
      expect(after.errors).toBeUndefined();
    });

    it('saves a 1,000-row paste in one call', async () => {
      const rows = Array.from({ length: 1000 }, (_, i) => studentRow(schoolId, 10_000 + i));
      const result = (await api().data(UPSERT_STUDENTS, { rows })).upsertStudents;
      expect(result.created).toBe(1000);
    });
  });

  describe('roster query', () => {
    it('filters per column, sorts on several columns, searches and counts', async () => {
      const byClass = await api().data(STUDENTS_PAGE, {
        first: 500,
        filter: { className: { equals: 'XII IPA 2' }, schoolId: { equals: schoolId } },
        sort: [{ field: 'BIRTH_DATE', direction: 'DESC' }, { field: 'NAME' }],
      });
      const nodes = byClass.students.edges.map((e: { node: { className: string; birthDate: string } }) => e.node);
      expect(nodes.length).toBeGreaterThan(0);
      expect(byClass.students.totalCount).toBe(await api().db.student.count({ where: { className: 'XII IPA 2', schoolId } }));
      expect(nodes.every((n: { className: string }) => n.className === 'XII IPA 2')).toBe(true);
      const dates = nodes.map((n: { birthDate: string }) => n.birthDate);
      expect(dates).toEqual([...dates].sort().reverse());

      const byName = await api().data(STUDENTS_PAGE, { first: 10, search: 'siswa uji 2052' });
      expect(byName.students.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['Siswa Uji 2052']);

      const nik = (await api().db.student.findFirstOrThrow({ where: { name: 'Siswa Uji 2051' } })).nik as string;
      const byNik = await api().data(STUDENTS_PAGE, { first: 10, search: nik.slice(0, 16) });
      expect(byNik.students.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['Siswa Uji 2051']);

      const range = await api().data(STUDENTS_PAGE, { first: 1, filter: { birthDate: { gte: '2007-03-01', lte: '2007-03-31' }, name: { contains: 'UJI' } } });
      expect(range.students.totalCount).toBe(
        await api().db.student.count({ where: { birthDate: { gte: '2007-03-01', lte: '2007-03-31' }, nameSearch: { contains: 'uji' } } }),
      );
    });

    it('pages with cursors through every row exactly once', async () => {
      const seen = new Set<string>();
      let after: string | null = null;
      let total = 0;
      for (let page = 0; page < 100; page++) {
        const result: any = await api().data(STUDENTS_PAGE, { first: 250, after, sort: [{ field: 'CLASS_NAME' }] });
        total = result.students.totalCount;
        for (const edge of result.students.edges) seen.add(edge.node.id);
        if (!result.students.pageInfo.hasNextPage) break;
        after = result.students.pageInfo.endCursor;
      }
      expect(seen.size).toBe(total);
      expect(total).toBe(await api().db.student.count());
    });

    it('jumps to any position with offset (infinite-scroll grids)', async () => {
      const sort = [{ field: 'NAME' }];
      const all = await api().data(STUDENTS_PAGE, { first: 40, sort });
      const ids = all.students.edges.map((e: { node: { id: string } }) => e.node.id);
      const jump = await api().data(`query ($offset: Int, $sort: [StudentSort!]) { students(first: 10, offset: $offset, sort: $sort) { totalCount edges { node { id } } } }`, { offset: 25, sort });
      expect(jump.students.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(ids.slice(25, 35));
      expect(jump.students.totalCount).toBe(all.students.totalCount);
    });

    it("reads the schools of a page's students in one query, and a renamed school at once", async () => {
      const pasted = (await api().data(UPSERT_STUDENTS, { rows: [1180, 1181, 1182, 1183].map((i) => studentRow(i % 2 ? schoolId : otherSchoolId, i)) })).upsertStudents.rows;
      const ids = pasted.map((r: { id: string }) => r.id);
      const SCHOOLS_OF_PAGE = `query ($ids: [ID!]) { students(first: 100, filter: { id: { in: $ids } }) { edges { node { id schoolId school { id name } } } } }`;
      await api().feed.settled(); // the live feed's reads for the paste are not the page's
      const read = async () => (await api().data(SCHOOLS_OF_PAGE, { ids })).students.edges.map((e: { node: { schoolId: string; school: { id: string; name: string } } }) => e.node);
      const from = api().queries.length;
      const page = await read();
      expect(page).toHaveLength(4);
      expect(new Set(page.map((s: { schoolId: string }) => s.schoolId))).toEqual(new Set([schoolId, otherSchoolId]));
      expect(page.every((s: { schoolId: string; school: { id: string } }) => s.school.id === s.schoolId)).toBe(true);
      const schoolReads = api().queries.slice(from).filter((sql) => /^SELECT .* FROM [`"](main|public)[`"]\.[`"]School[`"]/.test(sql));
      expect(schoolReads).toHaveLength(1);
      const before = await api().db.school.findUniqueOrThrow({ where: { id: schoolId } });
      await api().db.school.update({ where: { id: schoolId }, data: { name: `${before.name} (baru)` } });
      try {
        const again = await read();
        expect(again.filter((s: { schoolId: string }) => s.schoolId === schoolId).map((s: { school: { name: string } }) => s.school.name)).toEqual([`${before.name} (baru)`, `${before.name} (baru)`]);
      } finally {
        await api().db.school.update({ where: { id: schoolId }, data: { name: before.name } });
      }
    });

    it('loads a page with school and outcome in a constant number of SQL queries', async () => {
      const drive = await api().db.drive.create({
        data: { officeId: api().officeId, name: 'Pilkada 2024', electionDate: '2024-11-27', startDate: '2024-09-01', endDate: '2024-11-26' },
      });
      const students = await api().db.student.findMany({ take: 20, select: { id: true } });
      for (const s of students) await api().db.outcome.create({ data: { driveId: drive.id, studentId: s.id, status: 'ABSENT' } });

      const queriesFor = async (first: number) => {
        api().queries.length = 0;
        const result = await api().data(STUDENTS_PAGE, { first, driveId: drive.id });
        expect(result.students.edges).toHaveLength(first);
        // The session lookup of every request (auth) is not part of the page's cost.
        return api().queries.filter((q) => !/^(BEGIN|COMMIT|PRAGMA)/i.test(q) && !/["`](Session|User|UserDistrict)["`]/.test(q)).length;
      };
      const small = await queriesFor(10);
      const large = await queriesFor(100);
      expect(large).toBe(small);
      expect(large).toBeLessThanOrEqual(5);
    });
  });

  describe('bad input', () => {
    it('answers wrong types and malformed operations with errors, not a crash', async () => {
      const wrongType = await api().gql(CREATE_STUDENT, { input: { name: 'A', birthDate: '31/02/2007', sex: 'X' } });
      expect(wrongType.errors?.length).toBeGreaterThan(0);
      const malformed = await api().gql('{ students(first: ) { totalCount }');
      expect(malformed.errors?.[0]?.message).toMatch(/Syntax Error/);
      const unknown = await api().gql('{ nope }');
      expect(unknown.errors?.[0]?.message).toMatch(/nope/);
      const ok = await api().gql('{ students(first: 1) { totalCount } }');
      expect(ok.errors).toBeUndefined();
    });
  });
});

/** A roster page as Prisma sends it (not the count). */
// A page (not the read of its cursor row): the sorted read of the students table.
const ROSTER_PAGE_SQL = /^SELECT `main`.`Student`.`id`, .* FROM `main`.`Student`.* ORDER BY /;

describeOnEachDatabase('students roster order', (api: () => TestApi) => {
  it("reads a school's page in class-then-name order from an index instead of sorting the school's students", async () => {
    const { db, provider, officeId } = api();
    if (provider !== 'sqlite') return;
    await loadRegions(db, '35.73');
    const schoolIds: string[] = [];
    for (let s = 0; s < 10; s++) {
      const school = await db.school.create({ data: { officeId, npsn: `2053310${s}`, name: `SMA Uji ${s}`, nameSearch: `sma uji ${s}`, level: 'SMA', status: 'NEGERI', districtCode: '35.73.02' } });
      schoolIds.push(school.id);
      await db.student.createMany({
        data: Array.from({ length: 150 }, (_, i) => ({ schoolId: school.id, name: `Siswa ${i}`, nameSearch: `siswa ${String(i).padStart(4, '0')}`, className: `XII IPA ${i % 5}`, sex: i % 2 ? 'L' : 'P', birthDate: '2008-05-01' })),
      });
    }
    await pruneStaleRows(db, provider); // planner statistics, as the server keeps them
    const page = (sort: object[], after: string | null) => api().data(STUDENTS_PAGE, { first: 100, after, filter: { schoolId: { equals: schoolIds[3] } }, sort });

    const byClass = [{ field: 'CLASS_NAME' }, { field: 'NAME' }];
    let first: any;
    const classPlans = await sqlitePlansOf(api(), ROSTER_PAGE_SQL, async () => {
      first = await page(byClass, null);
      const second = await page(byClass, first.students.pageInfo.endCursor);
      // The two pages are the school in (class, name, id) order.
      const names = [...first.students.edges, ...second.students.edges].map((e: any) => `${e.node.className}|${e.node.name}`);
      expect(names).toHaveLength(150);
      expect(first.students.totalCount).toBe(150);
      expect(names[0]).toBe('XII IPA 0|Siswa 0');
      expect(names[1]).toBe('XII IPA 0|Siswa 5');
      expect(names[149]).toBe('XII IPA 4|Siswa 149');
    });
    for (const plan of classPlans) {
      expect(plan).toMatch(/Student_schoolId_className_nameSearch_id_idx/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    }
  });

  it("reads the Siswa grid's blocks of a school in name order from an index, stopping at the block", async () => {
    const { db, provider } = api();
    if (provider !== 'sqlite') return;
    const school = await db.school.findFirstOrThrow({ where: { name: 'SMA Uji 3' } });
    const block = (offset: number) => api().data(PAGE_ROWS, { first: 100, offset, filter: { schoolId: { equals: school.id } }, sort: [], search: null, export: null });
    let names: string[] = [];
    const plans = await sqlitePlansOf(api(), ROSTER_PAGE_SQL, async () => {
      for (const offset of [0, 100]) names = [...names, ...((await block(offset)) as any).students.edges.map((e: any) => e.node.name)];
    });
    expect(names).toHaveLength(150);
    expect(names.slice(0, 3)).toEqual(['Siswa 0', 'Siswa 1', 'Siswa 2']);
    expect(plans.length).toBeGreaterThan(0);
    for (const plan of plans) {
      expect(plan).toMatch(/Student_schoolId_nameSearch_id_idx/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    }
  });
});
