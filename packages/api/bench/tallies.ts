// pnpm bench:tallies — live tallies: push latency to SSE subscribers and dashboard query speed.
// Every figure is printed beside a baseline measured in the same run:
//   1. push latency from a committed outcome write to 1, 100 and 1,000 SSE subscribers of
//      `tallyUpdates` (server in a child process); baseline: the same with 1 subscriber;
//   2. `tallies(groupBy: [OFFICE, DISTRICT, SCHOOL])` from the maintained counters vs one naive
//      GROUP BY over raw rows — on the 12,000-student demo office (SQLite), then on a generated
//      nation on PostgreSQL (default 5,000,000 students, 40,000 schools, 500 offices/drives).
// Options: --quick (small, for development), --students=N (national scale), --only=push,sqlite,national,
//   --subscribers=1,100,1000, --mutations=N, --drives=N (sampled national drives), --no-redis,
//   --server-prof=DIR (write a V8 CPU profile of each server process into DIR, for finding where push time goes).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { voterCutoffDate } from '@jemput/core';
import { migrateDeploy } from '@jemput/prisma/migrations';
import { openDb, type Db } from '../src/db/client.ts';
import { seedDemo } from '../src/seed/demo.ts';
import { createTallyPubSub, TallyFeed } from '../src/tallies/feed.ts';
import { tallyReport } from '../src/tallies/report.ts';
import { todayInJakarta } from '../src/common/time.ts';
import { onCleanup, runCleanup } from './tallies/cleanup.ts';
import { naiveTallies } from './tallies/naive.ts';
import { nationalBench, scaleFor, type NationalResult } from './tallies/national.ts';
import { pushRound, type PushRound, type PushTarget } from './tallies/push.ts';
import { closeClientAgent, gql, redisAnswers, startServer } from './tallies/server.ts';
import { int, mib, ms, ratio, secs, sleep, stats, table, time, type Stats } from './tallies/stats.ts';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = flag('quick');
const only = new Set((option('only') ?? 'push,sqlite,national').split(','));
const NATIONAL_STUDENTS = Number(option('students') ?? (quick ? 200_000 : 5_000_000));
const SUBSCRIBERS = (option('subscribers') ?? '1,100,1000').split(',').map(Number);
const MUTATIONS = Number(option('mutations') ?? (quick ? 10 : 20));
const SPACING_MS = 200;
const SQLITE_RUNS = quick ? 50 : 200;
const SAMPLE_DRIVES = Number(option('drives') ?? (quick ? 10 : 30));
const RUNS_PER_DRIVE = quick ? 3 : 5;
const PG_URL = process.env.JEMPUT_PG_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS = { host: '127.0.0.1', port: 6379 };
const SERVER_PROF = option('server-prof');

const benchStart = performance.now();
const today = todayInJakarta();
const scopes = ['OFFICE', 'DISTRICT', 'SCHOOL'] as const;

type SqliteResult = { ours: Stats; naive: Stats; students: number; schools: number; cells: number; mismatches: string[] };
const results: { sqlite?: SqliteResult; feedFlush?: Stats; push: PushRound[]; rss0?: number; national?: NationalResult; nationalError?: string } = { push: [] };

