// National scale on PostgreSQL: a generated nation (students in schools in offices, one drive
// per office, outcomes for ~30% of eligible students), counters built with set-based SQL from
// the definitions in packages/core/src/tallies.ts and checked against the app's own recount,
// then the dashboard query (`tallyReport`) against the naive GROUP BY for sampled drives.
import pg from 'pg';
import { addDays, voterCutoffDate, type IsoDate } from '@jemput/core';
import { migrateDeploy } from '@jemput/prisma/migrations';
import { openDb, type Db } from '../../src/db/client.ts';
import { rebuildDriveTallies } from '../../src/tallies/maintain.ts';
import { selectRows, tallyReport } from '../../src/tallies/report.ts';
import { TallyCache } from '../../src/tallies/cache.ts';
import { verifyDriveTallies } from '../../src/tallies/verify.ts';
import { onCleanup } from './cleanup.ts';
import { naiveTallies, type NaiveDrive } from './naive.ts';
import { int, ms, prng, secs, stats, time, type Stats } from './stats.ts';

export type NationalOptions = {
  adminUrl: string;
  students: number;
  today: IsoDate;
  sampleDrives: number;
  runsPerDrive: number;
  verifyDrives: number;
  rebuildDrives: number;
  log: (line: string) => void;
};

export type NationalResult = {
  students: number;
  schools: number;
  offices: number;
  eligible: number;
  outcomes: number;
  cells: number;
  days: number;
  generationMs: number;
  steps: [string, number][];
  sqlBuildMs: number;
  rebuildMsPerDrive: number;
  verified: { drives: number; drifted: number };
  sampled: number;
  studentsPerSampledDrive: number;
  ours: Stats;
  /** The same query when the drive's report is in memory (kept there by the live feed). */
  cached: Stats;
  naive: Stats;
  mismatches: string[];
};

// ── SQL versions of core's date rules (dates are 'YYYY-MM-DD' text; compare in "C" collation) ──
const leap = (y: string) => `((${y}) % 4 = 0 AND ((${y}) % 100 <> 0 OR (${y}) % 400 = 0))`;
/** core `addYears(d, k)`: 29 February lands on 1 March in a non-leap year. */
const addYearsSql = (d: string, k: number) => {
  const y = `(substr(${d}, 1, 4)::int + ${k})`;
  return `(CASE WHEN substr(${d}, 6, 5) = '02-29' AND NOT ${leap(y)} THEN lpad(${y}::text, 4, '0') || '-03-01' ELSE lpad(${y}::text, 4, '0') || substr(${d}, 5) END)`;
};
/** core `voterCutoffDate(e)`: election day 17 years earlier; 29 February becomes 28 February. */
const cutoffSql = (e: string) => {
  const y = `(substr(${e}, 1, 4)::int - 17)`;
  return `(CASE WHEN substr(${e}, 6, 5) = '02-29' AND NOT ${leap(y)} THEN lpad(${y}::text, 4, '0') || '-02-28' ELSE lpad(${y}::text, 4, '0') || substr(${e}, 5) END)`;
};
const C = (expr: string) => `(${expr}) COLLATE "C"`;
/** tallyContribution(): a student counts for a drive when married or born on/before the voter cutoff. */
const eligibleSql = `(st."married" OR ${C('st."birthDate"')} <= ${C(cutoffSql('d."electionDate"'))})`;
/** tallyContribution(): '' when married or 17 by the drive's first day, else the 17th birthday. */
const seventeenth = addYearsSql('st."birthDate"', 17);
const printableFromSql = `(CASE WHEN st."married" OR ${C(seventeenth)} <= ${C('d."startDate"')} THEN '' ELSE ${seventeenth} END)`;
const RECORDED = `('RECORDED', 'ALREADY_RECORDED')`;
const jakartaDateSql = (ts: string) => `to_char((${ts} AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM-DD')`;

