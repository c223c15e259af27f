// Tally rows for a drive, summed from the maintained counters: a constant number of queries
// whose size depends on the drive's schools and cells, never on its students.
import {
  blankStockSummary,
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
  /** Visits of this day (default: today) when no visit ids are given. */
  visitDate?: IsoDate | null;
};

export async function tallyReport(db: Db, driveId: string, today: IsoDate, request: TallyRequest): Promise<TallyReport | null> {
  const asOf = new Date().toISOString();
  const drive = await db.drive.findUnique({ where: { id: driveId }, select: { id: true, officeId: true, electionDate: true } });
  if (!drive) return null;
  const windowStart = paceWindowStart(today);
  const [schools, cells, days, stock, used] = await Promise.all([
    db.school.findMany({ where: { officeId: drive.officeId }, select: { id: true, name: true, districtCode: true } }),
    db.tallyCell.findMany({ where: { driveId } }),
    db.tallyDay.findMany({ where: { driveId, date: { gte: windowStart } }, select: { schoolId: true, date: true, recorded: true, printed: true } }),
    db.blankStockMovement.groupBy({ by: ['kind'], where: { officeId: drive.officeId }, _sum: { quantity: true } }),
    db.blankStockMovement.aggregate({ where: { officeId: drive.officeId, kind: 'USED', date: { gte: windowStart, lte: today } }, _sum: { quantity: true } }),
  ]);
  const balance = stock.reduce((sum, s) => sum + stockDelta(s.kind, s._sum.quantity ?? 0), 0);
  const blankStock = blankStockSummary(balance, used._sum.quantity ?? 0);
  const schoolById = new Map(schools.map((s) => [s.id, s]));
  const cellsOf = groupBy(cells, (c) => c.schoolId);
  const daysOf = groupBy(days, (d) => d.schoolId);

  const row = (scope: TallyScope, key: string, name: string, schoolIds: string[], districtCode: string | null): TallyRow => {
    const numbers = summarizeCells(schoolIds.flatMap((id) => cellsOf.get(id) ?? []) as TallyCell[], today, balance);
    const ownDays = schoolIds.flatMap((id) => daysOf.get(id) ?? []);
    const recordedLast7Days = sum(ownDays, (d) => d.recorded);
    return {
      ...numbers,
      scope,
      key,
      name,
      districtCode,
      schoolId: scope === 'SCHOOL' ? key : null,
      recordedToday: sum(ownDays.filter((d) => d.date === today), (d) => d.recorded),
      printedToday: sum(ownDays.filter((d) => d.date === today), (d) => d.printed),
      recordedLast7Days,
      forecast: forecast(numbers.remaining, recordedLast7Days, today, drive.electionDate),
    };
  };

  const inDistrict = (id: string) => !request.districtCode || schoolById.get(id)?.districtCode === request.districtCode;
  const wantedSchools = schools.filter((s) => inDistrict(s.id) && (!request.schoolIds || request.schoolIds.includes(s.id)));
  const rows: TallyRow[] = [];
  if (request.scopes.includes('OFFICE')) {
    rows.push(row('OFFICE', drive.officeId, 'Kantor', schools.map((s) => s.id), null));
  }
  if (request.scopes.includes('DISTRICT')) {
    const wantedDistricts = new Set(wantedSchools.map((s) => s.districtCode));
    const names = new Map((await db.region.findMany({ where: { code: { in: [...wantedDistricts] } }, select: { code: true, name: true } })).map((r) => [r.code, r.name]));
    for (const code of [...wantedDistricts].sort()) {
      rows.push(row('DISTRICT', code, names.get(code) ?? code, schools.filter((s) => s.districtCode === code).map((s) => s.id), code));
    }
  }
  if (request.scopes.includes('SCHOOL')) {
    for (const s of wantedSchools.sort((a, b) => a.name.localeCompare(b.name))) rows.push(row('SCHOOL', s.id, s.name, [s.id], s.districtCode));
  }
  if (request.scopes.includes('VISIT')) rows.push(...(await visitRows(db, driveId, request, wantedSchools.map((s) => s.id), row)));
  return { driveId, asOf, today, electionDate: drive.electionDate, blankStock, rows };
}

/**
 * A visit's row: the school's eligible and remaining numbers, with the outcomes captured
 * during that visit (recorded, absent, refused, failed, printed, IKD). O(outcomes of the visits).
 */
async function visitRows(
  db: Db,
  driveId: string,
  request: TallyRequest,
  schoolIds: string[],
  schoolRow: (scope: TallyScope, key: string, name: string, schoolIds: string[], districtCode: string | null) => TallyRow,
): Promise<TallyRow[]> {
  const where = request.visitIds ? { driveId, id: { in: [...request.visitIds] } } : { driveId, date: request.visitDate ?? undefined, schoolId: { in: schoolIds } };
  const visits = await db.visit.findMany({ where, select: { id: true, schoolId: true, date: true, school: { select: { name: true, districtCode: true } } } });
  if (!visits.length) return [];
  const visitIds = visits.map((v) => v.id);
  const [byStatus, printed, ikd] = await Promise.all([
    db.outcome.groupBy({ by: ['visitId', 'status'], where: { visitId: { in: visitIds } }, _count: { _all: true } }),
    db.outcome.groupBy({ by: ['visitId'], where: { visitId: { in: visitIds }, printedAt: { not: null } }, _count: { _all: true } }),
    db.outcome.groupBy({ by: ['visitId'], where: { visitId: { in: visitIds }, ikdActivatedAt: { not: null } }, _count: { _all: true } }),
  ]);
  const count = (visitId: string, statuses: string[]) => sum(byStatus.filter((g) => g.visitId === visitId && statuses.includes(g.status)), (g) => g._count._all);
  return visits.map((v) => {
    const school = schoolRow('SCHOOL', v.schoolId, v.school.name, [v.schoolId], v.school.districtCode);
    return {
      ...school,
      scope: 'VISIT' as const,
      key: v.id,
      name: `${v.school.name} (${v.date})`,
      schoolId: v.schoolId,
      recorded: count(v.id, ['RECORDED', 'ALREADY_RECORDED']),
      absent: count(v.id, ['ABSENT']),
      refused: count(v.id, ['REFUSED']),
      failed: count(v.id, ['FAILED']),
      notEligible: count(v.id, ['NOT_ELIGIBLE']),
      printed: printed.find((p) => p.visitId === v.id)?._count._all ?? 0,
      ikdActivated: ikd.find((p) => p.visitId === v.id)?._count._all ?? 0,
    };
  });
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const list = map.get(key(item));
    if (list) list.push(item);
    else map.set(key(item), [item]);
  }
  return map;
}

function sum<T>(items: T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}
