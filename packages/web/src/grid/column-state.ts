// Column widths, order and visibility, remembered per user and grid in localStorage. Keyed by
// the signed-in user's id once the app knows it (setColumnStateUser); until then one key per
// browser. Sort and filters are not kept: they are part of the task at hand, not of the layout.

export type SavedColumn = { colId: string; width?: number; hide?: boolean };

const PREFIX = 'jemput.columns';
let userKey = 'local';

/** Called by the shell once the user is known, so each officer on a shared PC keeps their own layout. */
export function setColumnStateUser(userId: string | null): void {
  userKey = userId ?? 'local';
}

export function columnStateKey(grid: string): string {
  return `${PREFIX}.${userKey}.${grid}`;
}

/** The saved layout of a grid, keeping only columns that still exist (a new version may add or drop some). */
export function loadColumnState(grid: string, known: readonly string[], storage: Storage | undefined = globalThis.localStorage): SavedColumn[] | null {
  try {
    const raw = storage?.getItem(columnStateKey(grid));
    if (!raw) return null;
    const parsed = JSON.parse(raw) as unknown;
    if (!Array.isArray(parsed)) return null;
    const columns = parsed.filter(
      (c): c is SavedColumn => !!c && typeof c === 'object' && typeof (c as SavedColumn).colId === 'string' && known.includes((c as SavedColumn).colId),
    );
    return columns.length ? columns.map((c) => ({ colId: c.colId, ...(typeof c.width === 'number' && c.width > 0 ? { width: Math.round(c.width) } : {}), hide: c.hide === true })) : null;
  } catch {
    return null;
  }
}

export function saveColumnState(grid: string, columns: readonly SavedColumn[], storage: Storage | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(columnStateKey(grid), JSON.stringify(columns.map((c) => ({ colId: c.colId, ...(c.width ? { width: Math.round(c.width) } : {}), hide: !!c.hide }))));
  } catch {
    // storage full or blocked: the layout is simply not remembered
  }
}

export function resetColumnState(grid: string, storage: Storage | undefined = globalThis.localStorage): void {
  try {
    storage?.removeItem(columnStateKey(grid));
  } catch {
    // nothing to forget
  }
}
