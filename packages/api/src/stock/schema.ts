// Blank e-KTP card stock: the ledger of movements (received, used, spoiled, corrected). The
// balance and runway show in the tallies; a movement pushes new numbers to the dashboards.
import { movementsBelowZero, STOCK_MOVEMENT_KINDS, validateStockMovement } from '@jemput/core';
import { builder } from '../schema/builder.ts';
import { registerEditableEntity } from '../common/editing-schema.ts';
import { WRITE } from '../auth/rules.ts';
import { scoped } from '../auth/scope.ts';
import { RefusedWrite, type Candidate, type EditableSpec } from '../common/editing.ts';
import type { Db } from '../db/client.ts';
import { blankBalance, lockOfficeStock } from './blanks.ts';
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
  // The ledger is the history of the cards: a row is never changed or removed, and no movement
  // may take away cards the office does not have (the balance never goes below zero).
  appendOnly: true,
  async checkAgainstDb(candidates, ctx) {
    for (const c of candidates) {
      if (c.existing) c.issues.push({ field: 'kind', code: 'STOCK_LEDGER_APPEND_ONLY', severity: 'error' });
      else if (!ctx.officeId) c.issues.push({ field: 'officeId', code: 'REQUIRED', severity: 'error' });
    }
    const adding = candidates.filter((c) => !c.existing && !c.issues.length);
    if (ctx.officeId && adding.length) refuseBelowZero(adding, await blankBalance(ctx.db, ctx.officeId));
  },
  // Checked again under the office's stock lock: two spoils racing for the last cards can't both pass.
  async afterWrite(tx, writes, ctx) {
    const added = writes.map((w) => w.after).filter((row) => row !== null);
    if (!ctx.officeId || !added.length) return;
    await lockOfficeStock(tx as Db, ctx.officeId);
    const balance = await blankBalance(tx as Db, ctx.officeId);
    if (balance < 0) {
      const last = added[added.length - 1]!;
      throw new RefusedWrite({ field: 'quantity', code: 'STOCK_BELOW_ZERO', severity: 'error', params: { balance: balance + Math.abs(last.quantity as number), quantity: Math.abs(last.quantity as number) } });
    }
  },
  derived: (_row, ctx, mode) => (mode === 'create' ? { officeId: ctx.officeId, createdById: ctx.userId } : {}),
  committed(writes, ctx) {
    ctx.feed.touch({ officeIds: writes.map((w) => (w.after ?? w.before)?.officeId as string).filter(Boolean) });
  },
};

function refuseBelowZero(adding: Candidate[], balance: number): void {
  const moves = adding.map((c) => ({ kind: String(c.merged.kind), quantity: Number(c.merged.quantity), candidate: c }));
  for (const { movement, balance: left } of movementsBelowZero(balance, moves)) {
    movement.candidate.issues.push({ field: 'quantity', code: 'STOCK_BELOW_ZERO', severity: 'error', params: { balance: left, quantity: Math.abs(movement.quantity) } });
  }
}

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
