// One SQLite connection serves every request. A statement sent while another request's
// transaction is open must not run inside it: it would read rows that are not committed, and a
// write acknowledged to its caller would be rolled back with the other transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createTestDatabase, type TestDatabase } from '../test/databases.ts';
import { sqliteFilePath } from './client.ts';

for (const provider of ['sqlite', 'postgresql'] as const) {
  describe(`statements beside an open transaction [${provider}]`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(provider);
    });
    afterAll(() => database?.drop());

    it('neither see its uncommitted rows nor roll back with it', async () => {
      const { db } = database;
      // A table without foreign keys keeps the test to the point.
      const row = (id: string) => db.appliedMutation.create({ data: { id, kind: 'isolation-test', result: 'awal' } });
      const [a, b] = [await row(`a-${provider}`), await row(`b-${provider}`)];

      let opened!: () => void;
      const isOpen = new Promise<void>((resolve) => (opened = resolve));
      const failing = db
        .$transaction(async (tx) => {
          await tx.appliedMutation.update({ where: { id: a.id }, data: { result: 'belum disimpan' } });
          opened();
          // Another request runs while this transaction waits on something.
          await new Promise((resolve) => setTimeout(resolve, 100));
          throw new Error('this transaction fails');
        })
        .catch((error: Error) => error.message);

      await isOpen;
      const [seen, saved] = await Promise.all([
        db.appliedMutation.findUniqueOrThrow({ where: { id: a.id } }),
        db.appliedMutation.update({ where: { id: b.id }, data: { result: 'disimpan di luar' } }),
      ]);
      expect(await failing).toBe('this transaction fails');
      expect(seen.result).toBe('awal');
      expect(saved.result).toBe('disimpan di luar');
      expect((await db.appliedMutation.findUniqueOrThrow({ where: { id: b.id } })).result).toBe('disimpan di luar');
      expect((await db.appliedMutation.findUniqueOrThrow({ where: { id: a.id } })).result).toBe('awal');
    });
  });
}

// The API's connection is not the only writer: the import's bulk writer has its own connection in
// the same process, and command-line tools may write while a server runs. Waiting for their write
// lock must neither freeze this process (better-sqlite3's busy timeout sleeps in the thread, where
// the lock holder in this same process could never finish) nor fail a transaction that read first.
describe('a write lock held by another connection [sqlite]', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(() => database?.drop());

  it('is waited for asynchronously: the process keeps answering, and a read-then-write transaction commits after it', async () => {
    const { db, url } = database;
    const row = await db.appliedMutation.create({ data: { id: 'lock-a', kind: 'lock-test', result: 'awal' } });
    const other = new Database(sqliteFilePath(url));
    try {
      other.exec('BEGIN IMMEDIATE');
      other.prepare(`INSERT INTO "AppliedMutation" ("id", "kind", "result", "appliedAt") VALUES ('lock-b', 'lock-test', 'lain', ?)`).run(Date.now());

      const writing = db.$transaction(async (tx) => {
        const current = await tx.appliedMutation.findUniqueOrThrow({ where: { id: row.id } });
        return tx.appliedMutation.update({ where: { id: row.id }, data: { result: `${current.result} + diubah` } });
      });
      // While the transaction waits, this process still runs timers and reads.
      const started = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const timerLate = performance.now() - started - 50;
      const read = await db.appliedMutation.findUniqueOrThrow({ where: { id: row.id } });
      expect(timerLate).toBeLessThan(40);
      expect(read.result).toBe('awal');

      other.exec('COMMIT');
      expect((await writing).result).toBe('awal + diubah');
      expect((await db.appliedMutation.findUniqueOrThrow({ where: { id: 'lock-b' } })).result).toBe('lain');
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
    }
  });
});
