// The life of an import: upload → validate (preview, problems stored per row) → the officer
// checks or corrects the mapping → commit in batches. Each batch is one transaction that also
// advances the job's `committedRows`, so a crash leaves a job whose state says exactly which
// rows are in: at the next start it is INTERRUPTED and `commitImport` resumes after them.
import { EventEmitter } from 'node:events';
import {
  formatMessage,
  IMPORT_FIELDS,
  missingImportFields,
  normalizeName,
  parseRegionCode,
  parseSchoolRow,
  validateSchool,
  fieldLabel,
  type FieldIssue,
  type ImportKind,
  type ImportMapping,
  type Locale,
} from '@jemput/core';
import type { Context } from '../schema/builder.ts';
import type { Db } from '../db/client.ts';
import { upsertRows, type RowInput } from '../common/editing.ts';
import { schoolSpec } from '../schools/schema.ts';
import { openTable, sniffFormat, UnreadableFileError, type DataRow, type FileFormat, type Table } from './read.ts';
import { storedFilePath } from './store.ts';
import { SQLITE_BATCH_ROWS, SqliteBulkWriter } from './sqlite-bulk.ts';
import { readSpoolLines, removeSpool, SpoolWriter } from './spool.ts';
import { candidateOfLine, checkStudentRow, hasErrors, studentsWhereIn, loadSchoolDirectory, writeStudentBatch, type CheckedLine, type StudentCandidate } from './students.ts';
import { startCheckingThread, StudentChecker, type CheckedBatch } from './student-check.ts';

/** Rows validated between two progress updates of the preview. */
export const IMPORT_BATCH_ROWS = 2000;
/**
 * Rows written per transaction of the commit through Prisma (PostgreSQL, an SQLite database
 * without a file). Each batch rewrites pages all over the student indexes, so a commit costs
 * about the same whether it carries 2,000 rows or 5,000 (at 2,000, commits were half of a
 * 100,000-row import's write time). The SQLite bulk writer takes SQLITE_BATCH_ROWS per
 * transaction, written in slices that each hold the event loop as one 5,000-row batch did.
 */
export const IMPORT_WRITE_BATCH_ROWS = 5000;
/** Uploads from this size on are checked on the checking thread (1 MB is ~7,000 XLSX or ~4,000 CSV rows; smaller lists take well under a second anyway). */
const CHECK_WORKER_MIN_BYTES = 1 << 20;
/**
 * How often a validation writes the rows it has read to the job (for other processes; here the
 * progress bar follows the bytes read). Each write is a commit that waits for the disk (the WAL
 * sync, db/wal-sync.ts): once per batch, they held up a 100,000-row validation by 0.7 s on a busy machine.
 */
const PROGRESS_WRITE_MS = 1000;
/** Problems kept per job: beyond this a broken file would only fill the database. */
const MAX_PROBLEMS = 50_000;

export type ImportPhase = 'VALIDATING' | 'NEEDS_MAPPING' | 'READY' | 'WRITING' | 'DONE' | 'FAILED' | 'INTERRUPTED' | 'CANCELLED';
type JobRow = NonNullable<Awaited<ReturnType<Db['importJob']['findUnique']>>>;

type Active = { phase: 'VALIDATING' | 'WRITING'; stop: boolean; bytesRead: () => number; done: Promise<void> };
const active = new Map<string, Active>();
const progress = new EventEmitter();
progress.setMaxListeners(0);

/** Jobs running in this process. */
export function activeImport(jobId: string): Active | undefined {
  return active.get(jobId);
}

/** Resolves when the job's background work in this process has finished (tests, shutdown). */
export async function importSettled(jobId: string): Promise<void> {
  await active.get(jobId)?.done;
}

export function onImportProgress(jobId: string, listener: () => void): () => void {
  progress.on(jobId, listener);
  return () => progress.off(jobId, listener);
}

function notify(jobId: string): void {
  progress.emit(jobId);
}

