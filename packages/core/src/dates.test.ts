import { describe, expect, it } from 'vitest';
import {
  addDays,
  addYears,
  ageOn,
  compareIsoDate,
  daysBetween,
  excelSerialToIsoDate,
  formatDateId,
  isIsoDate,
  jakartaDate,
  parseDateInput,
  parseIsoDate,
} from './dates.ts';

describe('parseIsoDate / isIsoDate', () => {
  it('parses real calendar dates', () => {
    expect(parseIsoDate('2007-03-21')).toEqual({ year: 2007, month: 3, day: 21 });
    expect(isIsoDate('2024-12-31')).toBe(true);
  });

  it('knows leap years, including the century rules', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('1900-02-29')).toBe(false);
    expect(isIsoDate('2100-02-29')).toBe(false);
  });

  it('refuses days that do not exist and malformed text', () => {
    for (const bad of ['2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00', '2024-1-5', '24-01-05', '2024-01-05T00:00', ' 2024-01-05', '']) {
      expect(isIsoDate(bad), bad).toBe(false);
    }
    expect(isIsoDate(20240105)).toBe(false);
    expect(isIsoDate(null)).toBe(false);
  });
});

describe('formatDateId', () => {
  it('writes dd/mm/yyyy', () => {
    expect(formatDateId('2007-03-21')).toBe('21/03/2007');
    expect(formatDateId('2025-01-03')).toBe('03/01/2025');
  });

  it('returns invalid input unchanged', () => {
    expect(formatDateId('not a date')).toBe('not a date');
  });
});

describe('parseDateInput', () => {
  it('accepts ISO and day-first forms', () => {
    expect(parseDateInput('2007-03-21')).toBe('2007-03-21');
    expect(parseDateInput('21/03/2007')).toBe('2007-03-21');
    expect(parseDateInput('21-03-2007')).toBe('2007-03-21');
    expect(parseDateInput('21.03.2007')).toBe('2007-03-21');
    expect(parseDateInput('1/3/2007')).toBe('2007-03-01');
    expect(parseDateInput('  5/12/2007 ')).toBe('2007-12-05');
  });

  it('is always day first (Indonesian convention), never month first', () => {
    expect(parseDateInput('03/21/2007')).toBeNull();
    expect(parseDateInput('12/05/2007')).toBe('2007-05-12');
  });

  it('refuses impossible dates, mixed separators and two-digit years', () => {
    expect(parseDateInput('29/02/2007')).toBeNull();
    expect(parseDateInput('29/02/2008')).toBe('2008-02-29');
    expect(parseDateInput('21/03-2007')).toBeNull();
    expect(parseDateInput('21/03/07')).toBeNull();
    expect(parseDateInput('')).toBeNull();
    expect(parseDateInput('kemarin')).toBeNull();
  });

  it('reads Excel serials in the 1900 date system', () => {
    // 44927 is 1 January 2023 in Excel; 2007-03-21 is 39162 (39163 is the day after).
    expect(parseDateInput('44927')).toBe('2023-01-01');
    expect(parseDateInput('39162')).toBe('2007-03-21');
    expect(parseDateInput('39163')).toBe('2007-03-22');
    expect(parseDateInput(39162)).toBe('2007-03-21');
    expect(parseDateInput('39162.75')).toBe('2007-03-21'); // time of day dropped
  });

  it("handles Excel's fake 29/02/1900 (serial 60)", () => {
    expect(excelSerialToIsoDate(1)).toBe('1900-01-01');
    expect(excelSerialToIsoDate(59)).toBe('1900-02-28');
    expect(excelSerialToIsoDate(60)).toBeNull();
    expect(excelSerialToIsoDate(61)).toBe('1900-03-01');
  });

  it('refuses serials outside what Excel can show', () => {
    expect(excelSerialToIsoDate(0)).toBeNull();
    expect(excelSerialToIsoDate(-5)).toBeNull();
    expect(excelSerialToIsoDate(2958465)).toBe('9999-12-31');
    expect(excelSerialToIsoDate(2958466)).toBeNull();
    expect(excelSerialToIsoDate(Number.NaN)).toBeNull();
    expect(parseDateInput('21032007')).toBeNull();
  });
});

describe('ageOn', () => {
  it('counts full years', () => {
    expect(ageOn('2007-11-27', '2024-11-26')).toBe(16);
    expect(ageOn('2007-11-27', '2024-11-27')).toBe(17);
    expect(ageOn('2007-11-27', '2024-11-28')).toBe(17);
    expect(ageOn('2007-12-31', '2025-01-01')).toBe(17);
  });

  it('makes a 29 February birth a year older on 1 March in non-leap years', () => {
    expect(ageOn('2008-02-29', '2025-02-28')).toBe(16);
    expect(ageOn('2008-02-29', '2025-03-01')).toBe(17);
    expect(ageOn('2008-02-29', '2024-02-28')).toBe(15);
    expect(ageOn('2008-02-29', '2024-02-29')).toBe(16);
  });

  it('is negative before the birth and throws on invalid dates', () => {
    expect(ageOn('2010-05-05', '2009-05-05')).toBe(-1);
    expect(() => ageOn('2010-02-30', '2024-01-01')).toThrow(RangeError);
  });
});

describe('addYears / addDays / daysBetween / compareIsoDate', () => {
  it('adds years, moving 29 February to 1 March in non-leap years', () => {
    expect(addYears('2007-11-27', 17)).toBe('2024-11-27');
    expect(addYears('2008-02-29', 17)).toBe('2025-03-01');
    expect(addYears('2008-02-29', 16)).toBe('2024-02-29');
    expect(addYears('2024-11-27', -17)).toBe('2007-11-27');
  });

  it('adds days across months, years and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('1900-02-28', 1)).toBe('1900-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addDays('1970-01-01', 20054)).toBe('2024-11-27');
  });

  it('counts days between dates', () => {
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2025-01-01', '2024-01-01')).toBe(-366);
  });

  it('compares ISO dates', () => {
    expect(compareIsoDate('2024-01-01', '2024-01-02')).toBe(-1);
    expect(compareIsoDate('2024-01-02', '2024-01-02')).toBe(0);
    expect(compareIsoDate('2025-01-01', '2024-12-31')).toBe(1);
  });
});

describe('jakartaDate', () => {
  const byIntl = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit', day: '2-digit' });

  it('turns over at 17:00 UTC (midnight WIB)', () => {
    expect(jakartaDate(new Date('2024-10-01T16:59:59.999Z'))).toBe('2024-10-01');
    expect(jakartaDate(new Date('2024-10-01T17:00:00.000Z'))).toBe('2024-10-02');
    expect(jakartaDate('2024-12-31T17:30:00Z')).toBe('2025-01-01');
    expect(jakartaDate('2028-02-28T18:00:00Z')).toBe('2028-02-29');
  });

  it('agrees with the time-zone database for every hour from 1970 to 2060', () => {
    const disagree: string[] = [];
    for (let t = Date.UTC(1970, 0, 1); t < Date.UTC(2060, 0, 1); t += 3_600_000 * 7 + 59_000) {
      if (jakartaDate(t) !== byIntl.format(t)) disagree.push(new Date(t).toISOString());
    }
    expect(disagree).toEqual([]);
  });
});
