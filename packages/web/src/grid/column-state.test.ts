import { describe, expect, it } from 'vitest';
import { columnStateKey, loadColumnState, resetColumnState, saveColumnState, setColumnStateUser } from './column-state.ts';

class MemoryStorage {
  items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
}

describe('column state', () => {
  it('remembers widths, order and hidden columns per grid, dropping columns that no longer exist', () => {
    const storage = new MemoryStorage() as unknown as Storage;
    saveColumnState('schools', [{ colId: 'name', width: 301.4 }, { colId: 'npsn', hide: true }, { colId: 'gone', width: 90 }], storage);
    expect(loadColumnState('schools', ['npsn', 'name'], storage)).toEqual([
      { colId: 'name', width: 301, hide: false },
      { colId: 'npsn', hide: true },
    ]);
    expect(loadColumnState('drives', ['name'], storage)).toBeNull();
    resetColumnState('schools', storage);
    expect(loadColumnState('schools', ['npsn', 'name'], storage)).toBeNull();
  });

  it('keeps each user’s layout apart once the user is known, and survives garbage', () => {
    const storage = new MemoryStorage() as unknown as Storage;
    expect(columnStateKey('students')).toBe('jemput.columns.local.students');
    setColumnStateUser('usr_1');
    saveColumnState('students', [{ colId: 'name', width: 200 }], storage);
    setColumnStateUser('usr_2');
    expect(loadColumnState('students', ['name'], storage)).toBeNull();
    storage.setItem(columnStateKey('students'), '{not json');
    expect(loadColumnState('students', ['name'], storage)).toBeNull();
    setColumnStateUser(null);
  });
});