export function jobPhase(job: Pick<JobRow, 'id' | 'status' | 'error' | 'totalRows'>): ImportPhase {
  const running = active.get(job.id);
  if (running) return running.phase;
  switch (job.status) {
    case 'PREVIEW':
      if (job.error) return 'NEEDS_MAPPING';
      // Validation writes totalRows when it ends; without it, validation was cut short.
      return job.totalRows > 0 ? 'READY' : 'INTERRUPTED';
    case 'RUNNING':
      return 'INTERRUPTED';
    default:
      return job.status as ImportPhase;
  }
}

/** 0..1 for the progress bar: bytes read while validating, rows written while committing. */
export function jobProgress(job: Pick<JobRow, 'id' | 'status' | 'fileSize' | 'committedRows' | 'totalRows'>): number {
  const running = active.get(job.id);
  if (running?.phase === 'VALIDATING') return job.fileSize ? Math.min(1, running.bytesRead() / job.fileSize) : 0;
  if (running?.phase === 'WRITING' || job.status === 'INTERRUPTED' || job.status === 'FAILED') return job.totalRows ? Math.min(1, job.committedRows / job.totalRows) : 0;
  return job.status === 'DONE' || job.totalRows > 0 ? 1 : 0;
}

export class ImportStateError extends Error {}

function stateError(status: string, locale: Locale): ImportStateError {
  return new ImportStateError(formatMessage({ code: 'IMPORT_WRONG_STATE', params: { status } }, locale));
}

function message(code: string, params: Record<string, string | number>, locale: Locale): string {
  return formatMessage({ code, params }, locale);
}

/** Runs work in the background, registered so progress and resume know about it. */
function runInBackground(jobId: string, phase: Active['phase'], work: (state: Active) => Promise<void>): void {
  const state: Active = { phase, stop: false, bytesRead: () => 0, done: Promise.resolve() };
  active.set(jobId, state);
  state.done = (async () => {
    try {
      await work(state);
    } finally {
      active.delete(jobId);
      notify(jobId);
    }
  })();
}

// ---------------------------------------------------------------- upload

export type UploadedFile = { fileName: string; hash: string; size: number };

/** Records an upload and starts validating it. A file that cannot be read is a FAILED job saying why. */
export async function createImportJob(ctx: Context, file: UploadedFile, kind: ImportKind, schoolId: string | null): Promise<JobRow> {
  let format: FileFormat | 'UNKNOWN' = 'UNKNOWN';
  let error: string | null = null;
  try {
    format = sniffFormat(storedFilePath(file.hash));
  } catch (e) {
    error = message('IMPORT_FILE_UNREADABLE', { detail: (e as Error).message }, ctx.locale);
  }
  const job = await ctx.db.importJob.create({
    data: {
      officeId: ctx.officeId ?? '',
      createdById: ctx.userId,
      kind,
      status: error ? 'FAILED' : 'PREVIEW',
      fileName: file.fileName.slice(0, 255),
      fileHash: file.hash,
      fileSize: file.size,
      format,
      schoolId,
      error,
      finishedAt: error ? new Date() : null,
    },
  });
  if (!error) startValidation(ctx, job);
  return job;
}

/** Sets the officer's column mapping and validates again. */
export async function setImportMapping(ctx: Context, jobId: string, mapping: ImportMapping, schoolId: string | null | undefined): Promise<JobRow> {
  const job = await ctx.db.importJob.findUniqueOrThrow({ where: { id: jobId } });
  if (job.status !== 'PREVIEW' || active.has(jobId)) throw stateError(jobPhase(job), ctx.locale);
  const allowed = new Set<string>(IMPORT_FIELDS[job.kind]);
  const clean: ImportMapping = {};
  for (const [field, column] of Object.entries(mapping)) if (allowed.has(field) && Number.isInteger(column) && (column as number) >= 0) clean[field as keyof ImportMapping] = column as number;
  const updated = await ctx.db.importJob.update({
    where: { id: jobId },
    data: { mapping: JSON.stringify(clean), ...(schoolId !== undefined ? { schoolId } : {}), error: null, totalRows: 0, parsedRows: 0, validatedRows: 0, rejected: 0, warnings: 0 },
  });
  startValidation(ctx, updated);
  return updated;
}

