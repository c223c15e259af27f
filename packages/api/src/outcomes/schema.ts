// Outcomes: what became of each student in a drive (recorded, absent, printed, IKD...).
// The allowed changes are core's rules; every change is also kept in OutcomeChange.
import { checkOutcomeChange, eligibility, OUTCOME_STATUSES, type OutcomeState, type OutcomeStatus, type FieldIssue } from '@jemput/core';
import { builder, type Context } from '../schema/builder.ts';
import { registerEditableEntity } from '../common/editing-schema.ts';
import { WRITE } from '../auth/rules.ts';
import { scoped } from '../auth/scope.ts';
import type { Candidate, EditableSpec, Row } from '../common/editing.ts';
import { compactWhere, enumFilterInput, enumWhere, IdFilter, idWhere, orderByFor, sortInput } from '../common/filters.ts';
import { cleanPatch } from '../common/normalize.ts';
import { insertMany, sortableId } from '../common/bulk.ts';
import type { Db } from '../db/client.ts';
import { outcomeWritesDelta } from '../tallies/maintain.ts';
import { refusePrintsWithoutStock, useBlanksForPrints } from '../stock/blanks.ts';

export const OutcomeStatusEnum = builder.enumType('OutcomeStatus', {
  values: OUTCOME_STATUSES,
  description: 'What a visit found: recorded now, already recorded elsewhere, absent, refused, biometric/technical failure, not eligible.',
});

