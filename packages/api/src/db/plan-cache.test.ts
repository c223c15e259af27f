// Query plans are compiled once per query text and reused (plan-cache.ts). A reused plan must
// answer exactly as a fresh one: values made at run time (ids, timestamps) are made anew, and
// what one run writes into its records never reaches the next.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/databases.ts';
import { planCacheCounts } from './plan-cache.ts';

for (const provider of ['sqlite', 'postgresql'] as const) {
  describe(`query plans reused [${provider}]`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(provider);
    });
    afterAll(() => database?.drop());

    const counted = async <T,>(run: () => Promise<T>) => {
      const before = { ...planCacheCounts };
      const value = await run();
      return { value, hits: planCacheCounts.hits - before.hits, misses: planCacheCounts.misses - before.misses };
    };

    it('keeps a plan once its query text comes a second time, then reuses it', async () => {
      const read = () => database.db.office.findMany({ where: { kits: { gt: 90 + provider.length } }, select: { id: true } });
      const first = await counted(read);
      const second = await counted(read);
      const third = await counted(read);
      expect(first.misses).toBe(1);
      expect(second.misses).toBe(1);
      expect(third).toEqual({ value: first.value, hits: 1, misses: 0 });
    });

    it('makes new ids and timestamps each time a create plan is reused', async () => {
      const create = () => database.db.auditEvent.create({ data: { action: 'PLAN_TEST', entity: provider } });
      await create();
      const first = await create();
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await counted(create);
      expect(second.hits).toBe(1);
      expect(second.value.id).not.toBe(first.id);
      expect(second.value.at.getTime()).toBeGreaterThan(first.at.getTime());
      expect(await database.db.auditEvent.count({ where: { action: 'PLAN_TEST', entity: provider } })).toBe(3);
    });

    it('answers a reused plan with nested records and record-building steps like a fresh one', async () => {
      const { db } = database;
      const office = await db.office.create({ data: { regencyCode: `98.${provider.length}`, name: 'Dinas Uji', regencyName: 'Kota Uji', provinceName: 'Jawa Timur' } });
      await db.region.createMany({ data: [{ code: '98.01', level: 'DISTRICT', name: 'Satu' }, { code: '98.02', level: 'DISTRICT', name: 'Dua' }] });
      const user = await db.user.create({ data: { officeId: office.id, username: `plan-${provider}`, displayName: 'Uji', role: 'VIEWER', districts: { create: [{ districtCode: '98.01' }] } } });
      // A join attaches child records to parents: the second run must not see the first run's children.
      const withDistricts = () => db.user.findUnique({ where: { id: user.id }, include: { districts: { orderBy: { districtCode: 'asc' } } } });
      await withDistricts();
      expect((await withDistricts())?.districts.map((d) => d.districtCode)).toEqual(['98.01']);
      await db.userDistrict.create({ data: { userId: user.id, districtCode: '98.02' } });
      const again = await counted(withDistricts);
      expect(again.hits).toBe(1);
      expect(again.value?.districts.map((d) => d.districtCode)).toEqual(['98.01', '98.02']);
      // An upsert builds its answer from the write (create first, update the second time).
      const upsert = () => db.appliedMutation.upsert({ where: { id: `plan-${provider}` }, create: { id: `plan-${provider}`, kind: 'create' }, update: { kind: 'update' } });
      expect((await upsert()).kind).toBe('create');
      expect((await upsert()).kind).toBe('update');
      const updated = await counted(upsert);
      expect(updated.hits).toBe(1);
      expect(updated.value.kind).toBe('update');
      // An update that answers with the row, run twice: the version counts up from what is stored.
      const bump = () => db.office.update({ where: { id: office.id }, data: { version: { increment: 1 } }, select: { version: true } });
      expect((await bump()).version).toBe(2);
      expect((await bump()).version).toBe(3);
      expect(await counted(bump)).toEqual({ value: { version: 4 }, hits: 1, misses: 0 });
    });

    it('reuses one plan for reads that differ only in the text values they compare, each answered with its own', async () => {
      const { db } = database;
      const office = await db.office.create({ data: { regencyCode: `96.${provider.length}`, name: 'Dinas Param', regencyName: 'Kota Param', provinceName: 'Jawa Timur' } });
      const make = (id: string, name: string) => db.drive.create({ data: { id: `${provider}-${id}`, officeId: office.id, name, electionDate: '2024-11-27', startDate: '2024-10-01', endDate: '2024-11-20' } });
      await make('a', 'Alpha');
      await make('b', 'Beta');
      await make('c', 'Gamma');
      const id = (x: string) => `${provider}-${x}`;
      // Through a relation filter, AND/OR/NOT, a one-value IN list and a comparison.
      const read = (one: string, other: string, after: string) =>
        db.drive.findMany({
          where: { AND: [{ office: { regencyCode: `96.${provider.length}` } }, { OR: [{ id: { in: [id(one)] } }, { id: id(other) }] }, { NOT: { name: { lt: after } } }] },
          orderBy: { id: 'asc' },
          select: { name: true },
        });
      const first = await counted(() => read('a', 'b', 'A'));
      const second = await counted(() => read('b', 'c', 'C'));
      const third = await counted(() => read('c', 'a', 'H'));
      const fourth = await counted(() => read('a', 'c', 'B'));
      expect(first.value.map((d) => d.name)).toEqual(['Alpha', 'Beta']);
      // The second read has other values but the same shape: its plan is kept, and used from then on.
      expect(second).toEqual({ value: [{ name: 'Gamma' }], hits: 0, misses: 1 });
      expect(third).toEqual({ value: [], hits: 1, misses: 0 });
      expect(fourth).toEqual({ value: [{ name: 'Gamma' }], hits: 1, misses: 0 });
      // A list's values are placeholders each: lists of the same length share a plan, another length has its own.
      const list = (ids: string[], not: string[] = []) => db.drive.count({ where: { id: { in: ids.map(id), notIn: not.map(id) } } });
      expect(await list(['a', 'b'])).toBe(2);
      expect(await counted(() => list(['b', 'x']))).toEqual({ value: 1, hits: 0, misses: 1 });
      expect(await counted(() => list(['c', 'a']))).toEqual({ value: 2, hits: 1, misses: 0 });
      expect(await counted(() => list(['a', 'b', 'c']))).toEqual({ value: 3, hits: 0, misses: 1 });
      expect(await list(['a', 'b', 'c'], ['b'])).toBe(2);
      expect(await counted(() => list(['a', 'c', 'x'], ['a']))).toEqual({ value: 1, hits: 0, misses: 1 });
      expect(await counted(() => list(['x', 'b', 'c'], ['c']))).toEqual({ value: 1, hits: 1, misses: 0 });
      // A unique lookup and a text value that looks like a placeholder are values like any other.
      expect((await db.drive.findUnique({ where: { id: id('a') }, select: { name: true } }))?.name).toBe('Alpha');
      expect((await db.drive.findUnique({ where: { id: id('b') }, select: { name: true } }))?.name).toBe('Beta');
      expect(await counted(() => db.drive.findUnique({ where: { id: '%1' }, select: { name: true } }))).toEqual({ value: null, hits: 1, misses: 0 });
    });

    it('reuses one plan for pages that differ only in their cursor, each answered from its own row', async () => {
      const { db } = database;
      const office = await db.office.create({ data: { regencyCode: `95.${provider.length}`, name: 'Dinas Halaman', regencyName: 'Kota Halaman', provinceName: 'Jawa Timur' } });
      const names = ['Eka', 'Dua', 'Eka', 'Ana', 'Cici'];
      const ids = names.map((_, i) => `${provider}-page-${i}`);
      for (const [i, name] of names.entries()) {
        await db.drive.create({ data: { id: ids[i]!, officeId: office.id, name, electionDate: '2024-11-27', startDate: '2024-10-01', endDate: '2024-11-20' } });
      }
      // Sorted by name then id: Ana(3) Cici(4) Dua(1) Eka(0) Eka(2).
      const page = (after: string) =>
        db.drive.findMany({ where: { officeId: office.id }, cursor: { id: after }, skip: 1, take: 2, orderBy: [{ name: 'asc' }, { id: 'asc' }], select: { id: true } });
      const answers = [];
      for (const after of [3, 4, 1, 0, 3]) answers.push(await counted(() => page(ids[after]!)));
      expect(answers.map((a) => a.value.map((d) => ids.indexOf(d.id)))).toEqual([[4, 1], [1, 0], [0, 2], [2], [4, 1]]);
      expect(answers.map((a) => a.misses)).toEqual([1, 1, 0, 0, 0]);
    });

    it('reuses the plans of reads sent together in a transaction, each query with its own values', async () => {
      const { db } = database;
      const office = await db.office.create({ data: { regencyCode: `94.${provider.length}`, name: 'Dinas Batch', regencyName: 'Kota Batch', provinceName: 'Jawa Timur' } });
      for (const x of ['x', 'y', 'z']) {
        await db.drive.create({ data: { id: `${provider}-batch-${x}`, officeId: office.id, name: `Drive ${x}`, electionDate: '2024-11-27', startDate: '2024-10-01', endDate: '2024-11-20' } });
      }
      // Promise.all inside an interactive transaction reaches the compiler as one batch.
      const together = (one: string, other: string) =>
        db.$transaction((tx) =>
          Promise.all([
            tx.drive.findMany({ where: { id: { in: [`${provider}-batch-${one}`] } }, select: { name: true } }),
            tx.office.findMany({ where: { id: office.id }, select: { name: true } }),
            tx.drive.findMany({ where: { officeId: office.id, name: { gt: `Drive ${other}` } }, orderBy: { id: 'asc' }, select: { name: true } }),
          ]),
        );
      const runs = [];
      for (const [one, other] of [['x', 'y'], ['y', 'z'], ['z', 'x'], ['x', 'x']]) runs.push(await counted(() => together(one!, other!)));
      expect(runs.map((r) => r.value.map((rows) => rows.map((row) => row.name)))).toEqual([
        [['Drive x'], ['Dinas Batch'], ['Drive z']],
        [['Drive y'], ['Dinas Batch'], []],
        [['Drive z'], ['Dinas Batch'], ['Drive y', 'Drive z']],
        [['Drive x'], ['Dinas Batch'], ['Drive y', 'Drive z']],
      ]);
      expect(runs.map((r) => r.misses)).toEqual([1, 1, 0, 0]);
    });

    it('compiles raw statements every time (their values are in the text)', async () => {
      const raw = () => database.db.$executeRawUnsafe(`UPDATE "Office" SET "kits" = "kits" WHERE "id" = ${provider === 'sqlite' ? '?' : '$1'}`, 'none');
      await raw();
      expect(await counted(raw)).toEqual({ value: 0, hits: 0, misses: 0 });
    });
  });
}
