// Tally rows for a drive, summed from the maintained counters: a constant number of queries
// whose size depends on the drive's schools, never on its students. The office, district and
// school rows of a drive form one "drive report", which the live feed recomputes after writes
// and keeps in a cache, so dashboards that ask again read it from memory.
import {
  blankStockSummary,
  cellGroupsOn,
  forecast,
  paceWindowStart,
  stockDelta,
  summarizeCells,
  type BlankStockSummary,
  type Forecast,
  type IsoDate,
  type TallyCell,
  type TallyNumbers,
} from '@jemput/core';
import type { Db } from '../db/client.ts';

export const TALLY_SCOPES = ['OFFICE', 'DISTRICT', 'SCHOOL', 'VISIT'] as const;
export type TallyScope = (typeof TALLY_SCOPES)[number];

export type TallyRow = TallyNumbers & {
  scope: TallyScope;
  /** Office id, district code, school id or visit id. */
  key: string;
  name: string;
  districtCode: string | null;
  schoolId: string | null;
  recordedToday: number;
  printedToday: number;
  recordedLast7Days: number;
  forecast: Forecast;
};

export type TallyReport = {
  driveId: string;
  /** When these numbers were read; a client keeps, per row, the newest it has seen. */
  asOf: string;
  today: IsoDate;
  electionDate: IsoDate;
  blankStock: BlankStockSummary;
  rows: TallyRow[];
};

export type TallyRequest = {
  scopes: readonly TallyScope[];
  /** Limit school, district and visit rows to these (the live feed sends only what changed). */
  schoolIds?: readonly string[] | null;
  districtCode?: string | null;
  visitIds?: readonly string[] | null;
  /** Visits of this day when no visit ids are given (all the drive's visits when null). */
  visitDate?: IsoDate | null;
};

type SchoolInfo = { id: string; name: string; districtCode: string; districtName: string };
type DaySums = { recordedLast7Days: number; recordedToday: number; printedToday: number };
/** The office, district and school rows of a drive, plus what VISIT rows need. */
export type DriveReport = TallyReport & { schools: SchoolInfo[]; schoolRows: Map<string, TallyRow> };

const count = (value: unknown) => Number(value ?? 0);

/**
 * Computes a drive's office, district and school rows. The database adds cells up per school
 * and per group of `cellGroupsOn(today)` (at most three rows per school); core's
 * `summarizeCells` turns them into the numbers.
 */
