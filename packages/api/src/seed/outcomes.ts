// Demo outcomes of the visits already done, and the blank-card stock they used.
// Every outcome goes through core's eligibility and checkOutcomeChange, so the demo never
// shows a state the app itself would refuse.
import { NO_OUTCOME, addDays, checkOutcomeChange, eligibility } from '@jemput/core';
import type { IsoDate, OutcomeState, OutcomeStatus } from '@jemput/core';
import { jakartaMoment, minutesOf, seedId } from './helpers.ts';
import type { DriveRow, OutcomeChangeRow, OutcomeRow, StockMovementRow, VisitRow } from './helpers.ts';
import { OUTCOME_NOTES } from './names.ts';
import type { Random } from './random.ts';
import type { DemoStudent } from './students.ts';
import { isWeekend } from './visits.ts';

const OUTCOME_WEIGHTS: readonly { status: OutcomeStatus; weight: number }[] = [
  { status: 'RECORDED', weight: 86 },
  { status: 'ALREADY_RECORDED', weight: 5 },
  { status: 'ABSENT', weight: 5 },
  { status: 'FAILED', weight: 2 },
  { status: 'REFUSED', weight: 1 },
  { status: 'NOT_ELIGIBLE', weight: 1 },
];
/** Share of printable recordings printed so far: blanks are scarce, the rest wait (and can use IKD). */
const PRINT_SHARE = 0.7;
/** Cards are printed at the office within a few days of the visit. */
const MAX_PRINT_DELAY_DAYS = 3;
const IKD_SHARE = 0.12;
const PRINTING_HOURS = { from: minutesOf('13:00'), to: minutesOf('15:30') };

export const BLANKS_RECEIVED = 3000;
export const BLANKS_SPOILED = 3;

export type OutcomePlan = { outcomes: OutcomeRow[]; changes: OutcomeChangeRow[]; printedPerDay: Map<IsoDate, number> };

export function generateOutcomes(
  rng: Random,
  input: {
    students: readonly DemoStudent[];
    visits: readonly VisitRow[];
    drive: DriveRow;
    today: IsoDate;
    operatorId: string;
    /** Blank cards that may be printed (printing stops when they run out). */
    blanksAvailable: number;
  },
): OutcomePlan {
  const plan: OutcomePlan = { outcomes: [], changes: [], printedPerDay: new Map() };
  let blanksLeft = input.blanksAvailable;
  const studentsBySchool = groupBy(input.students, (s) => s.row.schoolId);
  const visitsBySchool = groupBy(
    input.visits.filter((v) => v.status !== 'CANCELLED' && v.status !== 'RESCHEDULED'),
    (v) => v.schoolId,
  );

  // Visits are in date order, so blanks are used up in the order cards are printed.
  for (const visit of input.visits.filter((v) => v.status === 'DONE')) {
    const schoolVisits = visitsBySchool.get(visit.schoolId) ?? [];
    const covered = (studentsBySchool.get(visit.schoolId) ?? []).filter((s) => coveringVisit(schoolVisits, s) === visit);
    for (const student of covered) {
      const elig = eligibility({ birthDate: student.row.birthDate, married: student.row.married }, input.drive.electionDate, visit.date);
      if (!elig.eligible || !elig.recordableNow) continue;

      const status = rng.pickWeighted(OUTCOME_WEIGHTS).status;
      const recordedAt = status === 'RECORDED' ? recordingMoment(rng, visit) : null;
      let printedAt: Date | null = null;
      if (recordedAt && elig.printableNow && blanksLeft > 0 && rng.chance(PRINT_SHARE)) {
        const printDate = officeDayFrom(addDays(visit.date, rng.int(0, MAX_PRINT_DELAY_DAYS)));
        if (printDate < input.today) {
          printedAt = jakartaMoment(printDate, rng.int(PRINTING_HOURS.from, PRINTING_HOURS.to));
          plan.printedPerDay.set(printDate, (plan.printedPerDay.get(printDate) ?? 0) + 1);
          blanksLeft--;
        }
      }
      // IKD is activated on the spot, right after recording.
      const ikdActivatedAt = recordedAt && elig.printableNow && rng.chance(IKD_SHARE) ? new Date(recordedAt.getTime() + rng.int(5, 30) * 60_000) : null;

      const next: OutcomeState = {
        status,
        printedAt: printedAt?.toISOString() ?? null,
        ikdActivatedAt: ikdActivatedAt?.toISOString() ?? null,
      };
      const issues = checkOutcomeChange(NO_OUTCOME, next, elig);
      if (issues.length > 0) throw new Error(`Demo outcome for ${student.row.id} breaks the rules: ${issues.map((i) => i.code).join(', ')}`);

      const seenAt = recordedAt ?? recordingMoment(rng, visit);
      const lastChangeAt = latest([seenAt, printedAt, ikdActivatedAt]);
      const outcomeId = seedId('out', plan.outcomes.length + 1);
      plan.outcomes.push({
        id: outcomeId,
        driveId: input.drive.id,
        studentId: student.row.id,
        visitId: visit.id,
        status,
        recordedAt,
        printedAt,
        ikdActivatedAt,
        notes: rng.pick<string | null>(OUTCOME_NOTES[status]),
        updatedById: input.operatorId,
        createdAt: seenAt,
        updatedAt: lastChangeAt,
      });
      // One history row per outcome: the seed writes each outcome's current state in one step.
      plan.changes.push({
        id: seedId('och', plan.changes.length + 1),
        outcomeId,
        fromStatus: null,
        toStatus: status,
        printed: printedAt !== null,
        ikdActivated: ikdActivatedAt !== null,
        visitId: visit.id,
        byUserId: input.operatorId,
        at: lastChangeAt,
      });
    }
  }
  return plan;
}