export async function cancelImport(ctx: Context, jobId: string): Promise<JobRow> {
  const job = await ctx.db.importJob.findUniqueOrThrow({ where: { id: jobId } });
  const running = active.get(jobId);
  if (running?.phase === 'WRITING') {
    // Stops after the batch in flight; what is written stays, and the job can be resumed.
    running.stop = true;
    await running.done;
    return ctx.db.importJob.findUniqueOrThrow({ where: { id: jobId } });
  }
  if (running) {
    running.stop = true;
    await running.done;
  }
  if (!['PREVIEW', 'INTERRUPTED', 'FAILED'].includes(job.status)) throw stateError(job.status, ctx.locale);
  const cancelled = await ctx.db.importJob.update({ where: { id: jobId }, data: { status: 'CANCELLED', finishedAt: new Date() } });
  removeSpool(jobId);
  notify(jobId);
  return cancelled;
}

/** At server start: a job that was writing when the process died is INTERRUPTED (resumable). */
export async function markInterruptedImports(db: Db, olderThan?: Date): Promise<number> {
  const { count } = await db.importJob.updateMany({
    where: { status: 'RUNNING', ...(olderThan ? { updatedAt: { lt: olderThan } } : {}), id: { notIn: [...active.keys()] } },
    data: { status: 'INTERRUPTED' },
  });
  return count;
}

// ---------------------------------------------------------------- validation (preview)

export function storedMapping(job: Pick<JobRow, 'mapping'>): ImportMapping | null {
  return job.mapping ? (JSON.parse(job.mapping) as ImportMapping) : null;
}

/** The job's data rows, read from the upload (both readers stream: see read.ts). */
async function openJobTable(job: JobRow): Promise<Table | null> {
  return openTable(storedFilePath(job.fileHash), job.format as FileFormat, job.kind);
}

type ProblemRow = { jobId: string; rowNumber: number; severity: string; field: string | null; code: string; message: string; values: string | null };

function problemRows(jobId: string, rowNumber: number, issues: FieldIssue[], cells: DataRow['cells'] | null, locale: Locale, extra: Record<string, unknown> = {}): ProblemRow[] {
  const values = JSON.stringify({ cells: cells?.map((c) => (c instanceof Date ? c.toISOString().slice(0, 10) : c ?? null)) ?? null, ...extra });
  return issues.map((issue) => ({
    jobId,
    rowNumber,
    severity: issue.severity === 'error' ? 'ERROR' : 'WARNING',
    field: issue.field,
    code: issue.code,
    // Stored in the uploader's language; the API renders it again from code and params in the reader's.
    message: formatMessage({ code: issue.code, params: { ...issue.params, field: fieldLabel(issue.field, locale) } }, locale),
    values: JSON.stringify({ ...JSON.parse(values), params: issue.params ?? {} }),
  }));
}

function startValidation(ctx: Context, job: JobRow): void {
  runInBackground(job.id, 'VALIDATING', async (state) => {
    try {
      await validateJob(ctx, job, state);
    } catch (error) {
      const detail = error instanceof UnreadableFileError ? message('IMPORT_FILE_UNREADABLE', { detail: error.message }, ctx.locale) : (error as Error).message;
      if (!(error instanceof UnreadableFileError)) console.error(`Jemput: validating import ${job.id} failed: ${(error as Error).message}`);
      removeSpool(job.id);
      await ctx.db.importJob.update({ where: { id: job.id }, data: { status: 'FAILED', error: detail, finishedAt: new Date() } });
    }
  });
}