try {
  // ── The demo office on SQLite ──────────────────────────────────────────────────────────────
  let targets: PushTarget[] = [];
  let driveId = '';
  let dbUrl = '';
  if (only.has('push') || only.has('sqlite')) {
    const dir = mkdtempSync(join(tmpdir(), 'jemput-bench-tallies-'));
    onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    dbUrl = `file:${join(dir, 'bench.db')}`;
    migrateDeploy(dbUrl);
    const db: Db = await openDb(dbUrl);
    const closeDb = onCleanup(() => db.$disconnect());
    const seedStart = performance.now();
    const summary = await seedDemo(db, { today });
    console.log(
      `demo office (SQLite): ${summary.schools} schools, ${int(summary.students.total)} students (${int(summary.students.eligible)} eligible), ${int(summary.outcomes.total)} outcomes — seeded in ${secs(performance.now() - seedStart)}`,
    );
    // Every demo database calls its drive drv_0001, and the Redis channel is named after the drive:
    // a unique id keeps this run's subscribers from hearing other runs or tests on the same Redis.
    const drive = { id: `drv_bench_${process.pid}`, officeId: summary.office.id, electionDate: summary.drive.electionDate };
    await db.$executeRawUnsafe('UPDATE "Drive" SET "id" = ? WHERE "id" = ?', drive.id, summary.drive.id); // cascades
    driveId = drive.id;

    {
      // Eligible students with no outcome yet, spread over schools, each with a visit of its school.
      const needed = (SUBSCRIBERS.length + 2) * (MUTATIONS + 5) + 20;
      targets = (await db.$queryRawUnsafe(
        `SELECT st."id" AS "studentId",
           (SELECT v."id" FROM "Visit" v WHERE v."schoolId" = st."schoolId" AND v."driveId" = ? ORDER BY v."date" LIMIT 1) AS "visitId"
         FROM "Student" st LEFT JOIN "Outcome" o ON o."studentId" = st."id" AND o."driveId" = ?
         WHERE o."id" IS NULL AND st."birthDate" <= ? AND st."married" = 0
         ORDER BY (st.rowid * 7919) % 10007 LIMIT ?`,
        drive.id,
        drive.id,
        voterCutoffDate(drive.electionDate),
        needed,
      )) as PushTarget[];
    }
    if (only.has('sqlite')) {
      // Cross-check first (and warm both paths): the counters and the raw rows must agree.
      const mismatches: string[] = [];
      const report = await tallyReport(db, drive.id, today, { scopes });
      const naive = await naiveTallies(db, 'sqlite', drive, today);
      const office = report?.rows.find((r) => r.scope === 'OFFICE');
      for (const field of ['eligible', 'recorded', 'absent', 'printed', 'ikdActivated'] as const) {
        if (office?.[field] !== naive[field]) mismatches.push(`${field}: counters ${office?.[field]}, raw rows ${naive[field]}`);
      }
      const ours: number[] = [];
      const naiveSamples: number[] = [];
      for (let i = 0; i < SQLITE_RUNS; i++) {
        const a = () => time(() => tallyReport(db, drive.id, today, { scopes }));
        const b = () => time(() => naiveTallies(db, 'sqlite', drive, today));
        if (i % 2 === 0) {
          ours.push(await a());
          naiveSamples.push(await b());
        } else {
          naiveSamples.push(await b());
          ours.push(await a());
        }
      }
      const cells = await db.tallyCell.count({ where: { driveId: drive.id } });
      results.sqlite = { ours: stats(ours), naive: stats(naiveSamples), students: summary.students.total, schools: summary.schools, cells, mismatches };
      const r = results.sqlite;
      console.log(`\ntallies(groupBy: [OFFICE, DISTRICT, SCHOOL]) — demo office, SQLite, in-process, ${SQLITE_RUNS} runs each`);
      console.log(`  counters (${r.cells} cells):  p50 ${ms(r.ours.p50)}  p95 ${ms(r.ours.p95)}`);
      console.log(`  naive GROUP BY (raw rows): p50 ${ms(r.naive.p50)}  p95 ${ms(r.naive.p95)}`);
      console.log(`  ratio naive/ours:          ${ratio(r.naive.p50, r.ours.p50)} at p50, ${ratio(r.naive.p95, r.ours.p95)} at p95`);
      console.log(`  office totals: ${mismatches.length ? `MISMATCH ${mismatches.join('; ')}` : `counters = raw rows (${int(office?.eligible ?? 0)} eligible, ${int(office?.recorded ?? 0)} recorded)`}`);

      // The feed's own share of push latency: recompute the touched rows of one write and publish
      // them (in-process pubsub, nobody listening), without its 5 ms coalescing delay.
      const { pubsub } = createTallyPubSub(null);
      const feed = new TallyFeed(db, pubsub, () => today);
      const flushes: number[] = [];
      for (let i = 0; i < SQLITE_RUNS; i++) {
        const target = targets[i % targets.length] as PushTarget;
        flushes.push(
          await time(async () => {
            feed.touch({ studentIds: [target.studentId], visitIds: target.visitId ? [target.visitId] : [] });
            await feed.settled();
          }),
        );
      }
      results.feedFlush = stats(flushes.slice(5));
      console.log(`  feed flush after one write (recompute touched rows + publish, no delay): p50 ${ms(results.feedFlush.p50)}  p95 ${ms(results.feedFlush.p95)}`);
    }

    await closeDb();
  }

  // ── Push latency, server in a child process ────────────────────────────────────────────────
  if (only.has('push')) {
    const redis = !flag('no-redis') && (await redisAnswers(REDIS.host, REDIS.port));
    const configs: { label: string; env: Record<string, string>; counts: number[] }[] = [
      { label: 'in-process pubsub', env: { DATABASE_URL: dbUrl, REDIS_URL: '' }, counts: SUBSCRIBERS },
      ...(redis ? [{ label: 'Redis pubsub', env: { DATABASE_URL: dbUrl, REDIS_URL: `redis://${REDIS.host}:${REDIS.port}` }, counts: [Math.min(...SUBSCRIBERS), Math.max(...SUBSCRIBERS)] }] : []),
    ];
    if (!redis) console.log('\n(Redis not reachable or --no-redis: the Redis fan-out rounds are skipped)');
    for (const config of configs) {
      const server = await startServer(config.env, SERVER_PROF ? ['--cpu-prof', `--cpu-prof-dir=${SERVER_PROF}`] : []);
      const stopServer = onCleanup(() => server.stop());
      try {
        await gql(server.endpoint, '{ tallies(driveId: "' + driveId + '", groupBy: [OFFICE]) { asOf } }'); // warm the server
        // ioredis 5.11 loses a SUBSCRIBE sent while its connection is still handshaking (redis/ioredis#2037),
        // so give the server's Redis clients time to become ready before the first subscriber arrives.
        if (config.env.REDIS_URL) await sleep(1000);
        if (config.label === 'in-process pubsub') results.rss0 = server.rssKib();
        console.log(`\npush latency, ${config.label} — server pid ${server.pid}, ${MUTATIONS} RECORDED writes per round, ${SPACING_MS} ms apart`);
        console.log('  subscribers  from commit ack: p50 / p95 / max    from send: p50 / p95 / max   write RTT  CPU/write server, client  events/write  missed  server RSS');
        for (const n of config.counts) {
          const round = await pushRound(server, { label: config.label, driveId, subscribers: n, mutations: MUTATIONS, spacingMs: SPACING_MS, targets });
          results.push.push(round);
          const f = (s: Stats) => `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.max)}`;
          console.log(
            `  ${String(n).padStart(11)}  ${f(round.fromAck).padStart(31)}  ${f(round.fromSend).padStart(29)}  ${ms(round.mutation.p50).padStart(9)}  ${`${ms(round.serverCpuPerWriteMs)}, ${ms(round.clientCpuPerWriteMs)}`.padStart(22)}  ${round.eventsPerMutation.toFixed(2).padStart(12)}  ${String(round.missed).padStart(6)}  ${mib(round.rssKib).padStart(10)}`,
          );
          if (round.errors.length) console.log(`      subscriber errors: ${round.errors.slice(0, 3).join(' | ')}`);
          if (round.warmups > 1) console.log(`      (${round.warmups} warm-up writes before every stream had an event: events published before a subscription is registered are lost)`);
        }
      } finally {
        await stopServer();
      }
    }
    const base = results.push.find((r) => r.label === 'in-process pubsub' && r.subscribers === Math.min(...SUBSCRIBERS));
    const top = results.push.find((r) => r.label === 'in-process pubsub' && r.subscribers === Math.max(...SUBSCRIBERS));
    if (base && top) {
      console.log(`  ratio p95(${top.subscribers}) / p95(${base.subscribers}) from ack: ${ratio(top.fromAck.p95, base.fromAck.p95)}`);
      console.log(`  server RSS: ${mib(results.rss0 ?? Number.NaN)} with 0 subscribers, ${mib(top.rssKib)} with ${top.subscribers}`);
    }
  }

  // ── National scale on PostgreSQL ───────────────────────────────────────────────────────────
  if (only.has('national')) {
    const scale = scaleFor(NATIONAL_STUDENTS);
    console.log(`\nnational scale, PostgreSQL (${int(scale.students)} students, ${int(scale.schools)} schools, ${int(scale.offices)} offices)`);
    try {
      results.national = await nationalBench({
        adminUrl: PG_URL,
        students: NATIONAL_STUDENTS,
        today,
        sampleDrives: SAMPLE_DRIVES,
        runsPerDrive: RUNS_PER_DRIVE,
        verifyDrives: quick ? 3 : 5,
        rebuildDrives: quick ? 2 : 3,
        log: (line) => console.log(line),
      });
      const r = results.national;
      console.log(`  generation (load + indexes + vacuum): ${secs(r.generationMs)}; counters built with SQL in ${secs(r.sqlBuildMs)}`);
      console.log(`\ntallies(groupBy: [OFFICE, DISTRICT, SCHOOL]) — ${r.sampled} random drives (~${int(r.studentsPerSampledDrive)} students, ~${Math.round(r.schools / r.offices)} schools each), ${RUNS_PER_DRIVE} runs each, in-process`);
      console.log(`  counters, computed:        p50 ${ms(r.ours.p50)}  p95 ${ms(r.ours.p95)}  max ${ms(r.ours.max)}`);
      console.log(`  counters, from the cache:  p50 ${ms(r.cached.p50)}  p95 ${ms(r.cached.p95)}  max ${ms(r.cached.max)}  (report kept in memory by the live feed)`);
      console.log(`  naive GROUP BY (raw rows): p50 ${ms(r.naive.p50)}  p95 ${ms(r.naive.p95)}  max ${ms(r.naive.max)}`);
      console.log(`  ratio naive/computed:      ${ratio(r.naive.p50, r.ours.p50)} at p50, ${ratio(r.naive.p95, r.ours.p95)} at p95`);
      console.log(`  ratio naive/cached:        ${ratio(r.naive.p50, r.cached.p50)} at p50, ${ratio(r.naive.p95, r.cached.p95)} at p95`);
      console.log(`  office totals: ${r.mismatches.length ? `MISMATCH ${r.mismatches.slice(0, 5).join('; ')}` : `counters = raw rows for all ${r.sampled} drives`}`);
    } catch (error) {
      results.nationalError = (error as Error).message;
      console.error(`  national bench failed: ${results.nationalError}`);
    }
  }
} finally {
  closeClientAgent();
  await runCleanup();
}

