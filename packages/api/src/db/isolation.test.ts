// One SQLite connection serves every request. A statement sent while another request's
// transaction is open must not run inside it: it would read rows that are not committed, and a
// write acknowledged to its caller would be rolled back with the other transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/databases.ts';

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
