// Undo/redo of grid edits. One step is one batch (a typed cell, a paste, a fill, a Delete), and
// it names rows by id, never by position, so it still applies after the grid is sorted or
// filtered differently. The stack only stores values; applying a step goes through the API
// with the row's current version, so a row someone else changed meanwhile becomes a conflict,
// never a silent overwrite.

export type FieldChange = { rowId: string; field: string; before: unknown; after: unknown };
export type CreatedRow = { rowId: string; values: Record<string, unknown> };
/** `label` names the step for the user (a message key of the app's dictionary). */
export type EditBatch = { label: string; changes: FieldChange[]; created: CreatedRow[] };

/** What to send to make the grid match one side of a batch. */
export type BatchWrites = {
  /** rowId → fields to set. */
  updates: Map<string, Record<string, unknown>>;
  /** Rows to create again (redo of a paste that added rows), with their original ids. */
  creates: CreatedRow[];
  /** Rows to delete (undo of a paste that added rows). */
  deletes: string[];
};

export function isEmptyBatch(batch: EditBatch): boolean {
  return batch.changes.length === 0 && batch.created.length === 0;
}

/** The writes that take a batch back (undo): fields to their old values, new rows deleted. */
export function undoWrites(batch: EditBatch): BatchWrites {
  const updates = new Map<string, Record<string, unknown>>();
  const deleted = new Set(batch.created.map((c) => c.rowId));
  // Later changes of the same cell were applied last: undo from the end, so the first `before` wins.
  for (const change of [...batch.changes].reverse()) {
    if (deleted.has(change.rowId)) continue;
    const patch = updates.get(change.rowId) ?? {};
    patch[change.field] = change.before;
    updates.set(change.rowId, patch);
  }
  return { updates, creates: [], deletes: [...deleted] };
}

/** The writes that apply a batch again (redo). */
export function redoWrites(batch: EditBatch): BatchWrites {
  const updates = new Map<string, Record<string, unknown>>();
  const created = new Map(batch.created.map((c) => [c.rowId, { rowId: c.rowId, values: { ...c.values } }]));
  for (const change of batch.changes) {
    const fresh = created.get(change.rowId);
    if (fresh) {
      fresh.values[change.field] = change.after;
      continue;
    }
    const patch = updates.get(change.rowId) ?? {};
    patch[change.field] = change.after;
    updates.set(change.rowId, patch);
  }
  return { updates, creates: [...created.values()], deletes: [] };
}

export class UndoStack {
  private past: EditBatch[] = [];
  private future: EditBatch[] = [];

  constructor(private readonly limit = 200) {}

  /** Records a new step; anything undone before can no longer be redone. */
  push(batch: EditBatch): void {
    if (isEmptyBatch(batch)) return;
    this.past.push(batch);
    if (this.past.length > this.limit) this.past.shift();
    this.future = [];
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  /** The step to take back, moved to the redo side; null when there is none. */
  undo(): EditBatch | null {
    const batch = this.past.pop();
    if (!batch) return null;
    this.future.push(batch);
    return batch;
  }

  /** The step to apply again, moved back to the undo side. */
  redo(): EditBatch | null {
    const batch = this.future.pop();
    if (!batch) return null;
    this.past.push(batch);
    return batch;
  }

  clear(): void {
    this.past = [];
    this.future = [];
  }
}

/**
 * The undo step of a sent plan, keeping only what the server saved: `saved` maps row ids to
 * 'created' or 'updated'.
 */
export function batchFromSaved(
  label: string,
  rows: readonly { id: string; version: number | null; patch: Record<string, unknown>; before: Record<string, unknown> }[],
  saved: ReadonlyMap<string, 'created' | 'updated'>,
): EditBatch {
  const changes: FieldChange[] = [];
  const created: CreatedRow[] = [];
  for (const row of rows) {
    const status = saved.get(row.id);
    if (status === 'created') created.push({ rowId: row.id, values: { ...row.patch } });
    else if (status === 'updated') {
      for (const [field, after] of Object.entries(row.patch)) changes.push({ rowId: row.id, field, before: row.before[field] ?? null, after });
    }
  }
  return { label, changes, created };
}
