// What one row of a student list becomes under the core rules, and the checker that runs those
// rules for a whole list: on a worker thread when the list is large, so that reading the file
// (and recording what was found) on the main thread overlaps with checking on the second core.
// Results come back in file order; the rules are the same function either way. The worker also
// writes each row's spool line, so the main thread only records and keeps.
import type { Worker } from 'node:worker_threads';
import { normalizeName, parseStudentRow, validateStudent, type FieldIssue, type ImportMapping, type IsoDate, type ParsedStudentRow } from '@jemput/core';
import type { DataRow } from './read.ts';
import { startTsWorker } from './ts-worker.ts';

export type StudentCandidate = {
  rowNumber: number;
  index: number;
  cells: DataRow['cells'];
  row: ParsedStudentRow;
  schoolId: string | null;
  issues: FieldIssue[];
};

export type SchoolDirectory = { byNpsn: Map<string, { id: string; name: string }>; fixedSchoolId: string | null };

export const hasErrors = (issues: FieldIssue[]) => issues.some((i) => i.severity === 'error');

/** Parses and validates one data row with the core rules; the school comes from the NPSN column or the chosen school. */
export function checkStudentRow(data: DataRow, mapping: ImportMapping, schools: SchoolDirectory, today: IsoDate): StudentCandidate {
  const { row, issues } = parseStudentRow(data.cells, mapping);
  let schoolId = schools.fixedSchoolId;
  if (!schoolId && row.npsn) {
    schoolId = schools.byNpsn.get(row.npsn.toUpperCase())?.id ?? null;
    if (!schoolId) issues.push({ field: 'npsn', code: 'IMPORT_SCHOOL_UNKNOWN', severity: 'error', params: { value: row.npsn } });
  } else if (!schoolId) issues.push({ field: 'npsn', code: 'REQUIRED', severity: 'error', params: { field: 'npsn' } });
  const familyCardNumbers = row.familyCardNumber ? [row.familyCardNumber] : [];
  const checked = validateStudent(
    { name: row.name ?? '', nik: row.nik, nisn: row.nisn, sex: row.sex ?? '', birthPlace: row.birthPlace, birthDate: row.birthDate ?? '', className: row.className, schoolId: schoolId ?? 'unknown' },
    'create',
    { today, familyCardNumbers },
  );
  issues.push(...checked);
  return { rowNumber: data.rowNumber, index: data.index, cells: data.cells, row, schoolId, issues };
}

/**
 * A student row as validation left it, one JSON line of the job's `checked` spool: a rejected
 * row is only its position; a valid one carries its values and school.
 */
export type CheckedLine = [index: number, rowNumber: number] | [index: number, rowNumber: number, schoolId: string, name: string | null, nisn: string | null, nik: string | null, sex: string | null, birthPlace: string | null, birthDate: string | null, className: string | null];

export function checkedLine(c: StudentCandidate): CheckedLine {
  if (hasErrors(c.issues)) return [c.index, c.rowNumber];
  const r = c.row;
  return [c.index, c.rowNumber, c.schoolId as string, r.name, r.nisn, r.nik, r.sex, r.birthPlace, r.birthDate, r.className];
}

/**
 * A batch of rows as checked, column by column (row i of the batch at position i): what the
 * validation records and keeps, and nothing else, so little crosses between threads.
 */
export type CheckedBatch = {
  /** The row's line of the job's `checked` spool (JSON of its CheckedLine). */
  lines: string[];
  nisn: (string | null)[];
  nik: (string | null)[];
  schoolId: (string | null)[];
  /** school|normalized name|birth date, for rows with a school: how a stored student is recognized in the list. */
  nameKey: (string | null)[];
  /** The problems found, null for none. */
  issues: (FieldIssue[] | null)[];
};

/** The rows of a batch checked, as a CheckedBatch. */
export function checkBatch(rows: readonly DataRow[], mapping: ImportMapping, schools: SchoolDirectory, today: IsoDate): CheckedBatch {
  const batch: CheckedBatch = { lines: [], nisn: [], nik: [], schoolId: [], nameKey: [], issues: [] };
  for (const data of rows) {
    const c = checkStudentRow(data, mapping, schools, today);
    batch.lines.push(JSON.stringify(checkedLine(c)));
    batch.nisn.push(c.row.nisn);
    batch.nik.push(c.row.nik);
    batch.schoolId.push(c.schoolId);
    batch.nameKey.push(c.schoolId ? `${c.schoolId}|${normalizeName(c.row.name ?? '')}|${c.row.birthDate}` : null);
    batch.issues.push(c.issues.length ? c.issues : null);
  }
  return batch;
}

/** What the checker's worker is told once (check-worker.ts). */
export type CheckerSetup = { mapping: ImportMapping; npsns: [string, { id: string; name: string }][]; fixedSchoolId: string | null; today: IsoDate };
/** A batch sent to the worker: only the mapped cells of each row (a Dapodik row has ~26 columns, the rules read ~10). */
export type CheckRequest = { id: number; rows: DataRow[] };
/** The worker's answer to one request. */
export type CheckAnswer = { id: number; checked: CheckedBatch };

