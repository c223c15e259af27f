// Identifier checks: NIK (national ID number), NISN (student number), NPSN (school number)
// and Kemendagri region codes. Identifiers are text, never numbers: leading zeros matter and
// 16-digit NIKs do not fit in a double. Every check returns a list of issues (codes + params);
// an empty string has nothing to check and gives no issues (callers decide what is required).

import { isValidDateParts, parseIsoDate } from './dates.ts';
import type { IsoDate } from './dates.ts';
import type { IssueCode, MessageParams, Severity } from './messages.ts';

export type IdentifierIssue = { code: IssueCode; severity: Severity; params?: MessageParams };
export type Sex = 'L' | 'P';

/**
 * Province codes in use today (Kemendagri, as shipped by `idn-area-data` 4.x). The six Papua
 * provinces are 91-96 since the 2022 split. NIKs keep the code of *first issue*, so an older
 * code (e.g. of a province that was later split) only earns a warning.
 */
export const CURRENT_PROVINCE_CODES: readonly string[] = [
  '11', '12', '13', '14', '15', '16', '17', '18', '19', '21',
  '31', '32', '33', '34', '35', '36',
  '51', '52', '53',
  '61', '62', '63', '64', '65',
  '71', '72', '73', '74', '75', '76',
  '81', '82',
  '91', '92', '93', '94', '95', '96',
];

/** Lowest province code ever used; anything below cannot be a real NIK. */
const MIN_PROVINCE_CODE = 11;
const NIK_LENGTH = 16;
const NISN_LENGTH = 10;
const NPSN_LENGTH = 8;
/** Women's NIKs carry the birth day plus 40. */
const FEMALE_DAY_OFFSET = 40;

const ONLY_DIGITS = /^\d+$/;

function issue(code: IssueCode, severity: Severity, params?: MessageParams): IdentifierIssue {
  return params ? { code, severity, params } : { code, severity };
}

/** Removes the spaces, dots and dashes people type inside numbers (`3573 0141-0307.0012`). */
export function normalizeDigits(input: string): string {
  return input.replace(/[\s.-]/g, '');
}

// ---------------------------------------------------------------- NIK

export type NikBirthInfo = { day: number; month: number; yy: number; sex: Sex };

export type NikCheckOptions = {
  /** The student's birth date, to compare with the NIK's date part. */
  birthDate?: IsoDate | null;
  sex?: Sex | null;
  /** Known family-card (KK) numbers of the student, e.g. from the Dapodik "No KK" column. */
  familyCardNumbers?: readonly string[];
};

/**
 * Decodes the DDMMYY part of a NIK (`PP KK CC DDMMYY SSSS`). Women have day + 40. The year has
 * two digits, so the date must exist in 19YY or 20YY (this only matters for 29 February).
 * Null when the NIK is not 16 digits or the date part is not a date.
 */
export function nikBirthInfo(nik: string): NikBirthInfo | null {
  if (nik.length !== NIK_LENGTH || !ONLY_DIGITS.test(nik)) return null;
  const rawDay = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  const sex: Sex = rawDay > FEMALE_DAY_OFFSET ? 'P' : 'L';
  const day = sex === 'P' ? rawDay - FEMALE_DAY_OFFSET : rawDay;
  if (day < 1 || day > 31) return null;
  const existsInEitherCentury = isValidDateParts(1900 + yy, month, day) || isValidDateParts(2000 + yy, month, day);
  return existsInEitherCentury ? { day, month, yy, sex } : null;
}

/**
 * Checks a NIK as it will be stored (call `normalizeDigits` first if you accept typed
 * separators). Errors: structure. Warnings: disagreement with the student's data.
 */
export function checkNik(nik: string, opts: NikCheckOptions = {}): IdentifierIssue[] {
  if (nik === '') return [];
  if (!ONLY_DIGITS.test(nik)) return [issue('NIK_NOT_DIGITS', 'error')];
  if (nik.length !== NIK_LENGTH) return [issue('NIK_LENGTH', 'error', { length: nik.length })];

  const errors = [...nikRegionErrors(nik), ...nikDateErrors(nik), ...nikSerialErrors(nik)];
  if (errors.length > 0) return errors;

  const info = nikBirthInfo(nik);
  if (!info) return []; // unreachable: nikDateErrors already refused undecodable dates
  return [...nikProvinceWarnings(nik), ...nikStudentWarnings(nik, info, opts)];
}

function nikRegionErrors(nik: string): IdentifierIssue[] {
  const errors: IdentifierIssue[] = [];
  const province = nik.slice(0, 2);
  const regency = nik.slice(2, 4);
  const district = nik.slice(4, 6);
  if (Number(province) < MIN_PROVINCE_CODE) errors.push(issue('NIK_REGION', 'error', { part: 'province', code: province }));
  if (regency === '00') errors.push(issue('NIK_REGION', 'error', { part: 'regency', code: regency }));
  if (district === '00') errors.push(issue('NIK_REGION', 'error', { part: 'district', code: district }));
  return errors;
}

