// Calendar dates as ISO strings (YYYY-MM-DD). We never use JS Date for them: offices run on
// UTC+7..+9, and a Date built from a birth date silently shifts a day depending on the
// machine's time zone. All arithmetic below is plain integer arithmetic on day numbers.

/** A calendar date written `YYYY-MM-DD`. */
export type IsoDate = string;

export type DateParts = { year: number; month: number; day: number };

const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_FIRST_PATTERN = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;
const EXCEL_SERIAL_PATTERN = /^\d+(\.\d+)?$/;

/** Excel serial of 9999-12-31, the last date Excel can show. */
const EXCEL_MAX_SERIAL = 2958465;
/** Excel's 1900 date system counts a 29/02/1900 that never existed (a Lotus 1-2-3 bug). */
const EXCEL_FAKE_LEAP_DAY = 60;

export function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True when year/month/day name a day that exists (year 1..9999). */
export function isValidDateParts(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day) &&
    year >= 1 && year <= 9999 &&
    month >= 1 && month <= 12 &&
    day >= 1 && day <= daysInMonth(year, month)
  );
}

/** Parses a strict `YYYY-MM-DD`; null when the text is malformed or the day does not exist. */
export function parseIsoDate(s: string): DateParts | null {
  const match = ISO_DATE_PATTERN.exec(s);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return isValidDateParts(year, month, day) ? { year, month, day } : null;
}

export function isIsoDate(s: unknown): s is IsoDate {
  return typeof s === 'string' && parseIsoDate(s) !== null;
}

export function toIsoDate({ year, month, day }: DateParts): IsoDate {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** `2007-03-21` -> `21/03/2007`, the way dates are written in Indonesia. Invalid input is returned as is. */
export function formatDateId(iso: IsoDate): string {
  const date = parseIsoDate(iso);
  if (!date) return iso;
  return `${pad2(date.day)}/${pad2(date.month)}/${String(date.year).padStart(4, '0')}`;
}

/**
 * Reads a date typed by a person or found in a spreadsheet: `yyyy-mm-dd`, `dd/mm/yyyy`,
 * `dd-mm-yyyy`, `dd.mm.yyyy`, `d/m/yyyy` (day first, always: Indonesian convention), or an
 * Excel serial number (1900 date system). Two-digit years are refused: they are ambiguous.
 */
export function parseDateInput(s: string | number): IsoDate | null {
  if (typeof s === 'number') return excelSerialToIsoDate(s);
  const text = s.trim();

  const iso = parseIsoDate(text);
  if (iso) return toIsoDate(iso);

  const dayFirst = DAY_FIRST_PATTERN.exec(text);
  if (dayFirst) {
    const day = Number(dayFirst[1]);
    const month = Number(dayFirst[3]);
    const year = Number(dayFirst[4]);
    return isValidDateParts(year, month, day) ? toIsoDate({ year, month, day }) : null;
  }

  if (EXCEL_SERIAL_PATTERN.test(text)) return excelSerialToIsoDate(Number(text));
  return null;
}

/**
 * Excel 1900 date system: serial 1 is 1900-01-01. Excel also counts a 29/02/1900 (serial 60)
 * that never existed, so serials after it are one day ahead of a plain count. We refuse 60
 * itself. A fractional part (time of day) is dropped.
 */
export function excelSerialToIsoDate(serial: number): IsoDate | null {
  if (!Number.isFinite(serial)) return null;
  const whole = Math.floor(serial);
  if (whole < 1 || whole > EXCEL_MAX_SERIAL || whole === EXCEL_FAKE_LEAP_DAY) return null;
  const dayZero = whole < EXCEL_FAKE_LEAP_DAY ? '1899-12-31' : '1899-12-30';
  return addDays(dayZero, whole);
}

/**
 * Age in full years on `onDate` (negative if `onDate` is before the birth).
 *
 * Someone born on 29 February becomes a year older on 1 March in non-leap years, not on
 * 28 February: this is how Dukcapil (the Indonesian civil registry) counts it, e.g. for the
 * 17th birthday that makes a person wajib KTP. Comparing (month, day) pairs gives exactly that.
 */
export function ageOn(birthDate: IsoDate, onDate: IsoDate): number {
  const birth = requireDate(birthDate, 'birthDate');
  const on = requireDate(onDate, 'onDate');
  const birthdayReached = on.month > birth.month || (on.month === birth.month && on.day >= birth.day);
  return on.year - birth.year - (birthdayReached ? 0 : 1);
}

/**
 * The same calendar day `years` later (or earlier, if negative): the anniversary. A 29 February
 * lands on 1 March in a non-leap year, matching `ageOn`, so `ageOn(b, addYears(b, n)) === n`.
 */
export function addYears(iso: IsoDate, years: number): IsoDate {
  const date = requireDate(iso, 'iso');
  const year = date.year + years;
  if (date.month === 2 && date.day === 29 && !isLeapYear(year)) return toIsoDate({ year, month: 3, day: 1 });
  return toIsoDate({ year, month: date.month, day: date.day });
}

export function addDays(iso: IsoDate, days: number): IsoDate {
  const date = requireDate(iso, 'iso');
  return toIsoDate(civilFromDayNumber(dayNumber(date) + days));
}

/** Whole days from `from` to `to` (negative if `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(requireDate(to, 'to')) - dayNumber(requireDate(from, 'from'));
}

/** -1, 0 or 1. Valid ISO dates sort as text, so no parsing is needed. */
export function compareIsoDate(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

function requireDate(iso: IsoDate, name: string): DateParts {
  const date = parseIsoDate(iso);
  if (!date) throw new RangeError(`${name} is not a valid YYYY-MM-DD date: ${JSON.stringify(iso)}`);
  return date;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

// Day numbers (days since 1970-01-01) from Howard Hinnant's "days_from_civil" algorithms,
// proleptic Gregorian calendar. Years are shifted to start in March so the leap day is last.
function dayNumber({ year, month, day }: DateParts): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function civilFromDayNumber(n: number): DateParts {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/** WIB (Asia/Jakarta) is UTC+7 all year: no daylight saving since 1964. */
const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;

/**
 * The calendar day in Asia/Jakarta of a moment: the office's day, as the API and the web app
 * count it (a recording at 23:30 UTC counts for the next day in Malang). Plain arithmetic: an
 * Intl formatter gives the same day at several microseconds a call, and every request asks.
 */
export function jakartaDate(moment: Date | string | number): IsoDate {
  return new Date(new Date(moment).getTime() + WIB_OFFSET_MS).toISOString().slice(0, 10);
}
