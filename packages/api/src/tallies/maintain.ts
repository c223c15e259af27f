// Keeps TallyCell and TallyDay current. Every outcome or student write adds its new
// contribution and removes its old one in the same transaction, so the counters cost
// O(rows written); a drive's counters are rebuilt from raw rows only when the drive itself
// is created or its dates change (and by `pnpm tallies:verify`, to compare).
import { addToCell, CELL_COUNTS, tallyContribution, ZERO_COUNTS, type OutcomeState, type OutcomeStatus, type TallyCell, type TallyDrive } from '@jemput/core';
import { Prisma } from '../generated/sqlite/client.ts';
import { postgresPoolOf, type Db, type DbProvider } from '../db/client.ts';
import type { Row, Write } from '../common/editing.ts';
import { jakartaDate } from '../common/time.ts';
import { executeSql } from '../db/raw.ts';
import { lastStep } from '../common/transaction.ts';

type StudentFacts = { id: string; schoolId: string; birthDate: string; married: boolean };
type OutcomeFacts = { studentId: string; driveId: string; status: string; recordedAt: Date | string | null; printedAt: Date | string | null; ikdActivatedAt: Date | string | null };
type DriveFacts = TallyDrive & { id: string };

export type DayCounts = { recorded: number; printed: number };

/** Counter changes collected in memory, then written with one upsert per touched counter. */
export class TallyDelta {
  readonly cells = new Map<string, TallyCell & { driveId: string; schoolId: string }>();
  readonly days = new Map<string, DayCounts & { driveId: string; schoolId: string; date: string }>();

  /**
   * A student without an outcome contributes what its birth date and marriage say (a large import
   * adds thousands of those): worked out once per drive, birth date and marriage.
   */
  private readonly withoutOutcome = new Map<string, TallyCell | null>();

  /** Adds (1) or removes (-1) what one student contributes to one drive. */
  add(drive: DriveFacts, student: Omit<StudentFacts, 'id'>, outcome: OutcomeFacts | null, sign: 1 | -1): void {
    let contribution: TallyCell | null | undefined;
    if (outcome) contribution = tallyContribution(student, outcomeState(outcome), drive);
    else {
      const facts = `${drive.id}|${drive.electionDate}|${drive.startDate}|${student.birthDate}|${student.married}`;
      contribution = this.withoutOutcome.get(facts);
      if (contribution === undefined) this.withoutOutcome.set(facts, (contribution = tallyContribution(student, null, drive)));
    }
    if (!contribution) return;
    const key = `${drive.id}|${student.schoolId}|${contribution.printableFrom}`;
    // Each cell is this delta's own object (made here), so it is added to in place.
    let cell = this.cells.get(key);
    if (!cell) this.cells.set(key, (cell = { ...ZERO_COUNTS, printableFrom: contribution.printableFrom, driveId: drive.id, schoolId: student.schoolId }));
    addToCell(cell, contribution, sign);
    if (contribution.recorded && outcome?.recordedAt) this.addDay(drive.id, student.schoolId, jakartaDate(outcome.recordedAt), { recorded: sign, printed: 0 });
    if (contribution.printed && outcome?.printedAt) this.addDay(drive.id, student.schoolId, jakartaDate(outcome.printedAt), { recorded: 0, printed: sign });
  }

  private addDay(driveId: string, schoolId: string, date: string, delta: DayCounts): void {
    const key = `${driveId}|${schoolId}|${date}`;
    const day = this.days.get(key) ?? { driveId, schoolId, date, recorded: 0, printed: 0 };
    day.recorded += delta.recorded;
    day.printed += delta.printed;
    this.days.set(key, day);
  }

  /** Adds another delta's counts into this one. */
  merge(other: TallyDelta): void {
    for (const [key, cell] of other.cells) {
      const mine = this.cells.get(key);
      if (!mine) this.cells.set(key, { ...cell });
      else for (const k of CELL_COUNTS) mine[k] += cell[k];
    }
    for (const [key, day] of other.days) this.addDay(day.driveId, day.schoolId, day.date, day);
  }

