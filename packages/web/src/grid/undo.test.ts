import { describe, expect, it } from 'vitest';
import { batchFromSaved, redoWrites, undoWrites, UndoStack, type EditBatch } from './undo.ts';

const paste: EditBatch = {
  label: 'paste',
  changes: [
    { rowId: 's1', field: 'name', before: 'Ani', after: 'Ana' },
    { rowId: 's1', field: 'birthDate', before: '2007-01-01', after: '2007-02-02' },
    { rowId: 's2', field: 'name', before: 'Budi', after: 'Badu' },
  ],
  created: [{ rowId: 'n1', values: { name: 'Citra', schoolId: 'sch_1' } }],
};

describe('undo/redo writes', () => {
  it('undo sets the old values back per row id and deletes the rows the step created', () => {
    const writes = undoWrites(paste);
    expect(Object.fromEntries(writes.updates)).toEqual({ s1: { name: 'Ani', birthDate: '2007-01-01' }, s2: { name: 'Budi' } });
    expect(writes.deletes).toEqual(['n1']);
    expect(writes.creates).toEqual([]);
  });

  it('redo sets the new values and creates the rows again with the same ids', () => {
    const writes = redoWrites(paste);
    expect(Object.fromEntries(writes.updates)).toEqual({ s1: { name: 'Ana', birthDate: '2007-02-02' }, s2: { name: 'Badu' } });
    expect(writes.creates).toEqual([{ rowId: 'n1', values: { name: 'Citra', schoolId: 'sch_1' } }]);
  });

  it('when one cell changed twice in a step, undo restores the first value and redo the last', () => {
    const batch: EditBatch = { label: 'x', created: [], changes: [{ rowId: 'a', field: 'f', before: 1, after: 2 }, { rowId: 'a', field: 'f', before: 2, after: 3 }] };
    expect(undoWrites(batch).updates.get('a')).toEqual({ f: 1 });
    expect(redoWrites(batch).updates.get('a')).toEqual({ f: 3 });
  });

  it('a change to a created row is folded into the re-created values', () => {
    const batch: EditBatch = { label: 'x', created: [{ rowId: 'n', values: { name: 'A' } }], changes: [{ rowId: 'n', field: 'name', before: 'A', after: 'B' }] };
    expect(redoWrites(batch).creates).toEqual([{ rowId: 'n', values: { name: 'B' } }]);
    expect(undoWrites(batch).updates.size).toBe(0);
  });
});

describe('UndoStack', () => {
  const step = (label: string): EditBatch => ({ label, changes: [{ rowId: label, field: 'f', before: 0, after: 1 }], created: [] });

  it('undoes and redoes whole steps in order; a new step clears the redo side', () => {
    const stack = new UndoStack();
    expect(stack.canUndo).toBe(false);
    stack.push(step('a'));
    stack.push(step('b'));
    expect(stack.undo()?.label).toBe('b');
    expect(stack.canRedo).toBe(true);
    expect(stack.redo()?.label).toBe('b');
    expect(stack.undo()?.label).toBe('b');
    expect(stack.undo()?.label).toBe('a');
    expect(stack.undo()).toBeNull();
    stack.push(step('c'));
    expect(stack.canRedo).toBe(false);
    expect(stack.undo()?.label).toBe('c');
  });

  it('ignores empty steps and keeps at most `limit` steps', () => {
    const stack = new UndoStack(2);
    stack.push({ label: 'empty', changes: [], created: [] });
    expect(stack.canUndo).toBe(false);
    stack.push(step('a'));
    stack.push(step('b'));
    stack.push(step('c'));
    expect(stack.undo()?.label).toBe('c');
    expect(stack.undo()?.label).toBe('b');
    expect(stack.undo()).toBeNull();
  });
});

describe('batchFromSaved', () => {
  it('keeps only what the server saved', () => {
    const rows = [
      { id: 's1', version: 1, patch: { name: 'Ana' }, before: { name: 'Ani' } },
      { id: 's2', version: 2, patch: { name: 'X' }, before: { name: 'Y' } },
      { id: 'n1', version: null, patch: { name: 'Citra', schoolId: 'sch_1' }, before: {} },
      { id: 'n2', version: null, patch: { name: 'Dodi' }, before: {} },
    ];
    const batch = batchFromSaved('paste', rows, new Map([['s1', 'updated'], ['n1', 'created']] as const));
    expect(batch).toEqual({
      label: 'paste',
      changes: [{ rowId: 's1', field: 'name', before: 'Ani', after: 'Ana' }],
      created: [{ rowId: 'n1', values: { name: 'Citra', schoolId: 'sch_1' } }],
    });
  });
});
