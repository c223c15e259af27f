// The role × scope matrix, generated from the schema: every root field of Query, Mutation and
// Subscription is tried as each role (and anonymously) against a row in the caller's scope
// ("in": office, districts and team of the user), a row of another district or team of the
// same office ("out") and a row of another office ("other"). A field without a rule below
// FAILS, so a new operation cannot ship without deciding who may use it.
import { composeNik } from '@jemput/core';
import { beforeAll, expect, it } from 'vitest';
import type { Db } from '../db/client.ts';
import { loadRegions } from '../regions/load-regions.ts';
import { getSchema } from '../schema/index.ts';
import { describeOnEachDatabase, TEST_TODAY, type GraphQLResult, type TestApi, type TestClient } from '../test/databases.ts';
import type { Role } from './user.ts';

type Who = Role | 'ANON';
const WHO: readonly Who[] = ['ADMIN', 'SUPERVISOR', 'OPERATOR', 'VIEWER', 'ANON'];
type Target = 'in' | 'out' | 'other';
/** all: in and out of district/team; in: only its own districts/team; none: never. Another office: never, for anyone. */
type Level = 'all' | 'in' | 'none';
type Expect = Record<Who, Level>;

const IN_DISTRICT = '35.73.01';
const OUT_DISTRICT = '35.73.02';
const TEAM = 'Tim 1';

type Fixture = { db: Db; officeA: string; officeB: string; n(): number; rows: TestApi['rows'] };
type Probe = {
  /** Sends the probe itself (e.g. a multipart upload); default: a JSON POST of query and variables. */
  send?: (client: TestClient) => Promise<GraphQLResult>;
  query: string;
  variables?: Record<string, unknown>;
  /** Subscriptions: a write made once the stream is open (its event shows whether the row is visible). */
  trigger?: () => Promise<void>;
  granted(result: GraphQLResult): boolean;
};
type Rule = { expect: Expect; targets: readonly Target[]; probe(target: Target, fx: Fixture): Promise<Probe>; subscription?: true };

const AUTH_CODES = ['UNAUTHENTICATED', 'FORBIDDEN', 'MUST_CHANGE_PASSWORD'];
const authDenied = (r: GraphQLResult) => !!r.errors?.some((e) => AUTH_CODES.includes(String(e.extensions?.code)));