  /** Writes the counters now or, in a `writeTransaction` (common/transaction.ts), as its last statements. */
  async settle(tx: Db): Promise<void> {
    const pending = lastStep(tx, TallyDelta, () => new TallyDelta());
    if (pending) pending.merge(this);
    else await this.apply(tx);
  }

  /** Schools whose numbers changed, per drive (for the live feed). */
  touched(): Map<string, Set<string>> {
    const byDrive = new Map<string, Set<string>>();
    for (const cell of [...this.cells.values(), ...this.days.values()]) {
      if (isZero(cell)) continue;
      const set = byDrive.get(cell.driveId) ?? new Set<string>();
      set.add(cell.schoolId);
      byDrive.set(cell.driveId, set);
    }
    return byDrive;
  }

  /**
   * Adds the counters in with one INSERT … ON CONFLICT DO UPDATE per table (SQLite and
   * PostgreSQL both accept it): a paste touching 50 schools costs one statement, not 50 upserts.
   */
  async apply(tx: Db): Promise<void> {
    // In key order, so two transactions touching the same counters lock them in the same order.
    const byKey = <T,>(map: Map<string, T>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
    const cells = byKey(this.cells).filter((c) => !isZero(c));
    for (let i = 0; i < cells.length; i += ROWS_PER_STATEMENT) {
      const values = cells.slice(i, i + ROWS_PER_STATEMENT).map((c) => Prisma.sql`(${Prisma.join([c.driveId, c.schoolId, c.printableFrom, ...CELL_COUNTS.map((k) => c[k])])})`);
      await executeSql(tx, Prisma.sql`INSERT INTO "TallyCell" ("driveId", "schoolId", "printableFrom", ${Prisma.raw(CELL_COUNTS.map((k) => `"${k}"`).join(', '))})
        VALUES ${Prisma.join(values)}
        ON CONFLICT ("driveId", "schoolId", "printableFrom") DO UPDATE SET ${Prisma.raw(CELL_COUNTS.map((k) => `"${k}" = "TallyCell"."${k}" + excluded."${k}"`).join(', '))}`);
    }
    const days = byKey(this.days).filter((d) => d.recorded || d.printed);
    for (let i = 0; i < days.length; i += ROWS_PER_STATEMENT) {
      const values = days.slice(i, i + ROWS_PER_STATEMENT).map((d) => Prisma.sql`(${Prisma.join([d.driveId, d.schoolId, d.date, d.recorded, d.printed])})`);
      await executeSql(tx, Prisma.sql`INSERT INTO "TallyDay" ("driveId", "schoolId", "date", "recorded", "printed")
        VALUES ${Prisma.join(values)}
        ON CONFLICT ("driveId", "schoolId", "date") DO UPDATE SET "recorded" = "TallyDay"."recorded" + excluded."recorded", "printed" = "TallyDay"."printed" + excluded."printed"`);
    }
  }
}

/** Counter rows per statement: 11 values each, under SQLite's and PostgreSQL's bound-value limits. */
const ROWS_PER_STATEMENT = 80;

/**
 * Takes the students' row locks (PostgreSQL; SQLite has one writer at a time). A counter delta
 * joins a student row and an outcome row; under READ COMMITTED a transaction that changes one
 * would otherwise read the other as it was before a concurrent, uncommitted change, and both
 * deltas would be computed from a state that never existed. 'share' for outcome writes (waits
 * for an edit of the student, blocks the next one until commit), 'update' for a student delete
 * (waits for outcome writes of the student).
 */
export async function lockStudents(tx: Db, provider: DbProvider, studentIds: readonly string[], mode: 'share' | 'update'): Promise<void> {
  if (provider !== 'postgresql' || studentIds.length === 0) return;
  const ids = [...new Set(studentIds)].sort(); // one order everywhere, so two lockers never deadlock each other
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = Prisma.join(ids.slice(i, i + 500));
    if (mode === 'share') await tx.$queryRaw`SELECT "id" FROM "Student" WHERE "id" IN (${chunk}) ORDER BY "id" FOR SHARE`;
    else await tx.$queryRaw`SELECT "id" FROM "Student" WHERE "id" IN (${chunk}) ORDER BY "id" FOR UPDATE`;
  }
}