// ── Summary ─────────────────────────────────────────────────────────────────────────────────
const rows: string[][] = [['measure', 'p50', 'p95', 'max', 'baseline (measured in this run)', 'baseline p95', 'ratio at p95', 'goal']];
const smallest = Math.min(...SUBSCRIBERS);
for (const r of results.push) {
  const baseline = results.push.find((b) => b.label === r.label && b.subscribers === smallest);
  const isBaseline = baseline === r;
  rows.push([
    `push to ${int(r.subscribers)} SSE subscriber${r.subscribers === 1 ? '' : 's'}, ${r.label}, from commit ack`,
    ms(r.fromAck.p50),
    ms(r.fromAck.p95),
    ms(r.fromAck.max),
    isBaseline ? '(is the baseline)' : `${smallest} subscriber${smallest === 1 ? '' : 's'}`,
    isBaseline || !baseline ? '' : ms(baseline.fromAck.p95),
    isBaseline || !baseline ? '' : `${ratio(r.fromAck.p95, baseline.fromAck.p95)} slower`,
    r.subscribers >= 1000 ? `p95 ≤ 100 ms: ${r.fromAck.p95 <= 100 ? 'met' : 'NOT met'}` : '',
  ]);
}
if (results.sqlite) {
  const r = results.sqlite;
  rows.push([`tallies(OFFICE, DISTRICT, SCHOOL), demo office ${int(r.students)} students, SQLite`, ms(r.ours.p50), ms(r.ours.p95), ms(r.ours.max), 'naive GROUP BY', ms(r.naive.p95), `${ratio(r.naive.p95, r.ours.p95)} faster`, '']);
}
if (results.national) {
  const r = results.national;
  rows.push([
    `tallies(OFFICE, DISTRICT, SCHOOL), ${int(r.students)} students, ${r.sampled} drives, PostgreSQL`,
    ms(r.ours.p50),
    ms(r.ours.p95),
    ms(r.ours.max),
    'naive GROUP BY',
    ms(r.naive.p95),
    `${ratio(r.naive.p95, r.ours.p95)} faster`,
    `p95 ≤ 50 ms: ${r.ours.p95 <= 50 ? 'met' : 'NOT met'}; ≥ 20× naive: ${r.naive.p95 / r.ours.p95 >= 20 ? 'met' : 'NOT met'} computed, ${r.naive.p95 / r.cached.p95 >= 20 ? 'met' : 'NOT met'} cached`,
  ]);
  rows.push([`  same, report in memory (live-feed cache)`, ms(r.cached.p50), ms(r.cached.p95), ms(r.cached.max), 'naive GROUP BY', ms(r.naive.p95), `${ratio(r.naive.p95, r.cached.p95)} faster`, '']);
}
const notes: string[] = [];
const top = results.push.find((r) => r.label === 'in-process pubsub' && r.subscribers === Math.max(...SUBSCRIBERS));
if (results.rss0 !== undefined && top) notes.push(`server RSS: ${mib(results.rss0)} with 0 subscribers, ${mib(top.rssKib)} with ${int(top.subscribers)}; server CPU per write: ${ms(top.serverCpuPerWriteMs)} with ${int(top.subscribers)} subscribers`);
if (results.feedFlush) notes.push(`feed flush after one write (SQLite demo, in-process, without its 5 ms coalescing delay): p50 ${ms(results.feedFlush.p50)}, p95 ${ms(results.feedFlush.p95)}`);
if (results.national) {
  const r = results.national;
  notes.push(`national data: generated in ${secs(r.generationMs)} (${int(r.students)} students, ${int(r.outcomes)} outcomes); counters for ${int(r.offices)} drives built with SQL in ${secs(r.sqlBuildMs)} (rebuildDriveTallies would take ~${secs(r.rebuildMsPerDrive * r.offices)}); ${int(Math.round(r.cells / r.offices))} cells per drive`);
  notes.push(`SQL-built counters vs verifyDriveTallies on ${r.verified.drives} drives: ${r.verified.drifted ? `${r.verified.drifted} DRIFTED` : 'all match'}; counters vs naive totals on ${r.sampled} drives: ${r.mismatches.length ? `${r.mismatches.length} MISMATCHES` : 'all match'}`);
} else if (results.nationalError) notes.push(`national scale (PostgreSQL) FAILED: ${results.nationalError}`);
console.log(`\nsummary (${quick ? 'quick run' : 'full run'}, ${secs(performance.now() - benchStart)} in all)\n${table(rows)}\n${notes.map((n) => `  ${n}`).join('\n')}`);