/** granted() for a probe: false on an auth error, throws on any other error, else asks `check`. */
const when = (check: (data: any) => boolean) => (r: GraphQLResult) => {
  if (authDenied(r)) return false;
  if (r.errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(r.errors)}`);
  return check(r.data);
};
const success = (field: string) => when((d) => d[field].__typename.startsWith('Mutation'));
const batchSaved = (field: string) => when((d) => d[field].created + d[field].updated === 1);

const PLANNERS: Expect = { ADMIN: 'all', SUPERVISOR: 'all', OPERATOR: 'none', VIEWER: 'none', ANON: 'none' };
const ADMINS: Expect = { ADMIN: 'all', SUPERVISOR: 'none', OPERATOR: 'none', VIEWER: 'none', ANON: 'none' };
const READERS: Expect = { ADMIN: 'all', SUPERVISOR: 'all', OPERATOR: 'in', VIEWER: 'in', ANON: 'none' };
const FIELD_WRITERS: Expect = { ADMIN: 'all', SUPERVISOR: 'all', OPERATOR: 'in', VIEWER: 'none', ANON: 'none' };
const SIGNED_IN: Expect = { ADMIN: 'all', SUPERVISOR: 'all', OPERATOR: 'all', VIEWER: 'all', ANON: 'none' };
const EVERYONE: Expect = { ADMIN: 'all', SUPERVISOR: 'all', OPERATOR: 'all', VIEWER: 'all', ANON: 'all' };

// ------------------------------------------------------------------ rows to probe with

const officeOf = (fx: Fixture, t: Target) => (t === 'other' ? fx.officeB : fx.officeA);
const districtOf = (t: Target) => (t === 'out' ? OUT_DISTRICT : IN_DISTRICT);

async function newSchool(fx: Fixture, t: Target) {
  const n = fx.n();
  return fx.db.school.create({
    data: { officeId: officeOf(fx, t), npsn: String(60_000_000 + n), name: `SMA Uji ${n}`, nameSearch: `sma uji ${n}`, level: 'SMA', status: 'NEGERI', districtCode: districtOf(t) },
  });
}

function studentInput(schoolId: string, n: number) {
  const birthDate = '2006-05-05';
  return { name: `Siswa ${n}`, sex: 'L', birthDate, nik: composeNik({ districtCode: IN_DISTRICT, birthDate, sex: 'L', serial: (n % 9000) + 1 }), nisn: String(80_000_000 + n).padStart(10, '0'), schoolId };
}

async function newStudent(fx: Fixture, t: Target) {
  const school = await newSchool(fx, t);
  const n = fx.n();
  const { nik, nisn, name, birthDate } = studentInput(school.id, n);
  return fx.db.student.create({ data: { schoolId: school.id, name, nameSearch: name.toLowerCase(), sex: 'L', birthDate, nik, nisn } });
}

async function newDrive(fx: Fixture, t: Target) {
  return fx.db.drive.create({ data: { officeId: officeOf(fx, t), name: `Drive ${fx.n()}`, electionDate: '2024-11-27', startDate: '2024-09-01', endDate: '2024-11-26' } });
}

/** A visit in the target's scope: "out" is another district AND another team. */
async function newVisit(fx: Fixture, t: Target) {
  const [drive, school] = await Promise.all([newDrive(fx, t), newSchool(fx, t)]);
  return fx.db.visit.create({ data: { driveId: drive.id, schoolId: school.id, date: '2024-10-02', startTime: '08:00', endTime: '12:00', team: t === 'out' ? 'Tim 2' : TEAM } });
}

async function newOutcomeParts(fx: Fixture, t: Target) {
  const visit = await newVisit(fx, t);
  const n = fx.n();
  const { nik, nisn, name, birthDate } = studentInput(visit.schoolId, n);
  const student = await fx.db.student.create({ data: { schoolId: visit.schoolId, name, nameSearch: name.toLowerCase(), sex: 'L', birthDate, nik, nisn } });
  return { driveId: visit.driveId, visitId: visit.id, studentId: student.id };
}

async function newOutcome(fx: Fixture, t: Target) {
  return fx.db.outcome.create({ data: { ...(await newOutcomeParts(fx, t)), status: 'ABSENT' } });
}

async function newStock(fx: Fixture, t: Target) {
  return fx.db.blankStockMovement.create({ data: { officeId: officeOf(fx, t), kind: 'RECEIVED', quantity: 10, date: '2024-09-30' } });
}

async function newImportJob(fx: Fixture, t: Target) {
  return fx.db.importJob.create({ data: { officeId: officeOf(fx, t), kind: 'STUDENTS', fileName: 'daftar.csv', fileHash: `h${fx.n()}`, fileSize: 10, format: 'CSV' } });
}

/** Reached the operation: neither refused for the role nor given NOT_FOUND for a row out of scope (a state error still counts). */
const reached = (r: GraphQLResult) => !authDenied(r) && !r.errors?.some((e) => e.extensions?.code === 'NOT_FOUND' || /tidak ditemukan/.test(e.message));

async function newUser(fx: Fixture, t: Target) {
  return fx.db.user.create({ data: { officeId: officeOf(fx, t), username: `probe-${fx.n()}`, displayName: 'Probe', role: 'OPERATOR' } });
}

// ------------------------------------------------------------------ editable entities

type EntityProbes = {
  name: string;
  plural: string;
  expectSave: Expect;
  expectDelete: Expect;
  targets: readonly Target[];
  createTargets: readonly Target[];
  createInput(fx: Fixture, t: Target): Promise<Record<string, unknown>>;
  existing(fx: Fixture, t: Target): Promise<{ id: string; version?: number }>;
  patch: Record<string, unknown>;
  /** A ledger (stock) is append-only: no update or delete operation, and a batch row that finds a stored row is refused as append-only, which still shows it was reachable. */
  ledger?: true;
};

function editableRules(e: EntityProbes): Record<string, Rule> {
  const { name, plural } = e;
  const batchReached = (field: string) =>
    e.ledger ? when((d) => d[field].rows[0]?.problems.some((p: { code: string }) => p.code === 'STOCK_LEDGER_APPEND_ONLY')) : batchSaved(field);
  const changes: Record<string, Rule> = {
    [`Mutation.update${name}`]: {
      expect: e.expectSave,
      targets: e.targets,
      probe: async (t, fx) => {
        const row = await e.existing(fx, t);
        return {
          query: `mutation ($id: ID!, $version: Int!, $patch: ${name}Input!) { update${name}(id: $id, version: $version, patch: $patch) { __typename ... on ValidationError { problems { field code } } } }`,
          variables: { id: row.id, version: row.version ?? 1, patch: e.patch },
          granted: success(`update${name}`),
        };
      },
    },
    [`Mutation.delete${name}`]: {
      expect: e.expectDelete,
      targets: e.targets,
      probe: async (t, fx) => {
        const row = await e.existing(fx, t);
        return { query: `mutation ($id: ID!, $version: Int!) { delete${name}(id: $id, version: $version) { __typename } }`, variables: { id: row.id, version: row.version ?? 1 }, granted: success(`delete${name}`) };
      },
    },
  };
  return {
    [`Mutation.create${name}`]: {
      expect: e.expectSave,
      targets: e.createTargets,
      probe: async (t, fx) => ({
        query: `mutation ($input: ${name}Input!) { create${name}(input: $input) { __typename ... on ValidationError { problems { field code } } } }`,
        variables: { input: await e.createInput(fx, t) },
        granted: success(`create${name}`),
      }),
    },
    ...(e.ledger ? {} : changes),
    [`Mutation.upsert${plural}`]: {
      expect: e.expectSave,
      targets: e.targets,
      probe: async (t, fx) => {
        const row = await e.existing(fx, t);
        return {
          query: `mutation ($rows: [${name}RowInput!]!) { upsert${plural}(rows: $rows) { created updated conflicts rows { problems { field code } } } }`,
          variables: { rows: [{ id: row.id, version: row.version ?? 1, ...e.patch }] },
          granted: batchReached(`upsert${plural}`),
        };
      },
    },
  };
}

const EDITABLE: EntityProbes[] = [
  {
    name: 'School',
    plural: 'Schools',
    expectSave: PLANNERS,
    expectDelete: PLANNERS,
    targets: ['in', 'out', 'other'],
    createTargets: ['in', 'out'],
    createInput: async (fx, t) => ({ npsn: String(70_000_000 + fx.n()), name: 'SMA Baru', level: 'SMA', status: 'SWASTA', districtCode: districtOf(t) }),
    existing: newSchool,
    patch: { name: 'SMA Berganti Nama' },
  },
  {
    name: 'Student',
    plural: 'Students',
    expectSave: FIELD_WRITERS,
    expectDelete: PLANNERS,
    targets: ['in', 'out', 'other'],
    createTargets: ['in', 'out', 'other'],
    createInput: async (fx, t) => studentInput((await newSchool(fx, t)).id, fx.n()),
    existing: newStudent,
    patch: { className: 'XII IPS 9' },
  },
  {
    name: 'Drive',
    plural: 'Drives',
    expectSave: PLANNERS,
    expectDelete: PLANNERS,
    targets: ['in', 'other'],
    createTargets: ['in'],
    createInput: async () => ({ name: 'Pemilu', electionDate: '2024-11-27', startDate: '2024-09-01', endDate: '2024-11-26' }),
    existing: newDrive,
    patch: { notes: 'diubah' },
  },
  {
    name: 'Visit',
    plural: 'Visits',
    expectSave: PLANNERS,
    expectDelete: PLANNERS,
    targets: ['in', 'out', 'other'],
    createTargets: ['in', 'out', 'other'],
    createInput: async (fx, t) => {
      const [drive, school] = await Promise.all([newDrive(fx, t), newSchool(fx, t)]);
      return { driveId: drive.id, schoolId: school.id, date: '2024-10-03', startTime: '08:00', endTime: '12:00', kits: 2, team: TEAM };
    },
    existing: newVisit,
    patch: { notes: 'diubah' },
  },
  {
    name: 'Outcome',
    plural: 'Outcomes',
    expectSave: FIELD_WRITERS,
    expectDelete: PLANNERS,
    targets: ['in', 'out', 'other'],
    createTargets: ['in', 'out', 'other'],
    createInput: async (fx, t) => ({ ...(await newOutcomeParts(fx, t)), status: 'ABSENT' }),
    existing: newOutcome,
    patch: { notes: 'tidak hadir, sakit' },
  },
  {
    name: 'StockMovement',
    plural: 'StockMovements',
    expectSave: ADMINS,
    expectDelete: ADMINS,
    targets: ['in', 'other'],
    createTargets: ['in'],
    createInput: async () => ({ kind: 'RECEIVED', quantity: 100, date: '2024-09-30' }),
    existing: newStock,
    patch: { notes: 'koreksi catatan' },
    ledger: true,
  },
];

// ------------------------------------------------------------------ the rules

const RULES: Record<string, Rule> = {
  ...Object.assign({}, ...EDITABLE.map(editableRules)),

  'Query.me': { expect: SIGNED_IN, targets: ['in'], probe: async () => ({ query: '{ me { id role } }', granted: when((d) => d.me !== null) }) },
  'Query.office': { expect: SIGNED_IN, targets: ['in'], probe: async () => ({ query: '{ office { id } }', granted: when((d) => d.office !== null) }) },
  'Query.regions': { expect: SIGNED_IN, targets: ['in'], probe: async () => ({ query: '{ regions(level: DISTRICT) { code } }', granted: when((d) => d.regions.length > 0) }) },
  'Query.schools': {
    expect: READERS,
    targets: ['in', 'out', 'other'],
    probe: async (t, fx) => {
      const school = await newSchool(fx, t);
      return {
        query: 'query ($id: ID!) { schools(filter: { id: { equals: $id } }) { totalCount edges { node { id } } } }',
        variables: { id: school.id },
        // totalCount is scoped exactly like the rows.
        granted: when((d) => (expect(d.schools.totalCount).toBe(d.schools.edges.length), d.schools.edges.length === 1)),
      };
    },
  },
  'Query.school': {
    expect: READERS,
    targets: ['in', 'out', 'other'],
    probe: async (t, fx) => ({ query: 'query ($id: ID!) { school(id: $id) { id } }', variables: { id: (await newSchool(fx, t)).id }, granted: when((d) => d.school !== null) }),
  },
  'Query.students': {
    expect: READERS,
    targets: ['in', 'out', 'other'],
    probe: async (t, fx) => ({
      query: 'query ($id: ID!) { students(filter: { schoolId: { equals: $id } }) { totalCount edges { node { id } } } }',
      variables: { id: (await newStudent(fx, t)).schoolId },
      granted: when((d) => (expect(d.students.totalCount).toBe(d.students.edges.length), d.students.totalCount === 1)),
    }),
  },
  'Query.student': {
    expect: READERS,
    targets: ['in', 'out', 'other'],
    probe: async (t, fx) => ({ query: 'query ($id: ID!) { student(id: $id) { id } }', variables: { id: (await newStudent(fx, t)).id }, granted: when((d) => d.student !== null) }),
  },
  'Query.drives': {
    expect: SIGNED_IN,
    targets: ['in', 'other'],
    probe: async (t, fx) => {
      const drive = await newDrive(fx, t);
      return { query: '{ drives(first: 500) { totalCount edges { node { id } } } }', granted: when((d) => (expect(d.drives.totalCount).toBe(d.drives.edges.length), d.drives.edges.some((e: any) => e.node.id === drive.id))) };
    },
  },
  'Query.drive': {
    expect: SIGNED_IN,
    targets: ['in', 'other'],
    probe: async (t, fx) => ({ query: 'query ($id: ID!) { drive(id: $id) { id } }', variables: { id: (await newDrive(fx, t)).id }, granted: when((d) => d.drive !== null) }),
  },
  'Query.visits': {
    expect: READERS,
    targets: ['in', 'out', 'other'],
    probe: async (t, fx) => ({
      query: 'query ($id: ID!) { visits(filter: { schoolId: { equals: $id } }) { totalCount edges { node { id } } } }',
      variables: { id: (await newVisit(fx, t)).schoolId },
      granted: when((d) => (expect(d.visits.totalCount).toBe(d.visits.edges.length), d.visits.totalCount === 1)),
    }),
  },
  'Query.visit': {
    expect: READERS,
    targets: ['in', 'out', 'other'],
    probe: async (t, fx) => ({ query: 'query ($id: ID!) { visit(id: $id) { id } }', variables: { id: (await newVisit(fx, t)).id }, granted: when((d) => d.visit !== null) }),
  },
  'Query.outcomes': {
    expect: READERS,
    targets: ['in', 'out', 'other'],
    probe: async (t, fx) => ({
      query: 'query ($id: ID!) { outcomes(filter: { visitId: { equals: $id } }) { totalCount edges { node { id } } } }',
      variables: { id: (await newOutcome(fx, t)).visitId },
      granted: when((d) => (expect(d.outcomes.totalCount).toBe(d.outcomes.edges.length), d.outcomes.totalCount === 1)),
    }),
  },
  'Query.stockMovements': {
    expect: SIGNED_IN,
    targets: ['in', 'other'],
    probe: async (t, fx) => {
      const movement = await newStock(fx, t);
      return { query: '{ stockMovements(first: 500) { totalCount edges { node { id } } } }', granted: when((d) => d.stockMovements.edges.some((e: any) => e.node.id === movement.id)) };
    },
  },
  'Query.tallies': {
    expect: READERS,
    targets: ['in', 'out', 'other'],
    probe: async (t, fx) => {
      const visit = await newVisit(fx, t);
      return {
        query: 'query ($d: ID!) { tallies(driveId: $d, groupBy: [OFFICE, SCHOOL]) { rows { scope schoolId } } }',
        variables: { d: visit.driveId },
        granted: when((d) => d.tallies !== null && d.tallies.rows.some((r: any) => r.schoolId === visit.schoolId)),
      };
    },
  },
  'Query.recordingDays': {
    expect: READERS,
    targets: ['in', 'out', 'other'],
    probe: async (t, fx) => {
      const visit = await newVisit(fx, t);
      await fx.db.tallyDay.create({ data: { driveId: visit.driveId, schoolId: visit.schoolId, date: '2024-09-30', recorded: 3 } });
      return {
        query: 'query ($d: ID!) { recordingDays(driveId: $d) { date recorded } }',
        variables: { d: visit.driveId },
        granted: when((d) => d.recordingDays.length === 1),
      };
    },
  },
  'Query.users': {
    expect: ADMINS,
    targets: ['in', 'other'],
    probe: async (t, fx) => {
      const user = await newUser(fx, t);
      return { query: '{ users { id } }', granted: when((d) => d.users.some((u: any) => u.id === user.id)) };
    },
  },
  'Query.auditEvents': {
    expect: ADMINS,
    targets: ['in', 'other'],
    probe: async (t, fx) => {
      const event = await fx.db.auditEvent.create({ data: { officeId: officeOf(fx, t), action: 'UPDATE', entity: 'School', entityId: `probe-${fx.n()}` } });
      return {
        query: 'query ($e: String!) { auditEvents(filter: { entityId: { equals: $e } }) { totalCount edges { node { id } } } }',
        variables: { e: event.entityId },
        granted: when((d) => (expect(d.auditEvents.totalCount).toBe(d.auditEvents.edges.length), d.auditEvents.totalCount === 1)),
      };
    },
  },

  'Mutation.login': {
    expect: EVERYONE,
    targets: ['in'],
    probe: async (_t, fx) => {
      const username = `login-${fx.n()}`;
      const { hashPassword } = await import('./passwords.ts');
      await fx.db.user.create({ data: { officeId: fx.officeA, username, displayName: 'Login', role: 'VIEWER', passwordHash: await hashPassword('benar-sekali-123') } });
      return {
        query: 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { __typename } }',
        variables: { u: username, p: 'benar-sekali-123' },
        granted: success('login'),
      };
    },
  },
  'Mutation.logout': { expect: EVERYONE, targets: ['in'], probe: async () => ({ query: 'mutation { logout }', granted: when(() => true) }) },
  'Mutation.changePassword': {
    expect: SIGNED_IN,
    targets: ['in'],
    // The probe's users have no password: reaching the resolver means a ValidationError (wrong current password).
    probe: async () => ({ query: 'mutation { changePassword(currentPassword: "x", newPassword: "sebuah-sandi-baru") { __typename } }', granted: when((d) => d.changePassword.__typename === 'ValidationError') }),
  },
  'Mutation.resetPassword': {
    expect: ADMINS,
    targets: ['in', 'other'],
    probe: async (t, fx) => ({
      query: 'mutation ($id: ID!) { resetPassword(userId: $id) { __typename } }',
      variables: { id: (await newUser(fx, t)).id },
      granted: success('resetPassword'),
    }),
  },
  'Mutation.createUser': {
    expect: ADMINS,
    targets: ['in'],
    probe: async (_t, fx) => ({
      query: 'mutation ($i: UserInput!) { createUser(input: $i) { __typename ... on ValidationError { problems { field code } } } }',
      variables: { i: { username: `baru-${fx.n()}`, displayName: 'Petugas Baru', role: 'OPERATOR', team: TEAM, districtCodes: [IN_DISTRICT] } },
      granted: success('createUser'),
    }),
  },
  'Mutation.updateUser': {
    expect: ADMINS,
    targets: ['in', 'other'],
    probe: async (t, fx) => ({
      query: 'mutation ($id: ID!) { updateUser(id: $id, version: 1, patch: { displayName: "Nama Baru" }) { __typename } }',
      variables: { id: (await newUser(fx, t)).id },
      granted: success('updateUser'),
    }),
  },
  'Mutation.revealNik': {
    expect: READERS,
    targets: ['in', 'out', 'other'],
    probe: async (t, fx) => ({
      query: 'mutation ($id: ID!) { revealNik(studentId: $id) { __typename ... on MutationRevealNikSuccess { data } } }',
      variables: { id: (await newStudent(fx, t)).id },
      granted: when((d) => d.revealNik.__typename === 'MutationRevealNikSuccess' && /^\d{16}$/.test(d.revealNik.data)),
    }),
  },

  'Query.blankStock': { expect: SIGNED_IN, targets: ['in'], probe: async () => ({ query: '{ blankStock { __typename } }', granted: when((d) => d.blankStock !== null) }) },
  'Mutation.setBlankStockThreshold': {
    expect: ADMINS,
    targets: ['in'],
    probe: async () => ({ query: 'mutation { setBlankStockThreshold(threshold: 300) { __typename } }', granted: success('setBlankStockThreshold') }),
  },
  'Mutation.syncOutcomes': {
    expect: FIELD_WRITERS,
    targets: ['in', 'out', 'other'],
    probe: async (t, fx) => ({
      query: 'mutation ($w: [OutcomeWriteInput!]!) { syncOutcomes(writes: $w) { status problems { field code } } }',
      variables: { w: [{ clientMutationId: `sync-${fx.n()}`, ...(await newOutcomeParts(fx, t)), status: 'ABSENT', at: new Date(Date.now() - 60_000).toISOString() }] },
      granted: when((d) => d.syncOutcomes[0].status === 'APPLIED'),
    }),
  },
  'Query.importJobs': {
    expect: ADMINS,
    targets: ['in', 'other'],
    probe: async (t, fx) => {
      const job = await newImportJob(fx, t);
      return { query: '{ importJobs(first: 500) { edges { node { id } } } }', granted: when((d) => d.importJobs.edges.some((e: any) => e.node.id === job.id)) };
    },
  },
  'Query.importJob': {
    expect: ADMINS,
    targets: ['in', 'other'],
    probe: async (t, fx) => ({ query: 'query ($id: ID!) { importJob(id: $id) { id } }', variables: { id: (await newImportJob(fx, t)).id }, granted: when((d) => d.importJob !== null) }),
  },
  'Mutation.uploadImport': {
    expect: ADMINS,
    targets: ['in'],
    probe: async () => {
      const query = 'mutation ($f: File!) { uploadImport(file: $f, kind: SCHOOLS) { id } }';
      return {
        query,
        // The GraphQL multipart request spec, as the Impor screen sends it.
        send: async (client) => {
          const form = new FormData();
          form.set('operations', JSON.stringify({ query, variables: { f: null } }));
          form.set('map', JSON.stringify({ 0: ['variables.f'] }));
          form.set('0', new File(['NPSN,Nama Sekolah\n20530001,SMA Uji\n'], 'sekolah.csv', { type: 'text/csv' }));
          const response = await client.fetch('http://test/graphql', { method: 'POST', body: form, headers: { 'x-graphql-yoga-csrf': '1' } });
          return (await response.json()) as GraphQLResult;
        },
        granted: when((d) => typeof d.uploadImport?.id === 'string'),
      };
    },
  },
  'Mutation.setImportMapping': {
    expect: ADMINS,
    targets: ['in', 'other'],
    probe: async (t, fx) => ({ query: 'mutation ($id: ID!) { setImportMapping(jobId: $id, mapping: []) { id } }', variables: { id: (await newImportJob(fx, t)).id }, granted: reached }),
  },
  'Mutation.commitImport': {
    expect: ADMINS,
    targets: ['in', 'other'],
    probe: async (t, fx) => ({ query: 'mutation ($id: ID!) { commitImport(jobId: $id) { id } }', variables: { id: (await newImportJob(fx, t)).id }, granted: reached }),
  },
  'Mutation.cancelImport': {
    expect: ADMINS,
    targets: ['in', 'other'],
    probe: async (t, fx) => ({ query: 'mutation ($id: ID!) { cancelImport(jobId: $id) { id } }', variables: { id: (await newImportJob(fx, t)).id }, granted: reached }),
  },
  'Subscription.importProgress': {
    expect: ADMINS,
    targets: ['in', 'other'],
    subscription: true,
    probe: async (t, fx) => ({
      query: 'subscription ($id: ID!) { importProgress(jobId: $id) { id } }',
      variables: { id: (await newImportJob(fx, t)).id },
      granted: (r) => !r.errors?.length && !!r.data?.importProgress,
    }),
  },
  'Subscription.rowChanges': {
    expect: READERS,
    targets: ['in', 'out', 'other'],
    subscription: true,
    probe: async (t, fx) => {
      const student = await newStudent(fx, t);
      return {
        query: 'subscription ($s: ID!) { rowChanges(entity: STUDENT, schoolId: $s) { id } }',
        variables: { s: student.schoolId },
        // A committed change as the editing engine announces it (for office B: as B's own staff would make it).
        trigger: async () => {
          const row = await fx.db.student.update({ where: { id: student.id }, data: { className: 'XII Baru', version: { increment: 1 } } });
          fx.rows.publish('Student', [{ before: student, after: row }]);
        },
        granted: (r) => !r.errors?.length && !!r.data?.rowChanges?.some((c: { id: string }) => c.id === student.id),
      };
    },
  },
  'Subscription.tallyUpdates': {
    expect: READERS,
    targets: ['in', 'other'],
    subscription: true,
    probe: async (t, fx) => ({
      query: 'subscription ($d: ID!) { tallyUpdates(driveId: $d) { driveId } }',
      variables: { d: (await newVisit(fx, t)).driveId },
      // An allowed subscription stays open silently; a refused one answers with errors at once.
      granted: (r) => !r.errors?.length,
    }),
  },
};

/** A subscription over SSE: its first message within `ms`, or none (still open = allowed). */
async function subscribeBriefly(client: TestClient, probe: Probe, ms = 400): Promise<GraphQLResult> {
  const abort = new AbortController();
  const response = await client.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: probe.query, variables: probe.variables }),
    signal: abort.signal,
  });
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) return (await response.json()) as GraphQLResult;
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  await probe.trigger?.();
  let text = '';
  const first = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return {};
      text += value;
      const data = /event: next\ndata: (.*)\n/.exec(text);
      if (data) return JSON.parse(data[1]!) as GraphQLResult;
      if (text.includes('event: complete')) return {};
    }
  })().catch(() => ({}));
  const quiet = new Promise<GraphQLResult>((resolve) => setTimeout(() => resolve({}), ms));
  const result = await Promise.race([first, quiet]);
  abort.abort();
  void reader.cancel().catch(() => {});
  return result;
  return {};
}

function rootFields(): string[] {
  const schema = getSchema();
  return [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) => (type ? Object.keys(type.getFields()).map((f) => `${type.name}.${f}`) : []));
}

const expected = (level: Level, target: Target) => target !== 'other' && (level === 'all' || (level === 'in' && target === 'in'));

it('has a rule for every operation of the schema, and no rule for an operation that is gone', () => {
  const fields = rootFields();
  expect(fields.filter((f) => !RULES[f]), 'operations without a rule in auth/matrix.test.ts').toEqual([]);
  expect(Object.keys(RULES).filter((f) => !fields.includes(f)), 'rules for operations the schema does not have').toEqual([]);
});

describeOnEachDatabase('role × scope matrix', (api: () => TestApi) => {
  let fx: Fixture;
  let counter = 0;

  beforeAll(async () => {
    await loadRegions(api().db, '35.73');
    const officeB = await api().db.office.create({ data: { regencyCode: '35.07', name: 'Dinas Dukcapil Kabupaten Malang', regencyName: 'Kabupaten Malang', provinceName: 'Jawa Timur' } });
    fx = { db: api().db, officeA: api().officeId, officeB: officeB.id, n: () => ++counter, rows: api().rows };
  });

  /** A fresh session per field and role, so logout or a password change cannot affect the next probe. */
  const clientFor = (who: Who): Promise<TestClient> =>
    who === 'ANON' ? api().as(null) : api().as({ role: who, ...(who === 'OPERATOR' || who === 'VIEWER' ? { districts: [IN_DISTRICT] } : {}), ...(who === 'OPERATOR' ? { team: TEAM } : {}) });

  it.each(rootFields().filter((f) => RULES[f]))('%s', async (field) => {
    const rule = RULES[field]!;
    const mismatches: string[] = [];
    for (const who of WHO) {
      const client = await clientFor(who);
      for (const target of rule.targets) {
        const probe = await rule.probe(target, fx);
        const result = rule.subscription ? await subscribeBriefly(client, probe) : probe.send ? await probe.send(client) : await client.gql(probe.query, probe.variables);
        const granted = probe.granted(result);
        const want = expected(rule.expect[who], target);
        if (granted !== want) mismatches.push(`${who} on ${target}: ${granted ? 'allowed' : 'denied'}, expected ${want ? 'allowed' : 'denied'} (${JSON.stringify(result).slice(0, 300)})`);
      }
    }
    expect(mismatches).toEqual([]);
  });
}, { today: TEST_TODAY });