function isZero(counts: object): boolean {
  return Object.entries(counts).every(([k, v]) => typeof v !== 'number' || v === 0 || k === 'date');
}

function outcomeState(o: OutcomeFacts): OutcomeState {
  return {
    status: o.status as OutcomeStatus,
    printedAt: o.printedAt ? new Date(o.printedAt).toISOString() : null,
    ikdActivatedAt: o.ikdActivatedAt ? new Date(o.ikdActivatedAt).toISOString() : null,
  };
}

const driveSelect = { id: true, electionDate: true, startDate: true } as const;
const studentSelect = { id: true, schoolId: true, birthDate: true, married: true } as const;

/**
 * Outcome writes: move each student's contribution from the old outcome to the new one. The
 * students are read under their row lock (see lockStudents), so an edit of the same student
 * committing meanwhile is either seen here or waits for this transaction.
 */
export async function outcomeWritesDelta(tx: Db, writes: Write[], provider: DbProvider): Promise<TallyDelta> {
  const rows = writes.flatMap((w) => [w.before, w.after]).filter((r): r is Row => r !== null);
  await lockStudents(tx, provider, rows.map((r) => r.studentId as string), 'share');
  const [students, drives] = await Promise.all([
    tx.student.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.studentId as string))] } }, select: studentSelect }),
    tx.drive.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.driveId as string))] } }, select: driveSelect }),
  ]);
  const studentById = new Map(students.map((s) => [s.id, s]));
  const driveById = new Map(drives.map((d) => [d.id, d]));
  const delta = new TallyDelta();
  // A student counts with or without an outcome: an outcome written replaces "no outcome"
  // (and a deleted one goes back to it). Both halves cancel when the student stays the same.
  const move = (row: Row | null, sign: 1 | -1) => {
    const outcome = row as unknown as OutcomeFacts | null;
    const student = outcome && studentById.get(outcome.studentId);
    const drive = outcome && driveById.get(outcome.driveId);
    if (!outcome || !student || !drive) return;
    delta.add(drive, student, outcome, sign);
    delta.add(drive, student, null, sign === 1 ? -1 : 1);
  };
  for (const { before, after } of writes) {
    move(before, -1);
    move(after, 1);
  }
  return delta;
}

/**
 * Student writes (new, edited, moved to another school, deleted): redo the student in every
 * drive of its office. For a delete this must run before the row goes, while its outcomes
 * (deleted with it) can still be read.
 */
export async function studentWritesDelta(tx: Db, writes: Write[]): Promise<TallyDelta> {
  // An edit the tallies don't read (a class, a name) passes no writes: nothing to look up.
  if (!writes.length) return new TallyDelta();
  const { schoolIds, studentIds } = studentWritesKeys(writes);
  const schools = await tx.school.findMany({ where: { id: { in: schoolIds } }, select: { id: true, officeId: true } });
  const [drives, outcomes] = await Promise.all([
    tx.drive.findMany({ where: { officeId: { in: [...new Set(schools.map((s) => s.officeId))] } }, select: { ...driveSelect, officeId: true } }),
    studentIds.length ? tx.outcome.findMany({ where: { studentId: { in: studentIds } } }) : Promise.resolve([]),
  ]);
  return studentWritesDeltaFrom(writes, { schools, drives, outcomes });
}

/** The schools and (previously stored) students whose facts `studentWritesDeltaFrom` needs. */
export function studentWritesKeys(writes: Write[]): { schoolIds: string[]; studentIds: string[] } {
  // Plain loops: an import passes thousands of writes per batch.
  const schoolIds = new Set<string>();
  const studentIds = new Set<string>();
  for (const { before, after } of writes) {
    if (after) schoolIds.add(after.schoolId as string);
    // A new student has no outcomes yet: only students that existed before are looked up (a big import is mostly new rows).
    if (before) {
      schoolIds.add(before.schoolId as string);
      studentIds.add(before.id as string);
    }
  }
  return { schoolIds: [...schoolIds], studentIds: [...studentIds] };
}

