// Drives: one recording campaign per election, with its own election date.
import { validateDrive } from '@jemput/core';
import { builder, type Context } from '../schema/builder.ts';
import { compactWhere, DateFilter, IdFilter, idWhere, orderByFor, rangeWhere, sortInput, stringWhere, StringFilter } from '../common/filters.ts';
import { registerEditableEntity } from '../common/editing-schema.ts';
import { WRITE } from '../auth/rules.ts';
import { scoped } from '../auth/scope.ts';
import type { EditableSpec } from '../common/editing.ts';
import { cleanPatch } from '../common/normalize.ts';
import { rebuildDriveTallies } from '../tallies/maintain.ts';
import { auditGridExport, EXPORT_ARG_DESCRIPTION } from '../common/grid-export.ts';

builder.prismaObject('Drive', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    electionDate: t.expose('electionDate', { type: 'Date' }),
    startDate: t.expose('startDate', { type: 'Date' }),
    endDate: t.expose('endDate', { type: 'Date' }),
    notes: t.exposeString('notes', { nullable: true }),
    version: t.exposeInt('version'),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    visitCount: t.relationCount('visits'),
  }),
});

const DriveFilter = builder.inputType('DriveFilter', {
  fields: (t) => ({
    id: t.field({ type: IdFilter }),
    name: t.field({ type: StringFilter }),
    electionDate: t.field({ type: DateFilter }),
    startDate: t.field({ type: DateFilter }),
    endDate: t.field({ type: DateFilter }),
    notes: t.field({ type: StringFilter }),
  }),
});

const DriveSort = sortInput('DriveSort', ['NAME', 'ELECTION_DATE', 'START_DATE', 'END_DATE', 'UPDATED_AT'] as const);

const DRIVE_ORDER = {
  NAME: (d: 'asc' | 'desc') => ({ name: d }),
  ELECTION_DATE: (d: 'asc' | 'desc') => ({ electionDate: d }),
  START_DATE: (d: 'asc' | 'desc') => ({ startDate: d }),
  END_DATE: (d: 'asc' | 'desc') => ({ endDate: d }),
  UPDATED_AT: (d: 'asc' | 'desc') => ({ updatedAt: d }),
};

function driveWhere(filter: typeof DriveFilter.$inferInput | null | undefined, ctx: Context) {
  const f = filter ?? {};
  return compactWhere({
    id: idWhere(f.id),
    name: stringWhere(f.name, ctx),
    electionDate: rangeWhere(f.electionDate),
    startDate: rangeWhere(f.startDate),
    endDate: rangeWhere(f.endDate),
    notes: stringWhere(f.notes, ctx),
  });
}

builder.queryFields((t) => ({
  drives: t.prismaConnection({
    type: 'Drive',
    cursor: 'id',
    args: {
      filter: t.arg({ type: DriveFilter }),
      sort: t.arg({ type: [DriveSort] }),
      offset: t.arg.int({ description: 'Rows to skip first (after `after`, if given): lets an infinite-scroll grid jump to any position.' }),
      export: t.arg.boolean({ description: EXPORT_ARG_DESCRIPTION }),
    },
    resolve: async (query, _root, args, ctx) => {
      const where = scoped('Drive', ctx, driveWhere(args.filter, ctx));
      const page = await ctx.db.drive.findMany({
        ...query,
        skip: ((query as { skip?: number }).skip ?? 0) + Math.max(0, args.offset ?? 0),
        where,
        orderBy: orderByFor(args.sort, DRIVE_ORDER, [{ electionDate: 'desc' }]) as never,
      });
      await auditGridExport(ctx, 'Drive', args, () => ctx.db.drive.count({ where }));
      return page;
    },
    totalCount: (_c, args, ctx) => ctx.db.drive.count({ where: scoped('Drive', ctx, driveWhere(args.filter, ctx)) }),
  }),
  drive: t.prismaField({
    type: 'Drive',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.db.drive.findFirst({ ...query, where: scoped('Drive', ctx, { id: String(args.id) }) }),
  }),
}));

export const driveSpec: EditableSpec = {
  entity: 'Drive',
  delegate: (db) => db.drive,
  fields: ['name', 'electionDate', 'startDate', 'endDate', 'notes'],
  normalize: (patch) => cleanPatch(patch, {}),
  validate: (row, mode) => validateDrive(row, mode),
  async checkAgainstDb(candidates, ctx) {
    if (!ctx.officeId) for (const c of candidates) if (!c.existing) c.issues.push({ field: 'officeId', code: 'REQUIRED', severity: 'error' });
  },
  derived: (_row, ctx, mode) => (mode === 'create' ? { officeId: ctx.officeId } : {}),
  // A new drive, or new dates, changes who is eligible: count the drive again from its rows.
  async committed(writes, ctx) {
    for (const { before, after } of writes) {
      if (!after) continue;
      if (!before || before.electionDate !== after.electionDate || before.startDate !== after.startDate) await rebuildDriveTallies(ctx.db, after.id);
      ctx.feed.touch({ driveIds: [after.id] });
    }
  },
};

registerEditableEntity({
  name: 'Drive',
  roles: WRITE.drive,
  plural: 'Drives',
  ref: 'Drive',
  spec: driveSpec,
  inputFields: (t) => ({
    name: t.string(),
    electionDate: t.field({ type: 'Date' }),
    startDate: t.field({ type: 'Date' }),
    endDate: t.field({ type: 'Date' }),
    notes: t.string(),
  }),
});
