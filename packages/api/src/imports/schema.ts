// Imports over GraphQL: upload (GraphQL multipart request, Yoga's File scalar), preview with
// the detected mapping and the problems per row, mapping correction, commit/resume, cancel,
// history, and importProgress pushed over SSE for the progress bar.
import { fieldLabel, formatMessage, IMPORT_FIELDS, parseSchoolRow, parseStudentRow, cellText, type ImportField, type ImportKind, type ImportMapping } from '@jemput/core';
import { GraphQLError } from 'graphql';
import { builder, type Context } from '../schema/builder.ts';
import { Severity } from '../common/errors.ts';
import { openTable, type FileFormat, type RawRow } from './read.ts';
import { FileTooLargeError, MAX_IMPORT_BYTES, storedFilePath, storeUpload } from './store.ts';
import { ADMIN_ONLY } from '../auth/rules.ts';
import {
  activeImport,
  cancelImport,
  commitImport,
  createImportJob,
  ImportStateError,
  jobPhase,
  jobProgress,
  onImportProgress,
  setImportMapping,
  storedMapping,
} from './jobs.ts';

const ImportKindEnum = builder.enumType('ImportKind', { values: ['STUDENTS', 'SCHOOLS'] as const });
const ImportStatusEnum = builder.enumType('ImportStatus', { values: ['PREVIEW', 'RUNNING', 'DONE', 'FAILED', 'INTERRUPTED', 'CANCELLED'] as const });
const ImportPhaseEnum = builder.enumType('ImportPhase', {
  description: 'What the job is doing now: VALIDATING and WRITING run in the server; READY waits for commit; NEEDS_MAPPING waits for the officer to map required columns; INTERRUPTED can be resumed with commitImport.',
  values: ['VALIDATING', 'NEEDS_MAPPING', 'READY', 'WRITING', 'DONE', 'FAILED', 'INTERRUPTED', 'CANCELLED'] as const,
});
const ImportFieldEnum = builder.enumType('ImportField', {
  values: [...new Set([...IMPORT_FIELDS.STUDENTS, ...IMPORT_FIELDS.SCHOOLS])] as ImportField[],
});

type Preview = { labels: string[]; rows: RawRow[]; headerRows: number[] };
/** Header and first rows per file, read once (a few KB each; files are immutable, named by hash). */
const previews = new Map<string, Promise<Preview | null>>();
const SAMPLE_ROWS = 20;

function previewOf(job: { fileHash: string; format: string; kind: ImportKind }): Promise<Preview | null> {
  const key = `${job.fileHash}|${job.kind}`;
  let preview = previews.get(key);
  if (!preview) {
    preview = (async () => {
      try {
        const table = await openTable(storedFilePath(job.fileHash), job.format as FileFormat, job.kind);
        if (!table) return null;
        const rows: RawRow[] = [];
        for await (const row of table.rows) {
          rows.push(row);
          if (rows.length >= SAMPLE_ROWS) break;
        }
        await table.rows.return(undefined);
        return { labels: table.layout.labels, rows, headerRows: table.layout.headerRows };
      } catch {
        return null;
      }
    })();
    previews.set(key, preview);
    if (previews.size > 50) previews.delete(previews.keys().next().value as string);
  }
  return preview;
}

type ColumnShape = { index: number; label: string; field: ImportField | null };
type SampleShape = { rowNumber: number; cells: string[]; values: { field: ImportField; value: string | null }[] };

const ImportColumn = builder.objectRef<ColumnShape>('ImportColumn').implement({
  description: 'A column of the file: its header text and the field it is mapped to.',
  fields: (t) => ({ index: t.exposeInt('index', { description: '0-based.' }), label: t.exposeString('label'), field: t.expose('field', { type: ImportFieldEnum, nullable: true }) }),
});
const ImportFieldValue = builder.objectRef<{ field: ImportField; value: string | null }>('ImportFieldValue').implement({
  fields: (t) => ({ field: t.expose('field', { type: ImportFieldEnum }), value: t.exposeString('value', { nullable: true }) }),
});
const ImportSampleRow = builder.objectRef<SampleShape>('ImportSampleRow').implement({
  description: 'One of the first data rows: the cells as in the file and the values as they will be stored.',
  fields: (t) => ({
    rowNumber: t.exposeInt('rowNumber'),
    cells: t.exposeStringList('cells'),
    values: t.field({ type: [ImportFieldValue], resolve: (r) => r.values }),
  }),
});
const ImportFieldInfo = builder.objectRef<{ field: ImportField; label: string; required: boolean }>('ImportFieldInfo').implement({
  fields: (t) => ({ field: t.expose('field', { type: ImportFieldEnum }), label: t.exposeString('label'), required: t.exposeBoolean('required') }),
});

