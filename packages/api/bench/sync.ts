// pnpm bench:sync — the field app's outbox arriving at the server: a queue of N outcome writes
// through syncOutcomes on the demo office (SQLite, real HTTP), beside a baseline measured in the
// same run: the same number of writes sent one call each (as a naive client would). Also the
// replay of the whole queue (answered from AppliedMutation) and the count check: N outcomes, once.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { migrateDeploy } from '@jemput/prisma/migrations';
import { openDb } from '../src/db/client.ts';
import { seedDemo } from '../src/seed/demo.ts';
import { createApp } from '../src/server/app.ts';
import { todayInJakarta } from '../src/common/time.ts';

const quick = process.argv.includes('--quick');
const N = quick ? 200 : 500;

const dir = mkdtempSync(join(tmpdir(), 'jemput-bench-sync-'));
const url = `file:${join(dir, 'bench.db')}`;
migrateDeploy(url);
const db = await openDb(url);
await seedDemo(db, { today: todayInJakarta() });
const office = await db.office.findFirstOrThrow();
const drive = await db.drive.findFirstOrThrow();
const { server } = createApp({ db, provider: 'sqlite', officeId: office.id, graphiql: false });
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;

const SYNC = `mutation ($w: [OutcomeWriteInput!]!) { syncOutcomes(writes: $w) { status replayed } }`;
async function sync(writes: object[]): Promise<{ status: string; replayed: boolean }[]> {
  const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: SYNC, variables: { w: writes } }) });
  const body = (await response.json()) as { data?: { syncOutcomes: { status: string; replayed: boolean }[] }; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
  return body.data.syncOutcomes;
}

// Students of the drive without an outcome yet (absent is allowed at any age).
const free = await db.student.findMany({ where: { outcomes: { none: { driveId: drive.id } } }, select: { id: true }, take: 2 * N, orderBy: { id: 'asc' } });
if (free.length < 2 * N) throw new Error(`only ${free.length} students without an outcome`);
const queue = (ids: { id: string }[]) => ids.map((s) => ({ clientMutationId: randomUUID(), driveId: drive.id, studentId: s.id, baseVersion: null, status: 'ABSENT', at: new Date().toISOString() }));
const batchQueue = queue(free.slice(0, N));
const singleQueue = queue(free.slice(N));

const time = async (fn: () => Promise<unknown>) => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};

const baseline = await time(async () => {
  for (const write of singleQueue) await sync([write]);
});
const batched = await time(async () => {
  for (let i = 0; i < batchQueue.length; i += 50) await sync(batchQueue.slice(i, i + 50)); // what the app sends: 50 per call
});
let replayed = 0;
const replay = await time(async () => {
  for (let i = 0; i < batchQueue.length; i += 50) replayed += (await sync(batchQueue.slice(i, i + 50))).filter((r) => r.replayed).length;
});
const stored = await db.outcome.count({ where: { studentId: { in: batchQueue.map((w) => w.studentId) }, driveId: drive.id } });

const row = (label: string, ms: number) => console.log(`${label.padEnd(46)} ${ms.toFixed(0).padStart(6)} ms  ${(N / (ms / 1000)).toFixed(0).padStart(6)} writes/s`);
console.log(`\nsyncOutcomes, ${N} queued writes, SQLite (demo office)`);
row(`baseline: ${N} calls of 1 write`, baseline);
row(`outbox: ${N / 50} calls of 50 writes`, batched);
row(`replay of the same ${N} writes`, replay);
console.log(`speed-up vs baseline: ${(baseline / batched).toFixed(1)}×; replay answered from the first results: ${replayed}/${N}; outcomes stored: ${stored} (expected ${N})`);
server.close();
await db.$disconnect();
rmSync(dir, { recursive: true, force: true });
if (stored !== N || replayed !== N) process.exit(1);
