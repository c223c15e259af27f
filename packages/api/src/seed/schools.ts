// Demo schools: a realistic mix of SMA/SMK/MA/SLB, negeri and swasta, spread over the
// regency's real districts and villages.
import { normalizeName } from '@jemput/core';
import type { RegionRow } from '../regions/load-regions.ts';
import { seedId, shortRegencyName } from './helpers.ts';
import type { SchoolRow } from './helpers.ts';
import {
  CONTACT_DEGREES_AFTER,
  CONTACT_TITLES_BEFORE,
  FEMALE_FIRST_NAMES,
  FEMALE_LAST_NAMES,
  MALE_FIRST_NAMES,
  MALE_LAST_NAMES,
  MOBILE_OPERATOR_CODES,
  SCHOOL_KINDS,
  STREET_NAMES,
} from './names.ts';
import type { SchoolKind } from './names.ts';
import type { Random } from './random.ts';

export type DemoSchool = { row: SchoolRow; kind: SchoolKind };

/**
 * At three schools a school day, the drive's ~68 school days fit about 200 schools (an office
 * has 30-150). This also keeps the 3 random NPSN digits after the prefix far from running out.
 */
export const MAX_DEMO_SCHOOLS = 200;

export function generateSchools(
  rng: Random,
  input: { count: number; officeId: string; regencyName: string; regions: readonly RegionRow[] },
): DemoSchool[] {
  if (input.count < 1 || input.count > MAX_DEMO_SCHOOLS) throw new RangeError(`schools must be 1..${MAX_DEMO_SCHOOLS}: ${input.count}`);
  const districts = rng.shuffle(input.regions.filter((r) => r.level === 'DISTRICT'));
  if (districts.length === 0) throw new Error('The regency has no districts: load its regions first');
  const city = shortRegencyName(input.regencyName);
  const usedNpsns = new Set<string>();
  const numberWithinKind = new Map<SchoolKind, number>();

  return kindsInProportion(input.count).map((kind, i) => {
    const n = (numberWithinKind.get(kind) ?? 0) + 1;
    numberWithinKind.set(kind, n);
    // Round-robin over the (shuffled) districts, so every district gets schools.
    const district = districts[i % districts.length] as RegionRow;
    const village = rng.pick(input.regions.filter((r) => r.level === 'VILLAGE' && r.parentCode === district.code));
    const name = kind.name(n, city, input.regencyName);
    const contact = contactPerson(rng);
    const row: SchoolRow = {
      id: seedId('sch', i + 1, 4),
      officeId: input.officeId,
      npsn: uniqueNpsn(rng, kind.npsnPrefix, usedNpsns),
      name,
      nameSearch: normalizeName(name),
      level: kind.level,
      status: kind.status,
      districtCode: district.code,
      villageCode: village.code,
      address: `Jl. ${rng.pick(STREET_NAMES)} No. ${rng.int(1, 160)}, ${village.name}`,
      contactName: contact,
      contactPhone: mobilePhone(rng),
    };
    return { row, kind };
  });
}

/**
 * The kinds of `count` schools, following the kinds' weights as closely as possible at every
 * prefix (smooth weighted round-robin), so even 5 schools get a sensible mix.
 */
function kindsInProportion(count: number): SchoolKind[] {
  const totalWeight = SCHOOL_KINDS.reduce((sum, k) => sum + k.weight, 0);
  const assigned = SCHOOL_KINDS.map(() => 0);
  const kinds: SchoolKind[] = [];
  for (let i = 0; i < count; i++) {
    let best = 0;
    let bestDeficit = -Infinity;
    SCHOOL_KINDS.forEach((kind, k) => {
      const deficit = (kind.weight * (i + 1)) / totalWeight - (assigned[k] ?? 0);
      if (deficit > bestDeficit) {
        best = k;
        bestDeficit = deficit;
      }
    });
    assigned[best] = (assigned[best] ?? 0) + 1;
    kinds.push(SCHOOL_KINDS[best] as SchoolKind);
  }
  return kinds;
}

function uniqueNpsn(rng: Random, prefix: string, used: Set<string>): string {
  for (;;) {
    const npsn = prefix + rng.digits(3);
    if (!used.has(npsn)) {
      used.add(npsn);
      return npsn;
    }
  }
}

/** A teacher with the usual titles: "Drs. Bambang Santoso, M.Pd.". */
function contactPerson(rng: Random): string {
  const sex = rng.chance(0.5) ? 'L' : 'P';
  const first = rng.pick(sex === 'L' ? MALE_FIRST_NAMES : FEMALE_FIRST_NAMES);
  const last = rng.pick(sex === 'L' ? MALE_LAST_NAMES : FEMALE_LAST_NAMES);
  return `${rng.pick(CONTACT_TITLES_BEFORE[sex])}${first} ${last}${rng.pick(CONTACT_DEGREES_AFTER)}`;
}

/** "08" + operator code + 7 or 8 digits: 0812xxxxxxxx. */
export function mobilePhone(rng: Random): string {
  return `08${rng.pick(MOBILE_OPERATOR_CODES)}${rng.digits(rng.int(7, 8))}`;
}
