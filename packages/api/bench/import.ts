// pnpm bench:import — a Dapodik-like list of 100,000 students (10,000 with --quick), as XLSX
// and CSV, imported through the real API (GraphQL multipart upload → validate → commit) into a
// fresh SQLite database, and PostgreSQL when one answers. Prints rows/s for parse, validate
// and write, and peak memory, beside the baseline: the same rows through the generic batch
// upsert (upsertStudents' engine, 5,000 rows per call) that a grid paste uses.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateDeploy, postgresScratchUrls } from '@jemput/prisma/migrations';
import { openDb, type Db, type DbProvider } from '../src/db/client.ts';
import { loadRegions } from '../src/regions/load-regions.ts';
import { createYogaApp } from '../src/server/app.ts';
import { fixtureStudents, writeDapodikCsv, writeDapodikXlsx } from '../src/imports/fixtures.ts';
import { exceljsRows, openTable, readRawRows, type FileFormat } from '../src/imports/read.ts';
import { IMPORT_WRITE_BATCH_ROWS } from '../src/imports/jobs.ts';
import { SQLITE_BATCH_ROWS, SqliteBulkWriter } from '../src/imports/sqlite-bulk.ts';
import { verifyDriveTallies } from '../src/tallies/verify.ts';
import Papa from 'papaparse';
import { createReadStream } from 'node:fs';
import { importSettled, uploadFile } from '../src/imports/import-api.ts';
import { upsertRows, MAX_BATCH_ROWS } from '../src/common/editing.ts';
import { studentSpec } from '../src/students/schema.ts';
import { checkStudentRow, loadSchoolDirectory, writeStudentBatch, type StudentCandidate } from '../src/imports/students.ts';
import type { Context } from '../src/schema/builder.ts';
import { LoginRateLimiter } from '../src/auth/rate-limit.ts';
import { createSession, SESSION_COOKIE } from '../src/auth/sessions.ts';

const quick = process.argv.includes('--quick');
const ROWS = quick ? 10_000 : 100_000;
const SCHOOLS = 50;
const TODAY = '2024-10-01';
const dir = mkdtempSync(join(tmpdir(), 'jemput-bench-import-'));
process.env.JEMPUT_DATA_DIR = dir;

