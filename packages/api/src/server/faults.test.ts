// Crash safety, as a power cut would test it: the real server on a real SQLite file takes writes
// from 50 concurrent clients (outcomes recorded then updated, and student pastes), an online
// backup is taken in the middle, and the server is killed with SIGKILL while writes are in flight.
// After a restart, every write the server acknowledged is there, the file passes integrity_check,
// and the maintained tallies equal a recount from raw rows.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeNik, eligibility } from '@jemput/core';
import { todayInJakarta } from '../common/time.ts';
import { checkDatabaseFile } from '../db/backup.ts';
import { openDb, sqliteFilePath } from '../db/client.ts';
import { seedDemo } from '../seed/demo.ts';
import { verifyDriveTallies } from '../tallies/verify.ts';
import { createTestDatabase } from '../test/databases.ts';
import { loginOverHttp, startServerProcess, type ServerProcess } from './process.ts';
import { fixtureStudents, writeDapodikCsv } from '../imports/fixtures.ts';
import { JOB_FIELDS, uploadFile } from '../imports/import-api.ts';
import { SQLITE_BATCH_ROWS } from '../imports/sqlite-bulk.ts';
import { CSRF_HEADER } from './hardening.ts';

const apiDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WRITERS = 50;
const ACKS_BEFORE_KILL = 200;

type Ack = { status: string; version: number };

