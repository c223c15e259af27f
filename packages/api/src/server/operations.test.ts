// Running unattended, with the real server process on a real SQLite file: readiness, metrics,
// JSON-line logs without NIKs, scheduled backups, restore refused while it runs, a graceful
// shutdown that finishes the write in flight and tells dashboards when to come back, and
// start-up refusals that say in one line what is wrong.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeNik } from '@jemput/core';
import { checkDatabaseFile } from '../db/backup.ts';
import { listCommittedMigrations } from '../db/migrations-list.ts';
import { sqliteFilePath } from '../db/client.ts';
import { todayInJakarta } from '../common/time.ts';
import { seedDemo } from '../seed/demo.ts';
import { createTestDatabase } from '../test/databases.ts';
import { freePort, loginOverHttp, runServerUntilExit, startServerProcess, type ServerProcess } from './process.ts';
import { lockPathFor } from './lock.ts';

const apiDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function runCli(script: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', script, ...args], { cwd: apiDir, env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let cookie = '';

async function gql(base: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: unknown[] } };
}

const UPSERT_STUDENTS = /* GraphQL */ `mutation Paste($rows: [StudentRowInput!]!) { upsertStudents(rows: $rows) { created rejected rows { status problems { code } } } }`;

function studentRow(schoolId: string, i: number) {
  const sex = i % 2 ? 'P' : 'L';
  const birthDate = `2007-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
  return { schoolId, name: `Siswa Ops ${i}`, sex, birthDate, className: 'XII IPA 1', nik: composeNik({ districtCode: i < 4900 ? '35.73.01' : '35.73.02', birthDate, sex, serial: 5000 + (i % 4900) }) };
}

describe('a Jemput server running unattended (real process, SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jemput-ops-'));
  const backupDir = join(dir, 'backups');
  let server: ServerProcess;
  let databaseUrl = '';
  let schoolId = '';
  let driveId = '';

  beforeAll(async () => {
    const database = await createTestDatabase('sqlite');
    const summary = await seedDemo(database.db, { today: todayInJakarta(), schools: 2, students: 200 });
    driveId = summary.drive.id;
    schoolId = (await database.db.school.findFirstOrThrow()).id;
    await database.db.$disconnect();
    databaseUrl = database.url;
    server = await startServerProcess({ env: { DATABASE_URL: databaseUrl, JEMPUT_BACKUP_EVERY: '1s', JEMPUT_BACKUP_KEEP: '2', JEMPUT_BACKUP_DIR: backupDir } });
    cookie = await loginOverHttp(server.base);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is healthy, and ready once every committed migration is applied', async () => {
    expect(await (await fetch(`${server.base}/healthz`)).text()).toBe('ok');
    const ready = await fetch(`${server.base}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as any;
    expect(body).toMatchObject({ status: 'ready', database: 'ok', migrations: { missing: [], unknown: [] } });
    expect(body.migrations.applied).toBe(listCommittedMigrations('sqlite').length);
  });

  it('logs one JSON line per request with its id, operation, duration, user and status — and never a NIK', async () => {
    const good = studentRow(schoolId, 1);
    const bad = { ...studentRow(schoolId, 2), schoolId: 'sch_missing' }; // rejected: no such school
    const pasted = await gql(server.base, UPSERT_STUDENTS, { rows: [good, bad] });
    expect(pasted.body.data.upsertStudents).toMatchObject({ created: 1, rejected: 1 });
    const search = await gql(server.base, 'query Find($q: String) { students(first: 5, search: $q) { totalCount } }', { q: good.nik });
    expect(search.body.errors).toBeUndefined();
    const broken = await gql(server.base, `{ students(first: 1, filter: { nik: { equals: "${bad.nik}" } }) { totalCount } nope }`);
    expect(broken.body.errors).toHaveLength(1);

    await new Promise((resolve) => setTimeout(resolve, 200));
    const output = server.output();
    for (const nik of [good.nik, bad.nik]) expect(output).not.toContain(nik);
    const lines = output.trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>); // every line is JSON
    const paste = lines.find((l) => l.operation === 'upsertStudents');
    expect(paste).toMatchObject({ operationName: 'Paste', type: 'mutation', status: 200, userId: expect.any(String), level: 'info' }); // the logged-in user
    expect(paste?.reqId).toMatch(/^[0-9a-f-]{36}$/);
    expect(paste?.durationMs).toBeGreaterThan(0);
    expect(lines.find((l) => l.operationName === 'Find')).toMatchObject({ operation: 'students', type: 'query', status: 200 });
    expect(lines.find((l) => l.operation === '(unparsed)')).toMatchObject({ errors: 1, errorCodes: ['GRAPHQL_VALIDATION_FAILED'] });
  });

  it('exposes Prometheus metrics: requests and latency per operation, open subscriptions, SQLite files, process', async () => {
    const stream = await fetch(`${server.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', cookie },
      body: JSON.stringify({ query: 'subscription ($d: ID!) { tallyUpdates(driveId: $d) { rows { scope } } }', variables: { d: driveId } }),
    });
    expect(stream.ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const metrics = await (await fetch(`${server.base}/metrics`)).text();
    void stream.body?.cancel();
    expect(metrics).toMatch(/^jemput_graphql_requests_total\{operation="upsertStudents",type="mutation",status="ok"\} 1$/m);
    expect(metrics).toMatch(/^jemput_graphql_request_duration_seconds_count\{operation="students",type="query"\} [1-9]/m);
    expect(metrics).toMatch(/^jemput_subscriptions_open 1$/m);
    expect(metrics).toMatch(/^jemput_sqlite_file_bytes\{file="database"\} [1-9]\d+$/m);
    expect(metrics).toMatch(/^process_resident_memory_bytes [1-9]/m);
  });

  it('makes checked backups on schedule and keeps only the newest JEMPUT_BACKUP_KEEP', async () => {
    const deadline = Date.now() + 15_000;
    let backups: string[] = [];
    while (Date.now() < deadline) {
      backups = existsSync(backupDir) ? readdirSync(backupDir).filter((f) => f.endsWith('.db')) : [];
      if (backups.length >= 2 && server.output().match(/"backup made"/g)!?.length >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(server.output().match(/"backup made"/g)?.length ?? 0).toBeGreaterThanOrEqual(3);
    backups = readdirSync(backupDir).filter((f) => f.endsWith('.db'));
    expect(backups.length).toBe(2);
    const check = checkDatabaseFile(join(backupDir, backups[0] as string));
    expect(check).toMatchObject({ ok: true, problems: [], pending: [] });
    expect(check.students).toBeGreaterThanOrEqual(201);
  }, 30_000);

  it('refuses to restore over the database while the server runs on it', async () => {
    // A copy, because the schedule keeps pruning the backup folder.
    const backup = readdirSync(backupDir).find((f) => f.endsWith('.db')) as string;
    copyFileSync(join(backupDir, backup), join(dir, 'kept-backup.db'));
    const restore = await runCli('src/db/restore-cli.ts', [join(dir, 'kept-backup.db')], { DATABASE_URL: databaseUrl });
    expect(restore.code).toBe(1);
    expect(restore.stderr).toMatch(new RegExp(`a Jemput server \\(pid ${server.child.pid}, port ${server.port}\\) is running`));
  });

  it('on SIGTERM finishes the write in flight, ends SSE streams with a retry hint, refuses new connections and exits 0', async () => {
    const stream = await fetch(`${server.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', cookie },
      body: JSON.stringify({ query: 'subscription ($d: ID!) { tallyUpdates(driveId: $d) { rows { scope } } }', variables: { d: driveId } }),
    });
    const streamText = stream.text();
    const rows = Array.from({ length: 5000 }, (_, i) => studentRow(schoolId, 100 + i));
    const inFlight = gql(server.base, UPSERT_STUDENTS, { rows });
    // The signal comes while the paste is sent or running (with the synchronous SQLite driver the
    // handler runs once the write's statements are done): either way its answer must arrive.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    server.child.kill('SIGTERM');

    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.body.data.upsertStudents).toMatchObject({ created: 5000, rejected: 0 });
    expect(await streamText).toMatch(/retry: 3000/);
    expect(await exited).toBe(0);
    await expect(fetch(`${server.base}/healthz`)).rejects.toThrow();
    expect(server.output()).toMatch(/"msg":"stopped"/);
    expect(server.output()).toMatch(/"msg":"shutting down/);
    expect(existsSync(lockPathFor(sqliteFilePath(databaseUrl)))).toBe(false);

    // Stopped: now a restore goes through, keeping the replaced database beside it.
    const restore = await runCli('src/db/restore-cli.ts', [join(dir, 'kept-backup.db')], { DATABASE_URL: databaseUrl });
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/Restored .* \(\d+ students\)/);
    const folder = dirname(sqliteFilePath(databaseUrl));
    const kept = readdirSync(folder).filter((f) => f.includes('.replaced-'));
    expect(kept).toHaveLength(1);
    expect(checkDatabaseFile(join(folder, kept[0] as string)).students).toBe(5201); // the write in flight was kept
  }, 60_000);
});

