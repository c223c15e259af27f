// Demo students: classes X-XII in rombels, Javanese names, birth dates clustered around the
// drive's voter cutoff, valid NIKs (composeNik) and NISNs, plus a handful of deliberate data
// problems officers must see.
import { addDays, addYears, composeNik, isValidDateParts, normalizeName, parseIsoDate, toIsoDate, voterCutoffDate } from '@jemput/core';
import type { IsoDate, Sex } from '@jemput/core';
import { apportion, seedId } from './helpers.ts';
import type { StudentRow } from './helpers.ts';
import {
  FEMALE_FIRST_NAMES,
  FEMALE_LAST_NAMES,
  HOME_BIRTH_PLACE_WEIGHT,
  MAJORS,
  MALE_FIRST_NAMES,
  MALE_LAST_NAMES,
  OTHER_BIRTH_PLACES,
} from './names.ts';
import type { Random } from './random.ts';
import type { DemoSchool } from './schools.ts';

export const GRADES = ['X', 'XI', 'XII'] as const;
export type Grade = (typeof GRADES)[number];

/** Lower classes are a little bigger (some students leave before XII). */
const GRADE_SHARES: Record<Grade, number> = { X: 0.35, XI: 0.33, XII: 0.32 };
/**
 * Birth dates centre on the voter cutoff: class XI around it (about half turn 17 by election
 * day), XII a year older (all eligible), X a year younger (only repeaters). So about half of
 * all students can vote.
 */
const GRADE_YEARS_OLDER_THAN_CUTOFF: Record<Grade, number> = { X: -1, XI: 0, XII: 1 };
const HALF_YEAR_DAYS = 182;
/** Students a year older than their classmates (repeated a class or started late). */
const REPEATER_SHARE = 0.05;
const MARRIED_SHARE = 0.003;
const WITHOUT_NIK_SHARE = 0.01;
const STUDENTS_PER_ROMBEL = 34;
/** Deliberate NIK problems (stored as found): family-card numbers, typos in the date, a missing digit. */
const DATA_PROBLEM_KINDS = ['KK_AS_NIK', 'NIK_DATE_TYPO', 'NIK_MISSING_DIGIT', 'KK_AS_NIK', 'NIK_DATE_TYPO'] as const;
type DataProblemKind = (typeof DATA_PROBLEM_KINDS)[number];

export type DemoStudent = { row: StudentRow; grade: Grade; dataProblem: DataProblemKind | null };

type StudentContext = {
  rng: Random;
  cutoff: IsoDate;
  districtCodes: readonly string[];
  birthPlaces: readonly { place: string; weight: number }[];
  usedNisns: Set<string>;
  /** Last NIK serial used per district + birth date + sex, so composed NIKs never repeat. */
  lastNikSerial: Map<string, number>;
};

export function generateStudents(
  rng: Random,
  input: { total: number; schools: readonly DemoSchool[]; electionDate: IsoDate; districtCodes: readonly string[]; homeBirthPlace: string },
): DemoStudent[] {
  if (!Number.isInteger(input.total) || input.total < 0) throw new RangeError(`students must be a whole number >= 0: ${input.total}`);
  const ctx: StudentContext = {
    rng,
    cutoff: voterCutoffDate(input.electionDate),
    districtCodes: input.districtCodes,
    birthPlaces: [
      { place: input.homeBirthPlace, weight: HOME_BIRTH_PLACE_WEIGHT },
      ...OTHER_BIRTH_PLACES.filter((p) => p.place !== input.homeBirthPlace),
    ],
    usedNisns: new Set(),
    lastNikSerial: new Map(),
  };
  const schoolSizes = apportion(
    input.total,
    input.schools.map((s) => s.kind.size * rng.range(0.75, 1.25)),
  );
  const students: DemoStudent[] = [];
  input.schools.forEach((school, i) => {
    for (const { grade, className } of classPlaces(rng, school, schoolSizes[i] ?? 0)) {
      students.push({ row: makeStudent(ctx, school, grade, className, students.length + 1), grade, dataProblem: null });
    }
  });
  addDataProblems(rng, students);
  return students;
}

/** One entry per student of the school: their grade and rombel ("XI TKJ 2"). */
function classPlaces(rng: Random, school: DemoSchool, count: number): { grade: Grade; className: string }[] {
  const gradeSizes = apportion(count, GRADES.map((g) => GRADE_SHARES[g]));
  const majors = schoolMajors(rng, school);
  const places: { grade: Grade; className: string }[] = [];
  GRADES.forEach((grade, g) => {
    const size = gradeSizes[g] ?? 0;
    const rombels = rombelNames(grade, majors, Math.max(1, Math.round(size / STUDENTS_PER_ROMBEL)), school.kind.level === 'SLB');
    for (let k = 0; k < size; k++) places.push({ grade, className: rombels[k % rombels.length] as string });
  });
  return places;
}

/** SMKs each teach a few programmes; other levels use their whole list. */
function schoolMajors(rng: Random, school: DemoSchool): readonly string[] {
  const all = MAJORS[school.kind.level];
  return school.kind.level === 'SMK' ? rng.shuffle(all).slice(0, rng.int(3, 4)) : all;
}

/** "XII IPA 1", "XII IPA 2", "XII IPS 1"...; SLB groups are "XII C". */
function rombelNames(grade: Grade, majors: readonly string[], count: number, isSlb: boolean): string[] {
  const numberWithinMajor = new Map<string, number>();
  const names: string[] = [];
  for (let j = 0; j < count; j++) {
    const major = majors[j % majors.length] as string;
    const n = (numberWithinMajor.get(major) ?? 0) + 1;
    numberWithinMajor.set(major, n);
    names.push(isSlb && n === 1 ? `${grade} ${major}` : `${grade} ${major} ${n}`);
  }
  return names;
}

