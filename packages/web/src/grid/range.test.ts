import { describe, expect, it } from 'vitest';
import { cellRange, cellsOf, contains, extend, extendTo, isSingleCell, moveCell, normalize, rectCols, rectRows, sameCell, sameRange } from './range.ts';

const bounds = { rows: 10, cols: 5 };

describe('cell ranges', () => {
  it('normalizes whatever corner the focus is at', () => {
    expect(normalize({ anchor: { row: 5, col: 3 }, focus: { row: 2, col: 1 } })).toEqual({ top: 2, left: 1, bottom: 5, right: 3 });
    expect(normalize(cellRange({ row: 4, col: 2 }))).toEqual({ top: 4, left: 2, bottom: 4, right: 2 });
  });

  it('extends with Shift+arrows from the anchor, clamped to the grid', () => {
    let range = cellRange({ row: 1, col: 1 });
    range = extend(range, 'down', bounds);
    range = extend(range, 'down', bounds);
    range = extend(range, 'right', bounds);
    expect(range).toEqual({ anchor: { row: 1, col: 1 }, focus: { row: 3, col: 2 } });
    range = extend(range, 'up', bounds);
    range = extend(range, 'up', bounds);
    range = extend(range, 'up', bounds);
    expect(normalize(range)).toEqual({ top: 0, left: 1, bottom: 1, right: 2 });
    expect(extend(range, 'up', bounds).focus).toEqual({ row: 0, col: 2 });
    expect(extend(range, 'right', bounds, true).focus).toEqual({ row: 0, col: 4 });
    expect(extend(range, 'down', bounds, true).focus).toEqual({ row: 9, col: 2 });
  });

  it('moves a cell and stops at the edges', () => {
    expect(moveCell({ row: 0, col: 0 }, 'left', bounds)).toEqual({ row: 0, col: 0 });
    expect(moveCell({ row: 9, col: 4 }, 'down', bounds)).toEqual({ row: 9, col: 4 });
    expect(moveCell({ row: 3, col: 3 }, 'left', bounds, true)).toEqual({ row: 3, col: 0 });
  });

  it('extends to a clicked cell (mouse drag, Shift+click)', () => {
    const range = extendTo(cellRange({ row: 2, col: 2 }), { row: 20, col: -1 }, bounds);
    expect(normalize(range)).toEqual({ top: 2, left: 0, bottom: 9, right: 2 });
  });

  it('answers containment, size and cells', () => {
    const rect = normalize({ anchor: { row: 1, col: 1 }, focus: { row: 2, col: 3 } });
    expect(contains(rect, { row: 2, col: 3 })).toBe(true);
    expect(contains(rect, { row: 3, col: 3 })).toBe(false);
    expect(rectRows(rect)).toBe(2);
    expect(rectCols(rect)).toBe(3);
    expect(cellsOf(rect)).toHaveLength(6);
    expect(cellsOf(rect)[3]).toEqual({ row: 2, col: 1 });
    expect(isSingleCell(cellRange({ row: 1, col: 1 }))).toBe(true);
    expect(sameCell({ row: 1, col: 2 }, { row: 1, col: 2 })).toBe(true);
    expect(sameCell({ row: 1, col: 2 }, { row: 2, col: 1 })).toBe(false);
    expect(sameRange(cellRange({ row: 1, col: 1 }), cellRange({ row: 1, col: 1 }))).toBe(true);
    expect(sameRange(null, cellRange({ row: 1, col: 1 }))).toBe(false);
  });
});
