import { describe, expect, it } from 'vitest';
import { validateStudent } from '@jemput/core';
import type { GridColumn } from './columns.ts';
import { checkPlan, planClear, planFillDown, planPaste, planTyped, type PlanContext, type RowRef } from './plan.ts';
import { parseTsv } from './tsv.ts';

const columns: GridColumn[] = [
  { field: 'name', kind: 'text', editable: true },
  { field: 'nik', kind: 'identifier', editable: true },
  { field: 'sex', kind: 'sex', editable: true },
  { field: 'birthDate', kind: 'date', editable: true },
  { field: 'married', kind: 'boolean', editable: true },
  { field: 'school', kind: 'text', editable: false },
  { field: 'className', kind: 'text', editable: true },
];

function context(rows: RowRef[], loaded = rows.length): PlanContext & { created: number } {
  const ctx = {
    created: 0,
    columns,
    rowCount: rows.length,
    rowAt: (i: number) => (i < loaded ? rows[i] : undefined),
    newRow: () => ({ id: `new-${++ctx.created}`, defaults: { schoolId: 'sch_1' } }),
  };
  return ctx;
}

const student = (i: number, extra: Record<string, unknown> = {}): RowRef => ({
  id: `s${i}`,
  version: i,
  data: { name: `Siswa ${i}`, nik: null, sex: 'L', birthDate: '2007-05-01', married: false, className: 'XII IPA 1', schoolId: 'sch_1', ...extra },
});

const rows = [student(0), student(1), student(2)];

describe('planPaste', () => {
  it('puts a block at the focused cell: one patch per row, values parsed per column', () => {
    const plan = planPaste(parseTsv('Ani\t\tP\t21/03/2007\r\nBudi\t\tl\t2007-01-02\r\n'), { top: 1, left: 0, bottom: 1, right: 0 }, context(rows));
    expect(plan.rect).toEqual({ top: 1, left: 0, bottom: 2, right: 3 });
    expect(plan.problems).toEqual([]);
    expect(plan.rows).toEqual([
      { rowIndex: 1, id: 's1', version: 1, patch: { name: 'Ani', sex: 'P', birthDate: '2007-03-21' }, before: { name: 'Siswa 1', sex: 'L', birthDate: '2007-05-01' } },
      { rowIndex: 2, id: 's2', version: 2, patch: { name: 'Budi', birthDate: '2007-01-02' }, before: { name: 'Siswa 2', birthDate: '2007-05-01' } },
    ]);
  });

  it('makes new rows for the part of the block past the last row, with a client id and the defaults', () => {
    const ctx = context(rows);
    const plan = planPaste(parseTsv('A\nB\nC\n'), { top: 2, left: 0, bottom: 2, right: 0 }, ctx);
    expect(plan.rows.map((r) => [r.id, r.version, r.patch])).toEqual([
      ['s2', 2, { name: 'A' }],
      ['new-1', null, { schoolId: 'sch_1', name: 'B' }],
      ['new-2', null, { schoolId: 'sch_1', name: 'C' }],
    ]);
  });

  it('skips values landing on non-editable columns and past the last column', () => {
    const plan = planPaste([['SMAN 9', 'XII IPS 2', 'extra', 'more']], { top: 0, left: 5, bottom: 0, right: 5 }, context(rows));
    expect(plan.skippedFields).toEqual(['school']);
    expect(plan.rows).toEqual([{ rowIndex: 0, id: 's0', version: 0, patch: { className: 'XII IPS 2' }, before: { className: 'XII IPA 1' } }]);
    expect(plan.rect).toEqual({ top: 0, left: 5, bottom: 0, right: 6 });
  });

  it('marks text that cannot be read and leaves it out of the patch', () => {
    const plan = planPaste([['Ani', '', 'X', '31/02/2007']], { top: 0, left: 0, bottom: 0, right: 0 }, context(rows));
    expect(plan.rows[0]!.patch).toEqual({ name: 'Ani' });
    expect(plan.problems).toEqual([
      { rowId: 's0', rowIndex: 0, field: 'sex', code: 'INVALID_ENUM', severity: 'error', raw: 'X' },
      { rowId: 's0', rowIndex: 0, field: 'birthDate', code: 'INVALID_DATE', severity: 'error', raw: '31/02/2007' },
    ]);
  });

  it('a single copied cell fills the whole selection', () => {
    const plan = planPaste([['XI']], { top: 0, left: 6, bottom: 2, right: 6 }, context(rows));
    expect(plan.rows.map((r) => r.patch)).toEqual([{ className: 'XI' }, { className: 'XI' }, { className: 'XI' }]);
  });

  it('leaves out unchanged cells and blank block lines past the end', () => {
    const plan = planPaste(parseTsv('Siswa 0\nSiswa 1\n\t\n'), { top: 0, left: 0, bottom: 0, right: 0 }, context([student(0), student(1)]));
    expect(plan.rows).toEqual([]);
  });

  it('counts rows that are not loaded instead of guessing them', () => {
    const plan = planPaste([['a'], ['b'], ['c']], { top: 0, left: 0, bottom: 0, right: 0 }, context(rows, 1));
    expect(plan.rows).toHaveLength(1);
    expect(plan.missingRows).toBe(2);
  });
});