export async function computeDriveReport(db: Db, driveId: string, today: IsoDate): Promise<DriveReport | null> {
  const asOf = new Date().toISOString();
  const drive = await db.drive.findUnique({ where: { id: driveId }, select: { id: true, officeId: true, electionDate: true } });
  if (!drive) return null;
  const windowStart = paceWindowStart(today);
  const { printableBy, recordableBy } = cellGroupsOn(today);
  const [schools, cellSums, daySums, stock, used] = await Promise.all([
    db.school.findMany({ where: { officeId: drive.officeId }, select: { id: true, name: true, districtCode: true, district: { select: { name: true } } } }),
    db.$queryRaw<Record<string, unknown>[]>`
      SELECT "schoolId",
        CASE WHEN "printableFrom" = '' OR "printableFrom" <= CAST(${printableBy} AS TEXT) THEN ''
             WHEN "printableFrom" <= CAST(${recordableBy} AS TEXT) THEN CAST(${recordableBy} AS TEXT)
             ELSE '9999-12-31' END AS "printableFrom",
        SUM("eligible") AS "eligible", SUM("recorded") AS "recorded", SUM("absent") AS "absent",
        SUM("refused") AS "refused", SUM("failed") AS "failed", SUM("notEligible") AS "notEligible",
        SUM("printed") AS "printed", SUM("ikdActivated") AS "ikdActivated"
      FROM "TallyCell" WHERE "driveId" = ${driveId}
      GROUP BY "schoolId", 2`,
    db.$queryRaw<Record<string, unknown>[]>`
      SELECT "schoolId", SUM("recorded") AS "recordedLast7Days",
        SUM(CASE WHEN "date" = CAST(${today} AS TEXT) THEN "recorded" ELSE 0 END) AS "recordedToday",
        SUM(CASE WHEN "date" = CAST(${today} AS TEXT) THEN "printed" ELSE 0 END) AS "printedToday"
      FROM "TallyDay" WHERE "driveId" = ${driveId} AND "date" >= ${windowStart} AND "date" <= ${today}
      GROUP BY "schoolId"`,
    db.blankStockMovement.groupBy({ by: ['kind'], where: { officeId: drive.officeId }, _sum: { quantity: true } }),
    db.blankStockMovement.aggregate({ where: { officeId: drive.officeId, kind: 'USED', date: { gte: windowStart, lte: today } }, _sum: { quantity: true } }),
  ]);
  const balance = stock.reduce((sum, s) => sum + stockDelta(s.kind, s._sum.quantity ?? 0), 0);
  const cellsOf = new Map<string, TallyCell[]>();
  for (const c of cellSums) {
    const cell = { printableFrom: String(c.printableFrom) } as TallyCell;
    for (const k of ['eligible', 'recorded', 'absent', 'refused', 'failed', 'notEligible', 'printed', 'ikdActivated'] as const) cell[k] = count(c[k]);
    const list = cellsOf.get(String(c.schoolId)) ?? [];
    list.push(cell);
    cellsOf.set(String(c.schoolId), list);
  }
  const daysOf = new Map<string, DaySums>(
    daySums.map((d) => [String(d.schoolId), { recordedLast7Days: count(d.recordedLast7Days), recordedToday: count(d.recordedToday), printedToday: count(d.printedToday) }]),
  );

  const row = (scope: TallyScope, key: string, name: string, schoolIds: string[], districtCode: string | null): TallyRow => {
    const numbers = summarizeCells(schoolIds.flatMap((id) => cellsOf.get(id) ?? []), today, balance);
    const days = schoolIds.map((id) => daysOf.get(id)).filter((d): d is DaySums => !!d);
    const recordedLast7Days = days.reduce((n, d) => n + d.recordedLast7Days, 0);
    return {
      ...numbers,
      scope,
      key,
      name,
      districtCode,
      schoolId: scope === 'SCHOOL' ? key : null,
      recordedToday: days.reduce((n, d) => n + d.recordedToday, 0),
      printedToday: days.reduce((n, d) => n + d.printedToday, 0),
      recordedLast7Days,
      forecast: forecast(numbers.remaining, recordedLast7Days, today, drive.electionDate),
    };
  };

  const infos: SchoolInfo[] = schools
    .map((s) => ({ id: s.id, name: s.name, districtCode: s.districtCode, districtName: s.district.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const districts = [...new Map(infos.map((s) => [s.districtCode, s.districtName])).entries()].sort(([a], [b]) => a.localeCompare(b));
  const schoolRows = new Map(infos.map((s) => [s.id, row('SCHOOL', s.id, s.name, [s.id], s.districtCode)]));
  const rows = [
    row('OFFICE', drive.officeId, 'Kantor', infos.map((s) => s.id), null),
    ...districts.map(([code, name]) => row('DISTRICT', code, name, infos.filter((s) => s.districtCode === code).map((s) => s.id), code)),
    ...schoolRows.values(),
  ];
  return { driveId, asOf, today, electionDate: drive.electionDate, blankStock: blankStockSummary(balance, count(used._sum.quantity)), rows, schools: infos, schoolRows };
}

/** The rows a request asks for, taken from a drive report; VISIT rows are read on demand. */
export async function selectRows(db: Db, report: DriveReport, request: TallyRequest): Promise<TallyReport> {
  const schoolOf = new Map(report.schools.map((s) => [s.id, s]));
  const wantedSchool = (id: string) =>
    (!request.districtCode || schoolOf.get(id)?.districtCode === request.districtCode) && (!request.schoolIds || request.schoolIds.includes(id));
  const wantedDistricts = new Set(report.schools.filter((s) => wantedSchool(s.id)).map((s) => s.districtCode));
  const rows = report.rows.filter(
    (r) =>
      request.scopes.includes(r.scope) &&
      (r.scope === 'OFFICE' || (r.scope === 'DISTRICT' ? wantedDistricts.has(r.key) : wantedSchool(r.key))),
  );
  if (request.scopes.includes('VISIT')) rows.push(...(await visitRows(db, report, request, report.schools.filter((s) => wantedSchool(s.id)).map((s) => s.id))));
  return { driveId: report.driveId, asOf: report.asOf, today: report.today, electionDate: report.electionDate, blankStock: report.blankStock, rows };
}

/** A drive's tallies computed now (no cache). */
export async function tallyReport(db: Db, driveId: string, today: IsoDate, request: TallyRequest): Promise<TallyReport | null> {
  const report = await computeDriveReport(db, driveId, today);
  return report && selectRows(db, report, request);
}

/**
 * A visit's row: the school's eligible and remaining numbers, with the outcomes captured
 * during that visit (recorded, absent, refused, failed, printed, IKD). O(outcomes of the visits).
 */
async function visitRows(db: Db, report: DriveReport, request: TallyRequest, schoolIds: string[]): Promise<TallyRow[]> {
  if (request.visitIds?.length === 0) return [];
  const where = request.visitIds
    ? { driveId: report.driveId, id: { in: [...request.visitIds] } }
    : { driveId: report.driveId, schoolId: { in: schoolIds }, ...(request.visitDate ? { date: request.visitDate } : {}) };
  const visits = await db.visit.findMany({ where, select: { id: true, schoolId: true, date: true } });
  if (!visits.length) return [];
  const visitIds = visits.map((v) => v.id);
  const [byStatus, printed, ikd] = await Promise.all([
    db.outcome.groupBy({ by: ['visitId', 'status'], where: { visitId: { in: visitIds } }, _count: { _all: true } }),
    db.outcome.groupBy({ by: ['visitId'], where: { visitId: { in: visitIds }, printedAt: { not: null } }, _count: { _all: true } }),
    db.outcome.groupBy({ by: ['visitId'], where: { visitId: { in: visitIds }, ikdActivatedAt: { not: null } }, _count: { _all: true } }),
  ]);
  const outcomes = (visitId: string, statuses: string[]) =>
    byStatus.filter((g) => g.visitId === visitId && statuses.includes(g.status)).reduce((n, g) => n + g._count._all, 0);
  return visits.flatMap((v) => {
    const school = report.schoolRows.get(v.schoolId);
    if (!school) return [];
    return [
      {
        ...school,
        scope: 'VISIT' as const,
        key: v.id,
        name: `${school.name} (${v.date})`,
        schoolId: v.schoolId,
        recorded: outcomes(v.id, ['RECORDED', 'ALREADY_RECORDED']),
        absent: outcomes(v.id, ['ABSENT']),
        refused: outcomes(v.id, ['REFUSED']),
        failed: outcomes(v.id, ['FAILED']),
        notEligible: outcomes(v.id, ['NOT_ELIGIBLE']),
        printed: printed.find((p) => p.visitId === v.id)?._count._all ?? 0,
        ikdActivated: ikd.find((p) => p.visitId === v.id)?._count._all ?? 0,
      },
    ];
  });
}