const REQUIRED: Record<ImportKind, ImportField[]> = { STUDENTS: ['name', 'sex', 'birthDate'], SCHOOLS: ['npsn', 'name', 'level', 'status', 'district'] };

builder.prismaObject('ImportProblem', {
  fields: (t) => ({
    id: t.exposeID('id'),
    rowNumber: t.exposeInt('rowNumber', { description: 'Row in the file as Excel shows it; 0 for a stored student the file leaves out.' }),
    severity: t.field({ type: Severity, resolve: (p) => p.severity as 'ERROR' | 'WARNING' }),
    field: t.exposeString('field', { nullable: true }),
    code: t.exposeString('code'),
    message: t.string({
      description: "In the reader's language.",
      resolve: (p, _args, ctx) => {
        const params = (p.values ? (JSON.parse(p.values) as { params?: Record<string, string | number> }).params : null) ?? {};
        return formatMessage({ code: p.code, params: { ...params, field: p.field ? fieldLabel(p.field, ctx.locale) : '' } }, ctx.locale);
      },
    }),
    cells: t.stringList({ description: 'The row as in the file.', resolve: (p) => ((p.values ? (JSON.parse(p.values) as { cells?: unknown[] }).cells : null) ?? []).map((c) => (c == null ? '' : String(c))) }),
  }),
});

export const ImportJobRef = builder.prismaObject('ImportJob', {
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.expose('kind', { type: ImportKindEnum }),
    status: t.expose('status', { type: ImportStatusEnum }),
    phase: t.field({ type: ImportPhaseEnum, resolve: (job) => jobPhase(job) }),
    progress: t.float({ description: '0..1: bytes read while validating, rows written while committing.', resolve: (job) => jobProgress(job) }),
    fileName: t.exposeString('fileName'),
    fileHash: t.exposeString('fileHash', { description: 'SHA-256 of the uploaded bytes.' }),
    fileSize: t.exposeInt('fileSize'),
    format: t.exposeString('format'),
    schoolId: t.exposeID('schoolId', { nullable: true }),
    schoolName: t.string({
      nullable: true,
      resolve: async (job, _args, ctx) => (job.schoolId ? ((await ctx.db.school.findUnique({ where: { id: job.schoolId }, select: { name: true } }))?.name ?? null) : null),
    }),
    createdById: t.exposeID('createdById', { nullable: true }),
    createdByName: t.string({
      nullable: true,
      resolve: async (job, _args, ctx) => (job.createdById ? ((await ctx.db.user.findUnique({ where: { id: job.createdById }, select: { displayName: true } }))?.displayName ?? null) : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    totalRows: t.exposeInt('totalRows'),
    parsedRows: t.exposeInt('parsedRows'),
    validatedRows: t.exposeInt('validatedRows'),
    committedRows: t.exposeInt('committedRows', { description: 'Data rows written so far, in file order; a resume continues after them.' }),
    created: t.exposeInt('created'),
    updated: t.exposeInt('updated'),
    unchanged: t.exposeInt('unchanged'),
    rejected: t.exposeInt('rejected'),
    warnings: t.exposeInt('warnings', { description: 'Rows with warnings only (they are imported).' }),
    error: t.exposeString('error', { nullable: true }),
    fields: t.field({
      type: [ImportFieldInfo],
      description: 'The fields this kind of list can map, with their labels.',
      resolve: (job, _args, ctx) => IMPORT_FIELDS[job.kind].map((field) => ({ field, label: fieldLabel(field, ctx.locale), required: REQUIRED[job.kind].includes(field) })),
    }),
    columns: t.field({
      type: [ImportColumn],
      resolve: async (job) => {
        const preview = await previewOf(job);
        if (!preview) return [];
        const mapping = storedMapping(job) ?? {};
        const fieldAt = new Map(Object.entries(mapping).map(([f, c]) => [c as number, f as ImportField]));
        return preview.labels.map((label, index) => ({ index, label, field: fieldAt.get(index) ?? null }));
      },
    }),
    headerRows: t.intList({ resolve: async (job) => (await previewOf(job))?.headerRows ?? [] }),
    sampleRows: t.field({
      type: [ImportSampleRow],
      resolve: async (job) => {
        const preview = await previewOf(job);
        if (!preview) return [];
        const mapping = storedMapping(job) ?? {};
        return preview.rows.map((row) => {
          const parsed = (job.kind === 'STUDENTS' ? parseStudentRow(row.cells, mapping).row : parseSchoolRow(row.cells, mapping).row) as Record<string, string | null>;
          const values = Object.keys(mapping).filter((f) => f in parsed).map((f) => ({ field: f as ImportField, value: parsed[f] ?? null }));
          return { rowNumber: row.rowNumber, cells: row.cells.map(cellText), values };
        });
      },
    }),
    problems: t.relatedConnection('problems', {
      cursor: 'id',
      args: { severity: t.arg({ type: Severity }) },
      // Errors first (rows that will not be imported), then warnings; each in file order.
      query: (args) => ({ where: args.severity ? { severity: args.severity } : {}, orderBy: [{ severity: 'asc' }, { rowNumber: 'asc' }, { id: 'asc' }] }),
      totalCount: true,
    }),
  }),
});

function officeWhere(ctx: Context) {
  return ctx.officeId ? { officeId: ctx.officeId } : {};
}

async function loadJob(ctx: Context, id: string) {
  const job = await ctx.db.importJob.findFirst({ where: { id, ...officeWhere(ctx) } });
  if (!job) throw new GraphQLError(formatMessage({ code: 'NOT_FOUND', params: {} }, ctx.locale), { extensions: { code: 'NOT_FOUND' } });
  return job;
}

/** State errors become GraphQL errors with a code the PWA can show as they are. */
async function guarded<T>(ctx: Context, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ImportStateError) throw new GraphQLError(error.message, { extensions: { code: 'IMPORT_WRONG_STATE' } });
    throw error;
  }
}