/** Counters of every drive from raw rows, exactly as `tallyContribution` + `TallyDelta.add` define them. */
export const BUILD_CELLS_SQL = `INSERT INTO "TallyCell" ("driveId", "schoolId", "printableFrom", "eligible", "recorded", "absent", "refused", "failed", "notEligible", "printed", "ikdActivated")
SELECT d."id", st."schoolId", ${printableFromSql} AS pf,
  count(*)::int,
  (count(*) FILTER (WHERE o."status" IN ${RECORDED}))::int,
  (count(*) FILTER (WHERE o."status" = 'ABSENT'))::int,
  (count(*) FILTER (WHERE o."status" = 'REFUSED'))::int,
  (count(*) FILTER (WHERE o."status" = 'FAILED'))::int,
  (count(*) FILTER (WHERE o."status" = 'NOT_ELIGIBLE'))::int,
  count(o."printedAt")::int,
  count(o."ikdActivatedAt")::int
FROM "Drive" d
JOIN "School" sc ON sc."officeId" = d."officeId"
JOIN "Student" st ON st."schoolId" = sc."id"
LEFT JOIN "Outcome" o ON o."driveId" = d."id" AND o."studentId" = st."id"
WHERE ${eligibleSql}
GROUP BY d."id", st."schoolId", pf`;

const outcomeOfDriveSql = `FROM "Outcome" o
  JOIN "Drive" d ON d."id" = o."driveId"
  JOIN "Student" st ON st."id" = o."studentId"
  JOIN "School" sc ON sc."id" = st."schoolId" AND sc."officeId" = d."officeId"
  WHERE ${eligibleSql}`;

export const BUILD_DAYS_SQL = `INSERT INTO "TallyDay" ("driveId", "schoolId", "date", "recorded", "printed")
SELECT "driveId", "schoolId", "date", sum(r)::int, sum(p)::int FROM (
  SELECT d."id" AS "driveId", st."schoolId", ${jakartaDateSql('o."recordedAt"')} AS "date", 1 AS r, 0 AS p
  ${outcomeOfDriveSql} AND o."status" IN ${RECORDED} AND o."recordedAt" IS NOT NULL
  UNION ALL
  SELECT d."id", st."schoolId", ${jakartaDateSql('o."printedAt"')}, 0, 1
  ${outcomeOfDriveSql} AND o."printedAt" IS NOT NULL
) t
GROUP BY "driveId", "schoolId", "date"
HAVING sum(r) <> 0 OR sum(p) <> 0`;

/** Multiplicative hash of a row number, 0..65535 (deterministic, spread over the range). */
const hash = (n: string, multiplier: number) => `((((${n})::bigint * ${multiplier}) % 4294967296) / 65536)`;

type Scale = { students: number; schools: number; offices: number };

export function scaleFor(students: number): Scale {
  const offices = Math.max(1, Math.round(students / 10_000));
  const schools = Math.max(offices, Math.round(students / 125));
  return { students, schools, offices };
}

