// Blank e-KTP card stock: the ledger of movements (received, used, spoiled, corrected). The
// balance and runway show in the tallies; a movement pushes new numbers to the dashboards.
import { STOCK_MOVEMENT_KINDS, validateStockMovement } from '@jemput/core';
import { builder } from '../schema/builder.ts';
import { registerEditableEntity } from '../common/editing-schema.ts';
import { WRITE } from '../auth/rules.ts';
import { scoped } from '../auth/scope.ts';
import type { EditableSpec } from '../common/editing.ts';
import { cleanPatch } from '../common/normalize.ts';

export const StockMovementKindEnum = builder.enumType('StockMovementKind', { values: STOCK_MOVEMENT_KINDS });

builder.prismaObject('BlankStockMovement', {
  name: 'StockMovement',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.expose('kind', { type: StockMovementKindEnum }),
    quantity: t.exposeInt('quantity', { description: 'Cards; a CORRECTION is signed.' }),
    date: t.expose('date', { type: 'Date' }),
    notes: t.exposeString('notes', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  stockMovements: t.prismaConnection({
    type: 'BlankStockMovement',
    cursor: 'id',
    resolve: (query, _root, _args, ctx) =>
      ctx.db.blankStockMovement.findMany({ ...query, where: scoped('StockMovement', ctx), orderBy: [{ date: 'desc' }, { createdAt: 'desc' }, { id: 'asc' }] }),
    totalCount: (_c, _args, ctx) => ctx.db.blankStockMovement.count({ where: scoped('StockMovement', ctx) }),
  }),
}));

export const stockMovementSpec: EditableSpec = {
  entity: 'StockMovement',
  model: 'BlankStockMovement',
  delegate: (db) => db.blankStockMovement,
  fields: ['kind', 'quantity', 'date', 'notes'],
  normalize: (patch) => cleanPatch(patch, { quantity: (v) => v }),
  validate: (row, mode, ctx) => validateStockMovement(row, mode, { today: ctx.today }),
  async checkAgainstDb(candidates, ctx) {
    if (!ctx.officeId) for (const c of candidates) if (!c.existing) c.issues.push({ field: 'officeId', code: 'REQUIRED', severity: 'error' });
  },
  derived: (_row, ctx, mode) => (mode === 'create' ? { officeId: ctx.officeId, createdById: ctx.userId } : {}),
  committed(writes, ctx) {
    ctx.feed.touch({ officeIds: writes.map((w) => (w.after ?? w.before)?.officeId as string).filter(Boolean) });
  },
};

registerEditableEntity({
  name: 'StockMovement',
  roles: WRITE.stockMovement,
  plural: 'StockMovements',
  ref: 'StockMovement',
  spec: stockMovementSpec,
  inputFields: (t) => ({
    kind: t.field({ type: StockMovementKindEnum }),
    quantity: t.int(),
    date: t.field({ type: 'Date' }),
    notes: t.string(),
  }),
});

// The ledger, balance, alerts and threshold (after the types above are registered).
import './ledger.ts';