async function validateJob(ctx: Context, job: JobRow, state: Active): Promise<void> {
  const { db } = ctx;
  await db.importProblem.deleteMany({ where: { jobId: job.id } });
  // What an earlier validation checked no longer holds (the mapping or school changed).
  removeSpool(job.id);
  if (job.kind === 'STUDENTS' && job.fileSize >= CHECK_WORKER_MIN_BYTES) startCheckingThread();
  const table = await openJobTable(job);
  if (!table) {
    await db.importJob.update({ where: { id: job.id }, data: { status: 'FAILED', error: message('IMPORT_HEADER_NOT_FOUND', {}, ctx.locale), finishedAt: new Date() } });
    return;
  }
  state.bytesRead = table.bytesRead;
  const mapping = storedMapping(job) ?? table.layout.mapping;
  const missing = missingImportFields(job.kind, mapping, !!job.schoolId);
  if (missing.length) {
    await table.rows.return(undefined);
    const error = message('IMPORT_MAPPING_MISSING', { fields: missing.map((f) => fieldLabel(f, ctx.locale)).join(', ') }, ctx.locale);
    await db.importJob.update({ where: { id: job.id }, data: { mapping: JSON.stringify(mapping), error } });
    return;
  }
  await db.importJob.update({ where: { id: job.id }, data: { mapping: JSON.stringify(mapping), error: null } });
  const counts = { parsed: 0, rejected: 0, warnings: 0, problems: 0 };
  let problems: ProblemRow[] = [];
  const flushProblems = async () => {
    // Taken before the first await: the student validator records its next batch meanwhile.
    const keep = problems.slice(0, Math.max(0, MAX_PROBLEMS - counts.problems));
    problems = [];
    counts.problems += keep.length;
    for (let i = 0; i < keep.length; i += 1000) await db.importProblem.createMany({ data: keep.slice(i, i + 1000) });
  };
  const record = (rowNumber: number, issues: FieldIssue[], cells: DataRow['cells'] | null) => {
    if (!issues.length) return;
    // Row 0 is a stored student the file leaves out, not a row of the file.
    if (rowNumber > 0 && hasErrors(issues)) counts.rejected++;
    else if (rowNumber > 0) counts.warnings++;
    problems.push(...problemRows(job.id, rowNumber, issues, cells, ctx.locale));
  };
  const checked = job.kind === 'STUDENTS' ? new SpoolWriter(job.id) : null;
  const validator = job.kind === 'STUDENTS' ? await studentValidator(ctx, job, mapping, record, checked) : await schoolValidator(ctx, job, mapping, record);
  let batch: DataRow[] = [];
  let lastNotified = Date.now();
  let lastWritten = Date.now();
  try {
    for await (const row of table.rows) {
      if (state.stop) {
        await table.rows.return(undefined);
        // Nothing may still be writing to the spool when it goes.
        await validator.close?.();
        checked?.abort();
        return;
      }
      batch.push(row);
      counts.parsed++;
      if (batch.length >= IMPORT_BATCH_ROWS) {
        await validator.batch(batch);
        batch = [];
        await flushProblems();
        if (Date.now() - lastWritten >= PROGRESS_WRITE_MS) {
          lastWritten = Date.now();
          await db.importJob.update({ where: { id: job.id }, data: { parsedRows: counts.parsed, validatedRows: counts.parsed } });
        }
        if (Date.now() - lastNotified > 200) {
          lastNotified = Date.now();
          notify(job.id);
        }
      }
    }
    if (batch.length) await validator.batch(batch);
    await validator.finish();
  } finally {
    await validator.close?.();
  }
  await checked?.finish();
  await flushProblems();
  if (counts.parsed === 0) {
    removeSpool(job.id);
    await db.importJob.update({ where: { id: job.id }, data: { status: 'FAILED', error: message('IMPORT_FILE_EMPTY', {}, ctx.locale), finishedAt: new Date() } });
    return;
  }
  await db.importJob.update({
    where: { id: job.id },
    data: { totalRows: counts.parsed, parsedRows: counts.parsed, validatedRows: counts.parsed, rejected: counts.rejected, warnings: counts.warnings },
  });
}

/**
 * Checks a list's rows batch by batch. `batch` may return before the batch is recorded (the
 * student validator works one batch behind, see studentValidator); `finish` records the rest;
 * `close` lets go of what a validation stopped early still holds.
 */