export async function generate(client: pg.Client, scale: Scale, today: IsoDate, step: (name: string, sql: string) => Promise<number>): Promise<void> {
  const { students: N, schools: S, offices: O } = scale;
  const startDate = addDays(today, -21);
  const electionDate = addDays(today, 75);
  const cutoff = voterCutoffDate(electionDate);
  // Birth dates over three school years centred on the cutoff: about half the students are 17 on election day.
  const SPAN = 1096;
  const earliestBirth = addDays(cutoff, -SPAN / 2);
  const startUtc = new Date(`${startDate}T00:00:00+07:00`);
  const now = new Date();
  const elapsedMinutes = Math.max(1, Math.floor((now.getTime() - startUtc.getTime()) / 60_000));
  const ts = (d: Date) => `TIMESTAMP '${d.toISOString().replace('T', ' ').replace('Z', '')}'`;
  const off = (o: string) => `lpad((${o})::text, 4, '0')`;
  const schoolOf = (n: string) => `((${n} - 1)::bigint * ${S} / ${N} + 1)`;
  const officeOf = (s: string) => `((${s} - 1)::bigint * ${O} / ${S} + 1)`;

  await step('regions', `INSERT INTO "Region" ("code", "level", "name", "parentCode")
    SELECT 'X' || ${off('o')}, 'REGENCY'::"RegionLevel", 'Kabupaten Bench ' || o, NULL FROM generate_series(1, ${O}) o
    UNION ALL
    SELECT 'X' || ${off('o')} || '.' || lpad(k::text, 2, '0'), 'DISTRICT'::"RegionLevel", 'Kecamatan Bench ' || o || '-' || k, 'X' || ${off('o')}
    FROM generate_series(1, ${O}) o, generate_series(1, 8) k`);
  await step('offices + drives', `WITH offices AS (
      INSERT INTO "Office" ("id", "regencyCode", "name", "regencyName", "provinceName", "kits", "updatedAt")
      SELECT 'off_x' || ${off('o')}, 'X' || ${off('o')}, 'Dinas Dukcapil Bench ' || o, 'Kabupaten Bench ' || o, 'Provinsi Bench', 7, now()
      FROM generate_series(1, ${O}) o RETURNING "id")
    INSERT INTO "Drive" ("id", "officeId", "name", "electionDate", "startDate", "endDate", "updatedAt")
    SELECT 'drv_x' || substr("id", 6), "id", 'Pilkada Bench', '${electionDate}', '${startDate}', '${addDays(electionDate, -1)}', now() FROM offices`);
  await step('schools', `INSERT INTO "School" ("id", "officeId", "npsn", "name", "nameSearch", "level", "status", "districtCode", "updatedAt")
    SELECT 'sch_x' || lpad(s::text, 6, '0'), 'off_x' || ${off(officeOf('s'))}, 'X' || lpad(s::text, 7, '0'),
      'SMA Bench ' || s, 'sma bench ' || s,
      (ARRAY['SMA', 'SMK', 'MA', 'SMA'])[s % 4 + 1]::"SchoolLevel", (CASE WHEN s % 3 = 0 THEN 'SWASTA' ELSE 'NEGERI' END)::"SchoolStatus",
      'X' || ${off(officeOf('s'))} || '.' || lpad(((s - 1) % 8 + 1)::text, 2, '0'), now()
    FROM generate_series(1, ${S}) s`);
  await step('students', `INSERT INTO "Student" ("id", "schoolId", "nisn", "nik", "name", "nameSearch", "sex", "birthPlace", "birthDate", "className", "married", "updatedAt")
    SELECT 'stu_x' || lpad(n::text, 8, '0'), 'sch_x' || lpad(${schoolOf('n')}::text, 6, '0'), lpad(n::text, 10, '0'), '99' || lpad(n::text, 14, '0'),
      'Siswa Bench ' || n, 'siswa bench ' || n, (CASE WHEN n % 2 = 0 THEN 'L' ELSE 'P' END)::"Sex", 'Kota Bench',
      to_char(DATE '${earliestBirth}' + (${hash('n', 2654435761)} % ${SPAN})::int, 'YYYY-MM-DD'),
      'XII ' || (n % 5 + 1), n % 173 = 0, now()
    FROM generate_series(1, ${N}) n`);
  // ~30% of each drive's eligible students have an outcome; ~84% of those are recorded.
  await step('outcomes', `INSERT INTO "Outcome" ("id", "driveId", "studentId", "status", "recordedAt", "printedAt", "ikdActivatedAt", "updatedAt")
    SELECT 'out_x' || substr(id, 6), "driveId", id, status::"OutcomeStatus", rec,
      CASE WHEN rec IS NOT NULL AND printable AND hp < 60 THEN LEAST(rec + INTERVAL '1 day', ${ts(now)}) END,
      CASE WHEN rec IS NOT NULL AND printable AND hp < 12 THEN LEAST(rec + INTERVAL '1 day 2 hours', ${ts(now)}) END,
      now()
    FROM (
      SELECT st."id", d."id" AS "driveId", b.status, b.printable, ${hash('b.n', 374761393)} % 100 AS hp,
        CASE WHEN b.status IN ${RECORDED} THEN ${ts(startUtc)} + (${hash('b.n', 668265263)} * ${elapsedMinutes} / 65536) * INTERVAL '1 minute' END AS rec
      FROM "Student" st
      JOIN "School" sc ON sc."id" = st."schoolId"
      JOIN "Drive" d ON d."officeId" = sc."officeId"
      CROSS JOIN LATERAL (SELECT substr(st."id", 6)::bigint AS n) k
      CROSS JOIN LATERAL (SELECT k.n,
        CASE WHEN ${hash('k.n', 3266489917)} % 100 < 80 THEN 'RECORDED' WHEN ${hash('k.n', 3266489917)} % 100 < 84 THEN 'ALREADY_RECORDED'
             WHEN ${hash('k.n', 3266489917)} % 100 < 91 THEN 'ABSENT' WHEN ${hash('k.n', 3266489917)} % 100 < 94 THEN 'REFUSED'
             WHEN ${hash('k.n', 3266489917)} % 100 < 98 THEN 'FAILED' ELSE 'NOT_ELIGIBLE' END AS status,
        ${printableFromSql} = '' AS printable) b
      WHERE ${eligibleSql} AND ${hash('k.n', 2246822519)} % 100 < 30
    ) x`);
  await step('blank stock', `INSERT INTO "BlankStockMovement" ("id", "officeId", "kind", "quantity", "date")
    SELECT 'bsm_x' || substr(o."id", 6) || '_' || day, o."id", (CASE WHEN day = 0 THEN 'RECEIVED' ELSE 'USED' END)::"StockMovementKind",
      CASE WHEN day = 0 THEN 20000 ELSE 60 + day END, to_char(DATE '${startDate}' + day, 'YYYY-MM-DD')
    FROM "Office" o, generate_series(0, 21) day`);
}