describe('start-up refuses a misconfiguration in one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jemput-refuse-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function refusal(env: Record<string, string>): Promise<string> {
    const result = await runServerUntilExit({ env: { PORT: String(await freePort()), ...env } });
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(lines[0]).toMatch(/^Jemput cannot start: /);
    return lines[0] as string;
  }

  it('a DATABASE_URL that is neither SQLite nor PostgreSQL', async () => {
    expect(await refusal({ DATABASE_URL: 'mysql://root:hunter2@localhost/jemput' })).toMatch(/DATABASE_URL must be file:<path> .* not "mysql:\/\/root:•••@localhost\/jemput"/);
  });

  it('a data directory that cannot be created or written', async () => {
    writeFileSync(join(dir, 'a-file'), '');
    expect(await refusal({ DATABASE_URL: `file:${join(dir, 'a-file', 'jemput.db')}` })).toMatch(/cannot create the data directory/);
    expect(await refusal({ DATABASE_URL: 'file:/sys/jemput.db' })).toMatch(/the data directory \/sys is not writable/);
  });

  it('a port already in use', async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, () => resolve((blocker.address() as { port: number }).port)));
    try {
      expect(await refusal({ DATABASE_URL: `file:${join(dir, 'port', 'jemput.db')}`, PORT: String(port) })).toMatch(new RegExp(`port ${port} is already in use`));
    } finally {
      blocker.close();
    }
  });

  it('PostgreSQL or Redis that does not answer', async () => {
    expect(await refusal({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/jemput' })).toMatch(/PostgreSQL at 127\.0\.0\.1:1\/jemput is not reachable \(connection refused\)/);
    expect(await refusal({ DATABASE_URL: `file:${join(dir, 'redis', 'jemput.db')}`, REDIS_URL: 'redis://127.0.0.1:1' })).toMatch(/Redis at redis:\/\/127\.0\.0\.1:1 is not reachable/);
  });
});