type Validator = { batch(rows: DataRow[]): Promise<void>; finish(): Promise<void>; close?(): Promise<void> };
type Record_ = (rowNumber: number, issues: FieldIssue[], cells: DataRow['cells'] | null) => void;

async function studentValidator(ctx: Context, job: JobRow, mapping: ImportMapping, record: Record_, checked: SpoolWriter | null): Promise<Validator> {
  const schools = await loadSchoolDirectory(ctx.db, ctx.officeId, job.schoolId);
  const schoolNames = new Map([...schools.byNpsn.values()].map((s) => [s.id, s.name]));
  const firstRowOfNisn = new Map<string, number>();
  // What the file lists, to report the stored students it leaves out.
  const listed = { nisn: new Set<string>(), nik: new Set<string>(), name: new Set<string>(), schools: new Set<string>() };
  const checker = new StudentChecker(mapping, schools, ctx.today, job.fileSize >= CHECK_WORKER_MIN_BYTES);
  // One batch is checked (on the checking thread) while the one before it is recorded and the next is read.
  let previous: Promise<void> = Promise.resolve();
  const apply = async (rows: DataRow[], checkedRows: CheckedBatch) => {
    const { nisn, nik, schoolId, nameKey, lines } = checkedRows;
    const stored = await studentsWhereIn(ctx.db, ctx.provider, 'nisn', nisn.filter((v): v is string => !!v));
    const storedSchool = new Map(stored.map((s) => [s.nisn as string, s.schoolId]));
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const rowNisn = nisn[i];
      const rowSchool = schoolId[i];
      // Only warnings are added here: the row's spool line (written by the checker) stays as it is.
      let issues = checkedRows.issues[i] ?? null;
      if (rowNisn) {
        const first = firstRowOfNisn.get(rowNisn);
        if (first !== undefined) (issues ??= []).push({ field: 'nisn', code: 'IMPORT_DUPLICATE_IN_FILE', severity: 'warning', params: { field: 'nisn', value: rowNisn, row: first } });
        else firstRowOfNisn.set(rowNisn, row.rowNumber);
        const at = storedSchool.get(rowNisn);
        if (at && rowSchool && at !== rowSchool) {
          const school = schoolNames.get(at) ?? (await ctx.db.school.findUnique({ where: { id: at }, select: { name: true } }))?.name ?? at;
          (issues ??= []).push({ field: 'schoolId', code: 'IMPORT_IN_OTHER_SCHOOL', severity: 'warning', params: { school } });
        }
      }
      if (rowSchool) {
        listed.schools.add(rowSchool);
        if (rowNisn) listed.nisn.add(rowNisn);
        if (nik[i]) listed.nik.add(nik[i] as string);
        listed.name.add(nameKey[i] as string);
      }
      if (issues) record(row.rowNumber, issues, row.cells);
      const flushing = checked?.writeText(lines[i]!);
      if (flushing) await flushing;
    }
  };

  return {
    async batch(rows) {
      const checking = checker.check(rows);
      const applied = previous.then(async () => apply(rows, await checking));
      // Both are awaited later (by the next batch, finish or close): a failure surfaces there, never as an unhandled rejection.
      checking.catch(() => {});
      applied.catch(() => {});
      const before = previous;
      previous = applied;
      await before;
    },
    async close() {
      await checker.close();
      await previous.catch(() => {});
    },
    async finish() {
      await previous;
      await checker.close();
      if (!listed.schools.size) return;
      const storedStudents = await ctx.db.student.findMany({
        where: { schoolId: { in: [...listed.schools] } },
        select: { id: true, name: true, nisn: true, nik: true, nameSearch: true, birthDate: true, schoolId: true },
        orderBy: [{ schoolId: 'asc' }, { nameSearch: 'asc' }],
      });
      for (const s of storedStudents) {
        const inFile = (s.nisn && listed.nisn.has(s.nisn)) || (s.nik && listed.nik.has(s.nik)) || listed.name.has(`${s.schoolId}|${s.nameSearch}|${s.birthDate}`);
        if (inFile) continue;
        record(0, [{ field: 'name', code: 'IMPORT_MISSING_FROM_LIST', severity: 'warning', params: { name: s.name, school: schoolNames.get(s.schoolId) ?? '', nisn: s.nisn ?? '' } }], [s.name, s.nisn ?? '', s.birthDate]);
      }
    },
  };
}

