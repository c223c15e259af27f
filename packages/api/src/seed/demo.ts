// A realistic demo office, modelled on Dukcapil Kota Malang before Pilkada 2024 (51 schools,
// 7 kits, ~10,000 target students), but with the election in the demo's future. The same
// (seed, today) always gives the same data: everything comes from one seeded PRNG, in a
// fixed order, and rows carry readable generated ids.
import { createHash } from 'node:crypto';
import { addDays, eligibility, isIsoDate, voterCutoffDate } from '@jemput/core';
import type { IsoDate } from '@jemput/core';
import { rebuildDriveTallies } from '../tallies/maintain.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { Db } from '../db/client.ts';
import type { Prisma } from '../generated/sqlite/client.ts';
import { regencyInfo, regionRowsOf, storeRegions } from '../regions/load-regions.ts';
import type { RegionRow } from '../regions/load-regions.ts';
import { shortRegencyName } from './helpers.ts';
import type { DriveRow, OfficeRow, OutcomeChangeRow, OutcomeRow, StockMovementRow, UserRow, VisitRow } from './helpers.ts';
import { DEMO_USERS } from './names.ts';
import { BLANKS_RECEIVED, BLANKS_SPOILED, generateOutcomes, stockMovements } from './outcomes.ts';
import { Random } from './random.ts';
import { generateSchools } from './schools.ts';
import type { DemoSchool } from './schools.ts';
import { generateStudents } from './students.ts';
import type { DemoStudent } from './students.ts';
import { planVisits } from './visits.ts';

export type SeedDemoOptions = {
  /** The demo's "today" (YYYY-MM-DD): the drive, visits and outcomes are placed around it. */
  today: IsoDate;
  seed?: number;
  schools?: number;
  students?: number;
  /** Kemendagri regency code, default '35.73' (Kota Malang). */
  regencyCode?: string;
};

export const DEMO_DEFAULTS = { seed: 20241127, schools: 50, students: 12000, regencyCode: '35.73' } as const;

/** Election day is this many days after the demo's today; the drive started 3 weeks ago. */
const DAYS_TO_ELECTION = 75;
const DAYS_SINCE_DRIVE_START = 21;
const OFFICE_KITS = 7;
const BLANK_STOCK_THRESHOLD = 500;
/** Rows per INSERT: well under SQLite's bound-parameter limit (32,766) even for wide rows. */
const CHUNK_SIZE = 500;
/** The full demo writes ~20,000 rows in one transaction; Prisma's default 5 s could be too short on slow disks. */
const TRANSACTION_TIMEOUT_MS = 120_000;

type Counts<K extends string> = Record<K, number>;

export type SeedSummary = {
  today: IsoDate;
  office: { id: string; name: string; regencyCode: string; regencyName: string; provinceName: string; kits: number };
  regions: { districts: number; villages: number };
  drive: { id: string; name: string; electionDate: IsoDate; startDate: IsoDate; endDate: IsoDate; voterCutoff: IsoDate };
  schools: number;
  students: {
    total: number;
    /** 17 or older on election day, or married. */
    eligible: number;
    married: number;
    withoutNik: number;
    /** Deliberately wrong NIKs (family-card numbers, date typos, a missing digit). */
    withDataProblems: number;
  };
  visits: { total: number; byStatus: Counts<VisitRow['status']> };
  outcomes: { total: number; byStatus: Counts<OutcomeRow['status']>; printed: number; ikdActivated: number };
  outcomeChanges: number;
  blankStock: { received: number; used: number; spoiled: number; balance: number };
  users: { username: string; role: string; password: string; team: string | null; districtCodes: string[] }[];
};

/** Everything the demo writes, built without touching the database. */
type DemoData = {
  office: OfficeRow;
  users: UserRow[];
  userDistricts: { userId: string; districtCode: string }[];
  schools: DemoSchool[];
  students: DemoStudent[];
  drive: DriveRow;
  visits: VisitRow[];
  outcomes: OutcomeRow[];
  outcomeChanges: OutcomeChangeRow[];
  stock: StockMovementRow[];
};

/** True when no office exists yet (a fresh database). */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  return (await db.office.count()) === 0;
}