/** The mapped columns, and the mapping onto a row made of just those columns. */
function projection(mapping: ImportMapping): { columns: number[]; mapping: ImportMapping } {
  const columns = [...new Set(Object.values(mapping) as number[])].sort((a, b) => a - b);
  const compact: ImportMapping = {};
  for (const [field, column] of Object.entries(mapping)) compact[field as keyof ImportMapping] = columns.indexOf(column as number);
  return { columns, mapping: compact };
}

type Waiting = { rows: DataRow[]; resolve(checked: CheckedBatch): void; reject(error: Error): void };

/** Messages to the checking thread (check-worker.ts). */
export type ToWorker = { type: 'setup'; checker: number; setup: CheckerSetup } | { type: 'check'; checker: number; request: CheckRequest } | { type: 'forget'; checker: number };
/** Its answer to one request. */
export type FromWorker = { checker: number; answer: CheckAnswer };

/**
 * The process's one checking thread, started by the first large list and kept for the next
 * (starting one costs ~0.2 s of CPU: loading the TypeScript loader and the rules). It holds
 * the process open only while it has batches to answer.
 */
let thread: Worker | null = null;
const checkers = new Map<number, StudentChecker>();
let nextChecker = 0;
let unanswered = 0;

function checkThread(): Worker {
  if (thread) return thread;
  const worker = startWorker();
  worker.unref();
  worker.on('message', ({ checker, answer }: FromWorker) => checkers.get(checker)?.answered(answer));
  const failed = (reason: string) => {
    if (thread !== worker) return;
    thread = null;
    console.error(`Jemput: import checks move to the main thread (${reason})`);
    for (const checker of checkers.values()) checker.fallBack();
  };
  worker.on('error', (error) => failed(error.message));
  worker.on('exit', (code) => failed(`checking thread exited with ${code}`));
  thread = worker;
  return worker;
}

/**
 * Starts the checking thread ahead of a large list (a no-op once it runs): its start (~0.2 s)
 * then overlaps with opening the file instead of delaying the first batch.
 */
export function startCheckingThread(): void {
  try {
    checkThread();
  } catch {
    // The checker says so and checks on the main thread when it is created.
  }
}

export class StudentChecker {
  private worker: Worker | null = null;
  private readonly id = nextChecker++;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private readonly columns: number[];

  /**
   * `useWorker`: worth it for a large list only. A checking thread that cannot start or dies
   * leaves the checking to this thread: nothing is lost.
   */
  constructor(
    private readonly mapping: ImportMapping,
    private readonly schools: SchoolDirectory,
    private readonly today: IsoDate,
    useWorker: boolean,
  ) {
    const projected = projection(mapping);
    this.columns = projected.columns;
    if (!useWorker) return;
    const setup: CheckerSetup = { mapping: projected.mapping, npsns: [...schools.byNpsn], fixedSchoolId: schools.fixedSchoolId, today };
    try {
      this.worker = checkThread();
    } catch (error) {
      console.error(`Jemput: import checks stay on the main thread (checking thread did not start: ${(error as Error).message})`);
      return;
    }
    checkers.set(this.id, this);
    this.worker.postMessage({ type: 'setup', checker: this.id, setup } satisfies ToWorker);
  }

  /** Whether batches go to the checking thread (false: not wanted, did not start, or died). */
  get onWorker(): boolean {
    return this.worker !== null;
  }

  /** The rows checked, in the order given. */
  check(rows: DataRow[]): Promise<CheckedBatch> {
    const worker = this.worker;
    if (!worker) return Promise.resolve(this.inline(rows));
    const id = this.nextId++;
    const request: CheckRequest = { id, rows: rows.map((r) => ({ rowNumber: r.rowNumber, index: r.index, cells: this.columns.map((c) => r.cells[c] ?? null) })) };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { rows, resolve, reject });
      if (unanswered++ === 0) worker.ref();
      worker.postMessage({ type: 'check', checker: this.id, request } satisfies ToWorker);
    });
  }

  /** @internal The checking thread's answer to one of this checker's batches. */
  answered(answer: CheckAnswer): void {
    const waiting = this.take(answer.id);
    waiting?.resolve(answer.checked);
  }

  /** @internal The checking thread died: what it had not answered is checked here. */
  fallBack(): void {
    this.worker = null;
    for (const id of [...this.waiting.keys()]) {
      const waiting = this.take(id)!;
      waiting.resolve(this.inline(waiting.rows));
    }
  }

  private take(id: number): Waiting | undefined {
    const waiting = this.waiting.get(id);
    if (!waiting) return undefined;
    this.waiting.delete(id);
    if (--unanswered === 0) thread?.unref();
    return waiting;
  }

  private inline(rows: DataRow[]): CheckedBatch {
    return checkBatch(rows, this.mapping, this.schools, this.today);
  }

  /** Lets go of the checking thread; batches it had not answered yet are refused (the validation was stopped or failed). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    checkers.delete(this.id);
    for (const id of [...this.waiting.keys()]) this.take(id)!.reject(new Error('import checker closed'));
    if (worker === thread) worker?.postMessage({ type: 'forget', checker: this.id } satisfies ToWorker);
  }
}

/** The checking thread runs check-worker.ts. */
function startWorker(): Worker {
  return startTsWorker(new URL('./check-worker.ts', import.meta.url));
}