/**
 * Which of a school's visits records a student: with one visit, that one; with two, the first
 * takes class XII (and the married), the second the younger classes.
 */
function coveringVisit(schoolVisits: readonly VisitRow[], student: DemoStudent): VisitRow | undefined {
  if (schoolVisits.length <= 1) return schoolVisits[0];
  const first = student.grade === 'XII' || student.row.married;
  return first ? schoolVisits[0] : schoolVisits[1];
}

/** The office prints on working days: a weekend date moves to Monday. */
function officeDayFrom(date: IsoDate): IsoDate {
  let day = date;
  while (isWeekend(day)) day = addDays(day, 1);
  return day;
}

/** A moment inside the visit's time window. */
function recordingMoment(rng: Random, visit: VisitRow): Date {
  const from = minutesOf(visit.startTime);
  const to = Math.max(from, minutesOf(visit.endTime) - 15);
  return jakartaMoment(visit.date, rng.int(from, to));
}

function latest(moments: readonly (Date | null)[]): Date {
  return new Date(Math.max(...moments.filter((m): m is Date => m !== null).map((m) => m.getTime())));
}

/** RECEIVED at the start of the drive, one USED per printing day, one SPOILED. */
export function stockMovements(input: {
  officeId: string;
  startDate: IsoDate;
  printedPerDay: ReadonlyMap<IsoDate, number>;
  adminId: string;
  operatorId: string;
}): StockMovementRow[] {
  const printingDays = [...input.printedPerDay.keys()].sort();
  const movements: Omit<StockMovementRow, 'id'>[] = [
    {
      officeId: input.officeId,
      kind: 'RECEIVED',
      quantity: BLANKS_RECEIVED,
      date: input.startDate,
      notes: 'Kiriman blangko KTP-el dari Ditjen Dukcapil',
      createdById: input.adminId,
    },
    {
      officeId: input.officeId,
      kind: 'SPOILED',
      quantity: BLANKS_SPOILED,
      date: printingDays[0] ?? input.startDate,
      notes: 'Blangko rusak saat pencetakan (printer macet)',
      createdById: input.operatorId,
    },
    ...printingDays.map((date) => ({
      officeId: input.officeId,
      kind: 'USED' as const,
      quantity: input.printedPerDay.get(date) ?? 0,
      date,
      notes: 'Cetak KTP-el hasil perekaman di sekolah',
      createdById: input.operatorId,
    })),
  ];
  return movements
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((movement, i) => ({ id: seedId('stk', i + 1, 4), ...movement }));
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
