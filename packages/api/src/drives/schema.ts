// Drives: one recording campaign per election, with its own election date.
import { validateDrive } from '@jemput/core';
import { builder } from '../schema/builder.ts';
import { registerEditableEntity } from '../common/editing-schema.ts';
import { WRITE } from '../auth/rules.ts';
import { scoped } from '../auth/scope.ts';
import type { EditableSpec } from '../common/editing.ts';
import { cleanPatch } from '../common/normalize.ts';
import { rebuildDriveTallies } from '../tallies/maintain.ts';

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

builder.queryFields((t) => ({
  drives: t.prismaConnection({
    type: 'Drive',
    cursor: 'id',
    resolve: (query, _root, _args, ctx) => ctx.db.drive.findMany({ ...query, where: scoped('Drive', ctx), orderBy: [{ electionDate: 'desc' }, { id: 'asc' }] }),
    totalCount: (_c, _args, ctx) => ctx.db.drive.count({ where: scoped('Drive', ctx) }),
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