type SchoolCandidate = { rowNumber: number; index: number; cells: DataRow['cells']; input: RowInput; issues: FieldIssue[] };

async function schoolContext(ctx: Context) {
  const office = ctx.officeId ? await ctx.db.office.findUnique({ where: { id: ctx.officeId }, select: { regencyCode: true } }) : null;
  const districts = await ctx.db.region.findMany({ where: { level: 'DISTRICT', ...(office ? { parentCode: office.regencyCode } : {}) }, select: { code: true, name: true } });
  const byName = new Map(districts.map((d) => [normalizeName(d.name).replace(/\s/g, ''), d.code]));
  const codes = new Set(districts.map((d) => d.code));
  const stored = await ctx.db.school.findMany({ where: ctx.officeId ? { officeId: ctx.officeId } : {}, select: { id: true, npsn: true, version: true } });
  const byNpsn = new Map(stored.map((s) => [s.npsn.toUpperCase(), s]));
  const district = (text: string | null): string | null => {
    if (!text) return null;
    const code = parseRegionCode(text.replace(/\s/g, ''));
    if (code?.level === 'DISTRICT') return codes.has(code.dotted) ? code.dotted : null;
    return byName.get(normalizeName(text).replace(/^(kecamatan|kec)\b\.?/, '').replace(/\s/g, '')) ?? null;
  };
  return { district, byNpsn };
}

function checkSchoolRow(row: DataRow, mapping: ImportMapping, context: Awaited<ReturnType<typeof schoolContext>>): SchoolCandidate {
  const { row: parsed, issues } = parseSchoolRow(row.cells, mapping);
  const districtCode = context.district(parsed.district);
  if (parsed.district && !districtCode) issues.push({ field: 'districtCode', code: 'IMPORT_DISTRICT_UNKNOWN', severity: 'error', params: { value: parsed.district } });
  const input: RowInput = { npsn: parsed.npsn?.toUpperCase() ?? null, name: parsed.name, level: parsed.level, status: parsed.status, districtCode, address: parsed.address };
  const existing = parsed.npsn ? context.byNpsn.get(parsed.npsn.toUpperCase()) : undefined;
  if (existing) Object.assign(input, { id: existing.id, version: existing.version });
  const withoutUnknown = Object.fromEntries(Object.entries(input).filter(([k, v]) => v !== null || !existing || k === 'npsn'));
  issues.push(...validateSchool({ ...withoutUnknown, villageCode: null } as never, existing ? 'update' : 'create').filter((i) => !(i.field === 'districtCode' && !districtCode && parsed.district)));
  return { rowNumber: row.rowNumber, index: row.index, cells: row.cells, input: withoutUnknown as RowInput, issues };
}

async function schoolValidator(ctx: Context, _job: JobRow, mapping: ImportMapping, record: Record_): Promise<Validator> {
  const context = await schoolContext(ctx);
  const firstRow = new Map<string, number>();
  return {
    async batch(rows) {
      for (const row of rows) {
        const c = checkSchoolRow(row, mapping, context);
        const npsn = c.input.npsn as string | null;
        if (npsn) {
          const first = firstRow.get(npsn);
          if (first !== undefined) c.issues.push({ field: 'npsn', code: 'IMPORT_DUPLICATE_IN_FILE', severity: 'warning', params: { field: 'npsn', value: npsn, row: first } });
          else firstRow.set(npsn, c.rowNumber);
        }
        record(c.rowNumber, c.issues, c.cells);
      }
    },
    async finish() {},
  };
}

// ---------------------------------------------------------------- commit