// ---------------------------------------------------------------- memory sampling
// RSS is sampled every 20 ms. heapUsed alone would count garbage V8 has not collected yet, so
// the live heap is measured after a forced full GC every 2 s (tsx --expose-gc): that is what
// "memory bounded" means — it must not grow with the number of rows.
let peakRss = 0;
let peakLiveHeap = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
sampler.unref();
const liveSampler = setInterval(() => {
  global.gc?.();
  peakLiveHeap = Math.max(peakLiveHeap, process.memoryUsage().heapUsed);
}, 2000);
liveSampler.unref();
function resetPeaks() {
  global.gc?.();
  const m = process.memoryUsage();
  peakRss = m.rss;
  peakLiveHeap = m.heapUsed;
}
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rate = (rows: number, ms: number) => `${Math.round((rows / ms) * 1000).toLocaleString('id-ID')} rows/s`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
/** CPU time of this process (user + system), in ms: on a shared, busy machine wall time mostly measures the others. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const cpuRate = (rows: number, ms: number) => `${Math.round((rows / ms) * 1000).toLocaleString('id-ID')} rows/CPU-s`;
const [load1] = (await import('node:os')).loadavg();
console.log(`Machine: ${(await import('node:os')).cpus().length} CPUs, load average ${load1!.toFixed(1)} at start (rows/s are wall clock; rows/CPU-s count only this process's CPU time)\n`);

// ---------------------------------------------------------------- files
const npsns = Array.from({ length: SCHOOLS }, (_, i) => String(20533000 + i));
let students: ReturnType<typeof fixtureStudents> | null = fixtureStudents(ROWS, { npsns });
const files: Record<FileFormat, string> = { XLSX: join(dir, 'daftar-peserta-didik.xlsx'), CSV: join(dir, 'daftar-peserta-didik.csv') };
let t = performance.now();
await writeDapodikXlsx(files.XLSX, students, { shuffle: true, serialDates: true });
await writeDapodikCsv(files.CSV, students, { delimiter: ';', bom: true });
students = null; // the generated rows are on disk now; keep them out of the memory figures
console.log(`Generated ${ROWS.toLocaleString('id-ID')} students × 26 columns: XLSX ${mb(statSync(files.XLSX).size)}, CSV ${mb(statSync(files.CSV).size)} (${secs(performance.now() - t)})\n`);

// ---------------------------------------------------------------- parse only
console.log('Parse only (streaming read + header detection + value parsing):');
for (const format of ['XLSX', 'CSV'] as const) {
  resetPeaks();
  t = performance.now();
  const c0 = cpuMs();
  const table = await openTable(files[format], format, 'STUDENTS');
  const directory = { byNpsn: new Map(npsns.map((n, i) => [n, { id: `s${i}`, name: n }])), fixedSchoolId: null };
  let n = 0;
  for await (const row of table!.rows) {
    checkStudentRow(row, table!.layout.mapping, directory, TODAY);
    n++;
  }
  const ms = performance.now() - t;
  console.log(`  ${format.padEnd(4)} ${rate(n, ms).padStart(16)} · ${cpuRate(n, cpuMs() - c0)}  (${n} rows in ${secs(ms)}; peak RSS ${mb(peakRss)}, live heap ${mb(peakLiveHeap)})`);
}

// ---------------------------------------------------------------- phases, before → after
// The same rows through the previous components and the current ones, in this run: the readers
// (exceljs's streaming reader, papaparse's own stream mode) and the write path (Prisma
// transaction per batch, as PostgreSQL still uses, against the raw SQLite bulk writer).
console.log('\nPhases, before → after (same rows, same run; rows/CPU-s in brackets):');
// A function, so the 100,000 checked rows it holds are garbage once it returns (not counted in the API figures below).
await phasesBeforeAfter();
async function phasesBeforeAfter() {
  const phase = async (label: string, before: () => Promise<number>, after: () => Promise<number>) => {
    const run = async (work: () => Promise<number>) => {
      global.gc?.();
      const t0 = performance.now();
      const c0 = cpuMs();
      const n = await work();
      return { n, ms: performance.now() - t0, cpu: cpuMs() - c0 };
    };
    const b = await run(before);
    const a = await run(after);
    const fmt = (r: { n: number; ms: number; cpu: number }) => `${rate(r.n, r.ms)} (${cpuRate(r.n, r.cpu)})`;
    console.log(`  ${label.padEnd(34)} ${fmt(b).padStart(40)}  →  ${fmt(a).padStart(40)}   ×${(b.ms / a.ms).toFixed(1)}`);
  };
  const count = async (rows: AsyncIterable<unknown>) => {
    let n = 0;
    for await (const _ of rows) n++;
    return n;
  };
  await phase('read XLSX (raw rows)', () => count(exceljsRows(files.XLSX).rows), () => count(readRawRows(files.XLSX, 'XLSX').rows));
  await phase('read CSV (raw rows)', () => count(papaparseStreamRows(files.CSV)), () => count(readRawRows(files.CSV, 'CSV').rows));

  // Write: the same checked rows, in each path's batches (IMPORT_WRITE_BATCH_ROWS, SQLITE_BATCH_ROWS), into two fresh SQLite databases.
  const sqlite = async () => {
    const sub = mkdtempSync(join(dir, 'db-'));
    const url = `file:${join(sub, 'bench.db')}`;
    migrateDeploy(url);
    const db = await openDb(url);
    const officeId = await prepare(db);
    const job = await db.importJob.create({ data: { officeId, kind: 'STUDENTS', fileName: 'bench', fileHash: 'bench', fileSize: 0, format: 'CSV' } });
    return { db, officeId, jobId: job.id };
  };
  const before = await sqlite();
  const after = await sqlite();
  const table = await openTable(files.CSV, 'CSV', 'STUDENTS');
  const directory = await loadSchoolDirectory(before.db, before.officeId, null);
  const candidates: StudentCandidate[] = [];
  for await (const row of table!.rows) candidates.push(checkStudentRow(row, table!.layout.mapping, directory, TODAY));
  // Both databases got the same schools (ids differ): point the candidates at the second one's for the second run.
  const afterIds = new Map((await loadSchoolDirectory(after.db, after.officeId, null)).byNpsn);
  const batches = (ids: 'before' | 'after') => {
    const out: StudentCandidate[][] = [];
    const size = ids === 'before' ? IMPORT_WRITE_BATCH_ROWS : SQLITE_BATCH_ROWS;
    for (let i = 0; i < candidates.length; i += size) {
      out.push(candidates.slice(i, i + size).map((c) => (ids === 'before' ? c : { ...c, schoolId: afterIds.get(c.row.npsn as string)?.id ?? null })));
    }
    return out;
  };
  const audit = (jobId: string, officeId: string) => ({ userId: null, officeId, jobId });
  await phase(
    'write SQLite (new students)',
    async () => {
      for (const batch of batches('before')) await before.db.$transaction((tx) => writeStudentBatch(tx as Db, 'sqlite', batch, audit(before.jobId, before.officeId)), { timeout: 120_000 });
      return candidates.length;
    },
    async () => {
      const bulk = (await SqliteBulkWriter.open(after.db))!;
      let next = 0;
      for (const batch of batches('after')) await bulk.writeStudents(batch, { id: after.jobId, nextIndex: (next += batch.length), rejected: 0 }, audit(after.jobId, after.officeId));
      bulk.close();
      return candidates.length;
    },
  );
  for (const { db } of [before, after]) {
    const drive = await db.drive.findFirstOrThrow();
    const problems = await verifyDriveTallies(db, drive.id);
    if (problems.length) throw new Error(`tallies differ after the write: ${JSON.stringify(problems.slice(0, 3))}`);
  }
  await before.db.$disconnect();
  await after.db.$disconnect();
  console.log('  (both writes leave tallies that `tallies:verify` finds exact)');
}

/** CSV rows the way the import read them before: papaparse's own Node stream mode, one record per stream chunk. */
async function* papaparseStreamRows(path: string): AsyncGenerator<unknown> {
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { delimitersToGuess: [';', ',', '\t', '|'], skipEmptyLines: false, encoding: 'utf8' } as Papa.ParseConfig);
  createReadStream(path, { highWaterMark: 256 * 1024 }).pipe(parser as unknown as NodeJS.WritableStream);
  yield* parser as AsyncIterable<string[]>;
}

