// Planning grid edits: a paste, a fill-down or a Delete becomes a list of cell writes, then one
// patch per row (existing rows: update with the version read; rows past the end: new rows with a
// client-made id), ready to go to the API in ONE batch upsert. Pure: the grid component feeds it
// rows and columns and sends the result.
import { parseCell, type GridColumn } from './columns.ts';
import { cellsOf, rectCols, rectRows, type Cell, type Rect } from './range.ts';

/** A loaded row of the grid: its id, the version it was read at, its values. */
export type RowRef = { id: string; version: number; data: Record<string, unknown> };

/** One cell to write: a value, or text that could not be read (with the reason's message code). */
export type CellWrite = { row: number; field: string; value: unknown } | { row: number; field: string; raw: string; code: string };

export type PlannedRow = {
  /** Display index in the grid (for new rows: where they would appear, past the last row). */
  rowIndex: number;
  id: string;
  /** The version read; null for a new row. */
  version: number | null;
  /** Fields to write. A new row also carries its defaults (e.g. the school). */
  patch: Record<string, unknown>;
  /** For updates: the values before, for the undo. */
  before: Record<string, unknown>;
};

/** Something wrong with one cell, before or after sending. `code` is a @jemput/core message code. */
export type CellProblem = { rowId: string; rowIndex: number; field: string; code: string; severity: 'error' | 'warning'; raw?: string; params?: Record<string, string | number> };

export type EditPlan = {
  rows: PlannedRow[];
  /** Cells whose text could not be read; their field is left out of the patch. */
  problems: CellProblem[];
  /** The cells the edit covers (for drawing the range after a paste). */
  rect: Rect;
  /** Editable cells of existing rows that were not loaded and so could not be planned. */
  missingRows: number;
  /** Fields of the block that landed on non-editable columns and were skipped. */
  skippedFields: string[];
};

export type PlanContext = {
  /** Displayed columns, in display order. */
  columns: readonly GridColumn[];
  /** Rows the grid has (in the current sort and filter); indices from here on are new rows. */
  rowCount: number;
  rowAt(index: number): RowRef | undefined;
  /** A new row: a fresh id and the values every new row gets (e.g. the school shown). */
  newRow(): { id: string; defaults: Record<string, unknown> };
};

/** Groups cell writes into one planned row each. */
export function planWrites(writes: readonly CellWrite[], rect: Rect, ctx: PlanContext): EditPlan {
  const byRow = new Map<number, PlannedRow>();
  const problems: CellProblem[] = [];
  const missing = new Set<number>();
  for (const write of writes) {
    let planned = byRow.get(write.row);
    if (!planned) {
      if (write.row < ctx.rowCount) {
        const ref = ctx.rowAt(write.row);
        if (!ref) {
          missing.add(write.row);
          continue;
        }
        planned = { rowIndex: write.row, id: ref.id, version: ref.version, patch: {}, before: {} };
      } else {
        const fresh = ctx.newRow();
        planned = { rowIndex: write.row, id: fresh.id, version: null, patch: { ...fresh.defaults }, before: {} };
      }
      byRow.set(write.row, planned);
    }
    if ('raw' in write) {
      problems.push({ rowId: planned.id, rowIndex: write.row, field: write.field, code: write.code, severity: 'error', raw: write.raw });
      continue;
    }
    if (planned.version !== null) {
      const ref = ctx.rowAt(write.row) as RowRef;
      const before = ref.data[write.field] ?? null;
      // Writing the value a cell already has is not an edit.
      if (sameValue(before, write.value)) continue;
      planned.before[write.field] = before;
    }
    planned.patch[write.field] = write.value;
  }
  const rows = [...byRow.values()].filter((r) => r.version === null || Object.keys(r.patch).length > 0).sort((a, b) => a.rowIndex - b.rowIndex);
  return { rows, problems, rect, missingRows: missing.size, skippedFields: [] };
}

/**
 * Ctrl+V: the block goes at the top-left cell of the selection, one block cell per grid cell;
 * values landing on non-editable columns or past the last column are skipped, rows past the
 * last row become new rows. A single copied cell pasted onto a larger selection fills it.
 */
export function planPaste(block: readonly (readonly string[])[], selection: Rect, ctx: PlanContext): EditPlan {
  const single = block.length === 1 && block[0]!.length === 1;
  const height = single ? rectRows(selection) : block.length;
  const width = single ? rectCols(selection) : Math.max(0, ...block.map((r) => r.length));
  const right = Math.min(ctx.columns.length - 1, selection.left + width - 1);
  const rect: Rect = { top: selection.top, left: selection.left, bottom: selection.top + height - 1, right };
  const writes: CellWrite[] = [];
  const skipped = new Set<string>();
  for (let r = 0; r < height; r++) {
    // A blank line of the block past the last row would only make an empty new row.
    if (!single && selection.top + r >= ctx.rowCount && (block[r] ?? []).every((cell) => cell.trim() === '')) continue;
    for (let c = 0; c < width; c++) {
      const column = ctx.columns[selection.left + c];
      if (!column) continue;
      const raw = single ? block[0]![0]! : (block[r]?.[c] ?? '');
      if (!column.editable) {
        skipped.add(column.field);
        continue;
      }
      writes.push(toWrite(selection.top + r, column, raw));
    }
  }
  return { ...planWrites(writes, rect, ctx), skippedFields: [...skipped] };
}