export type StudentWriteFacts = {
  schools: { id: string; officeId: string }[];
  /** The drives of those schools' offices. */
  drives: (DriveFacts & { officeId: string })[];
  /** The outcomes of the students that existed before. */
  outcomes: OutcomeFacts[];
};

/** `studentWritesDelta` on facts already read (the SQLite bulk import reads them with raw statements). */
export function studentWritesDeltaFrom(writes: Write[], facts: StudentWriteFacts): TallyDelta {
  const officeOf = new Map(facts.schools.map((s) => [s.id, s.officeId]));
  const outcomeOf = new Map(facts.outcomes.map((o) => [`${o.driveId}|${o.studentId}`, o]));
  const drivesOf = new Map<string, StudentWriteFacts['drives']>();
  for (const d of facts.drives) drivesOf.set(d.officeId, [...(drivesOf.get(d.officeId) ?? []), d]);
  const delta = new TallyDelta();
  const redo = (row: Row | null, sign: 1 | -1) => {
    if (!row) return;
    const student = row as unknown as StudentFacts;
    for (const drive of drivesOf.get(officeOf.get(student.schoolId) as string) ?? []) {
      delta.add(drive, student, outcomeOf.size ? (outcomeOf.get(`${drive.id}|${student.id}`) ?? null) : null, sign);
    }
  };
  for (const { before, after } of writes) {
    redo(before, -1);
    redo(after, 1);
  }
  return delta;
}

/** A drive's counters computed from raw rows (students of the office and the drive's outcomes). */
export async function computeDriveTallies(db: Db, driveId: string): Promise<TallyDelta> {
  const drive = await db.drive.findUniqueOrThrow({ where: { id: driveId }, select: { ...driveSelect, officeId: true } });
  const delta = new TallyDelta();
  const outcomes = new Map(
    (await db.outcome.findMany({ where: { driveId } })).map((o) => [o.studentId, o as OutcomeFacts]),
  );
  const PAGE = 20_000;
  for (let cursor: string | undefined; ; ) {
    const students: StudentFacts[] = await db.student.findMany({
      where: { school: { officeId: drive.officeId } },
      select: studentSelect,
      orderBy: { id: 'asc' },
      take: PAGE,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const s of students) delta.add(drive, s, outcomes.get(s.id) ?? null, 1);
    if (students.length < PAGE) break;
    cursor = students[students.length - 1]?.id;
  }
  return delta;
}

/**
 * Replaces a drive's counters with ones computed from raw rows, counted inside the transaction
 * that replaces them so no write can land in between and be lost. On PostgreSQL the counter
 * tables are locked first: a concurrent write waits at its counter update until the new
 * counters are in, then adds its own change (SQLite has one writer at a time anyway).
 */
export async function rebuildDriveTallies(db: Db, driveId: string): Promise<void> {
  const onPostgres = postgresPoolOf(db) !== undefined;
  await db.$transaction(async (tx) => {
    if (onPostgres) await tx.$executeRaw`LOCK TABLE "TallyCell", "TallyDay" IN EXCLUSIVE MODE`;
    const delta = await computeDriveTallies(tx as Db, driveId);
    await tx.tallyCell.deleteMany({ where: { driveId } });
    await tx.tallyDay.deleteMany({ where: { driveId } });
    const cells = [...delta.cells.values()].filter((c) => !isZero(c));
    const days = [...delta.days.values()].filter((d) => d.recorded || d.printed);
    for (let i = 0; i < cells.length; i += 500) await tx.tallyCell.createMany({ data: cells.slice(i, i + 500) });
    for (let i = 0; i < days.length; i += 500) await tx.tallyDay.createMany({ data: days.slice(i, i + 500) });
  }, { timeout: 300_000, maxWait: 60_000 });
}