/** Secondary indexes and foreign keys of the bulk-loaded tables, to drop before the load and rebuild after. */
async function secondaryStructures(client: pg.Client): Promise<{ drop: string[]; create: string[] }> {
  const tables = ['Student', 'School', 'Outcome', 'TallyCell', 'TallyDay'];
  const fks = await client.query<{ tbl: string; name: string; def: string }>(
    `SELECT c.relname AS tbl, k.conname AS name, pg_get_constraintdef(k.oid) AS def
     FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace ns ON ns.oid = c.relnamespace
     WHERE k.contype = 'f' AND ns.nspname = 'public' AND c.relname = ANY($1)`,
    [tables],
  );
  const indexes = await client.query<{ tbl: string; name: string; def: string }>(
    `SELECT tablename AS tbl, indexname AS name, indexdef AS def FROM pg_indexes
     WHERE schemaname = 'public' AND tablename = ANY($1) AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))`,
    [tables],
  );
  return {
    drop: [...fks.rows.map((f) => `ALTER TABLE "${f.tbl}" DROP CONSTRAINT "${f.name}"`), ...indexes.rows.map((i) => `DROP INDEX "${i.name}"`)],
    create: [...indexes.rows.map((i) => i.def), ...fks.rows.map((f) => `ALTER TABLE "${f.tbl}" ADD CONSTRAINT "${f.name}" ${f.def}`)],
  };
}

