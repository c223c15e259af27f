// The field app's data in IndexedDB (through `idb`): the outbox of outcome writes, conflicts and
// refusals waiting for the officer, and the cached recording sheets of visits opened online.
// IndexedDB survives closing the browser and rebooting; each call is its own transaction, and
// transactions on one store run in the order they were started, which the queue relies on.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Conflict, QueuedWrite, QueueStore, Refusal } from './queue.ts';
import type { Sheet } from './sheet.ts';

interface FieldDb extends DBSchema {
  queue: { key: number; value: QueuedWrite & { seq: number }; indexes: { byId: string; byStudent: [string, string] } };
  conflicts: { key: string; value: Conflict };
  refusals: { key: string; value: Refusal };
  sheets: { key: string; value: Sheet };
}

export const FIELD_DB_NAME = 'jemput-field';

let opening: Promise<IDBPDatabase<FieldDb>> | null = null;

function db(): Promise<IDBPDatabase<FieldDb>> {
  opening ??= openDB<FieldDb>(FIELD_DB_NAME, 1, {
    upgrade(database) {
      const queue = database.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true });
      queue.createIndex('byId', 'clientMutationId', { unique: false });
      queue.createIndex('byStudent', ['driveId', 'studentId']);
      database.createObjectStore('conflicts', { keyPath: 'key' });
      database.createObjectStore('refusals', { keyPath: 'clientMutationId' });
      database.createObjectStore('sheets', { keyPath: 'visit.id' });
    },
  });
  return opening;
}

export class IdbQueueStore implements QueueStore {
  async pending(): Promise<QueuedWrite[]> {
    return (await db()).getAll('queue');
  }
  async add(write: QueuedWrite): Promise<void> {
    const { seq: _ignored, ...rest } = write;
    await (await db()).add('queue', rest as QueuedWrite & { seq: number });
  }
  async remove(clientMutationId: string): Promise<void> {
    const tx = (await db()).transaction('queue', 'readwrite');
    for (const key of await tx.store.index('byId').getAllKeys(clientMutationId)) await tx.store.delete(key);
    await tx.done;
  }
  async rebase(driveId: string, studentId: string, from: number | null, to: number): Promise<void> {
    const tx = (await db()).transaction('queue', 'readwrite');
    for (const write of await tx.store.index('byStudent').getAll([driveId, studentId])) {
      if (write.baseVersion === from) await tx.store.put({ ...write, baseVersion: to });
    }
    await tx.done;
  }
  async conflicts(): Promise<Conflict[]> {
    return (await db()).getAll('conflicts');
  }
  async putConflict(conflict: Conflict): Promise<void> {
    await (await db()).put('conflicts', conflict);
  }
  async removeConflict(key: string): Promise<void> {
    await (await db()).delete('conflicts', key);
  }
  async refusals(): Promise<Refusal[]> {
    return (await db()).getAll('refusals');
  }
  async putRefusal(refusal: Refusal): Promise<void> {
    await (await db()).put('refusals', refusal);
  }
  async removeRefusal(clientMutationId: string): Promise<void> {
    await (await db()).delete('refusals', clientMutationId);
  }
}

/** Cached sheets: what a visit's recording sheet needs to open without network. */
export async function saveSheet(sheet: Sheet): Promise<void> {
  await (await db()).put('sheets', sheet);
}

export async function loadSheet(visitId: string): Promise<Sheet | undefined> {
  return (await db()).get('sheets', visitId);
}

export async function cachedSheets(): Promise<Pick<Sheet, 'visit' | 'savedAt'>[]> {
  return (await (await db()).getAll('sheets')).map((s) => ({ visit: s.visit, savedAt: s.savedAt }));
}

/**
 * Puts the server's outcome of one student into every cached sheet that lists the student, so a
 * sheet reopened offline later shows what was synced while it was closed.
 */
export async function updateCachedOutcome(driveId: string, studentId: string, outcome: Sheet['students'][number]['outcome']): Promise<void> {
  const tx = (await db()).transaction('sheets', 'readwrite');
  for (const sheet of await tx.store.getAll()) {
    if (sheet.visit.drive.id !== driveId || !sheet.students.some((s) => s.id === studentId)) continue;
    await tx.store.put({ ...sheet, students: sheet.students.map((s) => (s.id === studentId ? { ...s, outcome } : s)) });
  }
  await tx.done;
}