describe('planFillDown and planClear', () => {
  it('copies the top cell of each column of the range down', () => {
    const plan = planFillDown({ top: 0, left: 3, bottom: 2, right: 5 }, context([student(0, { birthDate: '2006-12-31', married: true }), student(1), student(2)]));
    expect(plan.rows.map((r) => [r.id, r.patch])).toEqual([
      ['s1', { birthDate: '2006-12-31', married: true }],
      ['s2', { birthDate: '2006-12-31', married: true }],
    ]);
  });

  it('with one selected row copies the cell above', () => {
    const plan = planFillDown({ top: 2, left: 0, bottom: 2, right: 0 }, context(rows));
    expect(plan.rows.map((r) => [r.id, r.patch])).toEqual([['s2', { name: 'Siswa 1' }]]);
    expect(planFillDown({ top: 0, left: 0, bottom: 0, right: 0 }, context(rows)).rows).toEqual([]);
  });

  it('Delete clears editable cells; yes/no becomes no', () => {
    const plan = planClear({ top: 0, left: 4, bottom: 0, right: 6 }, context([student(0, { married: true })]));
    expect(plan.rows[0]!.patch).toEqual({ married: false, className: null });
  });

  it('a typed cell is parsed like a pasted one', () => {
    expect(planTyped({ row: 1, col: 3 }, '1/1/2007', context(rows)).rows[0]!.patch).toEqual({ birthDate: '2007-01-01' });
    expect(planTyped({ row: 1, col: 5 }, 'x', context(rows)).rows).toEqual([]);
  });
});

describe('checkPlan with the core validator', () => {
  const validate = (row: Record<string, unknown>, mode: 'create' | 'update') => validateStudent(row, mode, { today: '2024-10-01' });

  it('drops invalid fields of an update and keeps its valid ones', () => {
    const ctx = context(rows);
    const plan = planPaste([['Ani', '123']], { top: 0, left: 0, bottom: 0, right: 0 }, ctx);
    const checked = checkPlan(plan, validate, ctx.rowAt);
    expect(checked.send).toEqual([{ rowIndex: 0, id: 's0', version: 0, patch: { name: 'Ani' }, before: { name: 'Siswa 0' } }]);
    expect(checked.problems.map((p) => [p.rowId, p.field, p.code])).toEqual([['s0', 'nik', 'NIK_LENGTH']]);
  });

  it('holds back a new row with an error, sends a complete one', () => {
    const ctx = context(rows);
    const plan = planPaste(parseTsv('Ani\t\tP\t21/03/2007\nBudi\t\tL\t\n'), { top: 3, left: 0, bottom: 3, right: 0 }, ctx);
    const checked = checkPlan(plan, validate, ctx.rowAt);
    expect(checked.send.map((r) => r.id)).toEqual(['new-1']);
    expect(checked.held.map((r) => r.id)).toEqual(['new-2']);
    expect(checked.problems.map((p) => [p.rowId, p.field, p.code])).toEqual([['new-2', 'birthDate', 'REQUIRED']]);
  });

  it('sends a value that only has a warning (NIK disagreeing with the birth date) and shows the warning', () => {
    const ctx = context(rows);
    // 3573 01 | 010107 (1 Jan 2007, male) | 0001 — the row says 2007-05-01.
    const checked = checkPlan(planPaste([['3573010101070001']], { top: 0, left: 1, bottom: 0, right: 1 }, ctx), validate, ctx.rowAt);
    expect(checked.send).toHaveLength(1);
    expect(checked.problems.map((p) => [p.field, p.severity])).toContainEqual(['nik', 'warning']);
  });

  it('creates a new row without its invalid optional cell, which stays marked', () => {
    const ctx = context(rows);
    const plan = planPaste([['Citra', '12345', 'P', '01/01/2009']], { top: 3, left: 0, bottom: 3, right: 0 }, ctx);
    const checked = checkPlan(plan, validate, ctx.rowAt);
    expect(checked.held).toEqual([]);
    expect(checked.send.map((r) => r.patch)).toEqual([{ schoolId: 'sch_1', name: 'Citra', sex: 'P', birthDate: '2009-01-01' }]);
    expect(checked.problems.map((p) => [p.rowId, p.field, p.code])).toEqual([['new-1', 'nik', 'NIK_LENGTH']]);
  });

  it('does not add "required" on top of a cell that could not be read', () => {
    const ctx = context(rows);
    const checked = checkPlan(planPaste([['Ani', '', 'L', '99/99/2007']], { top: 3, left: 0, bottom: 3, right: 0 }, ctx), validate, ctx.rowAt);
    expect(checked.held).toHaveLength(1);
    expect(checked.problems.map((p) => [p.field, p.code])).toEqual([['birthDate', 'INVALID_DATE']]);
  });
});
