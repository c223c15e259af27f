// The baseline the issue asks for: the dashboard numbers counted from raw rows on every
// request — one GROUP BY over the office's students joined with their outcomes in the drive.
// It returns the same per-school numbers the counters give (eligible, each status, printed,
// IKD, recordable now, printable, recorded in the last 7 days and today); districts and the
// office are sums of its rows, as they would be in a resolver.
import { addYears, paceWindowStart, voterCutoffDate, type IsoDate } from '@jemput/core';
import type { Db, DbProvider } from '../../src/db/client.ts';

export type NaiveTotals = { eligible: number; recorded: number; absent: number; printed: number; ikdActivated: number; schools: number };

/** Midnight of a Jakarta calendar day, in UTC. */
function jakartaMidnight(date: IsoDate): Date {
  return new Date(`${date}T00:00:00+07:00`);
}

export function naiveTallySql(provider: DbProvider): string {
  const pg = provider === 'postgresql';
  // Parameters: 1 driveId, 2 officeId, 3 voter cutoff, 4 16th-birthday cutoff, 5 17th-birthday cutoff,
  // 6 start of the 7-day pace window (UTC), 7 start of today (UTC).
  const p = (i: number, cast = '') => (pg ? `$${i}${cast}` : '?');
  const married = pg ? 'st."married"' : 'st."married" = 1';
  const recorded = `o."status" IN ('RECORDED', 'ALREADY_RECORDED')`;
  const n = pg ? '::int' : '';
  // SQLite numbers its ? in order of appearance, so the parameter list below is built in that order.
  return `SELECT sc."districtCode" AS "districtCode", st."schoolId" AS "schoolId",
  COUNT(*)${n} AS "eligible",
  SUM(CASE WHEN ${recorded} THEN 1 ELSE 0 END)${n} AS "recorded",
  SUM(CASE WHEN o."status" = 'ABSENT' THEN 1 ELSE 0 END)${n} AS "absent",
  SUM(CASE WHEN o."status" = 'REFUSED' THEN 1 ELSE 0 END)${n} AS "refused",
  SUM(CASE WHEN o."status" = 'FAILED' THEN 1 ELSE 0 END)${n} AS "failed",
  SUM(CASE WHEN o."status" = 'NOT_ELIGIBLE' THEN 1 ELSE 0 END)${n} AS "notEligible",
  SUM(CASE WHEN o."printedAt" IS NOT NULL THEN 1 ELSE 0 END)${n} AS "printed",
  SUM(CASE WHEN o."ikdActivatedAt" IS NOT NULL THEN 1 ELSE 0 END)${n} AS "ikdActivated",
  SUM(CASE WHEN ${married} OR st."birthDate" <= ${p(4)} THEN 1 ELSE 0 END)${n} AS "recordableNow",
  SUM(CASE WHEN ${recorded} AND o."printedAt" IS NULL AND (${married} OR st."birthDate" <= ${p(5)}) THEN 1 ELSE 0 END)${n} AS "printable",
  SUM(CASE WHEN ${recorded} AND o."recordedAt" >= ${p(6, '::timestamp')} THEN 1 ELSE 0 END)${n} AS "recordedLast7Days",
  SUM(CASE WHEN ${recorded} AND o."recordedAt" >= ${p(7, '::timestamp')} THEN 1 ELSE 0 END)${n} AS "recordedToday"
FROM "Student" st
JOIN "School" sc ON sc."id" = st."schoolId"
LEFT JOIN "Outcome" o ON o."studentId" = st."id" AND o."driveId" = ${p(1)}
WHERE sc."officeId" = ${p(2)} AND (st."birthDate" <= ${p(3)} OR ${married})
GROUP BY sc."districtCode", st."schoolId"`;
}

export type NaiveDrive = { id: string; officeId: string; electionDate: IsoDate };

/** Runs the naive query for one drive and sums its rows to the office totals (for a cross-check). */
export async function naiveTallies(db: Db, provider: DbProvider, drive: NaiveDrive, today: IsoDate): Promise<NaiveTotals> {
  const cutoff = voterCutoffDate(drive.electionDate);
  const sixteen = addYears(today, -16);
  const seventeen = addYears(today, -17);
  const moment = (d: Date) => (provider === 'postgresql' ? d.toISOString().replace('T', ' ').replace('Z', '') : d.toISOString().replace('Z', '+00:00'));
  const windowStart = moment(jakartaMidnight(paceWindowStart(today)));
  const todayStart = moment(jakartaMidnight(today));
  const params =
    provider === 'postgresql'
      ? [drive.id, drive.officeId, cutoff, sixteen, seventeen, windowStart, todayStart]
      : // order of appearance of the ? placeholders
        [sixteen, seventeen, windowStart, todayStart, drive.id, drive.officeId, cutoff];
  const rows = (await db.$queryRawUnsafe(naiveTallySql(provider), ...params)) as Record<string, number | bigint | string>[];
  const total = (field: string) => rows.reduce((sum, r) => sum + Number(r[field] ?? 0), 0);
  return { eligible: total('eligible'), recorded: total('recorded'), absent: total('absent'), printed: total('printed'), ikdActivated: total('ikdActivated'), schools: rows.length };
}
