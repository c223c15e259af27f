// The spreadsheet grid every roster screen uses: AG Grid Community's own createGrid (infinite
// row model: the server sorts, filters, searches and pages) with what Community lacks built on
// top — cell ranges (mouse drag, Shift+arrows), copy and paste as Excel/Sheets TSV, fill-down,
// Delete, undo/redo by row id, per-cell validation with the core rules, and problems and
// conflicts shown on the cell. The planning logic lives in the pure modules beside this file.
import { createEffect, createSignal, For, on, onCleanup, onMount, Show } from 'solid-js';
import {
  createGrid,
  type CellClassParams,
  type ColDef,
  type GridApi,
  type GridOptions,
  type IDatasource,
  type IGetRowsParams,
  type SuppressKeyboardEventParams,
  type ValueSetterParams,
} from 'ag-grid-community';
import { fieldLabel, formatMessage, type FieldIssue } from '@jemput/core';
import { locale, t } from '../i18n/locale.ts';
import type { MessageKey } from '../i18n/dictionary.ts';
import { gridLocaleText, jemputTheme, registerGridModules } from './ag.ts';
import { cellText, formatCell, parseCell, type GridColumn } from './columns.ts';
import { apiFilter, type AgFilter } from './filters.ts';
import { checkPlan, planClear, planFillDown, planPaste, planTyped, type CellProblem, type EditPlan, type PlanContext, type PlannedRow, type RowRef } from './plan.ts';
import { cellRange, contains, extend, extendTo, normalize, rectRows, sameCell, type Cell, type Direction, type Range, type Rect } from './range.ts';
import { parseTsv, serializeTsv } from './tsv.ts';
import { batchFromSaved, redoWrites, undoWrites, UndoStack, type BatchWrites } from './undo.ts';
import { loadColumnState, resetColumnState, saveColumnState } from './column-state.ts';
import { coalesce, HeldChanges, planLiveChanges, type RowChange } from './live.ts';
import { subscribeLive } from '../api/live.ts';
import { todayInJakarta } from '../util.ts';

export type GridRow = Record<string, unknown> & { id: string; version: number };

export type GridColumnDef = GridColumn & {
  header: () => string;
  width?: number;
  flex?: number;
  /** The API's sort field; absent = not sortable. */
  sortKey?: string;
  /** Filterable on the server (the field name is the API filter's). */
  filter?: boolean;
  pinned?: 'left';
};

export type Problem = { field: string; code: string; severity: 'ERROR' | 'WARNING'; message: string };
export type SaveResult = { id: string | null; status: 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'REJECTED' | 'CONFLICT' | 'DELETED'; problems: Problem[]; row: GridRow | null };
export type RowWrite = { id: string; version: number | null; patch: Record<string, unknown> };
/**
 * `export`: the read is the CSV export of the view (the API logs it, once, as an EXPORT).
 * `skipTotal`: the grid knows the view's row count (a later block, rows for a paste): the page may
 * come without counting the view again (total null), which costs as much as the page on a big roster.
 */
export type FetchParams = { offset: number; limit: number; sort: { key: string; desc: boolean }[]; filters: Record<string, unknown>; export?: boolean; skipTotal?: boolean };

export type DataGridProps = {
  columns: GridColumnDef[];
  fetchPage(params: FetchParams): Promise<{ rows: GridRow[]; total: number | null }>;
  /** A paste, fill, Delete, undo or redo: ONE batch-upsert call. */
  saveRows(rows: RowWrite[]): Promise<SaveResult[]>;
  /** One typed cell: an update with the version read. */
  saveRow(row: RowWrite & { version: number }): Promise<SaveResult>;
  deleteRows(rows: { id: string; version: number }[]): Promise<SaveResult[]>;
  /** The same domain validator the API runs (from @jemput/core). */
  validate(row: Record<string, unknown>, mode: 'create' | 'update'): FieldIssue[];
  /** A new row (paste past the end); `last` is the last row of the view, e.g. to take its school. */
  newRow(last: RowRef | undefined): { id: string; defaults: Record<string, unknown> };
  /** Anything that changes which rows the server returns (quick search, a school filter). */
  refreshKey?: () => unknown;
  onTotal?(total: number): void;
  label: string;
  /** No edits at all (a VIEWER): cells, paste, fill, Delete and undo only say so. */
  readOnly?: boolean;
  /** A click on a loaded row's cell (e.g. an action column). */
  onCellClick?(field: string, row: GridRow): void;
  /** Names the grid: its remembered column layout and its CSV file (default: the label). */
  gridId?: string;
  /** Rows changed by others update in place: the entity (and scope) of the rowChanges subscription. */
  live?: { entity: 'STUDENT' | 'SCHOOL' | 'VISIT' | 'DRIVE' | 'OUTCOME'; scope?: () => Record<string, string | null | undefined> };
  /** Re-reads rows by id (for live changes). */
  fetchRows?(ids: string[]): Promise<GridRow[]>;
  /** A class for a row (e.g. one with planning warnings); re-evaluated when `redrawKey` changes. */
  rowClass?(row: GridRow): string | undefined;
  redrawKey?: () => unknown;
};

const ROW_CHANGES = /* GraphQL */ `
  subscription RowChanges($entity: RowEntity!, $driveId: ID, $schoolId: ID, $visitId: ID) {
    rowChanges(entity: $entity, driveId: $driveId, schoolId: $schoolId, visitId: $visitId) { id version deleted reload }
  }`;

/** `message` is a function so that rules' messages follow a language switch (server texts stay as sent). */
type CellState = { kind: 'error' | 'warning' | 'conflict' | 'pending'; message: () => string; raw?: string; mine?: unknown; theirs?: unknown };

const key = (rowId: string, field: string) => `${rowId}\u0000${field}`;
const ARROWS: Record<string, Direction> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };
const PAGE_LIMIT = 500;

