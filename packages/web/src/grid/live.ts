// What a grid does with rows changed elsewhere (the rowChanges subscription): re-read the rows it
// shows whose version moved past the one it has, and reload the view when rows came or went.
// Changes are gathered for a short moment so that a burst (someone pastes 1,000 rows) costs one
// request, not 1,000.

/** `reload`: many rows of the view's scope changed at once (a bulk import): no ids to re-read, reload the view. */
export type RowChange = { id: string; version: number; deleted: boolean; reload?: boolean | null };

export type LivePlan = {
  /** Loaded rows with a newer version: fetch these by id and update them in place. */
  refetch: string[];
  /** Rows were created or deleted: the view's count and positions moved, reload it. */
  reload: boolean;
};

/**
 * @param loadedVersion the version of a row the grid has loaded, or undefined when it has not
 * @param known whether the grid has ever seen the row (it may be scrolled out of the cache)
 */
export function planLiveChanges(changes: readonly RowChange[], loadedVersion: (id: string) => number | undefined, known: (id: string) => boolean): LivePlan {
  if (changes.some((c) => c.reload)) return { refetch: [], reload: true };
  const newest = new Map<string, RowChange>();
  for (const c of changes) {
    const seen = newest.get(c.id);
    if (!seen || c.deleted || c.version > seen.version) newest.set(c.id, c);
  }
  const refetch: string[] = [];
  let reload = false;
  for (const c of newest.values()) {
    const version = loadedVersion(c.id);
    if (c.deleted) {
      if (known(c.id)) reload = true;
      continue;
    }
    // The grid's own saves come back too; their version is already the one it holds.
    if (version !== undefined) {
      if (c.version > version) refetch.push(c.id);
    } else if (!known(c.id)) reload = true; // a new row, perhaps in this view
  }
  return { refetch, reload };
}

/**
 * Changes to rows with a write of this grid on its way wait for the write's answer, which brings
 * the newest row: most are the grid's own echo (1,000 of them after a paste), not worth a re-read
 * while the write is still being answered. Released, they are planned again: the echo is then no
 * longer newer than the row, and a change someone made after the write still gets its re-read.
 */
export class HeldChanges {
  private readonly held = new Map<string, RowChange>();

  /** Keeps (the newest) changes to rows being written; returns the others. */
  hold(changes: readonly RowChange[], writing: (id: string) => boolean): RowChange[] {
    const rest: RowChange[] = [];
    for (const c of changes) {
      if (!writing(c.id)) {
        rest.push(c);
        continue;
      }
      const held = this.held.get(c.id);
      if (!held || c.deleted || (!held.deleted && c.version > held.version)) this.held.set(c.id, c);
    }
    return rest;
  }

  /** What was held for a row whose writes are all answered. */
  release(id: string): RowChange | undefined {
    const held = this.held.get(id);
    this.held.delete(id);
    return held;
  }
}

/** Calls `flush` with everything pushed during the last `delayMs`. */
export function coalesce<T>(delayMs: number, flush: (items: T[]) => void): { push(items: readonly T[]): void; cancel(): void } {
  let pending: T[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    push(items) {
      pending.push(...items);
      timer ??= setTimeout(() => {
        timer = undefined;
        const batch = pending;
        pending = [];
        flush(batch);
      }, delayMs);
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
      pending = [];
    },
  };
}