/** Starts writing a validated job, or resumes an interrupted or failed one after its committed rows. */
export async function commitImport(ctx: Context, jobId: string): Promise<JobRow> {
  const job = await ctx.db.importJob.findUniqueOrThrow({ where: { id: jobId } });
  const phase = jobPhase(job);
  const resumable = phase === 'INTERRUPTED' && job.status !== 'PREVIEW';
  if (!(phase === 'READY' || resumable || (job.status === 'FAILED' && job.totalRows > 0))) throw stateError(phase, ctx.locale);
  if (active.has(jobId)) throw stateError(jobPhase(job), ctx.locale);
  // Conditional on the status just read: of two officers pressing Import at once, one starts it.
  const { count } = await ctx.db.importJob.updateMany({
    where: { id: jobId, status: job.status, committedRows: job.committedRows },
    data: { status: 'RUNNING', error: null, startedAt: job.startedAt ?? new Date(), ...(job.committedRows === 0 ? { created: 0, updated: 0, unchanged: 0, rejected: 0 } : {}) },
  });
  if (count === 0 || active.has(jobId)) throw stateError('RUNNING', ctx.locale);
  const started = await ctx.db.importJob.findUniqueOrThrow({ where: { id: jobId } });
  runInBackground(jobId, 'WRITING', async (state) => {
    try {
      await writeJob(ctx, started, state);
    } catch (error) {
      console.error(`Jemput: import ${jobId} stopped: ${(error as Error).message}`);
      await ctx.db.importJob.update({ where: { id: jobId }, data: { status: 'FAILED', error: (error as Error).message.slice(0, 500) } });
    }
  });
  return started;
}

async function writeJob(ctx: Context, job: JobRow, state: Active): Promise<void> {
  const skip = job.committedRows;
  // Student rows as validation checked them (what the preview showed), when that spool is there;
  // else (a job validated before, or its spool lost) the file is read and checked again.
  const checked = job.kind === 'STUDENTS' ? readSpoolLines<CheckedLine>(job.id) : null;
  let items: AsyncGenerator<DataRow | CheckedLine>;
  let writer: BatchWriter;
  if (checked) {
    items = checked;
    writer = await studentWriter(ctx, job, null);
  } else {
    const table = await openJobTable(job);
    if (!table) throw new Error(message('IMPORT_HEADER_NOT_FOUND', {}, ctx.locale));
    const mapping = storedMapping(job) ?? table.layout.mapping;
    items = table.rows;
    writer = job.kind === 'STUDENTS' ? await studentWriter(ctx, job, mapping) : await schoolWriter(ctx, job, mapping);
  }
  try {
    let batch: (DataRow | CheckedLine)[] = [];
    const flush = async () => {
      await writer.write(batch);
      batch = [];
      notify(job.id);
    };
    for await (const item of items) {
      if (indexOf(item) < skip) continue;
      batch.push(item);
      if (batch.length >= writer.batchRows) {
        await flush();
        if (state.stop) {
          await items.return(undefined);
          await ctx.db.importJob.update({ where: { id: job.id }, data: { status: 'INTERRUPTED' } });
          return;
        }
      }
    }
    if (batch.length) await flush();
  } finally {
    writer.close();
  }
  const done = await ctx.db.importJob.update({ where: { id: job.id }, data: { status: 'DONE', finishedAt: new Date() } });
  removeSpool(job.id);
  const detail = { fileName: done.fileName, fileHash: done.fileHash, kind: done.kind, rows: done.totalRows, created: done.created, updated: done.updated, unchanged: done.unchanged, rejected: done.rejected };
  // One event for the import: created rows are summarized here (the file is kept by its hash); updates were logged per field.
  await ctx.db.auditEvent.create({ data: { officeId: ctx.officeId, userId: ctx.userId, action: 'IMPORT', entity: 'ImportJob', entityId: done.id, detail: JSON.stringify(detail) } });
}

const indexOf = (item: DataRow | CheckedLine) => (Array.isArray(item) ? item[0] : item.index);