// ---------------------------------------------------------------- databases
async function prepare(db: Db): Promise<string> {
  await loadRegions(db, '35.73');
  const office = await db.office.create({ data: { regencyCode: '35.73', name: 'Dispendukcapil Kota Malang', regencyName: 'Kota Malang', provinceName: 'Jawa Timur' } });
  await db.school.createMany({
    data: npsns.map((npsn, i) => ({ officeId: office.id, npsn, name: `SMA Bench ${i + 1}`, nameSearch: `sma bench ${i + 1}`, level: 'SMA', status: 'NEGERI', districtCode: `35.73.0${(i % 5) + 1}` })),
  });
  // A drive, so every student write also moves tally counters, as in a real office.
  await db.drive.create({ data: { officeId: office.id, name: 'Pilkada', electionDate: '2024-11-27', startDate: '2024-09-01', endDate: '2024-11-20' } });
  return office.id;
}

type Target = { provider: DbProvider; open(): Promise<{ db: Db; drop(): Promise<void> }> };
const targets: Target[] = [
  {
    provider: 'sqlite',
    open: async () => {
      const sub = mkdtempSync(join(dir, 'db-'));
      const url = `file:${join(sub, 'bench.db')}`;
      migrateDeploy(url);
      const db = await openDb(url);
      return { db, drop: async () => db.$disconnect() };
    },
  },
];
const { adminUrl, databaseUrl } = postgresScratchUrls();
const pgAdmin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
let postgres = false;
try {
  await pgAdmin.connect();
  postgres = true;
} catch {
  console.log('\n(PostgreSQL not reachable: SQLite only)');
}
if (postgres) {
  targets.push({
    provider: 'postgresql',
    open: async () => {
      const name = `jemput_bench_import_${process.pid}_${Math.random().toString(36).slice(2, 7)}`;
      await pgAdmin.query(`CREATE DATABASE "${name}"`);
      migrateDeploy(databaseUrl(name));
      const db = await openDb(databaseUrl(name));
      return { db, drop: async () => { await db.$disconnect(); await pgAdmin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`); } };
    },
  });
}

for (const target of targets) {
  console.log(`\n${target.provider === 'sqlite' ? 'SQLite' : 'PostgreSQL'}: import through the API (upload → validate → commit), into an empty office with 50 schools and a drive`);
  for (const format of ['XLSX', 'CSV'] as const) {
    const { db, drop } = await target.open();
    const officeId = await prepare(db);
    const yoga = createYogaApp({ db, provider: target.provider, officeId, today: () => TODAY, graphiql: false });
    const cookie = await adminSession(db, officeId);
    const fetchFn = async (url: string, init?: RequestInit) => yoga.fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie } });
    resetPeaks();
    const start = performance.now();
    const cpuStart = cpuMs();
    const job = await uploadFile(fetchFn, files[format], 'STUDENTS');
    const uploaded = performance.now();
    const cpuUploaded = cpuMs();
    await importSettled(job.id);
    const validated = performance.now();
    const cpuValidated = cpuMs();
    const preview = await db.importJob.findUniqueOrThrow({ where: { id: job.id } });
    if (preview.totalRows !== ROWS) throw new Error(`validated ${preview.totalRows} rows, expected ${ROWS}: ${preview.error}`);
    const commit = await fetchFn('http://bench/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `mutation ($id: ID!) { commitImport(jobId: $id) { status } }`, variables: { id: job.id } }) });
    await commit.text();
    await importSettled(job.id);
    const written = performance.now();
    const cpuWritten = cpuMs();
    const done = await db.importJob.findUniqueOrThrow({ where: { id: job.id } });
    if (done.status !== 'DONE' || done.created !== ROWS) throw new Error(`import ended ${done.status} with ${done.created} created: ${done.error}`);
    const total = written - start;
    console.log(
      `  ${format.padEnd(4)} upload ${secs(uploaded - start)} · validate ${rate(ROWS, validated - uploaded)} · write ${rate(ROWS, written - validated)} · end to end ${rate(ROWS, total)} (${secs(total)}); peak RSS ${mb(peakRss)}, live heap ${mb(peakLiveHeap)}`,
    );
    console.log(
      `       CPU: validate ${cpuRate(ROWS, cpuValidated - cpuUploaded)} · write ${cpuRate(ROWS, cpuWritten - cpuValidated)} · end to end ${cpuRate(ROWS, cpuWritten - cpuStart)} (the database's own CPU is included for SQLite, in-process; not for PostgreSQL)`,
    );
    if (format === 'CSV') {
      // Re-import of the same file: everything unchanged.
      const again = await uploadFile(fetchFn, files[format], 'STUDENTS');
      await importSettled(again.id);
      const t2 = performance.now();
      await (await fetchFn('http://bench/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `mutation ($id: ID!) { commitImport(jobId: $id) { status } }`, variables: { id: again.id } }) })).text();
      await importSettled(again.id);
      const re = await db.importJob.findUniqueOrThrow({ where: { id: again.id } });
      console.log(`  re-import of the same CSV: ${re.unchanged.toLocaleString('id-ID')} unchanged, ${re.created} created, ${re.updated} updated — write ${rate(ROWS, performance.now() - t2)}`);
    }
    await yoga.feed.settled();
    await yoga.closePubSub();
    await drop();
  }

  // Baseline: the generic batch upsert behind a grid paste, on rows already parsed in memory.
  const { db, drop } = await target.open();
  const officeId = await prepare(db);
  const yoga = createYogaApp({ db, provider: target.provider, officeId, today: () => TODAY, graphiql: false });
  const table = await openTable(files.CSV, 'CSV', 'STUDENTS');
  const directory = await loadSchoolDirectory(db, officeId, null);
  const inputs: Record<string, unknown>[] = [];
  for await (const row of table!.rows) {
    const c = checkStudentRow(row, table!.layout.mapping, directory, TODAY);
    inputs.push({ name: c.row.name, nik: c.row.nik, nisn: c.row.nisn, sex: c.row.sex, birthPlace: c.row.birthPlace, birthDate: c.row.birthDate, className: c.row.className, schoolId: c.schoolId });
  }
  // The engine as an ADMIN of the office would call it (scope: the whole office).
  const user = { id: 'bench', username: 'bench', displayName: 'Bench', role: 'ADMIN' as const, officeId, districtCodes: [], team: null, mustChangePassword: false, sessionId: '' };
  const ctx: Context = {
    db, provider: target.provider, locale: 'id', today: TODAY, officeId, userId: null, user, ip: null, secure: false, userAgent: null,
    setCookie: () => {}, loginLimiter: new LoginRateLimiter(), feed: yoga.feed, rows: yoga.rows,
  };
  resetPeaks();
  const start = performance.now();
  const cpuStart = cpuMs();
  let created = 0;
  for (let i = 0; i < inputs.length; i += MAX_BATCH_ROWS) created += (await upsertRows(studentSpec, inputs.slice(i, i + MAX_BATCH_ROWS), ctx)).created;
  const ms = performance.now() - start;
  if (created !== ROWS) throw new Error(`baseline created ${created}`);
  console.log(`  baseline: generic batch upsert (upsertStudents engine, ${MAX_BATCH_ROWS} rows per call, rows pre-parsed): write ${rate(ROWS, ms)} · ${cpuRate(ROWS, cpuMs() - cpuStart)} (${secs(ms)}); peak RSS ${mb(peakRss)}`);
  await yoga.feed.settled();
  await yoga.closePubSub();
  await drop();
}

if (postgres) await pgAdmin.end();
rmSync(dir, { recursive: true, force: true });
console.log(`\nGoal: ≥ 20.000 rows/s end to end on SQLite, memory bounded (streaming).`);
process.exit(0);

/** A session of a new ADMIN of the office (the import operations are the ADMIN's). */
async function adminSession(db: Db, officeId: string): Promise<string> {
  const user = await db.user.create({ data: { officeId, username: `bench-${Date.now()}`, displayName: 'Bench', role: 'ADMIN' } });
  return `${SESSION_COOKIE}=${(await createSession(db, user.id, { ip: null, userAgent: 'bench' })).token}`;
}