export const OutcomeRef = builder.prismaObject('Outcome', {
  fields: (t) => ({
    id: t.exposeID('id'),
    driveId: t.exposeID('driveId'),
    studentId: t.exposeID('studentId'),
    student: t.relation('student'),
    visitId: t.exposeID('visitId', { nullable: true }),
    visit: t.relation('visit', { nullable: true }),
    status: t.expose('status', { type: OutcomeStatusEnum }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime', nullable: true }),
    printedAt: t.expose('printedAt', { type: 'DateTime', nullable: true }),
    ikdActivatedAt: t.expose('ikdActivatedAt', { type: 'DateTime', nullable: true }),
    notes: t.exposeString('notes', { nullable: true }),
    version: t.exposeInt('version'),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    history: t.relation('changes', { query: { orderBy: { at: 'asc' } } }),
  }),
});

builder.prismaObject('OutcomeChange', {
  fields: (t) => ({
    id: t.exposeID('id'),
    fromStatus: t.expose('fromStatus', { type: OutcomeStatusEnum, nullable: true }),
    toStatus: t.expose('toStatus', { type: OutcomeStatusEnum }),
    printed: t.exposeBoolean('printed'),
    ikdActivated: t.exposeBoolean('ikdActivated'),
    visitId: t.exposeID('visitId', { nullable: true }),
    byUserId: t.exposeID('byUserId', { nullable: true }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

const OutcomeStatusFilter = enumFilterInput('OutcomeStatusFilter', OutcomeStatusEnum);

const OutcomeFilter = builder.inputType('OutcomeFilter', {
  fields: (t) => ({
    id: t.field({ type: IdFilter, description: 'E.g. the ids a rowChanges event named.' }),
    driveId: t.field({ type: IdFilter }),
    visitId: t.field({ type: IdFilter }),
    studentId: t.field({ type: IdFilter }),
    schoolId: t.field({ type: IdFilter }),
    status: t.field({ type: OutcomeStatusFilter }),
    printed: t.boolean(),
    ikdActivated: t.boolean(),
  }),
});

const OutcomeSort = sortInput('OutcomeSort', ['UPDATED_AT', 'STUDENT_NAME', 'STATUS', 'RECORDED_AT'] as const);

function outcomeWhere(filter: typeof OutcomeFilter.$inferInput | null | undefined) {
  const f = filter ?? {};
  return compactWhere({
    id: idWhere(f.id),
    driveId: idWhere(f.driveId),
    visitId: idWhere(f.visitId),
    studentId: idWhere(f.studentId),
    student: f.schoolId ? { schoolId: idWhere(f.schoolId) } : undefined,
    status: enumWhere(f.status),
    printedAt: f.printed == null ? undefined : f.printed ? { not: null } : null,
    ikdActivatedAt: f.ikdActivated == null ? undefined : f.ikdActivated ? { not: null } : null,
  });
}

const ORDER = {
  UPDATED_AT: (d: 'asc' | 'desc') => ({ updatedAt: d }),
  STUDENT_NAME: (d: 'asc' | 'desc') => ({ student: { nameSearch: d } }),
  STATUS: (d: 'asc' | 'desc') => ({ status: d }),
  RECORDED_AT: (d: 'asc' | 'desc') => ({ recordedAt: d }),
};

builder.queryFields((t) => ({
  outcomes: t.prismaConnection({
    type: 'Outcome',
    cursor: 'id',
    args: { filter: t.arg({ type: OutcomeFilter }), sort: t.arg({ type: [OutcomeSort] }) },
    resolve: (query, _root, args, ctx) =>
      ctx.db.outcome.findMany({ ...query, where: scoped('Outcome', ctx, outcomeWhere(args.filter)), orderBy: orderByFor(args.sort, ORDER, [{ updatedAt: 'desc' }]) as never }),
    totalCount: (_c, args, ctx) => ctx.db.outcome.count({ where: scoped('Outcome', ctx, outcomeWhere(args.filter)) }),
  }),
}));

const state = (row: Record<string, unknown> | null): OutcomeState => ({
  status: (row?.status as OutcomeStatus | undefined) ?? null,
  printedAt: row?.printedAt ? new Date(row.printedAt as Date).toISOString() : null,
  ikdActivatedAt: row?.ikdActivatedAt ? new Date(row.ikdActivatedAt as Date).toISOString() : null,
});

/** Applies core's outcome rules with each student's age on the drive's election date, loading students and drives once per batch. */
async function checkTransitions(candidates: Candidate[], ctx: Context): Promise<void> {
  const ids = (field: string, of = candidates) => [...new Set(of.map((c) => c.merged[field]).filter((v): v is string => typeof v === 'string'))];
  // A stored outcome keeps its (drive, student) pair unless the patch moves it; (driveId, studentId)
  // is unique, so only new rows and moved ones can collide with another outcome.
  const claiming = candidates.filter((c) => !c.existing || 'studentId' in c.patch || 'driveId' in c.patch);
  const [students, drives, taken] = await Promise.all([
    ctx.db.student.findMany({ where: { id: { in: ids('studentId') } }, select: { id: true, birthDate: true, married: true } }),
    ctx.db.drive.findMany({ where: { id: { in: ids('driveId') } }, select: { id: true, electionDate: true } }),
    claiming.length
      ? ctx.db.outcome.findMany({
          where: { studentId: { in: ids('studentId', claiming) }, driveId: { in: ids('driveId', claiming) } },
          select: { id: true, studentId: true, driveId: true },
        })
      : [],
  ]);
  const studentById = new Map(students.map((s) => [s.id, s]));
  const driveById = new Map(drives.map((d) => [d.id, d]));
  const takenPairs = new Map(taken.map((o) => [`${o.driveId}|${o.studentId}`, o.id]));
  const seenInBatch = new Set<string>();
  for (const c of candidates) {
    const student = studentById.get(c.merged.studentId as string);
    const drive = driveById.get(c.merged.driveId as string);
    if (!student || !drive) continue; // reported by authorizeRows
    const pair = `${drive.id}|${student.id}`;
    const owner = takenPairs.get(pair);
    if ((owner && owner !== c.id) || seenInBatch.has(pair)) {
      c.issues.push({ field: 'studentId', code: 'DUPLICATE', severity: 'error', params: { value: student.id } });
      continue;
    }
    const elig = eligibility(student, drive.electionDate, ctx.today);
    const issues = checkOutcomeChange(state(c.existing), state(c.merged), elig);
    const field = (code: string): string => (code.includes('PRINT') ? 'printedAt' : code.includes('IKD') ? 'ikdActivatedAt' : 'status');
    c.issues.push(...issues.map((i): FieldIssue => ({ field: field(i.code), code: i.code, severity: i.severity, ...(i.params ? { params: i.params } : {}) })));
    // Only a row that will be written claims the student for this drive.
    if (!issues.some((i) => i.severity === 'error')) seenInBatch.add(pair);
  }
}

const OUTCOME_CHANGE_COLUMNS = ['id', 'outcomeId', 'fromStatus', 'toStatus', 'printed', 'ikdActivated', 'visitId'] as const;

export const outcomeSpec: EditableSpec = {
  entity: 'Outcome',
  delegate: (db) => db.outcome,
  fields: ['driveId', 'studentId', 'visitId', 'status', 'recordedAt', 'printedAt', 'ikdActivatedAt', 'notes'],
  normalize: (patch) => cleanPatch(patch, { recordedAt: (v) => v, printedAt: (v) => v, ikdActivatedAt: (v) => v }),
  validate: (row, mode) => {
    const issues: FieldIssue[] = [];
    for (const field of ['driveId', 'studentId', 'status'])
      if ((mode === 'create' && row[field] == null) || row[field] === null) issues.push({ field, code: 'REQUIRED', severity: 'error' });
    return issues;
  },
  async checkAgainstDb(candidates, ctx) {
    // studentId, driveId and visitId were checked by authorizeRows (rows in the caller's scope exist).
    await checkTransitions(candidates.filter((c) => !c.issues.some((i) => i.severity === 'error')), ctx);
    const printing = candidates.filter((c) => !c.issues.some((i) => i.severity === 'error') && c.merged.printedAt != null && !c.existing?.printedAt);
    if (printing.length) {
      const drives = await ctx.db.drive.findMany({ where: { id: { in: [...new Set(printing.map((c) => c.merged.driveId as string))] } }, select: { id: true, officeId: true } });
      await refusePrintsWithoutStock(ctx.db, printing, new Map(drives.map((d) => [d.id, d.officeId])));
    }
  },
  derived: (row, ctx) => ({
    // A recording without a time gets the time it reached the server.
    ...((row.status === 'RECORDED' || row.status === 'ALREADY_RECORDED') && row.recordedAt == null ? { recordedAt: new Date() } : {}),
    updatedById: ctx.userId,
  }),
  async afterWrite(tx: Db, writes, ctx: Context) {
    // First, so that a print refused for want of blanks rolls back before anything else is written.
    await useBlanksForPrints(tx, writes, ctx.userId);
    await (await outcomeWritesDelta(tx, writes, ctx.provider)).settle(tx);
    const kept = writes.filter((w): w is { before: Row | null; after: Row } => w.after !== null);
    // One set-based INSERT (common/bulk.ts): Prisma's createMany costs more than the one row an edit logs.
    await insertMany(
      tx,
      ctx.provider,
      'OutcomeChange',
      OUTCOME_CHANGE_COLUMNS,
      kept.map(({ before, after }) => [
        sortableId(),
        after.id,
        (before?.status as OutcomeStatus | undefined) ?? null,
        after.status as OutcomeStatus,
        !before?.printedAt && !!after.printedAt,
        !before?.ikdActivatedAt && !!after.ikdActivatedAt,
        (after.visitId as string | null) ?? null,
      ]),
      { byUserId: ctx.userId, at: new Date() },
    );
  },
  committed(writes, ctx) {
    const rows = writes.flatMap((w) => [w.before, w.after]).filter((r) => r !== null);
    ctx.feed.touch({ studentIds: rows.map((r) => r.studentId as string), visitIds: rows.map((r) => r.visitId as string).filter(Boolean) });
  },
};

registerEditableEntity({
  name: 'Outcome',
  roles: WRITE.outcome,
  plural: 'Outcomes',
  ref: 'Outcome',
  spec: outcomeSpec,
  inputFields: (t) => ({
    driveId: t.id(),
    studentId: t.id(),
    visitId: t.id(),
    status: t.field({ type: OutcomeStatusEnum }),
    recordedAt: t.field({ type: 'DateTime' }),
    printedAt: t.field({ type: 'DateTime', description: 'When the card was printed; once set it cannot be cleared.' }),
    ikdActivatedAt: t.field({ type: 'DateTime' }),
    notes: t.string(),
  }),
});