export async function seedDemo(db: Db, opts: SeedDemoOptions): Promise<SeedSummary> {
  if (!isIsoDate(opts.today)) throw new Error(`today must be a YYYY-MM-DD date: ${JSON.stringify(opts.today)}`);
  // Throws a clear error for an unknown or malformed code; accepts '3573' as well as '35.73'.
  const regionRows = await regionRowsOf(opts.regencyCode ?? DEMO_DEFAULTS.regencyCode);
  const regencyCode = regionRows.find((r) => r.level === 'REGENCY')?.code ?? '';
  if (await db.office.findUnique({ where: { regencyCode } })) {
    throw new Error(`An office for regency ${regencyCode} already exists: seed an empty database`);
  }
  const regions = await storeRegions(db, regionRows);
  const data = await buildDemoData({ ...opts, regencyCode }, regionRows);
  await db.$transaction((tx) => writeDemoData(tx, data), { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 10_000 });
  // The rows were written in bulk, past the editing engine: count the drive's tallies from them.
  await rebuildDriveTallies(db, data.drive.id);
  return summarize(data, regions, opts.today);
}

async function buildDemoData(opts: SeedDemoOptions & { regencyCode: string }, regionRows: readonly RegionRow[]): Promise<DemoData> {
  const rng = new Random(opts.seed ?? DEMO_DEFAULTS.seed);
  const names = await regencyInfo(opts.regencyCode);
  if (!names) throw new Error(`Unknown regency code ${opts.regencyCode}`);

  const office: OfficeRow = {
    id: `off_${opts.regencyCode.replace('.', '')}`,
    regencyCode: opts.regencyCode,
    name: `Dinas Kependudukan dan Pencatatan Sipil ${names.regencyName}`,
    regencyName: names.regencyName,
    provinceName: names.provinceName,
    kits: OFFICE_KITS,
    blankStockThreshold: BLANK_STOCK_THRESHOLD,
  };
  const users: UserRow[] = await Promise.all(
    DEMO_USERS.map(async ({ password, ...u }) => ({ id: userId(u.username), officeId: office.id, ...u, passwordHash: await demoPasswordHash(u.username, password) })),
  );
  const adminId = userId('admin');
  const operatorId = userId('operator1');

  const electionDate = addDays(opts.today, DAYS_TO_ELECTION);
  const drive: DriveRow = {
    id: 'drv_0001',
    officeId: office.id,
    name: 'Pilkada Serentak (demo)',
    electionDate,
    startDate: addDays(opts.today, -DAYS_SINCE_DRIVE_START),
    endDate: addDays(electionDate, -1),
    notes: 'Data demo: perekaman KTP-el pemilih pemula di sekolah, meniru jemput bola menjelang Pilkada 2024.',
  };

  const schools = generateSchools(rng, {
    count: opts.schools ?? DEMO_DEFAULTS.schools,
    officeId: office.id,
    regencyName: names.regencyName,
    regions: regionRows,
  });
  const students = generateStudents(rng, {
    total: opts.students ?? DEMO_DEFAULTS.students,
    schools,
    electionDate,
    districtCodes: regionRows.filter((r) => r.level === 'DISTRICT').map((r) => r.code),
    homeBirthPlace: shortRegencyName(names.regencyName),
  });
  const visits = planVisits(rng, { schools, drive, today: opts.today });
  const outcomePlan = generateOutcomes(rng, {
    students,
    visits,
    drive,
    today: opts.today,
    operatorId,
    blanksAvailable: BLANKS_RECEIVED - BLANKS_SPOILED,
  });
  const userDistricts = operatorDistricts(visits, schools).map((districtCode) => ({ userId: operatorId, districtCode }));
  const stock = stockMovements({ officeId: office.id, startDate: drive.startDate, printedPerDay: outcomePlan.printedPerDay, adminId, operatorId });

  return { office, users, userDistricts, schools, students, drive, visits, outcomes: outcomePlan.outcomes, outcomeChanges: outcomePlan.changes, stock };
}

/** The two districts the operator's team ("Tim 1") visits most (ties: lower code). */
function operatorDistricts(visits: readonly VisitRow[], schools: readonly DemoSchool[]): string[] {
  const team = DEMO_USERS.find((u) => u.role === 'OPERATOR')?.team;
  const districtOf = new Map(schools.map((s) => [s.row.id, s.row.districtCode]));
  const counts = new Map<string, number>();
  for (const v of visits) if (v.team === team) counts.set(districtOf.get(v.schoolId)!, (counts.get(districtOf.get(v.schoolId)!) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 2).map(([code]) => code).sort();
}

/** Demo passwords are public, so their salt may be fixed: the same seed gives the same rows. */
function demoPasswordHash(username: string, password: string): Promise<string> {
  return hashPassword(password, createHash('sha256').update(`jemput-demo:${username}`).digest().subarray(0, 16));
}

function userId(username: (typeof DEMO_USERS)[number]['username']): string {
  return `usr_${username}`;
}

/** Parents before children, in chunked createMany calls. */
async function writeDemoData(tx: Prisma.TransactionClient, data: DemoData): Promise<void> {
  await tx.office.create({ data: data.office });
  await tx.user.createMany({ data: data.users });
  await inChunks(data.schools.map((s) => s.row), (chunk) => tx.school.createMany({ data: chunk }));
  await tx.userDistrict.createMany({ data: data.userDistricts });
  await inChunks(data.students.map((s) => s.row), (chunk) => tx.student.createMany({ data: chunk }));
  await tx.drive.create({ data: data.drive });
  await inChunks(data.visits, (chunk) => tx.visit.createMany({ data: chunk }));
  await inChunks(data.outcomes, (chunk) => tx.outcome.createMany({ data: chunk }));
  await inChunks(data.outcomeChanges, (chunk) => tx.outcomeChange.createMany({ data: chunk }));
  await inChunks(data.stock, (chunk) => tx.blankStockMovement.createMany({ data: chunk }));
}

async function inChunks<T>(rows: readonly T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK_SIZE) await write(rows.slice(i, i + CHUNK_SIZE));
}

