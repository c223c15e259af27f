// pnpm bench:api — API speed on the 12,000-student demo office, SQLite, over real HTTP.
// Prints each figure beside a baseline measured in the same run:
//   students page (100 rows + school + outcome) vs the naive per-row loading it replaces;
//   a 1,000-row paste through upsertStudents vs 1,000 single createStudent calls.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { composeNik } from '@jemput/core';
import { migrateDeploy } from '@jemput/prisma/migrations';
import { openDb } from '../src/db/client.ts';
import { seedDemo } from '../src/seed/demo.ts';
import { createApp } from '../src/server/app.ts';
import { loginOverHttp } from '../src/server/process.ts';
import { todayInJakarta } from '../src/common/time.ts';

const quick = process.argv.includes('--quick');
const PAGE_RUNS = quick ? 40 : 200;
const BATCH_RUNS = quick ? 3 : 10;

const dir = mkdtempSync(join(tmpdir(), 'jemput-bench-'));
const url = `file:${join(dir, 'bench.db')}`;
migrateDeploy(url);
let queries = 0;
const db = await openDb(url, { onQuery: () => void queries++ });
const today = todayInJakarta();
const t0 = performance.now();
const summary = await seedDemo(db, { today });
console.log(`demo office: ${summary.schools} schools, ${summary.students.total} students, ${summary.outcomes.total} outcomes (seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);

const office = await db.office.findFirstOrThrow();
const { server } = createApp({ db, provider: 'sqlite', officeId: office.id, graphiql: false });
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const endpoint = `${base}/graphql`;
const cookie = await loginOverHttp(base);

async function gql(query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
  return { p50: at(0.5), p95: at(0.95), n: samples.length };
}
const ms = (v: number) => `${v.toFixed(1)} ms`;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const PAGE = `query ($schoolId: ID, $driveId: ID, $after: String) {
  students(first: 100, after: $after, filter: { schoolId: { equals: $schoolId } }, sort: [{ field: CLASS_NAME }, { field: NAME }]) {
    totalCount pageInfo { endCursor }
    edges { node { id name nisn nikMasked sex birthDate className version school { id name npsn } outcome(driveId: $driveId) { status recordedAt printedAt } } }
  } }`;
const drive = await db.drive.findFirstOrThrow();
const schools = await db.school.findMany({ select: { id: true } });

// Baseline: what a resolver without batching does — one query for the page, then one per row for school and outcome.
async function naivePage(schoolId: string) {
  const students = await db.student.findMany({ where: { schoolId }, orderBy: [{ className: 'asc' }, { nameSearch: 'asc' }, { id: 'asc' }], take: 100 });
  await db.student.count({ where: { schoolId } });
  for (const s of students) {
    await db.school.findUnique({ where: { id: s.schoolId } });
    await db.outcome.findUnique({ where: { driveId_studentId: { driveId: drive.id, studentId: s.id } } });
  }
}

// Warm up both paths.
for (let i = 0; i < 5; i++) await gql(PAGE, { schoolId: schools[i % schools.length]?.id, driveId: drive.id });
const pageSamples: number[] = [];
const naiveSamples: number[] = [];
let queriesPerPage = 0;
for (let i = 0; i < PAGE_RUNS; i++) {
  const schoolId = (schools[i % schools.length] as { id: string }).id;
  queries = 0;
  pageSamples.push(await time(() => gql(PAGE, { schoolId, driveId: drive.id })));
  queriesPerPage = Math.max(queriesPerPage, queries);
  naiveSamples.push(await time(() => naivePage(schoolId)));
}
queries = 0;
await naivePage((schools[0] as { id: string }).id);
const naiveQueries = queries;

const UPSERT = `mutation ($rows: [StudentRowInput!]!) { upsertStudents(rows: $rows) { created updated rejected } }`;
const CREATE = `mutation ($input: StudentInput!) { createStudent(input: $input) { __typename } }`;
let serial = 0;
const newRows = (schoolId: string, n: number) =>
  Array.from({ length: n }, () => {
    serial++;
    const birthDate = `2008-0${(serial % 9) + 1}-1${serial % 10}`;
    const sex = serial % 2 ? 'P' : 'L';
    return { name: `Siswa Bench ${serial}`, sex, birthDate, nik: composeNik({ districtCode: '35.73.03', birthDate, sex, serial: (serial % 9999) + 1 }), nisn: String(9_000_000_000 + serial), className: 'X 9', schoolId };
  });

const batchSamples: number[] = [];
const updateSamples: number[] = [];
for (let i = 0; i < BATCH_RUNS; i++) {
  const schoolId = (schools[i % schools.length] as { id: string }).id;
  const rows = newRows(schoolId, 1000);
  batchSamples.push(await time(async () => {
    const r = await gql(UPSERT, { rows });
    if (r.upsertStudents.created !== 1000) throw new Error(`expected 1000 created, got ${JSON.stringify(r.upsertStudents)}`);
  }));
  const existing = await db.student.findMany({ where: { schoolId, className: 'X 9' }, take: 1000, select: { id: true, version: true } });
  updateSamples.push(await time(() => gql(UPSERT, { rows: existing.map((s) => ({ id: s.id, version: s.version, className: `X 9 ${i}` })) })));
}
const singleSamples: number[] = [];
const singles = newRows((schools[0] as { id: string }).id, 1000);
const singleTotal = await time(async () => {
  for (const input of singles) singleSamples.push(await time(() => gql(CREATE, { input })));
});

const page = stats(pageSamples);
const naive = stats(naiveSamples);
const batch = stats(batchSamples);
const update = stats(updateSamples);
console.log(`\nstudents page, 100 rows + school + outcome (${page.n} runs, HTTP)`);
console.log(`  Jemput:   p50 ${ms(page.p50)}  p95 ${ms(page.p95)}  SQL queries per page: ${queriesPerPage}`);
console.log(`  baseline: p50 ${ms(naive.p50)}  p95 ${ms(naive.p95)}  SQL queries per page: ${naiveQueries}  (per-row loading, in-process, no HTTP)`);
console.log(`  ratio:    ${(naive.p50 / page.p50).toFixed(1)}× faster at p50, ${(naiveQueries / queriesPerPage).toFixed(0)}× fewer queries`);
console.log(`\n1,000-row paste (upsertStudents, ${batch.n} runs)`);
console.log(`  create:   p50 ${ms(batch.p50)}  p95 ${ms(batch.p95)}`);
console.log(`  update:   p50 ${ms(update.p50)}  p95 ${ms(update.p95)}`);
console.log(`  baseline: 1,000 × createStudent = ${ms(singleTotal)} (p50 ${ms(stats(singleSamples).p50)} per call)`);
console.log(`  ratio:    ${(singleTotal / batch.p50).toFixed(1)}× faster as one batch`);

server.close();
await db.$disconnect();
rmSync(dir, { recursive: true, force: true });
