import { describe, expect, it, vi } from 'vitest';
import { coalesce, HeldChanges, planLiveChanges } from './live.ts';

describe('planLiveChanges', () => {
  const loaded = new Map([
    ['a', 3],
    ['b', 5],
  ]);
  const known = new Set(['a', 'b', 'c']);
  const plan = (changes: Parameters<typeof planLiveChanges>[0]) => planLiveChanges(changes, (id) => loaded.get(id), (id) => known.has(id));

  it('re-reads loaded rows that moved past the version the grid holds, once each', () => {
    expect(plan([{ id: 'a', version: 4, deleted: false }, { id: 'a', version: 5, deleted: false }, { id: 'b', version: 5, deleted: false }])).toEqual({ refetch: ['a'], reload: false });
  });

  it('ignores the echo of its own saves and rows it never saw that are not new', () => {
    expect(plan([{ id: 'b', version: 5, deleted: false }])).toEqual({ refetch: [], reload: false });
    expect(plan([{ id: 'c', version: 9, deleted: false }])).toEqual({ refetch: [], reload: false });
  });

  it('reloads the view when a known row is deleted or a row it never saw appears', () => {
    expect(plan([{ id: 'a', version: 3, deleted: true }])).toEqual({ refetch: [], reload: true });
    expect(plan([{ id: 'new', version: 1, deleted: false }])).toEqual({ refetch: [], reload: true });
    expect(plan([{ id: 'gone-elsewhere', version: 2, deleted: true }])).toEqual({ refetch: [], reload: false });
  });

  it('reloads the view once on a bulk import signal, whatever else came with it, and re-reads nothing by id', () => {
    // One signal per import chunk names the import job, not students: the view is reloaded instead.
    expect(plan([{ id: 'import-job-1', version: 2000, deleted: false, reload: true }])).toEqual({ refetch: [], reload: true });
    expect(plan([{ id: 'a', version: 4, deleted: false }, { id: 'import-job-1', version: 4000, deleted: false, reload: true }])).toEqual({ refetch: [], reload: true });
    expect(plan([{ id: 'a', version: 4, deleted: false, reload: false }])).toEqual({ refetch: ['a'], reload: false });
  });
});

describe('coalesce', () => {
  it('hands a burst over as one batch', () => {
    vi.useFakeTimers();
    const batches: number[][] = [];
    const queue = coalesce<number>(100, (items) => batches.push(items));
    queue.push([1, 2]);
    queue.push([3]);
    vi.advanceTimersByTime(99);
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(1);
    queue.push([4]);
    vi.advanceTimersByTime(100);
    expect(batches).toEqual([[1, 2, 3], [4]]);
    vi.useRealTimers();
  });
});

describe('HeldChanges', () => {
  it('keeps the newest change of rows being written until released, and passes the others on', () => {
    const held = new HeldChanges();
    const writing = new Set(['a', 'b']);
    const rest = held.hold(
      [
        { id: 'a', version: 4, deleted: false },
        { id: 'a', version: 6, deleted: false },
        { id: 'a', version: 5, deleted: false },
        { id: 'c', version: 2, deleted: false },
        { id: 'b', version: 3, deleted: true },
        { id: 'b', version: 4, deleted: false },
      ],
      (id) => writing.has(id),
    );
    expect(rest).toEqual([{ id: 'c', version: 2, deleted: false }]);
    expect(held.release('a')).toEqual({ id: 'a', version: 6, deleted: false });
    expect(held.release('a')).toBeUndefined();
    // A delete is kept over any later version: the row is gone.
    expect(held.release('b')).toEqual({ id: 'b', version: 3, deleted: true });
    expect(held.release('c')).toBeUndefined();
  });
});