function nikDateErrors(nik: string): IdentifierIssue[] {
  return nikBirthInfo(nik) ? [] : [issue('NIK_DATE', 'error', { datePart: nik.slice(6, 12) })];
}

function nikSerialErrors(nik: string): IdentifierIssue[] {
  return nik.slice(12) === '0000' ? [issue('NIK_SERIAL', 'error')] : [];
}

function nikProvinceWarnings(nik: string): IdentifierIssue[] {
  const province = nik.slice(0, 2);
  return CURRENT_PROVINCE_CODES.includes(province) ? [] : [issue('NIK_PROVINCE_UNKNOWN', 'warning', { province })];
}

/**
 * Compares the NIK with the student's birth date, sex and family-card numbers. A family-card
 * (KK) number has the NIK's shape but its DDMMYY is the card's issue date, a plain date
 * (never day + 40): so a plain date that is not the birth date hints at a KK. All applicable
 * warnings are returned; the officer decides whether it is a KK or a typo.
 */
function nikStudentWarnings(nik: string, info: NikBirthInfo, opts: NikCheckOptions): IdentifierIssue[] {
  const warnings: IdentifierIssue[] = [];
  const nikDate = formatNikDate(info);
  const birthDate = opts.birthDate && parseIsoDate(opts.birthDate) ? opts.birthDate : null;
  const dateMatchesBirth = birthDate !== null && nikDateMatches(info, birthDate);

  const isKnownFamilyCard = (opts.familyCardNumbers ?? []).some((kk) => normalizeDigits(kk) === nik);
  if (isKnownFamilyCard) {
    warnings.push(issue('NIK_LOOKS_LIKE_KK', 'warning', { matchesFamilyCard: 1, nikDate }));
  } else if (birthDate && !dateMatchesBirth && info.sex === 'L') {
    warnings.push(issue('NIK_LOOKS_LIKE_KK', 'warning', { nikDate, birthDate }));
  }
  if (birthDate && !dateMatchesBirth) {
    warnings.push(issue('NIK_BIRTHDATE_MISMATCH', 'warning', { nikDate, birthDate }));
  }
  if (opts.sex && opts.sex !== info.sex) {
    warnings.push(issue('NIK_SEX_MISMATCH', 'warning', { nikSex: info.sex, sex: opts.sex }));
  }
  return warnings;
}

/** Day, month and two-digit year agree (the NIK cannot tell 1907 from 2007). */
function nikDateMatches(info: NikBirthInfo, birthDate: IsoDate): boolean {
  const birth = parseIsoDate(birthDate);
  return birth !== null && info.day === birth.day && info.month === birth.month && info.yy === birth.year % 100;
}

/** `dd/mm/yy`, the way the date sits inside the NIK (day without the + 40). */
function formatNikDate(info: NikBirthInfo): string {
  return [info.day, info.month, info.yy].map((n) => String(n).padStart(2, '0')).join('/');
}

/**
 * Builds a NIK for demo data. Throws if the inputs cannot give a NIK that `checkNik` accepts
 * without any issue for this birth date and sex (bad district code, unknown province, serial
 * outside 1..9999).
 */
export function composeNik(input: { districtCode: string; birthDate: IsoDate; sex: Sex; serial: number }): string {
  const region = parseRegionCode(input.districtCode);
  if (!region || region.level !== 'DISTRICT') throw new RangeError(`Not a district code: ${input.districtCode}`);
  const birth = parseIsoDate(input.birthDate);
  if (!birth) throw new RangeError(`Not a valid birth date: ${input.birthDate}`);
  if (!Number.isInteger(input.serial) || input.serial < 1 || input.serial > 9999) {
    throw new RangeError(`NIK serial must be 1..9999: ${input.serial}`);
  }
  const day = input.sex === 'P' ? birth.day + FEMALE_DAY_OFFSET : birth.day;
  const datePart = [day, birth.month, birth.year % 100].map((n) => String(n).padStart(2, '0')).join('');
  const nik = region.digits + datePart + String(input.serial).padStart(4, '0');

  const issues = checkNik(nik, { birthDate: input.birthDate, sex: input.sex });
  if (issues.length > 0) throw new RangeError(`Composed NIK ${nik} has issues: ${issues.map((i) => i.code).join(', ')}`);
  return nik;
}

/** Shows the first and last 4 digits only: `3573••••••••0012`. Short values are fully masked. */
export function maskNik(nik: string): string {
  if (nik.length <= 8) return '•'.repeat(nik.length);
  return nik.slice(0, 4) + '•'.repeat(nik.length - 8) + nik.slice(-4);
}

