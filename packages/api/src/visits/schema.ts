// Visits: a team with its recording kits at a school on a day of a drive.
import { validateVisit, VISIT_STATUSES } from '@jemput/core';
import { builder, type Context } from '../schema/builder.ts';
import { registerEditableEntity } from '../common/editing-schema.ts';
import { WRITE } from '../auth/rules.ts';
import { scoped } from '../auth/scope.ts';
import type { EditableSpec } from '../common/editing.ts';
import { compactWhere, DateFilter, IdFilter, IntFilter, normalizedTextWhere, orderByFor, rangeWhere, sortInput, stringWhere, StringFilter, enumWhere, enumFilterInput, idWhere } from '../common/filters.ts';
import { checkReferences, cleanPatch } from '../common/normalize.ts';
import { auditGridExport, EXPORT_ARG_DESCRIPTION } from '../common/grid-export.ts';
import { gridPage } from '../common/keyset.ts';

export const VisitStatusEnum = builder.enumType('VisitStatus', { values: VISIT_STATUSES });

builder.prismaObject('Visit', {
  fields: (t) => ({
    id: t.exposeID('id'),
    driveId: t.exposeID('driveId'),
    drive: t.relation('drive'),
    schoolId: t.exposeID('schoolId'),
    school: t.relation('school'),
    date: t.expose('date', { type: 'Date' }),
    startTime: t.exposeString('startTime', { nullable: true }),
    endTime: t.exposeString('endTime', { nullable: true }),
    kits: t.exposeInt('kits'),
    team: t.exposeString('team', { nullable: true }),
    status: t.expose('status', { type: VisitStatusEnum }),
    notes: t.exposeString('notes', { nullable: true }),
    version: t.exposeInt('version'),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    outcomeCount: t.relationCount('outcomes'),
  }),
});

const VisitStatusFilter = enumFilterInput('VisitStatusFilter', VisitStatusEnum);

const VisitFilter = builder.inputType('VisitFilter', {
  fields: (t) => ({
    id: t.field({ type: IdFilter }),
    driveId: t.field({ type: IdFilter }),
    schoolId: t.field({ type: IdFilter }),
    date: t.field({ type: DateFilter }),
    status: t.field({ type: VisitStatusFilter }),
    team: t.field({ type: StringFilter }),
    districtCode: t.field({ type: StringFilter, description: "District of the visited school." }),
    schoolName: t.field({ type: StringFilter, description: 'Name of the visited school.' }),
    kits: t.field({ type: IntFilter }),
    startTime: t.field({ type: StringFilter }),
    endTime: t.field({ type: StringFilter }),
    notes: t.field({ type: StringFilter }),
  }),
});

const VisitSort = sortInput('VisitSort', ['DATE', 'SCHOOL_NAME', 'STATUS', 'TEAM', 'KITS', 'START_TIME', 'END_TIME'] as const);

function visitWhere(filter: typeof VisitFilter.$inferInput | null | undefined, ctx: Context) {
  const f = filter ?? {};
  return compactWhere({
    id: idWhere(f.id),
    driveId: idWhere(f.driveId),
    schoolId: idWhere(f.schoolId),
    date: rangeWhere(f.date),
    status: enumWhere(f.status),
    team: stringWhere(f.team, ctx),
    kits: rangeWhere(f.kits),
    startTime: stringWhere(f.startTime, ctx),
    endTime: stringWhere(f.endTime, ctx),
    notes: stringWhere(f.notes, ctx),
    school: f.districtCode || f.schoolName ? compactWhere({ districtCode: stringWhere(f.districtCode, ctx), nameSearch: normalizedTextWhere(f.schoolName) }) : undefined,
  });
}

const ORDER = {
  DATE: (d: 'asc' | 'desc') => [{ date: d }, { startTime: d }],
  SCHOOL_NAME: (d: 'asc' | 'desc') => ({ school: { nameSearch: d } }),
  STATUS: (d: 'asc' | 'desc') => ({ status: d }),
  TEAM: (d: 'asc' | 'desc') => ({ team: d }),
  KITS: (d: 'asc' | 'desc') => ({ kits: d }),
  START_TIME: (d: 'asc' | 'desc') => ({ startTime: d }),
  END_TIME: (d: 'asc' | 'desc') => ({ endTime: d }),
};

builder.queryFields((t) => ({
  visits: t.prismaConnection({
    type: 'Visit',
    cursor: 'id',
    args: {
      filter: t.arg({ type: VisitFilter }),
      sort: t.arg({ type: [VisitSort] }),
      offset: t.arg.int({ description: 'Rows to skip first (after `after`, if given): lets an infinite-scroll grid jump to any position.' }),
      export: t.arg.boolean({ description: EXPORT_ARG_DESCRIPTION }),
    },
    resolve: async (query, _root, args, ctx) => {
      const where = scoped('Visit', ctx, visitWhere(args.filter, ctx));
      const orderBy = orderByFor(args.sort, ORDER, [{ date: 'asc' }, { startTime: 'asc' }]).flat();
      const page = await ctx.db.visit.findMany(
        await gridPage('Visit', query, { where, orderBy, offset: args.offset }, ctx.provider, (id, select) => ctx.db.visit.findUnique({ where: { id }, select })),
      );
      await auditGridExport(ctx, 'Visit', args, () => ctx.db.visit.count({ where }));
      return page;
    },
    totalCount: (_c, args, ctx) => ctx.db.visit.count({ where: scoped('Visit', ctx, visitWhere(args.filter, ctx)) }),
  }),
  visit: t.prismaField({
    type: 'Visit',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.db.visit.findFirst({ ...query, where: scoped('Visit', ctx, { id: String(args.id) }) }),
  }),
}));

export const visitSpec: EditableSpec = {
  entity: 'Visit',
  delegate: (db) => db.visit,
  fields: ['driveId', 'schoolId', 'date', 'startTime', 'endTime', 'kits', 'team', 'status', 'notes'],
  normalize: (patch) => cleanPatch(patch, { kits: (v) => v }),
  validate: (row, mode) => {
    const issues = validateVisit(row, mode);
    for (const field of ['driveId', 'schoolId'])
      if ((mode === 'create' && row[field] == null) || row[field] === null) issues.push({ field, code: 'REQUIRED', severity: 'error' });
    return issues;
  },
  async checkAgainstDb(candidates, ctx) {
    await checkReferences(candidates, 'driveId', (ids) => ctx.db.drive.findMany({ where: { id: { in: ids } }, select: { id: true } }));
    await checkReferences(candidates, 'schoolId', (ids) => ctx.db.school.findMany({ where: { id: { in: ids } }, select: { id: true } }));
  },
  committed(writes, ctx) {
    const rows = writes.flatMap((w) => [w.before, w.after]).filter((r) => r !== null);
    ctx.feed.touch({ schoolIds: rows.map((r) => r.schoolId as string), driveIds: rows.map((r) => r.driveId as string) });
  },
};

registerEditableEntity({
  name: 'Visit',
  roles: WRITE.visit,
  plural: 'Visits',
  ref: 'Visit',
  spec: visitSpec,
  inputFields: (t) => ({
    driveId: t.id(),
    schoolId: t.id(),
    date: t.field({ type: 'Date' }),
    startTime: t.string({ description: 'HH:MM' }),
    endTime: t.string({ description: 'HH:MM' }),
    kits: t.int(),
    team: t.string(),
    status: t.field({ type: VisitStatusEnum }),
    notes: t.string(),
  }),
});