builder.queryFields((t) => ({
  importJobs: t.prismaConnection({
    authScopes: { roles: ADMIN_ONLY },
    type: 'ImportJob',
    cursor: 'id',
    description: 'Import history, newest first: who, when, which file (name and SHA-256), and the counts.',
    args: { kind: t.arg({ type: ImportKindEnum }) },
    resolve: (query, _root, args, ctx) =>
      ctx.db.importJob.findMany({ ...query, where: { ...officeWhere(ctx), ...(args.kind ? { kind: args.kind } : {}) }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    totalCount: (_c, args, ctx) => ctx.db.importJob.count({ where: { ...officeWhere(ctx), ...(args.kind ? { kind: args.kind } : {}) } }),
  }),
  importJob: t.prismaField({
    authScopes: { roles: ADMIN_ONLY },
    type: 'ImportJob',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.db.importJob.findFirst({ ...query, where: { id: String(args.id), ...officeWhere(ctx) } }),
  }),
}));

const ImportMappingInput = builder.inputType('ImportMappingInput', {
  fields: (t) => ({ field: t.field({ type: ImportFieldEnum, required: true }), column: t.int({ required: true, description: '0-based column index.' }) }),
});

builder.mutationFields((t) => ({
  uploadImport: t.prismaField({
    authScopes: { roles: ADMIN_ONLY },
    type: 'ImportJob',
    description: `Uploads a Dapodik/EMIS student list or a school list (XLSX or CSV, up to ${Math.floor(MAX_IMPORT_BYTES / 1024 / 1024)} MB) and starts validating it; follow it with importProgress. A file that cannot be read gives a FAILED job saying why.`,
    args: {
      file: t.arg({ type: 'File', required: true }),
      kind: t.arg({ type: ImportKindEnum, required: true }),
      schoolId: t.arg.id({ description: 'The school of a one-school list without an NPSN column.' }),
    },
    resolve: async (_query, _root, args, ctx) => {
      const schoolId = args.schoolId ? String(args.schoolId) : null;
      if (schoolId && !(await ctx.db.school.count({ where: { id: schoolId, ...officeWhere(ctx) } }))) {
        throw new GraphQLError(formatMessage({ code: 'NOT_FOUND', params: { field: fieldLabel('schoolId', ctx.locale) } }, ctx.locale), { extensions: { code: 'NOT_FOUND' } });
      }
      let stored;
      try {
        stored = await storeUpload(args.file.stream());
      } catch (error) {
        if (error instanceof FileTooLargeError) {
          throw new GraphQLError(formatMessage({ code: 'IMPORT_FILE_TOO_LARGE', params: { max: Math.floor(MAX_IMPORT_BYTES / 1024 / 1024) } }, ctx.locale), { extensions: { code: 'FILE_TOO_LARGE' } });
        }
        throw error;
      }
      return createImportJob(ctx, { fileName: args.file.name || 'unggahan', hash: stored.hash, size: stored.size }, args.kind, schoolId);
    },
  }),
  setImportMapping: t.prismaField({
    authScopes: { roles: ADMIN_ONLY },
    type: 'ImportJob',
    description: 'Corrects which column holds which field (and, for a one-school list, the school), then validates again.',
    args: {
      jobId: t.arg.id({ required: true }),
      mapping: t.arg({ type: [ImportMappingInput], required: true }),
      schoolId: t.arg.id(),
    },
    resolve: async (_query, _root, args, ctx) => {
      await loadJob(ctx, String(args.jobId));
      const mapping: ImportMapping = {};
      for (const { field, column } of args.mapping) mapping[field] = column;
      return guarded(ctx, () => setImportMapping(ctx, String(args.jobId), mapping, args.schoolId === undefined ? undefined : args.schoolId ? String(args.schoolId) : null));
    },
  }),
  commitImport: t.prismaField({
    authScopes: { roles: ADMIN_ONLY },
    type: 'ImportJob',
    description: 'Writes a validated import (rows with errors are skipped), or resumes an interrupted one after its committed rows.',
    args: { jobId: t.arg.id({ required: true }) },
    resolve: async (_query, _root, args, ctx) => {
      await loadJob(ctx, String(args.jobId));
      return guarded(ctx, () => commitImport(ctx, String(args.jobId)));
    },
  }),
  cancelImport: t.prismaField({
    authScopes: { roles: ADMIN_ONLY },
    type: 'ImportJob',
    description: 'Drops a previewed import, or stops a running one after its current batch (it can then be resumed).',
    args: { jobId: t.arg.id({ required: true }) },
    resolve: async (_query, _root, args, ctx) => {
      await loadJob(ctx, String(args.jobId));
      return guarded(ctx, () => cancelImport(ctx, String(args.jobId)));
    },
  }),
}));

builder.subscriptionFields((t) => ({
  importProgress: t.field({
    authScopes: { roles: ADMIN_ONLY },
    type: ImportJobRef,
    description: 'The job after every step of its progress (rows parsed, validated, written), until it stops running. Polls the database every second as well, so a job running on another instance is followed too.',
    args: { jobId: t.arg.id({ required: true }) },
    subscribe: async function* (_root, args, ctx) {
      const jobId = String(args.jobId);
      let job = await loadJob(ctx, jobId);
      let wake: (() => void) | null = null;
      const unsubscribe = onImportProgress(jobId, () => wake?.());
      // Open while the job runs or waits for the officer (READY, NEEDS_MAPPING); closed once it has ended.
      const TERMINAL = ['DONE', 'FAILED', 'CANCELLED', 'INTERRUPTED'];
      // The phase a job was sent with: a job read while its work was still ending here went out as
      // WRITING though its row already said DONE, and must go out again once the work has ended.
      let sentPhase = jobPhase(job);
      try {
        yield job;
        for (;;) {
          if (!activeImport(jobId)) {
            // Work just ended in this process (or runs elsewhere): read the final state before deciding.
            const fresh = await loadJob(ctx, jobId);
            if (fresh.updatedAt.getTime() !== job.updatedAt.getTime() || fresh.status !== job.status || jobPhase(fresh) !== sentPhase) {
              sentPhase = jobPhase(fresh);
              yield (job = fresh);
            }
            if (TERMINAL.includes(jobPhase(job))) return;
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, 1000).unref();
          });
          wake = null;
          job = await loadJob(ctx, jobId);
          sentPhase = jobPhase(job);
          yield job;
        }
      } finally {
        unsubscribe();
      }
    },
    resolve: (job) => job,
  }),
}));