/**
 * Ctrl+D: every cell of the selection takes the value of the top cell of its column. With a
 * one-row selection, the cell above is copied down (as in Excel).
 */
export function planFillDown(selection: Rect, ctx: PlanContext): EditPlan {
  const sourceRow = rectRows(selection) === 1 ? selection.top - 1 : selection.top;
  const firstTarget = sourceRow + 1;
  const source = sourceRow >= 0 ? ctx.rowAt(sourceRow) : undefined;
  const rect: Rect = { ...selection, top: Math.max(0, sourceRow) };
  if (!source) return { rows: [], problems: [], rect, missingRows: sourceRow >= 0 ? 1 : 0, skippedFields: [] };
  const writes: CellWrite[] = [];
  for (let col = selection.left; col <= selection.right; col++) {
    const column = ctx.columns[col];
    if (!column?.editable) continue;
    for (let row = firstTarget; row <= selection.bottom && row < ctx.rowCount; row++) {
      writes.push({ row, field: column.field, value: source.data[column.field] ?? null });
    }
  }
  return planWrites(writes, rect, ctx);
}

/** Delete: clears the editable cells of the selection (a yes/no column becomes "no"). */
export function planClear(selection: Rect, ctx: PlanContext): EditPlan {
  const writes: CellWrite[] = [];
  for (const cell of cellsOf(selection)) {
    const column = ctx.columns[cell.col];
    if (!column?.editable || cell.row >= ctx.rowCount) continue;
    writes.push(toWrite(cell.row, column, ''));
  }
  return planWrites(writes, selection, ctx);
}

/** One typed cell (the cell editor's text). */
export function planTyped(cell: Cell, raw: string, ctx: PlanContext): EditPlan {
  const column = ctx.columns[cell.col];
  const rect: Rect = { top: cell.row, bottom: cell.row, left: cell.col, right: cell.col };
  if (!column?.editable) return { rows: [], problems: [], rect, missingRows: 0, skippedFields: column ? [column.field] : [] };
  return planWrites([toWrite(cell.row, column, raw)], rect, ctx);
}

function toWrite(row: number, column: GridColumn, raw: string): CellWrite {
  const parsed = parseCell(column.kind, raw, column.choices?.());
  return parsed.ok ? { row, field: column.field, value: parsed.value } : { row, field: column.field, raw, code: parsed.code };
}

export function sameValue(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}

/** An issue from a @jemput/core validator, as FieldIssue is shaped there. */
type Issue = { field: string; code: string; severity: 'error' | 'warning'; params?: Record<string, string | number> };

export type CheckedPlan = {
  /** Rows to send: updates without their invalid fields, new rows without errors. */
  send: PlannedRow[];
  /** New rows held back because of errors (drafts to fix). */
  held: PlannedRow[];
  problems: CellProblem[];
};

/**
 * Validates each planned row with the domain rules before sending (the same validators the API
 * runs). Invalid cells are marked and left out, valid ones are sent: an update drops its invalid
 * fields; a new row drops its invalid optional fields and is held back (a draft to fix) only when
 * it still has errors without them, e.g. a missing name or birth date. Warnings are shown and
 * the value is sent.
 */
export function checkPlan(plan: EditPlan, validate: (row: Record<string, unknown>, mode: 'create' | 'update') => Issue[], rowAt: (index: number) => RowRef | undefined): CheckedPlan {
  const problems: CellProblem[] = [...plan.problems];
  const send: PlannedRow[] = [];
  const held: PlannedRow[] = [];
  const unreadable = new Set(plan.problems.map((p) => `${p.rowId}\u0000${p.field}`));
  for (const row of plan.rows) {
    const isNew = row.version === null;
    const mode = isNew ? 'create' : 'update';
    const base = isNew ? {} : (rowAt(row.rowIndex)?.data ?? {});
    const issues = validate({ ...base, ...row.patch }, mode);
    const patch = { ...row.patch };
    for (const issue of issues) {
      // A cell whose text could not be read already has its problem; don't add "required" on top.
      if (unreadable.has(`${row.id}\u0000${issue.field}`)) continue;
      // On an update, only the fields being written are this edit's business.
      if (!isNew && !(issue.field in row.patch)) continue;
      problems.push({ rowId: row.id, rowIndex: row.rowIndex, field: issue.field, code: issue.code, severity: issue.severity, ...(issue.params ? { params: issue.params } : {}) });
      if (issue.severity === 'error') delete patch[issue.field];
    }
    if (isNew) {
      // Without its invalid cells, is the new row still a valid row? Otherwise it waits as a draft.
      const unreadableHere = plan.problems.some((p) => p.rowId === row.id);
      const stillInvalid = validate(patch, 'create').some((i) => i.severity === 'error' && !unreadable.has(`${row.id}\u0000${i.field}`));
      const missingUnreadable = unreadableHere && validate(patch, 'create').some((i) => i.code === 'REQUIRED' && unreadable.has(`${row.id}\u0000${i.field}`));
      if (stillInvalid || missingUnreadable) held.push(row);
      else send.push({ ...row, patch });
    } else if (Object.keys(patch).length > 0) {
      const before = Object.fromEntries(Object.entries(row.before).filter(([field]) => field in patch));
      send.push({ ...row, patch, before });
    }
  }
  return { send, held, problems };
}
