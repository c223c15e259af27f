import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScratchSqlite } from '../seed/scratch-db.ts';
import type { ScratchDb } from '../seed/scratch-db.ts';
import { loadRegions, regencyInfo, regionRowsOf } from './load-regions.ts';

describe('loadRegions', () => {
  let scratch: ScratchDb;
  const queries: string[] = [];

  beforeAll(async () => {
    scratch = await openScratchSqlite({ onQuery: (sql) => queries.push(sql) });
  });
  afterAll(async () => {
    await scratch?.close();
  });

  const allRegions = () => scratch.db.region.findMany({ orderBy: { code: 'asc' } });

  it('stores Kota Malang: its province, 5 districts and 57 villages, in a parent chain', async () => {
    const result = await loadRegions(scratch.db, '35.73');
    expect(result).toEqual({ districts: 5, villages: 57 });

    const rows = await allRegions();
    const byCode = new Map(rows.map((r) => [r.code, r]));
    expect(byCode.get('35')).toMatchObject({ level: 'PROVINCE', name: 'Jawa Timur', parentCode: null });
    expect(byCode.get('35.73')).toMatchObject({ level: 'REGENCY', name: 'Kota Malang', parentCode: '35' });
    expect(byCode.get('35.73.02')).toMatchObject({ level: 'DISTRICT', name: 'Klojen', parentCode: '35.73' });
    expect(rows.filter((r) => r.level === 'DISTRICT')).toHaveLength(5);
    const villages = rows.filter((r) => r.level === 'VILLAGE');
    expect(villages).toHaveLength(57);
    for (const village of villages) {
      expect(village.code.startsWith(`${village.parentCode}.`)).toBe(true);
      expect(byCode.get(village.parentCode ?? '')?.level).toBe('DISTRICT');
    }
  });

  it('is idempotent and cheap the second time', async () => {
    const before = await allRegions();
    queries.length = 0;
    await loadRegions(scratch.db, '35.73');
    expect(await allRegions()).toEqual(before);
    expect(queries.filter((q) => /^\s*(INSERT|UPDATE)/i.test(q))).toHaveLength(0);
    expect(queries.length).toBeLessThan(10);
  });

  it('creates the missing rows with a few statements, not one per village', async () => {
    await scratch.db.region.deleteMany({ where: { parentCode: '35.73.05' } });
    queries.length = 0;
    await loadRegions(scratch.db, '3573');
    expect(await scratch.db.region.count({ where: { level: 'VILLAGE' } })).toBe(57);
    expect(queries.filter((q) => /^\s*INSERT/i.test(q)).length).toBeLessThanOrEqual(2);
  });

  it('restores a name changed since the last load', async () => {
    await scratch.db.region.update({ where: { code: '35.73.02' }, data: { name: 'Klojen Lama' } });
    await loadRegions(scratch.db, '35.73');
    expect((await scratch.db.region.findUnique({ where: { code: '35.73.02' } }))?.name).toBe('Klojen');
  });

  it('loads a second regency of the same province beside the first', async () => {
    const result = await loadRegions(scratch.db, '35.79'); // Kota Batu
    expect(result.districts).toBe(3);
    expect(await scratch.db.region.count({ where: { level: 'PROVINCE' } })).toBe(1);
    expect(await scratch.db.region.count({ where: { level: 'REGENCY' } })).toBe(2);
  });

  it('refuses unknown or malformed regency codes with a clear error', async () => {
    await expect(loadRegions(scratch.db, '35.99')).rejects.toThrow(/Unknown regency code 35\.99/);
    await expect(loadRegions(scratch.db, 'Malang')).rejects.toThrow(/Not a regency code/);
    await expect(loadRegions(scratch.db, '35.73.01')).rejects.toThrow(/Not a regency code/);
  });
});

describe('regencyInfo', () => {
  it('names the regency and its province', async () => {
    expect(await regencyInfo('35.73')).toEqual({ regencyName: 'Kota Malang', provinceName: 'Jawa Timur' });
    expect(await regencyInfo('35.07')).toEqual({ regencyName: 'Kabupaten Malang', provinceName: 'Jawa Timur' });
  });

  it('returns null for an unknown or malformed code', async () => {
    expect(await regencyInfo('35.99')).toBeNull();
    expect(await regencyInfo('abc')).toBeNull();
  });
});

describe('regionRowsOf', () => {
  it('lists parents before children', async () => {
    const rows = await regionRowsOf('35.73');
    const seen = new Set<string>();
    for (const row of rows) {
      if (row.parentCode) expect(seen.has(row.parentCode)).toBe(true);
      seen.add(row.code);
    }
  });
});