describe('kill -9 in the middle of 50 concurrent writers', () => {
  const backupDir = mkdtempSync(join(tmpdir(), 'jemput-faults-backup-'));
  let databaseUrl = '';
  let driveId = '';
  let schoolIds: string[] = [];
  let candidates: { studentId: string; recordable: boolean }[] = [];
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    const database = await createTestDatabase('sqlite');
    const today = todayInJakarta();
    const summary = await seedDemo(database.db, { today, schools: 4, students: 1600 });
    driveId = summary.drive.id;
    schoolIds = (await database.db.school.findMany({ select: { id: true } })).map((s) => s.id);
    const students = await database.db.student.findMany({ where: { outcomes: { none: {} } } });
    candidates = students
      .map((s) => ({ studentId: s.id, e: eligibility(s, summary.drive.electionDate, today) }))
      .filter((c) => c.e.eligible)
      .map((c) => ({ studentId: c.studentId, recordable: c.e.recordableNow }));
    await database.db.$disconnect();
    databaseUrl = database.url;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(backupDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write, passes integrity_check and tallies verify clean', async () => {
    expect(candidates.length).toBeGreaterThan(ACKS_BEFORE_KILL);
    server = await startServerProcess({ env: { DATABASE_URL: databaseUrl } });
    const base = server.base;
    const cookie = await loginOverHttp(base);
    const post = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ query, variables }) });
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      return ((await response.json()) as { data: any }).data;
    };

    const outcomeAcks = new Map<string, Ack>(); // outcome id → last acknowledged state
    const inFlightUpdates = new Map<string, string>(); // outcome id → status of an unanswered update
    const studentAcks: string[] = [];
    let acknowledged = 0;
    let unanswered = 0;
    let refusedByServer = 0;
    let next = 0;
    let killed = false;

    async function outcomeWriter(w: number): Promise<void> {
      for (let n = 0; !killed; n++) {
        const candidate = candidates[next++];
        if (!candidate) return;
        const id = `crash_o_${w}_${n}`;
        try {
          const created = (await post(`mutation ($r: [OutcomeRowInput!]!) { upsertOutcomes(rows: $r) { rows { status row { version status } } } }`, {
            r: [{ id, driveId, studentId: candidate.studentId, status: 'ABSENT' }],
          })).upsertOutcomes.rows[0];
          if (created.status !== 'CREATED') refusedByServer++;
          else {
            outcomeAcks.set(id, { status: 'ABSENT', version: created.row.version });
            acknowledged++;
          }
          if (!candidate.recordable || created.status !== 'CREATED') continue;
          inFlightUpdates.set(id, 'RECORDED');
          const updated = (await post(`mutation ($id: ID!, $v: Int!) { updateOutcome(id: $id, version: $v, patch: { status: RECORDED }) { __typename ... on MutationUpdateOutcomeSuccess { data { version status } } } }`, {
            id,
            v: created.row.version,
          })).updateOutcome;
          inFlightUpdates.delete(id);
          if (updated.__typename !== 'MutationUpdateOutcomeSuccess') refusedByServer++;
          else {
            outcomeAcks.set(id, { status: 'RECORDED', version: updated.data.version });
            acknowledged++;
          }
        } catch {
          unanswered++;
          return; // the server is gone
        }
      }
    }

    async function pasteWriter(w: number): Promise<void> {
      for (let n = 0; !killed; n++) {
        const rows = Array.from({ length: 10 }, (_, k) => {
          const serial = 1 + ((w * 997 + n * 10 + k) % 9999);
          const sex = k % 2 ? 'P' : 'L';
          const birthDate = `2007-0${1 + (k % 9)}-1${k % 9}`;
          return { id: `crash_s_${w}_${n}_${k}`, schoolId: schoolIds[k % schoolIds.length], name: `Siswa Tempel ${w}-${n}-${k}`, sex, birthDate, nik: composeNik({ districtCode: '35.73.05', birthDate, sex, serial }) };
        });
        try {
          const result = (await post(`mutation ($r: [StudentRowInput!]!) { upsertStudents(rows: $r) { created rows { id status } } }`, { r: rows })).upsertStudents;
          for (const row of result.rows) if (row.status === 'CREATED') studentAcks.push(row.id);
          if (result.created !== rows.length) refusedByServer++;
          acknowledged++;
        } catch {
          unanswered++;
          return;
        }
      }
    }

    const writers = Array.from({ length: WRITERS }, (_, w) => (w % 5 === 4 ? pasteWriter(w) : outcomeWriter(w)));

    // An online backup while the writers run: consistent and intact.
    const backup = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, ['--import', 'tsx', 'src/db/backup-cli.ts', `--dir=${backupDir}`], { cwd: apiDir, env: { ...process.env, DATABASE_URL: databaseUrl } }, (error, stdout, stderr) =>
        resolve({ code: error ? 1 : 0, stdout, stderr }),
      ),
    );
    expect(backup.stderr).toBe('');
    expect(backup.stdout).toMatch(/Backup written: .*integrity ok/);
    const backupFile = /Backup written: (\S+)/.exec(backup.stdout)?.[1] as string;
    expect(checkDatabaseFile(backupFile)).toMatchObject({ ok: true });

    const ackedBeforeBackupDone = acknowledged;
    while (acknowledged < ackedBeforeBackupDone + ACKS_BEFORE_KILL && next < candidates.length) await new Promise((resolve) => setTimeout(resolve, 10));
    killed = true;
    server.child.kill('SIGKILL');
    await Promise.all(writers);
    expect(unanswered).toBeGreaterThan(0); // writes really were in flight
    expect(refusedByServer).toBe(0);

    // Integrity first, as the file was left by the kill (opening it replays the WAL).
    const file = new Database(sqliteFilePath(databaseUrl));
    expect(file.pragma('integrity_check', { simple: true })).toBe('ok');
    file.close();

    // Restart on the same file (a stale lock from the killed server must not stop it).
    server = await startServerProcess({ env: { DATABASE_URL: databaseUrl } });
    const ready = await fetch(`${server.base}/readyz`);
    expect(ready.status).toBe(200);

    const db = await openDb(databaseUrl);
    try {
      const stored = new Map((await db.outcome.findMany({ where: { id: { in: [...outcomeAcks.keys()] } } })).map((o) => [o.id, o]));
      const lost = [...outcomeAcks].filter(([id, ack]) => {
        const row = stored.get(id);
        if (!row) return true;
        // An update answered by nobody may or may not have committed; an acknowledged one must have.
        const expected = new Set([ack.status, inFlightUpdates.get(id)].filter(Boolean));
        return !expected.has(row.status) || row.version < ack.version;
      });
      expect(lost).toEqual([]);
      expect(outcomeAcks.size).toBeGreaterThan(50);
      const students = await db.student.count({ where: { id: { in: studentAcks } } });
      expect(students).toBe(studentAcks.length);
      expect(studentAcks.length).toBeGreaterThan(0);
      expect(await verifyDriveTallies(db, driveId)).toEqual([]);
    } finally {
      await db.$disconnect();
    }
  }, 120_000);

  it('leaves a Dapodik import killed while writing resumable: its committed rows are in, the rest follows on resume', async () => {
    server ??= await startServerProcess({ env: { DATABASE_URL: databaseUrl } });
    const cookie = await loginOverHttp(server.base);
    let db = await openDb(databaseUrl);
    const npsns = (await db.school.findMany({ select: { npsn: true } })).map((s) => s.npsn);
    // Two batches and a part: the kill lands after the first commit, before the last.
    const students = fixtureStudents(2 * SQLITE_BATCH_ROWS + 2000, { npsns, seed: 11 });
    const file = join(backupDir, 'dapodik.csv');
    await writeDapodikCsv(file, students);
    const graphql = async (query: string, variables: Record<string, unknown>) =>
      ((await (await fetch(`${server!.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ query, variables }) })).json()) as any).data;
    const job = async (id: string) => (await graphql(`query ($id: ID!) { importJob(id: $id) { ${JOB_FIELDS} } }`, { id })).importJob;
    const until = async (id: string, done: (j: any) => boolean) => {
      for (const deadline = Date.now() + 90_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
        const j = await job(id);
        if (done(j)) return j;
      }
      throw new Error('import did not get there in time');
    };
    const nisns = students.map((s) => s.nisn).sort();
    const ofThisList = { nisn: { gte: nisns[0], lte: nisns[nisns.length - 1] } };
    try {
      const uploaded = await uploadFile((_url, init) => fetch(`${server!.base}/graphql`, init), file, 'STUDENTS', undefined, { [CSRF_HEADER]: '1', cookie });
      expect((await until(uploaded.id, (j) => j.phase !== 'VALIDATING')).phase).toBe('READY');
      await graphql(`mutation ($id: ID!) { commitImport(jobId: $id) { id } }`, { id: uploaded.id });
      await until(uploaded.id, (j) => j.committedRows > 0);
      server.child.kill('SIGKILL');
      await new Promise((resolve) => server!.child.once('exit', resolve));

      // Closed while the server starts: its migrate step wants the SQLite file to itself.
      await db.$disconnect();
      server = await startServerProcess({ env: { DATABASE_URL: databaseUrl } });
      db = await openDb(databaseUrl);
      const interrupted = await job(uploaded.id);
      expect(interrupted.phase).toBe('INTERRUPTED');
      expect(interrupted.committedRows).toBeLessThan(students.length); // really cut off mid-way
      expect(await db.student.count({ where: ofThisList })).toBe(interrupted.committedRows); // exactly what the job says is in
      expect(await verifyDriveTallies(db, driveId)).toEqual([]);

      await graphql(`mutation ($id: ID!) { commitImport(jobId: $id) { id } }`, { id: uploaded.id });
      const resumed = await until(uploaded.id, (j) => j.phase === 'DONE' || j.phase === 'FAILED');
      expect(resumed).toMatchObject({ phase: 'DONE', committedRows: students.length, rejected: 0 });
      expect(await db.student.count({ where: ofThisList })).toBe(students.length);
      expect(await verifyDriveTallies(db, driveId)).toEqual([]);
    } finally {
      await db.$disconnect();
    }
  }, 180_000);
});