export function DataGrid(props: DataGridProps) {
  registerGridModules();
  const gridId = () => props.gridId ?? props.label.toLowerCase().replace(/\s+/g, '-');
  let container!: HTMLDivElement;
  let api: GridApi | undefined;

  const byField = new Map(props.columns.map((c) => [c.field, c]));
  const states = new Map<string, CellState>();
  const versions = new Map<string, number>();
  const undoStack = new UndoStack();
  let drafts: { id: string; patch: Record<string, unknown> }[] = [];
  let range: Range | null = null;
  /**
   * The grid cell that had the focus when the range was made: the range belongs to it. A key
   * pressed in another cell, or a focus report for another cell, starts a new range there.
   */
  let rangeOwner: Cell | null = null;
  let colIndex = new Map<string, number>();
  let rowCount = 0;
  let lastFetch: Omit<FetchParams, 'offset' | 'limit'> = { sort: [], filters: {} };
  let countNeeded = true;
  /** Reads the view again (rows came or went): its row count too. */
  const reloadRows = () => {
    countNeeded = true;
    api?.refreshInfiniteCache();
  };
  let dragging = false;

  const [tick, setTick] = createSignal(0);
  const [focused, setFocused] = createSignal<{ rowId: string; field: string } | null>(null);
  // Kept as message keys, not text, so a language switch re-renders the last message too.
  type Note = { key: MessageKey; params?: Record<string, string | number>; labelKey?: MessageKey };
  const [status, setStatus] = createSignal<{ notes: Note[]; tone: 'info' | 'error' | 'busy' } | null>(null);
  const statusText = () => status()?.notes.map((n) => t(n.key, { ...n.params, ...(n.labelKey ? { label: t(n.labelKey) } : {}) })).join(' · ');
  const changed = () => setTick((n) => n + 1);

  // ------------------------------------------------------------ rows, columns, cell states

  const displayedColumns = (): GridColumnDef[] =>
    (api?.getAllDisplayedColumns() ?? []).map((c) => byField.get(c.getColId())).filter((c): c is GridColumnDef => !!c);

  const loadedRow = (index: number): RowRef | undefined => {
    const data = api?.getDisplayedRowAtIndex(index)?.data as GridRow | undefined;
    return data ? { id: data.id, version: data.version, data } : undefined;
  };

  const planContext = (extra?: Map<number, RowRef>): PlanContext => ({
    columns: displayedColumns(),
    rowCount,
    rowAt: (i) => extra?.get(i) ?? loadedRow(i),
    newRow: () => props.newRow(extra?.get(rowCount - 1) ?? loadedRow(rowCount - 1)),
  });

  const stateOf = (p: CellClassParams | { data?: unknown; colDef: ColDef }) => {
    const data = p.data as GridRow | undefined;
    const field = p.colDef.colId ?? p.colDef.field ?? '';
    return data ? states.get(key(data.id, field)) : undefined;
  };

  const rect = (): Rect | null => (range ? normalize(range) : null);

  const inRange = (p: CellClassParams) => {
    const r = rect();
    if (!r || p.node.rowPinned || p.node.rowIndex == null) return false;
    const col = colIndex.get(p.column.getColId());
    return col !== undefined && contains(r, { row: p.node.rowIndex, col });
  };

  const edge = (side: 'top' | 'bottom' | 'left' | 'right') => (p: CellClassParams) => {
    if (!inRange(p)) return false;
    const r = rect() as Rect;
    if (side === 'top') return p.node.rowIndex === r.top;
    if (side === 'bottom') return p.node.rowIndex === r.bottom;
    const col = colIndex.get(p.column.getColId());
    return side === 'left' ? col === r.left : col === r.right;
  };

  const refresh = () => api?.refreshCells({ force: true });

  const messageFor = (problem: CellProblem): string =>
    formatMessage({ code: problem.code, params: { field: fieldLabel(problem.field, locale()), ...problem.params } }, locale());

  const setRange = (next: Range | null, reveal = false, owner: Cell | null = next?.anchor ?? null) => {
    range = next;
    rangeOwner = owner;
    if (next && reveal) {
      api?.ensureIndexVisible(next.focus.row);
      const column = displayedColumns()[next.focus.col];
      if (column) api?.ensureColumnVisible(column.field);
    }
    refresh();
  };

  const say = (key: MessageKey, params?: Record<string, string | number>, tone: 'info' | 'error' | 'busy' = 'info') => setStatus({ notes: [{ key, ...(params ? { params } : {}) }], tone });

  /** Marks problems found before sending; the cell shows what was typed or pasted. */
  const showProblems = (problems: CellProblem[], rows: PlannedRow[]) => {
    const patches = new Map(rows.map((r) => [r.id, r.patch]));
    for (const problem of problems) {
      const column = byField.get(problem.field);
      const patch = patches.get(problem.rowId);
      const raw = problem.raw ?? (column && patch && problem.field in patch ? formatCell(column.kind, patch[problem.field], locale(), column.choices?.()) : undefined);
      states.set(key(problem.rowId, problem.field), { kind: problem.severity === 'error' ? 'error' : 'warning', message: () => messageFor(problem), ...(raw !== undefined ? { raw } : {}) });
    }
  };

  const clearStates = (plan: EditPlan) => {
    for (const row of plan.rows) for (const field of Object.keys(row.patch)) states.delete(key(row.id, field));
    for (const problem of plan.problems) states.delete(key(problem.rowId, problem.field));
  };

  const updateNode = (row: GridRow) => {
    versions.set(row.id, row.version);
    const node = api?.getRowNode(row.id);
    if (node?.data) node.setData({ ...node.data, ...row });
  };

  /**
   * Takes the server's answer for rows sent: saved rows refresh their cells, rejected cells are
   * marked with the reason, conflicts show both values. Returns what was saved (for the undo).
   */
  const applyResults = (sent: RowWrite[], results: SaveResult[], opts: { newRowsToDrafts?: boolean } = {}) => {
    const saved = new Map<string, 'created' | 'updated'>();
    let created = 0;
    sent.forEach((write, i) => {
      const result = results[i];
      if (!result) return;
      const id = result.id ?? write.id;
      for (const field of Object.keys(write.patch)) states.delete(key(id, field));
      const rawOf = (field: string) => {
        const column = byField.get(field);
        return column ? formatCell(column.kind, write.patch[field], locale(), column.choices?.()) : undefined;
      };
      switch (result.status) {
        case 'CREATED':
        case 'UPDATED':
        case 'UNCHANGED':
          if (result.row) updateNode(result.row);
          if (result.status === 'CREATED') created++;
          if (result.status !== 'UNCHANGED') saved.set(id, result.status === 'CREATED' ? 'created' : 'updated');
          for (const p of result.problems) if (byField.has(p.field)) states.set(key(id, p.field), { kind: 'warning', message: () => p.message });
          break;
        case 'REJECTED': {
          // Problems on fields the grid doesn't show (id, version) go on the first edited cell.
          const fallback = Object.keys(write.patch).find((f) => byField.has(f)) ?? props.columns[0]!.field;
          for (const p of result.problems) {
            const field = byField.has(p.field) ? p.field : fallback;
            const previous = states.get(key(id, field));
            const earlier = previous?.kind === 'error' ? previous.message() : '';
            const message = earlier && earlier !== p.message ? () => `${earlier}; ${p.message}` : () => p.message;
            const raw = field in write.patch ? rawOf(field) : undefined;
            states.set(key(id, field), { kind: p.severity === 'WARNING' ? 'warning' : 'error', message, ...(raw !== undefined ? { raw } : {}) });
          }
          if (write.version === null && opts.newRowsToDrafts) drafts.push({ id, patch: write.patch });
          break;
        }
        case 'CONFLICT': {
          const current = result.row;
          if (current) updateNode(current);
          const text = result.problems[0]?.message ?? 'conflict';
          const message = () => text;
          for (const field of Object.keys(write.patch)) {
            states.set(key(id, field), { kind: 'conflict', message, mine: write.patch[field], theirs: current?.[field] ?? null });
          }
          break;
        }
        case 'DELETED':
          break;
      }
    });
    return { saved, created };
  };

  const showDrafts = () => api?.setGridOption('pinnedBottomRowData', drafts.map((d) => ({ id: d.id, version: -1, __draft: true, ...d.patch })));

  /** Rows [top, top+count) of the current view: loaded ones from the grid, the others fetched. */
  const ensureRows = async (top: number, count: number): Promise<Map<number, RowRef>> => {
    const rows = new Map<number, RowRef>();
    const end = Math.min(rowCount, top + count);
    let firstMissing = -1;
    let lastMissing = -1;
    for (let i = top; i < end; i++) {
      const row = loadedRow(i);
      if (row) rows.set(i, row);
      else {
        if (firstMissing < 0) firstMissing = i;
        lastMissing = i;
      }
    }
    const offsets: number[] = [];
    for (let offset = firstMissing; firstMissing >= 0 && offset <= lastMissing; offset += PAGE_LIMIT) offsets.push(offset);
    // All at once: a paste of 1,000 rows waits for one round trip, not one per page.
    const pages = await Promise.all(offsets.map((offset) => props.fetchPage({ ...lastFetch, offset, limit: Math.min(PAGE_LIMIT, lastMissing - offset + 1), skipTotal: true })));
    pages.forEach((page, p) =>
      page.rows.forEach((row, i) => {
        const index = offsets[p]! + i;
        versions.set(row.id, row.version);
        if (!rows.has(index)) rows.set(index, { id: row.id, version: row.version, data: row });
      }),
    );
    return rows;
  };

  // ------------------------------------------------------------ edits

  // Writes leave one at a time, each with the newest version this grid knows for its row, so a
  // quick edit right after an undo, a fill or a paste never trips over the version that the
  // previous write of this same grid just bumped. (Someone else's change still shows as a conflict.)
  let writing: Promise<unknown> = Promise.resolve();
  const queued = <T,>(write: () => Promise<T>): Promise<T> => {
    const next = writing.then(write, write);
    writing = next.catch(() => undefined);
    return next;
  };
  const newestVersion = (id: string, planned: number | null) => (planned === null ? null : (versions.get(id) ?? planned));

  // Rows with a write on its way. A live re-read of such a row may carry the server's data from
  // before the write: it must not be painted over the officer's edit. The write's own answer
  // brings the newest row (or a conflict showing theirs).
  const writingRows = new Map<string, number>();
  const heldChanges = new HeldChanges();
  const tracking = async <T,>(ids: readonly string[], send: () => Promise<T>): Promise<T> => {
    for (const id of ids) writingRows.set(id, (writingRows.get(id) ?? 0) + 1);
    try {
      return await send();
    } finally {
      const released: RowChange[] = [];
      for (const id of ids) {
        const left = (writingRows.get(id) ?? 1) - 1;
        if (left > 0) writingRows.set(id, left);
        else {
          writingRows.delete(id);
          const held = heldChanges.release(id);
          if (held) released.push(held);
        }
      }
      // Planned again after the answer is applied (the queue waits a moment).
      if (released.length) liveQueue.push(released);
    }
  };
  const saveRows = (rows: RowWrite[]) => tracking(rows.map((r) => r.id), () => props.saveRows(rows));
  const saveRow = (row: RowWrite & { version: number }) => tracking([row.id], () => props.saveRow(row));
  const deleteRows = (rows: { id: string; version: number }[]) => tracking(rows.map((r) => r.id), () => props.deleteRows(rows));

  /** Validates, sends ONE batch, marks the cells, records one undo step. */
  // Rows count as written from the moment their write is queued: a live change to them that
  // comes while earlier writes are still out waits too, instead of moving their version on.
  const runPlan = (plan: EditPlan, label: MessageKey, extra?: Map<number, RowRef>) => tracking(plan.rows.map((r) => r.id), () => queued(async () => {
    const rowAt = (i: number) => extra?.get(i) ?? loadedRow(i);
    clearStates(plan);
    const checked = checkPlan(plan, (row, mode) => props.validate(row, mode), rowAt);
    showProblems(checked.problems, plan.rows);
    drafts = drafts.filter((d) => !checked.held.some((h) => h.id === d.id));
    drafts.push(...checked.held.map((h) => ({ id: h.id, patch: h.patch })));
    if (checked.held.length) showDrafts();
    refresh();
    changed();
    if (checked.send.length === 0) {
      if (plan.missingRows) say('grid.missingRows', { count: plan.missingRows }, 'error');
      else if (checked.held.length) say('grid.held', { count: checked.held.length }, 'error');
      return;
    }
    say('grid.saving', {}, 'busy');
    try {
      const writes: RowWrite[] = checked.send.map((r) => ({ id: r.id, version: newestVersion(r.id, r.version), patch: r.patch }));
      const results = await saveRows(writes);
      const { saved, created } = applyResults(writes, results, { newRowsToDrafts: true });
      undoStack.push(batchFromSaved(label, checked.send, saved));
      if (drafts.length) showDrafts();
      if (created) reloadRows();
      const count = (s: SaveResult['status']) => results.filter((r) => r.status === s).length;
      const notes: Note[] = [
        label === 'grid.label.paste'
          ? { key: 'grid.pasted', params: { updated: count('UPDATED'), created: count('CREATED'), rejected: count('REJECTED') + checked.held.length, conflicts: count('CONFLICT') } }
          : { key: 'grid.savedCount', params: { count: saved.size } },
      ];
      if (plan.skippedFields.length) notes.push({ key: 'grid.skipped', params: { fields: plan.skippedFields.map((f) => byField.get(f)?.header() ?? f).join(', ') } });
      if (plan.missingRows) notes.push({ key: 'grid.missingRows', params: { count: plan.missingRows } });
      setStatus({ notes, tone: 'info' });
    } catch (error) {
      say('grid.error', { message: (error as Error).message }, 'error');
    }
    refresh();
    changed();
  }));

  const pasteText = async (text: string) => {
    const block = parseTsv(text);
    const selection = rect();
    if (!block.length || !selection) return;
    const single = block.length === 1 && block[0]!.length === 1;
    const height = single ? rectRows(selection) : block.length;
    say('grid.saving', {}, 'busy');
    const extra = await ensureRows(selection.top, height);
    const plan = planPaste(block, selection, planContext(extra));
    await runPlan(plan, 'grid.label.paste', extra);
    setRange({ anchor: { row: plan.rect.top, col: plan.rect.left }, focus: { row: Math.min(plan.rect.bottom, Math.max(0, rowCount - 1)), col: plan.rect.right } });
  };

  const fillDown = async () => {
    const selection = rect();
    if (!selection) return;
    const extra = await ensureRows(Math.max(0, selection.top - 1), rectRows(selection) + 1);
    await runPlan(planFillDown(selection, planContext(extra)), 'grid.label.fill', extra);
  };

  const clearRange = async () => {
    const selection = rect();
    if (!selection) return;
    const extra = await ensureRows(selection.top, rectRows(selection));
    await runPlan(planClear(selection, planContext(extra)), 'grid.label.clear', extra);
  };

  const copyText = (): { text: string; cells: number } | null => {
    const selection = rect();
    if (!selection) return null;
    const columns = displayedColumns().slice(selection.left, selection.right + 1);
    const rows: string[][] = [];
    for (let r = selection.top; r <= selection.bottom; r++) {
      const data = (api?.getDisplayedRowAtIndex(r)?.data ?? {}) as Record<string, unknown>;
      rows.push(columns.map((c) => cellText(c, data, locale())));
    }
    return { text: serializeTsv(rows), cells: rows.length * columns.length };
  };

  const applyBatchWrites = async (writes: BatchWrites) => {
    const rows: RowWrite[] = [];
    for (const [id, patch] of writes.updates) {
      const version = versions.get(id);
      if (version !== undefined) rows.push({ id, version, patch });
    }
    for (const c of writes.creates) rows.push({ id: c.rowId, version: null, patch: c.values });
    if (rows.length) applyResults(rows, await saveRows(rows));
    const deletes = writes.deletes.filter((id) => versions.has(id)).map((id) => ({ id, version: versions.get(id)! }));
    if (deletes.length) {
      const results = await deleteRows(deletes);
      results.forEach((r, i) => {
        if (r.status === 'CONFLICT' && r.row) {
          updateNode(r.row);
          states.set(key(deletes[i]!.id, props.columns[0]!.field), { kind: 'conflict', message: () => r.problems[0]?.message ?? '', mine: null, theirs: r.row[props.columns[0]!.field] });
        }
        if (r.status === 'DELETED') versions.delete(deletes[i]!.id);
      });
    }
    if (writes.creates.length || deletes.length) reloadRows();
  };

  const undoRedo = (direction: 'undo' | 'redo') => queued(async () => {
    const batch = direction === 'undo' ? undoStack.undo() : undoStack.redo();
    if (!batch) return say(direction === 'undo' ? 'grid.nothingToUndo' : 'grid.nothingToRedo');
    say('grid.saving', {}, 'busy');
    try {
      await applyBatchWrites(direction === 'undo' ? undoWrites(batch) : redoWrites(batch));
      setStatus({ notes: [{ key: direction === 'undo' ? 'grid.undone' : 'grid.redone', labelKey: batch.label as MessageKey }], tone: 'info' });
    } catch (error) {
      say('grid.error', { message: (error as Error).message }, 'error');
    }
    refresh();
    changed();
  });

  /** A typed cell: checked like a paste, saved with updateX(id, version, patch). */
  const onValueSet = (p: ValueSetterParams, column: GridColumnDef): boolean => {
    const raw = p.newValue == null ? '' : String(p.newValue);
    if (p.node?.rowPinned) {
      void editDraft(String((p.data as GridRow).id), column, raw);
      return false;
    }
    const rowIndex = p.node?.rowIndex;
    const col = colIndex.get(column.field);
    if (rowIndex == null || col === undefined) return false;
    const plan = planTyped({ row: rowIndex, col }, raw, planContext());
    clearStates(plan);
    const checked = checkPlan(plan, (row, mode) => props.validate(row, mode), loadedRow);
    showProblems(checked.problems, plan.rows);
    const row = checked.send[0];
    queueMicrotask(() => {
      refresh();
      changed();
      if (row && row.version !== null) void saveTyped(row);
    });
    return false;
  };

  const saveTyped = (row: PlannedRow) => tracking([row.id], () => queued(async () => {
    const node = api?.getRowNode(row.id);
    const before = node?.data as GridRow | undefined;
    if (node && before) node.setData({ ...before, ...row.patch });
    for (const field of Object.keys(row.patch)) states.set(key(row.id, field), { kind: 'pending', message: () => t('grid.saving') });
    refresh();
    try {
      const write = { id: row.id, version: newestVersion(row.id, row.version) as number, patch: row.patch };
      const result = await saveRow(write);
      if (result.status === 'REJECTED' && node && before) node.setData(before);
      const { saved } = applyResults([write], [result]);
      undoStack.push(batchFromSaved('grid.label.edit', [row], saved));
      if (saved.size) say('grid.saved');
    } catch (error) {
      if (node && before) node.setData(before);
      for (const field of Object.keys(row.patch)) states.set(key(row.id, field), { kind: 'error', message: () => t('grid.error', { message: (error as Error).message }) });
      say('grid.error', { message: (error as Error).message }, 'error');
    }
    refresh();
    changed();
  }));

  /** A new row that could not be saved yet (pinned below the grid): fix a cell, it is retried. */
  const editDraft = async (id: string, column: GridColumnDef, raw: string) => {
    const draft = drafts.find((d) => d.id === id);
    if (!draft) return;
    const parsed = parseCell(column.kind, raw, column.choices?.());
    for (const field of Object.keys(draft.patch)) states.delete(key(id, field));
    states.delete(key(id, column.field));
    if (!parsed.ok) {
      const problem: CellProblem = { rowId: id, rowIndex: -1, field: column.field, code: parsed.code, severity: 'error' };
      states.set(key(id, column.field), { kind: 'error', raw, message: () => messageFor(problem) });
    } else draft.patch[column.field] = parsed.value;
    const issues = props.validate(draft.patch, 'create');
    const problems = issues.map((i): CellProblem => ({ rowId: id, rowIndex: -1, field: i.field, code: i.code, severity: i.severity, ...(i.params ? { params: i.params } : {}) }));
    showProblems(problems.filter((p) => !states.has(key(id, p.field))), [{ rowIndex: -1, id, version: null, patch: draft.patch, before: {} }]);
    showDrafts();
    changed();
    if (!parsed.ok || issues.some((i) => i.severity === 'error')) return;
    const write: RowWrite = { id, version: null, patch: { ...draft.patch } };
    const results = await saveRows([write]);
    const { saved } = applyResults([write], results);
    if (saved.size) {
      drafts = drafts.filter((d) => d.id !== id);
      undoStack.push(batchFromSaved('grid.label.edit', [{ ...write, before: {} }], saved));
      showDrafts();
      reloadRows();
      say('grid.saved');
    }
    refresh();
    changed();
  };

  // ------------------------------------------------------------ keyboard and mouse

  const bounds = () => ({ rows: Math.max(1, rowCount), cols: displayedColumns().length });

  /** Starts a new range at a focused cell, unless the current range belongs to that cell. */
  const settleRange = (cell: Cell) => {
    if (!range || !rangeOwner || !sameCell(rangeOwner, cell)) setRange(cellRange(cell));
  };

  const onKey = (p: SuppressKeyboardEventParams): boolean => {
    const e = p.event;
    if (e.type !== 'keydown' || p.editing) return false;
    // AG Grid reports a focus change (onCellFocused) from a timer, and on a busy PC a key can come
    // first: the key's own cell decides what it acts on, never a range left from the cell before.
    const here = p.node.rowPinned || p.node.rowIndex == null ? null : { row: p.node.rowIndex, col: colIndex.get(p.column.getColId()) ?? 0 };
    if (here) settleRange(here);
    else if (range) setRange(null);
    const ctrl = e.ctrlKey || e.metaKey;
    const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    const direction = ARROWS[e.key];
    if (direction && e.shiftKey && here && range) {
      // The focused cell stays where it is (the anchor, or the corner a Shift+click chose): it keeps the range.
      setRange(extend(range, direction, bounds(), ctrl), true, here);
      e.preventDefault();
      return true;
    }
    const act = (fn: () => unknown) => {
      e.preventDefault();
      if (props.readOnly) say('grid.readOnly');
      else void fn();
      return true;
    };
    if (ctrl && !e.altKey) {
      if (k === 'z' && !e.shiftKey) return act(() => undoRedo('undo'));
      if (k === 'y' || (k === 'z' && e.shiftKey)) return act(() => undoRedo('redo'));
      if (k === 'd') return act(fillDown);
      // Ctrl+C / Ctrl+V: left to the browser, which fires the copy/paste events handled below.
      return false;
    }
    if ((e.key === 'Delete' || e.key === 'Backspace') && !p.node.rowPinned) return act(clearRange);
    return false;
  };

  const isTextInput = (target: EventTarget | null) => target instanceof HTMLElement && !!target.closest('input, textarea, [contenteditable="true"]');

  const onCopy = (e: ClipboardEvent) => {
    if (isTextInput(e.target)) return;
    const copied = copyText();
    if (!copied || !e.clipboardData) return;
    e.clipboardData.setData('text/plain', copied.text);
    e.preventDefault();
    say('grid.copied', { count: copied.cells });
  };

  const onPaste = (e: ClipboardEvent) => {
    if (isTextInput(e.target)) return;
    const text = e.clipboardData?.getData('text/plain');
    if (text == null || text === '') return;
    e.preventDefault();
    if (props.readOnly) return say('grid.readOnly');
    void pasteText(text);
  };

  // ------------------------------------------------------------ AG Grid

  const datasource: IDatasource = {
    getRows: (p: IGetRowsParams) => {
      const sort = p.sortModel
        .map((s) => ({ key: byField.get(s.colId)?.sortKey ?? '', desc: s.sort === 'desc' }))
        .filter((s) => s.key !== '');
      const filters: Record<string, unknown> = {};
      for (const [field, model] of Object.entries(p.filterModel ?? {})) {
        const column = byField.get(field);
        const value = column ? apiFilter(column.kind, model as AgFilter, column.choices?.()) : undefined;
        if (value !== undefined) filters[field] = value;
      }
      const view = JSON.stringify({ sort, filters });
      if (view !== JSON.stringify(lastFetch)) countNeeded = true;
      lastFetch = { sort, filters };
      // The view is counted with its first block and after anything that may change the count;
      // the other blocks (scrolling a 100,000-row roster) come without counting it again.
      const count = countNeeded || p.startRow === 0;
      if (count) countNeeded = false;
      props
        .fetchPage({ offset: p.startRow, limit: p.endRow - p.startRow, sort, filters, ...(count ? {} : { skipTotal: true }) })
        .then((page) => {
          if (page.total !== null) rowCount = page.total;
          for (const row of page.rows) versions.set(row.id, row.version);
          p.successCallback(page.rows, rowCount);
          if (page.total !== null) props.onTotal?.(page.total);
          if (status()?.notes[0]?.key === 'offline') setStatus(null);
        })
        .catch(() => {
          if (count) countNeeded = true;
          p.failCallback();
          say('offline', {}, 'error');
        });
    },
  };

  /** Server-side text filters; date columns read typed dates (dd/mm/yyyy), with before/after. */
  const filterParams = (kind: GridColumnDef['kind']) => {
    const always = () => true; // the server filters; the grid never evaluates these itself
    const options =
      kind === 'date'
        ? ['equals', { displayKey: 'lessThan', displayName: t('grid.filter.before'), predicate: always }, { displayKey: 'greaterThan', displayName: t('grid.filter.after'), predicate: always }]
        : kind === 'sex' || kind === 'boolean' || kind === 'integer'
          ? ['equals']
          : kind === 'choice'
            ? ['contains', 'equals', 'startsWith']
          : ['contains', 'equals', 'startsWith', 'blank', 'notBlank'];
    return { filterOptions: options, maxNumConditions: 1, debounceMs: 400 };
  };

  const columnDefs = (): ColDef[] =>
    props.columns.map((c): ColDef => ({
      colId: c.field,
      headerName: c.header(),
      headerTooltip: c.header(),
      ...(c.width ? { width: c.width } : {}),
      ...(c.flex ? { flex: c.flex } : {}),
      ...(c.pinned ? { pinned: c.pinned } : {}),
      sortable: !!c.sortKey,
      valueGetter: (p) => (c.display ? (p.data ? c.display(p.data) : '') : p.data?.[c.field]),
      valueFormatter: (p) => {
        const state = stateOf(p);
        if (state?.raw !== undefined) return state.raw;
        return p.data ? cellText(c, p.data, locale()) : '';
      },
      editable: (p) => !props.readOnly && c.editable && !!p.data,
      valueSetter: (p) => onValueSet(p, c),
      onCellClicked: (p) => {
        if (p.data && !p.node.rowPinned) props.onCellClick?.(c.field, p.data as GridRow);
      },
      cellEditor: 'agTextCellEditor',
      cellEditorParams: { useFormatter: true },
      ...(c.filter ? { filter: 'agTextColumnFilter', filterParams: filterParams(c.kind) } : {}),
      tooltip: (p) => (p.data ? states.get(key((p.data as GridRow).id, c.field))?.message() : undefined),
      cellClassRules: {
        'jg-range': inRange,
        'jg-range-top': edge('top'),
        'jg-range-bottom': edge('bottom'),
        'jg-range-left': edge('left'),
        'jg-range-right': edge('right'),
        'jg-error': (p) => stateOf(p)?.kind === 'error',
        'jg-warning': (p) => stateOf(p)?.kind === 'warning',
        'jg-conflict': (p) => stateOf(p)?.kind === 'conflict',
        'jg-pending': (p) => stateOf(p)?.kind === 'pending',
        'jg-readonly': () => !!props.readOnly || !c.editable,
      },
    }));

  const indexColumns = () => {
    colIndex = new Map((api?.getAllDisplayedColumns() ?? []).map((c, i) => [c.getColId(), i]));
  };

  const options = (): GridOptions => ({
    theme: jemputTheme,
    rowModelType: 'infinite',
    datasource,
    cacheBlockSize: 100,
    maxBlocksInCache: 100,
    infiniteInitialRowCount: 50,
    maxConcurrentDatasourceRequests: 2,
    blockLoadDebounceMillis: 60,
    columnDefs: columnDefs(),
    defaultColDef: { resizable: true, minWidth: 56, suppressKeyboardEvent: onKey, floatingFilter: props.columns.some((c) => c.filter), suppressHeaderMenuButton: true },
    getRowId: (p) => String((p.data as GridRow).id),
    getRowClass: (p) => (p.node.rowPinned ? 'jg-draft' : p.data && props.rowClass ? props.rowClass(p.data as GridRow) : undefined),
    localeText: gridLocaleText(locale()),
    tooltipShowDelay: 250,
    enterNavigatesVertically: true,
    enterNavigatesVerticallyAfterEdit: true,
    stopEditingWhenCellsLoseFocus: true,
    pinnedBottomRowData: drafts.map((d) => ({ id: d.id, version: -1, __draft: true, ...d.patch })),
    onGridReady: () => {
      restoreColumns();
      indexColumns();
    },
    onDisplayedColumnsChanged: () => {
      indexColumns();
      syncColumnMenu();
    },
    onColumnResized: (e) => e.finished && e.source !== 'api' && e.source !== 'flex' && rememberColumns(),
    onColumnMoved: (e) => e.finished && e.source !== 'api' && rememberColumns(),
    onCellEditingStopped: (e) => {
      const edited = (e.data as GridRow | undefined)?.id;
      if (redrawPending) {
        redrawPending = false;
        // After this edit's value is drawn.
        setTimeout(() => api?.redrawRows(), 0);
      }
      // After the edit's own save (queued writes), so a conflict it gets is shown first.
      const waiting = edited ? heldForEdit.release(edited) : undefined;
      if (waiting) void queued(async () => liveQueue.push([waiting]));
    },
    onCellFocused: (e) => {
      const column = typeof e.column === 'object' && e.column ? e.column.getColId() : null;
      if (e.rowIndex == null || !column) return;
      // A report that comes after the focus has moved on is old news.
      const now = api?.getFocusedCell();
      if (!now || now.rowIndex !== e.rowIndex || now.column.getColId() !== column || (now.rowPinned ?? null) !== (e.rowPinned ?? null)) return;
      const node = e.rowPinned ? api?.getPinnedBottomRow(e.rowIndex) : api?.getDisplayedRowAtIndex(e.rowIndex);
      const rowId = (node?.data as GridRow | undefined)?.id;
      setFocused(rowId ? { rowId, field: column } : null);
      if (e.rowPinned) return setRange(null);
      // Arrows, Tab, Enter: a new range. A click has already set it (on mouse-down), and a report
      // arriving after a key was pressed in this cell must not undo what the key did.
      settleRange({ row: e.rowIndex, col: colIndex.get(column) ?? 0 });
    },
    onSortChanged: () => setRange(null),
    onFilterChanged: () => setRange(null),
  });

  onMount(() => {
    // The mouse is followed from the DOM events themselves: the grid's own cell events
    // (onCellFocused, onCellMouseOver) come later, from a timer, after a key or the mouse-up.
    /** The grid cell under the mouse, or null (a header, a draft row, a cell's editor). */
    const cellUnder = (target: HTMLElement): Cell | null => {
      const cellElement = target.closest<HTMLElement>('.ag-cell');
      const rowElement = cellElement?.closest<HTMLElement>('.ag-row');
      if (!cellElement || !rowElement || rowElement.classList.contains('ag-row-pinned') || isTextInput(target)) return null;
      const col = colIndex.get(cellElement.getAttribute('col-id') ?? '');
      const row = Number(rowElement.getAttribute('row-index'));
      return col === undefined || !Number.isInteger(row) ? null : { row, col };
    };
    const onMouseDown = (e: MouseEvent) => {
      const cell = e.button === 0 ? cellUnder(e.target as HTMLElement) : null;
      dragging = !!cell;
      // Shift+click grows the range to the clicked cell, which the grid then focuses.
      if (cell) setRange(e.shiftKey && range ? extendTo(range, cell, bounds()) : cellRange(cell), false, cell);
    };
    const onMouseOver = (e: MouseEvent) => {
      const cell = dragging && range ? cellUnder(e.target as HTMLElement) : null;
      if (!cell || !range) return;
      const next = extendTo(range, cell, bounds());
      // The grid's focus stays where the drag started.
      if (!sameCell(next.focus, range.focus)) setRange(next, false, rangeOwner);
    };
    const onMouseUp = () => (dragging = false);
    container.addEventListener('mousedown', onMouseDown, true);
    container.addEventListener('mouseover', onMouseOver);
    window.addEventListener('mouseup', onMouseUp);
    container.addEventListener('copy', onCopy);
    container.addEventListener('paste', onPaste);
    onCleanup(() => {
      container.removeEventListener('mousedown', onMouseDown, true);
      container.removeEventListener('mouseover', onMouseOver);
      window.removeEventListener('mouseup', onMouseUp);
      container.removeEventListener('copy', onCopy);
      container.removeEventListener('paste', onPaste);
      api?.destroy();
      api = undefined;
    });
  });

  // The grid's own texts are fixed at creation: a language switch rebuilds it (rows reload).
  createEffect(
    on(locale, () => {
      api?.destroy();
      api = createGrid(container, options());
    }),
  );

  if (props.refreshKey) {
    createEffect(
      on(props.refreshKey, () => {
        setRange(null);
        countNeeded = true;
        api?.purgeInfiniteCache();
      }, { defer: true }),
    );
  }

  // ------------------------------------------------------------ column layout

  const [columnMenu, setColumnMenu] = createSignal<{ field: string; label: string; visible: boolean }[]>([]);
  const [menuOpen, setMenuOpen] = createSignal(false);
  const syncColumnMenu = () =>
    setColumnMenu(props.columns.map((c) => ({ field: c.field, label: c.header(), visible: api?.getColumn(c.field)?.isVisible() ?? true })));

  const restoreColumns = () => {
    const saved = loadColumnState(gridId(), props.columns.map((c) => c.field));
    if (saved) api?.applyColumnState({ state: saved.map((c) => ({ colId: c.colId, hide: !!c.hide, ...(c.width ? { width: c.width, flex: null } : {}) })), applyOrder: true });
    syncColumnMenu();
  };
  const rememberColumns = () => {
    const state = api?.getColumnState() ?? [];
    saveColumnState(gridId(), state.map((c) => ({ colId: c.colId, ...(c.width ? { width: c.width } : {}), hide: !!c.hide })));
  };
  const toggleColumn = (field: string, visible: boolean) => {
    // At least one column stays: a grid with none can't be clicked back.
    if (!visible && columnMenu().filter((c) => c.visible).length <= 1) return;
    api?.setColumnsVisible([field], visible);
    rememberColumns();
    syncColumnMenu();
  };
  const resetColumns = () => {
    resetColumnState(gridId());
    api?.resetColumnState();
    setMenuOpen(false);
    syncColumnMenu();
    say('grid.columnsReset');
  };

  /** An empty new row below the grid, to type into; it is saved once its cells are valid. */
  const addRow = () => {
    const fresh = props.newRow(loadedRow(rowCount - 1));
    drafts.push({ id: fresh.id, patch: { ...fresh.defaults } });
    showDrafts();
    const first = displayedColumns().find((c) => c.editable);
    if (first) {
      api?.ensureColumnVisible(first.field);
      api?.setFocusedCell(drafts.length - 1, first.field, 'bottom');
    }
    say('grid.addRowHint');
  };

  // ------------------------------------------------------------ CSV export

  const [exporting, setExporting] = createSignal<number | null>(null);
  /** Every row of the view (filter, sort, search as shown), read page by page, in the visible columns' order. */
  const exportCsv = async () => {
    if (exporting() !== null) return;
    const columns = displayedColumns();
    const query = { ...lastFetch };
    setExporting(0);
    async function* pages() {
      for (let offset = 0; ; offset += PAGE_LIMIT) {
        const page = await props.fetchPage({ ...query, offset, limit: PAGE_LIMIT, export: true });
        setExporting(offset + page.rows.length);
        yield page.rows;
        if (page.rows.length < PAGE_LIMIT || (page.total !== null && offset + page.rows.length >= page.total)) return;
      }
    }
    try {
      // papaparse is loaded on the first export only: it is not needed to open a grid.
      const { buildCsv, csvFileName } = await import('./csv.ts');
      const blob = await buildCsv(columns, pages(), locale());
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = csvFileName(gridId(), todayInJakarta());
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      say('grid.exported', { count: exporting() ?? 0 });
    } catch (error) {
      say('grid.exportFailed', { message: (error as Error).message }, 'error');
    } finally {
      setExporting(null);
    }
  };

  // ------------------------------------------------------------ live rows

  // A row whose cell is being edited is not refreshed under the officer's hands: its change waits
  // until the edit ends. If the edit is saved, it goes with the version the officer was looking
  // at, so the server answers with a conflict (both values shown) instead of silently
  // overwriting what the other person just wrote.
  // (Asked of the grid itself: its onCellEditingStarted report comes later, from a timer.)
  const editing = () => (api?.getEditingCells().length ?? 0) > 0;
  const isBeingEdited = (id: string) =>
    (api?.getEditingCells() ?? []).some((c) => !c.rowPinned && (api?.getDisplayedRowAtIndex(c.rowIndex)?.data as GridRow | undefined)?.id === id);
  const heldForEdit = new HeldChanges();

  const applyLive = async (changes: RowChange[]) => {
    if (!api) return;
    changes = heldForEdit.hold(changes, isBeingEdited);
    changes = heldChanges.hold(changes, (id) => writingRows.has(id));
    if (!changes.length) return;
    const plan = planLiveChanges(
      changes,
      (id) => (api?.getRowNode(id)?.data ? versions.get(id) : undefined),
      (id) => versions.has(id),
    );
    if (plan.refetch.length && props.fetchRows) {
      try {
        const rows = await props.fetchRows(plan.refetch);
        for (const row of rows) {
          if (!api?.getRowNode(row.id)?.data) continue;
          // Only news: a row being written, or already newer here (a save answered while this
          // read was on its way), keeps what the grid has.
          if (writingRows.has(row.id) || row.version <= (versions.get(row.id) ?? -1)) continue;
          updateNode(row);
          // A cell showing a conflict keeps the officer's value and now shows the newest "theirs".
          for (const column of props.columns) {
            const state = states.get(key(row.id, column.field));
            if (state?.kind === 'conflict') state.theirs = row[column.field] ?? null;
          }
        }
        refresh();
        changed();
      } catch {
        // offline: the next change or a reload brings the rows
      }
    }
    if (plan.reload) reloadRows();
  };
  const liveQueue = coalesce<RowChange>(150, (changes) => void applyLive(changes));

  if (props.live) {
    const live = props.live;
    createEffect(() => {
      const scope = live.scope?.() ?? {};
      const variables = { entity: live.entity, driveId: scope.driveId ?? null, schoolId: scope.schoolId ?? null, visitId: scope.visitId ?? null };
      const stop = subscribeLive<{ rowChanges: RowChange[] }>(ROW_CHANGES, variables, (data) => liveQueue.push(data.rowChanges), reloadRows);
      onCleanup(() => {
        stop();
        liveQueue.cancel();
      });
    });
  }

  // Row classes are read when rows are drawn: draw them again when what they depend on changes,
  // but not under a cell being edited (a redraw would end the edit).
  let redrawPending = false;
  const redraw = () => {
    if (editing()) redrawPending = true;
    else api?.redrawRows();
  };
  if (props.redrawKey) createEffect(on(props.redrawKey, redraw, { defer: true }));

  const focusedState = () => {
    tick();
    const f = focused();
    return f ? states.get(key(f.rowId, f.field)) : undefined;
  };

  const keepMine = async () => {
    const f = focused();
    const state = focusedState();
    const version = f ? versions.get(f.rowId) : undefined;
    if (!f || !state || state.kind !== 'conflict' || version === undefined) return;
    const write = { id: f.rowId, version, patch: { [f.field]: state.mine } };
    const result = await saveRow(write);
    const { saved } = applyResults([write], [result]);
    undoStack.push(batchFromSaved('grid.label.edit', [{ ...write, before: { [f.field]: state.theirs } }], saved));
    refresh();
    changed();
  };

  const keepTheirs = () => {
    const f = focused();
    if (!f) return;
    states.delete(key(f.rowId, f.field));
    refresh();
    changed();
  };

  const show = (field: string, value: unknown) => {
    const column = byField.get(field);
    const text = column ? formatCell(column.kind, value, locale(), column.choices?.()) : String(value ?? '');
    return text === '' ? t('grid.empty') : text;
  };

  return (
    <div class="datagrid" classList={{ 'datagrid-readonly': !!props.readOnly }} data-readonly={props.readOnly ? 'true' : undefined}>
      <div class="datagrid-tools">
        <Show when={!props.readOnly}>
          <button type="button" class="tool" onClick={addRow} data-testid="add-row">
            {t('grid.addRow')}
          </button>
        </Show>
        <button type="button" class="tool" onClick={() => void exportCsv()} disabled={exporting() !== null} data-testid="export-csv" title={t('grid.exportTitle')}>
          {exporting() !== null ? t('grid.exporting', { count: exporting()! }) : t('grid.export')}
        </button>
        <div class="column-menu">
          <button type="button" class="tool" aria-expanded={menuOpen()} onClick={() => (syncColumnMenu(), setMenuOpen(!menuOpen()))} data-testid="columns-button">
            {t('grid.columns')}
          </button>
          <Show when={menuOpen()}>
            <div class="column-menu-panel" role="menu" data-testid="columns-menu">
              <For each={columnMenu()}>
                {(c) => (
                  <label>
                    <input type="checkbox" checked={c.visible} onChange={(e) => toggleColumn(c.field, e.currentTarget.checked)} />
                    {c.label}
                  </label>
                )}
              </For>
              <button type="button" class="tool" onClick={resetColumns} data-testid="columns-reset">
                {t('grid.resetColumns')}
              </button>
            </div>
          </Show>
        </div>
      </div>
      <div class="datagrid-grid" ref={container} role="region" aria-label={props.label} />
      <div class="datagrid-status" aria-live="polite">
        <Show
          when={focusedState()}
          fallback={
            <span class={`status-text tone-${status()?.tone ?? 'info'}`} data-testid="grid-status">
              {statusText() ?? t(props.readOnly ? 'grid.hintReadOnly' : 'grid.hint')}
            </span>
          }
        >
          {(state) => (
            <span class={`cell-problem kind-${state().kind}`} data-testid="cell-problem">
              <Show when={state().kind === 'conflict'} fallback={state().message()}>
                {t('grid.conflict', { mine: show(focused()!.field, state().mine), theirs: show(focused()!.field, state().theirs) })}
                <button type="button" onClick={() => void keepMine()}>
                  {t('grid.keepMine')}
                </button>
                <button type="button" onClick={keepTheirs}>
                  {t('grid.keepTheirs')}
                </button>
              </Show>
            </span>
          )}
        </Show>
      </div>
    </div>
  );
}