function makeStudent(ctx: StudentContext, school: DemoSchool, grade: Grade, className: string, n: number): StudentRow {
  const { rng } = ctx;
  const sex: Sex = rng.chance(school.kind.femaleShare) ? 'P' : 'L';
  const name = personName(rng, sex);
  const birthDate = birthDateFor(rng, grade, ctx.cutoff);
  return {
    id: seedId('stu', n),
    schoolId: school.row.id,
    nisn: uniqueNisn(ctx, birthDate),
    nik: rng.chance(WITHOUT_NIK_SHARE) ? null : composedNik(ctx, birthDate, sex),
    name,
    nameSearch: normalizeName(name),
    sex,
    birthPlace: rng.pickWeighted(ctx.birthPlaces).place,
    birthDate,
    className,
    married: rng.chance(MARRIED_SHARE),
  };
}

/** Two or three words: "Muhammad Rizky Pratama", "Siti Nur Azizah", "Dwi Lestari". */
export function personName(rng: Random, sex: Sex): string {
  const firstNames = sex === 'L' ? MALE_FIRST_NAMES : FEMALE_FIRST_NAMES;
  const lastNames = sex === 'L' ? MALE_LAST_NAMES : FEMALE_LAST_NAMES;
  const words: string[] = [rng.pick(firstNames)];
  if (rng.chance(0.4)) {
    const middle = rng.pick(firstNames);
    if (middle !== words[0]) words.push(middle);
  }
  if (words.length === 1 || rng.chance(0.85)) words.push(rng.pick(lastNames));
  return words.join(' ');
}

function birthDateFor(rng: Random, grade: Grade, cutoff: IsoDate): IsoDate {
  const yearsOlder = GRADE_YEARS_OLDER_THAN_CUTOFF[grade] + (rng.chance(REPEATER_SHARE) ? 1 : 0);
  return addDays(addYears(cutoff, -yearsOlder), rng.int(-HALF_YEAR_DAYS, HALF_YEAR_DAYS));
}

/** Real NISNs start with the last 3 digits of the birth year, hence "007..." for 2007. */
function uniqueNisn(ctx: StudentContext, birthDate: IsoDate): string {
  const yearPart = birthDate.slice(1, 4);
  for (;;) {
    const nisn = yearPart + ctx.rng.digits(7);
    if (!ctx.usedNisns.has(nisn)) {
      ctx.usedNisns.add(nisn);
      return nisn;
    }
  }
}

/** A NIK of first issue in one of the regency's districts, with a serial not used before. */
function composedNik(ctx: StudentContext, birthDate: IsoDate, sex: Sex): string {
  const districtCode = ctx.rng.pick(ctx.districtCodes);
  const key = `${districtCode}|${birthDate}|${sex}`;
  const serial = (ctx.lastNikSerial.get(key) ?? 0) + ctx.rng.int(1, 3);
  ctx.lastNikSerial.set(key, serial);
  return composeNik({ districtCode, birthDate, sex, serial });
}

/** Spoils the NIK of a few students (at most 5, about one in 100) in ways real exports do. */
function addDataProblems(rng: Random, students: DemoStudent[]): void {
  const withNik = students.filter((s) => s.row.nik);
  const count = Math.min(DATA_PROBLEM_KINDS.length, Math.floor(withNik.length / 100));
  const chosen = rng.shuffle(withNik).slice(0, count);
  chosen.forEach((student, i) => {
    const kind = DATA_PROBLEM_KINDS[i] as DataProblemKind;
    student.row.nik = spoiledNik(rng, kind, student.row.nik as string, student.row.birthDate);
    student.dataProblem = kind;
  });
}

function spoiledNik(rng: Random, kind: DataProblemKind, nik: string, birthDate: IsoDate): string {
  const regionPart = nik.slice(0, 6);
  switch (kind) {
    case 'KK_AS_NIK': {
      // A family card carries its issue date, plain (no +40 for women), never the birth date.
      const issued = addDays('2012-01-01', rng.int(0, 3650));
      return regionPart + issued.slice(8, 10) + issued.slice(5, 7) + issued.slice(2, 4) + rng.digits(3) + String(rng.int(1, 9));
    }
    case 'NIK_DATE_TYPO': {
      const typoDate = dayMonthSwapped(birthDate) ?? addDays(birthDate, 1);
      const sex: Sex = Number(nik.slice(6, 8)) > 40 ? 'P' : 'L';
      return composeNik({ districtCode: dotted(regionPart), birthDate: typoDate, sex, serial: Number(nik.slice(12)) });
    }
    case 'NIK_MISSING_DIGIT': {
      const at = rng.int(0, nik.length - 1);
      return nik.slice(0, at) + nik.slice(at + 1);
    }
  }
}

/** 2007-03-11 -> 2007-11-03 (a classic typo), or null if that is no date or the same date. */
function dayMonthSwapped(iso: IsoDate): IsoDate | null {
  const d = parseIsoDate(iso);
  if (!d || d.day === d.month || !isValidDateParts(d.year, d.day, d.month)) return null;
  return toIsoDate({ year: d.year, month: d.day, day: d.month });
}

/** '357301' -> '35.73.01'. */
function dotted(digits: string): string {
  return `${digits.slice(0, 2)}.${digits.slice(2, 4)}.${digits.slice(4, 6)}`;
}
