// What the dashboards count, defined once. The API keeps these counts incrementally (one
// "cell" per drive × school × day-the-students-turn-17) and sums cells for any grouping, so
// a tally costs O(cells), never O(students). Numbers that depend on today (recordable now,
// printable) come from the cell key, so they stay right as students have birthdays.
import { addYears, compareIsoDate, daysBetween, addDays, type IsoDate } from './dates.ts';
import { voterCutoffDate } from './eligibility.ts';
import { isRecordedStatus, type OutcomeState } from './outcomes.ts';

/** Counts kept per cell; all are numbers of eligible students. */
export const CELL_COUNTS = ['eligible', 'recorded', 'absent', 'refused', 'failed', 'notEligible', 'printed', 'ikdActivated'] as const;
export type CellCount = (typeof CELL_COUNTS)[number];
export type CellCounts = Record<CellCount, number>;

/**
 * `printableFrom`: the day the cell's students turn 17, when that falls after the drive starts;
 * '' when they are printable from the first day (already 17, or married).
 */
export type TallyCell = CellCounts & { printableFrom: string };

export type TallyDrive = { electionDate: IsoDate; startDate: IsoDate };
export type TallyStudent = { birthDate: IsoDate; married: boolean };

export const ZERO_COUNTS: Readonly<CellCounts> = Object.freeze(Object.fromEntries(CELL_COUNTS.map((c) => [c, 0])) as CellCounts);

/**
 * One student's contribution to its school's cell in a drive, or null when the student is not
 * a target of the drive (not 17 on election day and not married): such students are not counted.
 * - eligible: 17 on election day, or married;
 * - recorded: recorded in this drive, or found already recorded elsewhere;
 * - absent / refused / failed: what the last visit found;
 * - notEligible: an officer found the student is not a target after all (e.g. not a citizen);
 * - printed / ikdActivated: card printed / digital ID activated.
 */
export function tallyContribution(student: TallyStudent, outcome: OutcomeState | null, drive: TallyDrive): TallyCell | null {
  if (!student.married && compareIsoDate(student.birthDate, voterCutoffDate(drive.electionDate)) > 0) return null;
  const seventeenth = addYears(student.birthDate, 17);
  const printableFrom = student.married || compareIsoDate(seventeenth, drive.startDate) <= 0 ? '' : seventeenth;
  const status = outcome?.status ?? null;
  return {
    printableFrom,
    eligible: 1,
    recorded: isRecordedStatus(status) ? 1 : 0,
    absent: status === 'ABSENT' ? 1 : 0,
    refused: status === 'REFUSED' ? 1 : 0,
    failed: status === 'FAILED' ? 1 : 0,
    notEligible: status === 'NOT_ELIGIBLE' ? 1 : 0,
    printed: outcome?.printedAt ? 1 : 0,
    ikdActivated: outcome?.ikdActivatedAt ? 1 : 0,
  };
}

/** Adds (sign 1) or removes (sign -1) a contribution into a map of cells keyed by `key(cell)`. */
export function addToCells(cells: Map<string, TallyCell>, key: string, cell: TallyCell | null, sign: 1 | -1): void {
  if (!cell) return;
  const target = cells.get(key) ?? { ...ZERO_COUNTS, printableFrom: cell.printableFrom };
  addToCell(target, cell, sign);
  cells.set(key, target);
}

/** Adds (sign 1) or removes (sign -1) a contribution's counts into `target`, in place. */
export function addToCell(target: CellCounts, cell: CellCounts, sign: 1 | -1): void {
  for (const count of CELL_COUNTS) target[count] += sign * cell[count];
}

export type TallyNumbers = CellCounts & {
  /** Eligible and at least 16 today (or married): can be recorded now. */
  recordableNow: number;
  /** Eligible, not recorded, not found ineligible. */
  remaining: number;
  /** Recorded, not printed, and 17 today (or married): a card can be printed now. */
  printable: number;
  /** Printable students who cannot get a card because the office has no blank cards left. */
  awaitingBlanks: number;
  /** recorded / (eligible − notEligible), 0..100, one decimal. */
  percentDone: number;
};

/**
 * As of `today`, cells fall in three groups: printable (and recordable) now, recordable but not
 * yet printable, and neither. Cells of one group count the same way, so a database may add
 * them up per group first: `printableFrom` ≤ printableBy, ≤ recordableBy, or later.
 */
export function cellGroupsOn(today: IsoDate): { printableBy: IsoDate; recordableBy: IsoDate } {
  // Recordable from the 16th birthday, which is the 17th birthday one year earlier.
  return { printableBy: today, recordableBy: addYears(today, 1) };
}

/** Sums cells into the numbers a dashboard shows, as of `today`, given the office's blank-card balance. */
export function summarizeCells(cells: Iterable<TallyCell>, today: IsoDate, blankBalance: number): TallyNumbers {
  const sum: CellCounts = { ...ZERO_COUNTS };
  let recordableNow = 0;
  let printable = 0;
  const { printableBy, recordableBy } = cellGroupsOn(today);
  for (const cell of cells) {
    for (const count of CELL_COUNTS) sum[count] += cell[count];
    if (cell.printableFrom === '' || compareIsoDate(cell.printableFrom, recordableBy) <= 0) recordableNow += cell.eligible;
    if (cell.printableFrom === '' || compareIsoDate(cell.printableFrom, printableBy) <= 0) printable += cell.recorded - cell.printed;
  }
  const targets = sum.eligible - sum.notEligible;
  return {
    ...sum,
    recordableNow,
    remaining: Math.max(0, targets - sum.recorded),
    printable,
    awaitingBlanks: blankBalance <= 0 ? printable : 0,
    percentDone: targets > 0 ? Math.round((sum.recorded / targets) * 1000) / 10 : 0,
  };
}

export const PACE_DAYS = 7;

export type Forecast = {
  /** Days from today until election day (0 on the day itself). */
  daysLeft: number;
  /** Recordings per day needed to finish by election day. */
  neededPerDay: number;
  /** Recordings per day over the last 7 days (today included). */
  pacePerDay: number;
  onTrack: boolean;
};

/** Pace needed to finish by the election versus the pace of the last 7 days. */
export function forecast(remaining: number, recordedLast7Days: number, today: IsoDate, electionDate: IsoDate): Forecast {
  const daysLeft = Math.max(0, daysBetween(today, electionDate));
  const neededPerDay = remaining === 0 ? 0 : daysLeft === 0 ? remaining : Math.ceil(remaining / daysLeft);
  const pacePerDay = Math.round((recordedLast7Days / PACE_DAYS) * 10) / 10;
  return { daysLeft, neededPerDay, pacePerDay, onTrack: pacePerDay >= neededPerDay };
}

/** First day of the pace window ending today. */
export function paceWindowStart(today: IsoDate): IsoDate {
  return addDays(today, -(PACE_DAYS - 1));
}

export type BlankStockSummary = {
  balance: number;
  usedLast7Days: number;
  /** Days the blanks last at the last 7 days' use; null when none were used (no pace to measure). */
  runwayDays: number | null;
};

/** Balance change of one movement: received adds, used and spoiled subtract, a correction is signed. */
export function stockDelta(kind: string, quantity: number): number {
  return kind === 'RECEIVED' || kind === 'CORRECTION' ? quantity : -quantity;
}

export function blankStockSummary(balance: number, usedLast7Days: number): BlankStockSummary {
  const perDay = usedLast7Days / PACE_DAYS;
  return { balance, usedLast7Days, runwayDays: perDay > 0 ? Math.floor(Math.max(0, balance) / perDay) : null };
}