function summarize(data: DemoData, regions: { districts: number; villages: number }, today: IsoDate): SeedSummary {
  const { office, drive } = data;
  const received = sumOf(data.stock, 'RECEIVED');
  const used = sumOf(data.stock, 'USED');
  const spoiled = sumOf(data.stock, 'SPOILED');
  return {
    today,
    office: {
      id: office.id,
      name: office.name,
      regencyCode: office.regencyCode,
      regencyName: office.regencyName,
      provinceName: office.provinceName,
      kits: office.kits ?? 1,
    },
    regions,
    drive: {
      id: drive.id,
      name: drive.name,
      electionDate: drive.electionDate,
      startDate: drive.startDate,
      endDate: drive.endDate,
      voterCutoff: voterCutoffDate(drive.electionDate),
    },
    schools: data.schools.length,
    students: {
      total: data.students.length,
      eligible: data.students.filter((s) => eligibility(s.row, drive.electionDate, today).eligible).length,
      married: data.students.filter((s) => s.row.married).length,
      withoutNik: data.students.filter((s) => !s.row.nik).length,
      withDataProblems: data.students.filter((s) => s.dataProblem !== null).length,
    },
    visits: {
      total: data.visits.length,
      byStatus: countStatuses(data.visits, ['PLANNED', 'CONFIRMED', 'DONE', 'CANCELLED', 'RESCHEDULED']),
    },
    outcomes: {
      total: data.outcomes.length,
      byStatus: countStatuses(data.outcomes, ['RECORDED', 'ALREADY_RECORDED', 'ABSENT', 'REFUSED', 'FAILED', 'NOT_ELIGIBLE']),
      printed: data.outcomes.filter((o) => o.printedAt).length,
      ikdActivated: data.outcomes.filter((o) => o.ikdActivatedAt).length,
    },
    outcomeChanges: data.outcomeChanges.length,
    blankStock: { received, used, spoiled, balance: received - used - spoiled },
    users: data.users.map((u) => ({
      username: u.username,
      role: u.role,
      password: DEMO_USERS.find((d) => d.username === u.username)!.password,
      team: u.team ?? null,
      districtCodes: data.userDistricts.filter((d) => d.userId === u.id).map((d) => d.districtCode),
    })),
  };
}

function countStatuses<K extends string>(rows: readonly { status: K }[], statuses: readonly K[]): Counts<K> {
  const counts = Object.fromEntries(statuses.map((s) => [s, 0])) as Counts<K>;
  for (const row of rows) counts[row.status] += 1;
  return counts;
}

function sumOf(stock: readonly StockMovementRow[], kind: StockMovementRow['kind']): number {
  return stock.filter((m) => m.kind === kind).reduce((sum, m) => sum + m.quantity, 0);
}

/**
 * Deletes every row Jemput stores, children before parents (for `db:seed --force`). A new
 * model that references one of these tables must be added here, or this fails on its
 * foreign key.
 */
export async function deleteAllRows(db: Db): Promise<void> {
  await db.$transaction([
    db.auditEvent.deleteMany(),
    db.session.deleteMany(),
    db.userDistrict.deleteMany(),
    db.tallyCell.deleteMany(),
    db.tallyDay.deleteMany(),
    db.outcomeChange.deleteMany(),
    db.outcome.deleteMany(),
    db.blankStockMovement.deleteMany(),
    db.visit.deleteMany(),
    db.student.deleteMany(),
    db.school.deleteMany(),
    db.drive.deleteMany(),
    db.user.deleteMany(),
    db.office.deleteMany(),
    db.region.deleteMany({ where: { level: 'VILLAGE' } }),
    db.region.deleteMany({ where: { level: 'DISTRICT' } }),
    db.region.deleteMany({ where: { level: 'REGENCY' } }),
    db.region.deleteMany(),
  ]);
}
