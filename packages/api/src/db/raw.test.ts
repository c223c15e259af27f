// A write transaction's raw statements run straight on SQLite's connection (db/raw.ts) and
// through Prisma elsewhere: both must store and answer the same, and report a duplicate the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/databases.ts';
import { insertMany, updateVersioned } from '../common/bulk.ts';
import { uniqueViolation } from '../common/editing.ts';
import { planCacheCounts } from './plan-cache.ts';
import type { Db } from './client.ts';

for (const provider of ['sqlite', 'postgresql'] as const) {
  describe(`raw statements of a transaction [${provider}]`, () => {
    let database: TestDatabase;
    let officeId: string;
    beforeAll(async () => {
      database = await createTestDatabase(provider);
      officeId = (await database.db.office.create({ data: { regencyCode: `97.${provider.length}`, name: 'Dinas Uji', regencyName: 'Kota Uji', provinceName: 'Jawa Timur' } })).id;
    });
    afterAll(() => database?.drop());

    /** Raw statements Prisma compiled meanwhile (the direct path compiles none). */
    const throughPrisma = async (run: () => Promise<unknown>) => {
      const before = planCacheCounts.skipped;
      await run();
      return planCacheCounts.skipped - before;
    };

    const at = new Date('2026-11-23T01:02:03.456Z');
    const users = (tag: string) =>
      [1, 2].map((n) => [`raw-${tag}-${n}`, officeId, `raw-${tag}-${n}`, 'Uji', 'VIEWER', n === 1, at, at] as unknown[]);
    const USER_FIELDS = ['id', 'officeId', 'username', 'displayName', 'role', 'active', 'createdAt', 'updatedAt'];

    it('runs them on the connection itself on SQLite, through Prisma on PostgreSQL, and stores the same', async () => {
      const { db } = database;
      const sent = database.queries.length;
      const compiled = await throughPrisma(() => db.$transaction((tx) => insertMany(tx as Db, provider, 'User', USER_FIELDS, users('tx'), {})));
      expect(compiled).toBe(provider === 'sqlite' ? 0 : 1);
      // Outside a transaction the statement goes through Prisma (it waits for another request's transaction).
      expect(await throughPrisma(() => insertMany(db, provider, 'User', USER_FIELDS, users('plain'), {}))).toBe(1);
      // The query log hears every statement either way.
      expect(database.queries.slice(sent).filter((sql) => sql.startsWith('INSERT INTO "User"'))).toHaveLength(2);

      const stored = await db.user.findMany({ where: { id: { startsWith: 'raw-' } }, orderBy: { id: 'asc' }, select: { id: true, role: true, active: true, createdAt: true, version: true } });
      expect(stored).toEqual([
        { id: 'raw-plain-1', role: 'VIEWER', active: true, createdAt: at, version: 1 },
        { id: 'raw-plain-2', role: 'VIEWER', active: false, createdAt: at, version: 1 },
        { id: 'raw-tx-1', role: 'VIEWER', active: true, createdAt: at, version: 1 },
        { id: 'raw-tx-2', role: 'VIEWER', active: false, createdAt: at, version: 1 },
      ]);
      // Stored as Prisma stores a DateTime itself: date filters compare them alike.
      expect(await db.user.count({ where: { id: { startsWith: 'raw-' }, createdAt: { gte: at, lte: at } } })).toBe(4);
    });

    it('answers a versioned update the same inside and outside a transaction', async () => {
      const { db } = database;
      const update = (tx: Db, id: string, version: number) => updateVersioned(tx, provider, 'User', ['displayName'], [{ id, version, values: ['Baru'] }]);
      const inside = await db.$transaction(async (tx) => [await update(tx as Db, 'raw-tx-1', 1), await update(tx as Db, 'raw-tx-2', 7)]);
      const outside = [await update(db, 'raw-plain-1', 1), await update(db, 'raw-plain-2', 7)];
      expect(inside.map((s) => [...s])).toEqual([['raw-tx-1'], []]);
      expect(outside.map((s) => [...s])).toEqual([['raw-plain-1'], []]);
      expect(await db.user.findMany({ where: { displayName: 'Baru' }, orderBy: { id: 'asc' }, select: { id: true, version: true } })).toEqual([
        { id: 'raw-plain-1', version: 2 },
        { id: 'raw-tx-1', version: 2 },
      ]);
    });

    it('reports a duplicate value with its field, and rolls the transaction back', async () => {
      const { db } = database;
      const duplicate = [[`raw-dup`, officeId, 'raw-tx-1', 'Uji', 'VIEWER', true, at, at]];
      const error = await db
        .$transaction(async (tx) => {
          await tx.auditEvent.create({ data: { action: 'RAW_TEST', entity: 'User' } });
          await insertMany(tx as Db, provider, 'User', USER_FIELDS, duplicate, {});
        })
        .catch((e: unknown) => e);
      expect(uniqueViolation(error)).toBe('username');
      expect(await db.auditEvent.count({ where: { action: 'RAW_TEST' } })).toBe(0);
      expect(uniqueViolation(await insertMany(db, provider, 'User', USER_FIELDS, duplicate, {}).catch((e: unknown) => e))).toBe('username');
    });
  });
}
