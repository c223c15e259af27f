// The cell-range model of a grid: a range is an anchor (where the selection started, the
// active cell) and a focus (the corner that Shift+arrows or a mouse drag move). Rows and columns
// are display indices (row index in the current sort/filter, displayed column position).

export type Cell = { row: number; col: number };
export type Range = { anchor: Cell; focus: Cell };
/** A normalized range: inclusive bounds, top <= bottom, left <= right. */
export type Rect = { top: number; left: number; bottom: number; right: number };
/** Size of the grid: valid cells are 0..rows-1 × 0..cols-1. */
export type Bounds = { rows: number; cols: number };
export type Direction = 'up' | 'down' | 'left' | 'right';

export function cellRange(cell: Cell): Range {
  return { anchor: { ...cell }, focus: { ...cell } };
}

export function normalize(range: Range): Rect {
  return {
    top: Math.min(range.anchor.row, range.focus.row),
    bottom: Math.max(range.anchor.row, range.focus.row),
    left: Math.min(range.anchor.col, range.focus.col),
    right: Math.max(range.anchor.col, range.focus.col),
  };
}

export function rectRows(rect: Rect): number {
  return rect.bottom - rect.top + 1;
}

export function rectCols(rect: Rect): number {
  return rect.right - rect.left + 1;
}

export function contains(rect: Rect, cell: Cell): boolean {
  return cell.row >= rect.top && cell.row <= rect.bottom && cell.col >= rect.left && cell.col <= rect.right;
}

export function sameCell(a: Cell, b: Cell): boolean {
  return a.row === b.row && a.col === b.col;
}

export function isSingleCell(range: Range): boolean {
  return range.anchor.row === range.focus.row && range.anchor.col === range.focus.col;
}

export function clampCell(cell: Cell, bounds: Bounds): Cell {
  return {
    row: Math.max(0, Math.min(bounds.rows - 1, cell.row)),
    col: Math.max(0, Math.min(bounds.cols - 1, cell.col)),
  };
}

const STEP: Record<Direction, Cell> = { up: { row: -1, col: 0 }, down: { row: 1, col: 0 }, left: { row: 0, col: -1 }, right: { row: 0, col: 1 } };

/** The neighbour of a cell (or the edge of the grid with `toEdge`, like Ctrl+arrow), clamped to the grid. */
export function moveCell(cell: Cell, direction: Direction, bounds: Bounds, toEdge = false): Cell {
  const step = STEP[direction];
  if (toEdge) {
    return clampCell(
      {
        row: step.row < 0 ? 0 : step.row > 0 ? bounds.rows - 1 : cell.row,
        col: step.col < 0 ? 0 : step.col > 0 ? bounds.cols - 1 : cell.col,
      },
      bounds,
    );
  }
  return clampCell({ row: cell.row + step.row, col: cell.col + step.col }, bounds);
}

/** Shift+arrow: the focus moves, the anchor stays. */
export function extend(range: Range, direction: Direction, bounds: Bounds, toEdge = false): Range {
  return { anchor: range.anchor, focus: moveCell(range.focus, direction, bounds, toEdge) };
}

/** Shift+click or a mouse drag onto `cell`. */
export function extendTo(range: Range, cell: Cell, bounds: Bounds): Range {
  return { anchor: range.anchor, focus: clampCell(cell, bounds) };
}

/** Every cell of a rect, row by row. */
export function cellsOf(rect: Rect): Cell[] {
  const cells: Cell[] = [];
  for (let row = rect.top; row <= rect.bottom; row++) for (let col = rect.left; col <= rect.right; col++) cells.push({ row, col });
  return cells;
}

export function sameRange(a: Range | null, b: Range | null): boolean {
  if (!a || !b) return a === b;
  return a.anchor.row === b.anchor.row && a.anchor.col === b.anchor.col && a.focus.row === b.focus.row && a.focus.col === b.focus.col;
}
