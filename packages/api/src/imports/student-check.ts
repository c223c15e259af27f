// What one row of a student list becomes under the core rules, and the checker that runs those
// rules for a whole list: on a worker thread when the list is large, so that reading the file
// (and recording what was found) on the main thread overlaps with checking on the second core.
// Results come back in file order; the rules are the same function either way.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parseStudentRow, validateStudent, type FieldIssue, type ImportMapping, type IsoDate, type ParsedStudentRow } from '@jemput/core';
import type { DataRow } from './read.ts';

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

/** What the checker's worker is told once (check-worker.ts). */
export type CheckerSetup = { mapping: ImportMapping; npsns: [string, { id: string; name: string }][]; fixedSchoolId: string | null; today: IsoDate };
/** A batch sent to the worker: only the mapped cells of each row (a Dapodik row has ~26 columns, the rules read ~10). */
export type CheckRequest = { id: number; rows: [rowNumber: number, index: number, cells: DataRow['cells']][] };
/** The worker's answer, row by row in the order asked. */
export type CheckAnswer = { id: number; checked: [row: ParsedStudentRow, schoolId: string | null, issues: FieldIssue[]][] };

/** The mapped columns, and the mapping onto a row made of just those columns. */
function projection(mapping: ImportMapping): { columns: number[]; mapping: ImportMapping } {
  const columns = [...new Set(Object.values(mapping) as number[])].sort((a, b) => a - b);
  const compact: ImportMapping = {};
  for (const [field, column] of Object.entries(mapping)) compact[field as keyof ImportMapping] = columns.indexOf(column as number);
  return { columns, mapping: compact };
}

type Waiting = { rows: DataRow[]; resolve(candidates: StudentCandidate[]): void; reject(error: Error): void };

export class StudentChecker {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private readonly columns: number[];

  /**
   * `useWorker`: worth it for a large list only (starting a worker costs tens of milliseconds).
   * A worker that cannot start or dies leaves the checking to this thread: nothing is lost.
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
      this.worker = startWorker(setup);
    } catch (error) {
      console.error(`Jemput: import checks stay on the main thread (worker did not start: ${(error as Error).message})`);
      return;
    }
    this.worker.on('message', (answer: CheckAnswer) => {
      const waiting = this.waiting.get(answer.id);
      if (!waiting) return;
      this.waiting.delete(answer.id);
      waiting.resolve(waiting.rows.map((data, i) => {
        const [row, schoolId, issues] = answer.checked[i]!;
        return { rowNumber: data.rowNumber, index: data.index, cells: data.cells, row, schoolId, issues };
      }));
    });
    const fallBack = (reason: string) => {
      if (!this.worker) return;
      console.error(`Jemput: import checks move to the main thread (${reason})`);
      this.worker = null;
      for (const [id, waiting] of this.waiting) {
        this.waiting.delete(id);
        waiting.resolve(this.inline(waiting.rows));
      }
    };
    this.worker.on('error', (error) => fallBack(error.message));
    this.worker.on('exit', (code) => fallBack(`worker exited with ${code}`));
  }

  /** Whether batches go to the worker (false: not wanted, did not start, or died). */
  get onWorker(): boolean {
    return this.worker !== null;
  }

  /** The rows checked, in the order given. */
  check(rows: DataRow[]): Promise<StudentCandidate[]> {
    const worker = this.worker;
    if (!worker) return Promise.resolve(this.inline(rows));
    const id = this.nextId++;
    const request: CheckRequest = { id, rows: rows.map((r) => [r.rowNumber, r.index, this.columns.map((c) => r.cells[c] ?? null)]) };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { rows, resolve, reject });
      worker.postMessage(request);
    });
  }

  private inline(rows: DataRow[]): StudentCandidate[] {
    return rows.map((row) => checkStudentRow(row, this.mapping, this.schools, this.today));
  }

  /** Stops the worker; batches it had not answered yet are refused (the validation was stopped or failed). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    for (const [id, waiting] of this.waiting) {
      this.waiting.delete(id);
      waiting.reject(new Error('import checker closed'));
    }
    await worker?.terminate();
  }
}

/**
 * The worker runs check-worker.ts. Node 20 does not hand the TypeScript loader the app runs
 * under (tsx) to worker threads, so the worker's first lines register it when a .ts module
 * cannot be loaded without it.
 */
function startWorker(setup: CheckerSetup): Worker {
  const entry = new URL('./check-worker.ts', import.meta.url).href;
  // tsx's ESM API (index.mjs beside the index.cjs that require() resolves: its CJS build cannot register from an eval'd worker).
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const bootstrap = `
    import(${JSON.stringify(entry)}).catch(async (error) => {
      if (error?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
      (await import(${JSON.stringify(tsx)})).register();
      // A fresh URL: the failed load of the plain one stays in the module cache.
      return import(${JSON.stringify(`${entry}?tsx`)});
    });`;
  return new Worker(bootstrap, { eval: true, workerData: setup });
}