type Writer = (rows: (DataRow | CheckedLine)[]) => Promise<void>;
/** A job's writer, and the rows it takes per batch (one transaction each). */
type BatchWriter = { write: Writer; close(): void; batchRows: number };

/** Writes batches of file rows (checked here) or of checked lines (from validation; `mapping` null). */
async function studentWriter(ctx: Context, job: JobRow, mapping: ImportMapping | null): Promise<BatchWriter> {
  const schools = await loadSchoolDirectory(ctx.db, ctx.officeId, job.schoolId);
  // A school deleted since validation: its rows are rejected rather than failing the batch.
  const schoolIds = new Set([...schools.byNpsn.values()].map((s) => s.id).concat(job.schoolId ?? []));
  const bulk = ctx.provider === 'sqlite' ? await SqliteBulkWriter.open(ctx.db) : null;
  const audit = { userId: ctx.userId, officeId: ctx.officeId, jobId: job.id };
  const write: Writer = async (rows) => {
    const valid: StudentCandidate[] = [];
    for (const item of rows) {
      if (Array.isArray(item)) {
        const c = candidateOfLine(item);
        if (c && schoolIds.has(c.schoolId as string)) valid.push(c);
      } else {
        const c = checkStudentRow(item, mapping as ImportMapping, schools, ctx.today);
        if (!hasErrors(c.issues)) valid.push(c);
      }
    }
    const rejected = rows.length - valid.length;
    const last = { index: indexOf(rows[rows.length - 1] as DataRow | CheckedLine) };
    const outcome = bulk
      ? await bulk.writeStudents(valid, { id: job.id, nextIndex: last.index + 1, rejected }, audit)
      : await ctx.db.$transaction(
          async (tx) => {
            const counts = await writeStudentBatch(tx as Db, ctx.provider, valid, audit);
            await (tx as Db).importJob.update({ where: { id: job.id }, data: batchWritten(last.index + 1, { ...counts, rejected: rejected + counts.conflicts }) });
            return counts;
          },
          { timeout: 120_000, maxWait: 30_000 },
        );
    if (outcome.schoolIds.size) {
      ctx.feed.touch({ schoolIds: [...outcome.schoolIds] });
      // One signal per batch (not one event per student): grids showing these schools reload.
      ctx.rows.publishReload('STUDENT', { id: job.id, version: last.index + 1, schoolIds: [...outcome.schoolIds] });
    }
  };
  return { write, close: () => bulk?.close(), batchRows: bulk ? SQLITE_BATCH_ROWS : IMPORT_WRITE_BATCH_ROWS };
}

/** A job's position after a written batch (the next row to write) and the batch's counts added. */
function batchWritten(nextIndex: number, counts: { created: number; updated: number; unchanged: number; rejected: number }) {
  return {
    committedRows: nextIndex,
    created: { increment: counts.created },
    updated: { increment: counts.updated },
    unchanged: { increment: counts.unchanged },
    rejected: { increment: counts.rejected },
  };
}

async function schoolWriter(ctx: Context, job: JobRow, mapping: ImportMapping): Promise<BatchWriter> {
  const write: Writer = async (items) => {
    const rows = items as DataRow[];
    // Fresh per batch: ids and versions of schools created or changed by earlier batches.
    const context = await schoolContext(ctx);
    const candidates = rows.map((row) => checkSchoolRow(row, mapping, context));
    const valid = candidates.filter((c) => !hasErrors(c.issues));
    const result = valid.length ? await upsertRows(schoolSpec, valid.map((c) => c.input), ctx) : { created: 0, updated: 0, unchanged: 0, rejected: 0, conflicts: 0 };
    const last = rows[rows.length - 1] as DataRow;
    // The engine commits its own chunks; the job's position follows right after.
    await ctx.db.importJob.update({
      where: { id: job.id },
      data: batchWritten(last.index + 1, { ...result, rejected: candidates.length - valid.length + result.rejected + result.conflicts }),
    });
  };
  return { write, close: () => {}, batchRows: IMPORT_WRITE_BATCH_ROWS };
}