export async function nationalBench(options: NationalOptions): Promise<NationalResult> {
  const { log, today } = options;
  const scale = scaleFor(options.students);
  const name = `jemput_bench_tallies_${process.pid}`;
  const admin = new pg.Client({ connectionString: options.adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  let client: pg.Client | null = null;
  let db: Db | null = null;
  const dropDatabase = onCleanup(async () => {
    await db?.$disconnect().catch(() => {});
    await client?.end().catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  try {
    const url = new URL(options.adminUrl);
    url.pathname = `/${name}`;
    migrateDeploy(url.toString());
    client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    // Session settings for the bulk load only; the app's connections keep the server defaults.
    await client.query(`SET synchronous_commit = off; SET maintenance_work_mem = '512MB'; SET work_mem = '256MB'`);

    const steps: [string, number][] = [];
    const step = async (label: string, sql: string) => {
      const started = performance.now();
      const result = await (client as pg.Client).query(sql);
      const elapsed = performance.now() - started;
      steps.push([label, elapsed]);
      log(`  ${label.padEnd(34)} ${secs(elapsed).padStart(8)}${result.rowCount != null && result.command === 'INSERT' ? `  (${int(result.rowCount)} rows)` : ''}`);
      return elapsed;
    };
    log(`generating ${int(scale.students)} students in ${int(scale.schools)} schools, ${int(scale.offices)} offices (one drive each)…`);
    const generationStart = performance.now();
    const structures = await secondaryStructures(client);
    await step('drop secondary indexes + FKs', structures.drop.join(';\n'));
    await generate(client, scale, today, step);
    await step(`rebuild ${structures.create.length} indexes + FKs`, structures.create.join(';\n'));
    await step('vacuum analyze', 'VACUUM ANALYZE');
    const generationMs = performance.now() - generationStart;

    log('building the counters of every drive with set-based SQL…');
    const buildStart = performance.now();
    await step('TallyCell (SQL)', BUILD_CELLS_SQL);
    await step('TallyDay (SQL)', BUILD_DAYS_SQL);
    await step('analyze counters', 'ANALYZE "TallyCell"; ANALYZE "TallyDay"');
    const sqlBuildMs = performance.now() - buildStart;

    const count = async (sql: string) => Number((await (client as pg.Client).query<{ n: string }>(sql)).rows[0]?.n ?? 0);
    const eligible = await count(`SELECT sum("eligible") AS n FROM "TallyCell"`);
    const outcomes = await count(`SELECT count(*) AS n FROM "Outcome"`);
    const cells = await count(`SELECT count(*) AS n FROM "TallyCell"`);
    const days = await count(`SELECT count(*) AS n FROM "TallyDay"`);
    log(`  ${int(eligible)} eligible students, ${int(outcomes)} outcomes, ${int(cells)} tally cells, ${int(days)} tally days`);

    db = await openDb(url.toString());
    const drives = (await db.drive.findMany({ select: { id: true, officeId: true, electionDate: true }, orderBy: { id: 'asc' } })) as NaiveDrive[];
    const random = prng(20261122);
    const pick = (n: number) => {
      const pool = [...drives];
      return Array.from({ length: Math.min(n, pool.length) }, () => pool.splice(Math.floor(random() * pool.length), 1)[0] as NaiveDrive);
    };

    // The SQL build must match the app's own recount exactly.
    const toVerify = pick(options.verifyDrives);
    let drifted = 0;
    for (const drive of toVerify) {
      let drift: Awaited<ReturnType<typeof verifyDriveTallies>> = [];
      const elapsed = await time(async () => void (drift = await verifyDriveTallies(db as Db, drive.id)));
      if (drift.length) {
        drifted++;
        log(`  ✗ ${drive.id}: ${drift.length} counters differ from verifyDriveTallies, e.g. ${JSON.stringify(drift.slice(0, 3))}`);
      } else log(`  ✓ ${drive.id}: SQL-built counters match verifyDriveTallies (${ms(elapsed)})`);
    }
    // What building every drive through the app's own rebuild would cost.
    const rebuildSamples: number[] = [];
    for (const drive of toVerify.slice(0, options.rebuildDrives)) rebuildSamples.push(await time(() => rebuildDriveTallies(db as Db, drive.id)));
    const rebuildMsPerDrive = rebuildSamples.reduce((a, b) => a + b, 0) / Math.max(1, rebuildSamples.length);
    log(`  rebuildDriveTallies: ${ms(rebuildMsPerDrive)} per drive → ~${secs(rebuildMsPerDrive * drives.length)} for ${int(drives.length)} drives (SQL build: ${secs(sqlBuildMs)})`);

    // Dashboard query against the naive GROUP BY, for the same sampled drives, interleaved.
    const sampled = pick(options.sampleDrives);
    const scopes = ['OFFICE', 'DISTRICT', 'SCHOOL'] as const;
    const mismatches: string[] = [];
    let studentsInSampled = 0;
    for (const drive of sampled) {
      const report = await tallyReport(db, drive.id, today, { scopes });
      const naive = await naiveTallies(db, 'postgresql', drive, today);
      const office = report?.rows.find((r) => r.scope === 'OFFICE');
      for (const field of ['eligible', 'recorded', 'absent', 'printed', 'ikdActivated'] as const) {
        if (office?.[field] !== naive[field]) mismatches.push(`${drive.id} ${field}: counters ${office?.[field]}, raw rows ${naive[field]}`);
      }
      studentsInSampled += await db.student.count({ where: { school: { officeId: drive.officeId } } });
    }
    const ours: number[] = [];
    const naive: number[] = [];
    // What a dashboard query costs when the drive's report is in memory (the live feed keeps it
    // there after each write): one computation per drive, then reads.
    const cache = new TallyCache(db as Db, 60_000);
    const cached: number[] = [];
    for (const drive of sampled) await cache.get(drive.id, today);
    for (let run = 0; run < options.runsPerDrive; run++) {
      for (const drive of sampled) cached.push(await time(async () => selectRows(db as Db, (await cache.get(drive.id, today))!, { scopes })));
    }
    for (let run = 0; run < options.runsPerDrive; run++) {
      for (const drive of sampled) {
        const measureOurs = () => time(() => tallyReport(db as Db, drive.id, today, { scopes }));
        const measureNaive = () => time(() => naiveTallies(db as Db, 'postgresql', drive, today));
        if (run % 2 === 0) {
          ours.push(await measureOurs());
          naive.push(await measureNaive());
        } else {
          naive.push(await measureNaive());
          ours.push(await measureOurs());
        }
      }
    }
    return {
      ...scale,
      eligible,
      outcomes,
      cells,
      days,
      generationMs,
      steps,
      sqlBuildMs,
      rebuildMsPerDrive,
      verified: { drives: toVerify.length, drifted },
      sampled: sampled.length,
      studentsPerSampledDrive: Math.round(studentsInSampled / Math.max(1, sampled.length)),
      ours: stats(ours),
      cached: stats(cached),
      naive: stats(naive),
      mismatches,
    };
  } finally {
    await dropDatabase();
  }
}