// ---------------------------------------------------------------- NISN, NPSN

/** NISN: exactly 10 digits; leading zeros are part of the number. */
export function checkNisn(s: string): IdentifierIssue[] {
  if (s === '') return [];
  const issues: IdentifierIssue[] = [];
  if (!ONLY_DIGITS.test(s)) issues.push(issue('NISN_NOT_DIGITS', 'error'));
  if (s.length !== NISN_LENGTH) issues.push(issue('NISN_LENGTH', 'error', { length: s.length }));
  return issues;
}

/** NPSN: 8 characters, digits or capital letters (some schools have letters, e.g. `P9999999`). */
export function checkNpsn(s: string): IdentifierIssue[] {
  if (s === '') return [];
  const issues: IdentifierIssue[] = [];
  if (!/^[0-9A-Z]+$/.test(s)) issues.push(issue('NPSN_FORMAT', 'error'));
  if (s.length !== NPSN_LENGTH) issues.push(issue('NPSN_LENGTH', 'error', { length: s.length }));
  return issues;
}

// ---------------------------------------------------------------- region codes

export type RegionLevel = 'PROVINCE' | 'REGENCY' | 'DISTRICT' | 'VILLAGE';
export const REGION_LEVELS = ['PROVINCE', 'REGENCY', 'DISTRICT', 'VILLAGE'] as const satisfies readonly RegionLevel[];
export type RegionCode = { level: RegionLevel; dotted: string; digits: string };

/** Digits per segment: province 2, regency 2, district 2, village 4 (`35.10.01.2001`). */
const REGION_SEGMENT_LENGTHS = [2, 2, 2, 4] as const;
/** Lowest regency number of a city (kota); 01-69 are regencies (kabupaten). */
const FIRST_CITY_NUMBER = 71;

/** Reads a region code in dotted (`35.10.01.2001`) or plain (`3510012001`) form. */
export function parseRegionCode(s: string): RegionCode | null {
  const text = s.trim();
  const segments = text.includes('.') ? text.split('.') : splitRegionDigits(text);
  if (!segments || segments.length === 0 || segments.length > REGION_SEGMENT_LENGTHS.length) return null;

  const wellFormed = segments.every(
    (segment, i) => segment.length === REGION_SEGMENT_LENGTHS[i] && ONLY_DIGITS.test(segment) && Number(segment) > 0,
  );
  const level = REGION_LEVELS[segments.length - 1];
  if (!wellFormed || !level) return null;
  return { level, dotted: segments.join('.'), digits: segments.join('') };
}

function splitRegionDigits(text: string): string[] | null {
  if (!ONLY_DIGITS.test(text) || ![2, 4, 6, 10].includes(text.length)) return null;
  return [text.slice(0, 2), text.slice(2, 4), text.slice(4, 6), text.slice(6, 10)].filter((s) => s !== '');
}

export function checkRegionCode(s: string, expectedLevel?: RegionLevel): IdentifierIssue[] {
  if (s === '') return [];
  const region = parseRegionCode(s);
  if (!region) return [issue('REGION_FORMAT', 'error')];
  if (expectedLevel && region.level !== expectedLevel) {
    return [issue('REGION_LEVEL', 'error', { expected: expectedLevel, actual: region.level })];
  }
  return [];
}

/** `35.10.01.2001` -> `35.10.01`; a province (or an invalid code) has no parent. */
export function regionParentCode(dotted: string): string | null {
  const region = parseRegionCode(dotted);
  if (!region || region.level === 'PROVINCE') return null;
  return region.dotted.split('.').slice(0, -1).join('.');
}

/** True when the code's regency part is a city (kota, 71-99). Works for district and village codes too. */
export function isCityCode(regencyDotted: string): boolean {
  const region = parseRegionCode(regencyDotted);
  if (!region || region.level === 'PROVINCE') return false;
  return Number(region.digits.slice(2, 4)) >= FIRST_CITY_NUMBER;
}

// ---------------------------------------------------------------- spreadsheet damage

const SCIENTIFIC_NOTATION = /^[+-]?\d+([.,]\d+)?[eE][+-]?\d+$/;
const TRAILING_ZERO_DECIMAL = /^\d+[.,]0+$/;

/**
 * True for identifiers Excel turned into numbers: `3.57301E+15` (digits are lost for good) or
 * `3573014103070012.0`. Indonesian Excel writes a decimal comma, so `,` counts too.
 */
export function looksNumericMangled(raw: string): boolean {
  const text = raw.trim();
  return SCIENTIFIC_NOTATION.test(text) || TRAILING_ZERO_DECIMAL.test(text);
}
