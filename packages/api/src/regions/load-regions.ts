// Loads one regency's region tree (province > regency > districts > villages) from the
// official Kemendagri list shipped by idn-area-data (data ODbL) into Region.
// Idempotent: existing rows are kept (schools point at them), missing rows are created in
// a few createMany calls, and rows whose name or parent changed in a newer data release are
// updated one by one (rare).
import { getDistricts, getProvinces, getRegencies, getVillages } from 'idn-area-data';
import { parseRegionCode } from '@jemput/core';
import type { Db } from '../db/client.ts';
import type { RegionLevel } from '../generated/sqlite/client.ts';

export type RegionRow = { code: string; level: RegionLevel; name: string; parentCode: string | null };
export type RegencyInfo = { regencyName: string; provinceName: string };
export type LoadRegionsResult = { districts: number; villages: number };

/** Parents before children, so every createMany finds its parents already stored. */
const LEVELS_TOP_DOWN: readonly RegionLevel[] = ['PROVINCE', 'REGENCY', 'DISTRICT', 'VILLAGE'];
/** Rows per INSERT: well under SQLite's bound-parameter limit. */
const CHUNK_SIZE = 500;

/** '35.73' or '3573' -> '35.73'; throws for anything that is not a regency code. */
function dottedRegencyCode(regencyCode: string): string {
  const region = parseRegionCode(regencyCode);
  if (!region || region.level !== 'REGENCY') {
    throw new Error(`Not a regency code: ${JSON.stringify(regencyCode)} (expected e.g. "35.73")`);
  }
  return region.dotted;
}

/** Names of a regency and its province, e.g. { regencyName: 'Kota Malang', provinceName: 'Jawa Timur' }. */
export async function regencyInfo(regencyCode: string): Promise<RegencyInfo | null> {
  const code = parseRegionCode(regencyCode)?.dotted;
  if (!code) return null;
  const regency = (await getRegencies()).find((r) => r.code === code);
  if (!regency) return null;
  const province = (await getProvinces()).find((p) => p.code === regency.province_code);
  return province ? { regencyName: regency.name, provinceName: province.name } : null;
}

/** The Region rows of one regency, parents first. Throws for an unknown regency code. */
export async function regionRowsOf(regencyCode: string): Promise<RegionRow[]> {
  const code = dottedRegencyCode(regencyCode);
  const regency = (await getRegencies()).find((r) => r.code === code);
  if (!regency) throw new Error(`Unknown regency code ${code}: it is not in the idn-area-data list`);
  const province = (await getProvinces()).find((p) => p.code === regency.province_code);
  if (!province) throw new Error(`Province ${regency.province_code} of regency ${code} is missing from idn-area-data`);

  const districts = (await getDistricts()).filter((d) => d.regency_code === code);
  const districtCodes = new Set(districts.map((d) => d.code));
  const villages = (await getVillages()).filter((v) => districtCodes.has(v.district_code));

  return [
    { code: province.code, level: 'PROVINCE', name: province.name, parentCode: null },
    { code: regency.code, level: 'REGENCY', name: regency.name, parentCode: province.code },
    ...districts.map((d): RegionRow => ({ code: d.code, level: 'DISTRICT', name: d.name, parentCode: code })),
    ...villages.map((v): RegionRow => ({ code: v.code, level: 'VILLAGE', name: v.name, parentCode: v.district_code })),
  ];
}

/** Upserts the province, the regency, its districts and its villages into Region. */
export async function loadRegions(db: Db, regencyCode: string): Promise<LoadRegionsResult> {
  return storeRegions(db, await regionRowsOf(regencyCode));
}

/** Upserts rows from `regionRowsOf` (for callers that already have them). */
export async function storeRegions(db: Db, rows: readonly RegionRow[]): Promise<LoadRegionsResult> {
  await db.$transaction(async (tx) => {
    const stored = await tx.region.findMany({ where: { code: { in: rows.map((r) => r.code) } } });
    const storedByCode = new Map(stored.map((r) => [r.code, r]));

    const missing = rows.filter((r) => !storedByCode.has(r.code));
    for (const level of LEVELS_TOP_DOWN) {
      const ofLevel = missing.filter((r) => r.level === level);
      for (let i = 0; i < ofLevel.length; i += CHUNK_SIZE) {
        await tx.region.createMany({ data: ofLevel.slice(i, i + CHUNK_SIZE) });
      }
    }

    const changed = rows.filter((r) => {
      const old = storedByCode.get(r.code);
      return old !== undefined && (old.name !== r.name || old.level !== r.level || old.parentCode !== r.parentCode);
    });
    for (const row of changed) {
      await tx.region.update({ where: { code: row.code }, data: { name: row.name, level: row.level, parentCode: row.parentCode } });
    }
  });
  return {
    districts: rows.filter((r) => r.level === 'DISTRICT').length,
    villages: rows.filter((r) => r.level === 'VILLAGE').length,
  };
}
