import { describe, expect, it } from 'vitest';
import {
  checkNik,
  checkNisn,
  checkNpsn,
  checkRegionCode,
  composeNik,
  isCityCode,
  looksNumericMangled,
  maskNik,
  nikBirthInfo,
  normalizeDigits,
  parseRegionCode,
  regionParentCode,
} from './identifiers.ts';
import type { IdentifierIssue } from './identifiers.ts';

const codes = (issues: IdentifierIssue[]) => issues.map((i) => i.code);

// Kota Malang, kecamatan 35.73.01; born 21/03/2007; serial 0012.
const MAN = '3573012103070012';
const WOMAN = '3573016103070012'; // day 21 + 40 = 61
// A family card issued 15/03/2012 in the same district.
const KK = '3573011503120001';

describe('normalizeDigits', () => {
  it('strips spaces, dots and dashes', () => {
    expect(normalizeDigits(' 3573 0121-0307.0012 ')).toBe(MAN);
    expect(normalizeDigits('35.73.01')).toBe('357301');
  });
});

describe('checkNik: structure', () => {
  it('accepts valid NIKs of men and women', () => {
    expect(checkNik(MAN)).toEqual([]);
    expect(checkNik(WOMAN)).toEqual([]);
    expect(checkNik(MAN, { birthDate: '2007-03-21', sex: 'L' })).toEqual([]);
    expect(checkNik(WOMAN, { birthDate: '2007-03-21', sex: 'P' })).toEqual([]);
  });

  it('has nothing to check in an empty string', () => {
    expect(checkNik('')).toEqual([]);
  });

  it('refuses non-digits, including typed separators', () => {
    expect(codes(checkNik('3573O12103070012'))).toEqual(['NIK_NOT_DIGITS']);
    expect(codes(checkNik('3573 0121 0307 0012'))).toEqual(['NIK_NOT_DIGITS']);
    expect(checkNik(normalizeDigits('3573 0121 0307 0012'))).toEqual([]);
  });

  it('reports the length found', () => {
    expect(checkNik('357301210307001')).toEqual([{ code: 'NIK_LENGTH', severity: 'error', params: { length: 15 } }]);
    expect(codes(checkNik('35730121030700123'))).toEqual(['NIK_LENGTH']);
  });

  it('refuses zero regency, zero district and impossible province codes', () => {
    expect(checkNik('0573012103070012')).toEqual([
      { code: 'NIK_REGION', severity: 'error', params: { part: 'province', code: '05' } },
    ]);
    expect(checkNik('3500012103070012')[0]).toMatchObject({ code: 'NIK_REGION', params: { part: 'regency' } });
    expect(checkNik('3573002103070012')[0]).toMatchObject({ code: 'NIK_REGION', params: { part: 'district' } });
  });

  it('only warns about a province code that is not current (first-issue codes may be old)', () => {
    expect(checkNik('9701012103070012')).toEqual([
      { code: 'NIK_PROVINCE_UNKNOWN', severity: 'warning', params: { province: '97' } },
    ]);
    expect(codes(checkNik('2001012103070012'))).toEqual(['NIK_PROVINCE_UNKNOWN']);
    expect(checkNik('9601012103070012')).toEqual([]); // Papua Barat Daya
  });

  it('refuses date parts that are not dates', () => {
    const dateError = (datePart: string) => codes(checkNik(`357301${datePart}0012`));
    expect(dateError('000307')).toEqual(['NIK_DATE']); // day 0
    expect(dateError('320307')).toEqual(['NIK_DATE']); // 32: neither a man's nor a woman's day
    expect(dateError('400307')).toEqual(['NIK_DATE']);
    expect(dateError('720307')).toEqual(['NIK_DATE']); // 72 - 40 = 32
    expect(dateError('211307')).toEqual(['NIK_DATE']); // month 13
    expect(dateError('210007')).toEqual(['NIK_DATE']); // month 0
    expect(dateError('310407')).toEqual(['NIK_DATE']); // 31 April
    expect(dateError('710407')).toEqual(['NIK_DATE']); // 31 April, woman
    expect(checkNik('3573013203070012')[0]?.params).toEqual({ datePart: '320307' });
  });

  it('accepts 29 February when the two-digit year is a leap year in either century', () => {
    expect(checkNik('3573012902080001')).toEqual([]); // 2008
    expect(checkNik('3573016902080001')).toEqual([]); // woman, 2008
    expect(checkNik('3573012902000001')).toEqual([]); // 2000 is leap (1900 is not)
    expect(codes(checkNik('3573012902070001'))).toEqual(['NIK_DATE']);
    expect(codes(checkNik('3573016902010001'))).toEqual(['NIK_DATE']);
  });

  it('refuses serial 0000', () => {
    expect(codes(checkNik('3573012103070000'))).toEqual(['NIK_SERIAL']);
  });

  it('reports every structural error at once', () => {
    expect(codes(checkNik('3500003203070000'))).toEqual(['NIK_REGION', 'NIK_REGION', 'NIK_DATE', 'NIK_SERIAL']);
  });
});

describe('checkNik: comparison with the student', () => {
  it('warns when a woman’s date part disagrees with the birth date', () => {
    expect(checkNik(WOMAN, { birthDate: '2008-03-21', sex: 'P' })).toEqual([
      {
        code: 'NIK_BIRTHDATE_MISMATCH',
        severity: 'warning',
        params: { nikDate: '21/03/07', birthDate: '2008-03-21' },
      },
    ]);
  });

  it('compares only the two-digit year', () => {
    expect(checkNik(MAN, { birthDate: '1907-03-21', sex: 'L' })).toEqual([]);
  });

  it('warns when the sex disagrees with the day (+40 for women)', () => {
    expect(checkNik(MAN, { birthDate: '2007-03-21', sex: 'P' })).toEqual([
      { code: 'NIK_SEX_MISMATCH', severity: 'warning', params: { nikSex: 'L', sex: 'P' } },
    ]);
    expect(codes(checkNik(WOMAN, { sex: 'L' }))).toEqual(['NIK_SEX_MISMATCH']);
  });

  it('recognises a family card (KK) pasted as NIK', () => {
    const issues = checkNik(KK, { birthDate: '2007-03-21', sex: 'L' });
    expect(issues[0]).toEqual({
      code: 'NIK_LOOKS_LIKE_KK',
      severity: 'warning',
      params: { nikDate: '15/03/12', birthDate: '2007-03-21' },
    });
    expect(codes(issues)).toEqual(['NIK_LOOKS_LIKE_KK', 'NIK_BIRTHDATE_MISMATCH']);
    expect(codes(checkNik(KK, { birthDate: '2007-03-21', sex: 'P' }))).toEqual([
      'NIK_LOOKS_LIKE_KK',
      'NIK_BIRTHDATE_MISMATCH',
      'NIK_SEX_MISMATCH',
    ]);
  });

  it('does not suspect a KK when the date part is a woman’s (day + 40): KK dates are plain', () => {
    expect(codes(checkNik(WOMAN, { birthDate: '2006-01-01', sex: 'P' }))).toEqual(['NIK_BIRTHDATE_MISMATCH']);
  });

  it('does not suspect a KK without a birth date to compare with', () => {
    expect(checkNik(KK)).toEqual([]);
    expect(checkNik(KK, { sex: 'L' })).toEqual([]);
  });

  it('flags a NIK equal to one of the family-card numbers', () => {
    const issues = checkNik(MAN, { birthDate: '2007-03-21', sex: 'L', familyCardNumbers: ['3573-0121-0307-0012'] });
    expect(issues).toEqual([
      { code: 'NIK_LOOKS_LIKE_KK', severity: 'warning', params: { matchesFamilyCard: 1, nikDate: '21/03/07' } },
    ]);
    expect(checkNik(MAN, { familyCardNumbers: [KK] })).toEqual([]);
  });

  it('ignores an invalid birth date rather than comparing with it', () => {
    expect(checkNik(MAN, { birthDate: '2007-02-30' })).toEqual([]);
  });
});

describe('nikBirthInfo', () => {
  it('decodes day, month, two-digit year and sex', () => {
    expect(nikBirthInfo(MAN)).toEqual({ day: 21, month: 3, yy: 7, sex: 'L' });
    expect(nikBirthInfo(WOMAN)).toEqual({ day: 21, month: 3, yy: 7, sex: 'P' });
    expect(nikBirthInfo('3573017112990001')).toEqual({ day: 31, month: 12, yy: 99, sex: 'P' });
  });

  it('is null for malformed NIKs and impossible dates', () => {
    expect(nikBirthInfo('357301')).toBeNull();
    expect(nikBirthInfo('3573013203070012')).toBeNull();
    expect(nikBirthInfo('35730121030700x2')).toBeNull();
  });
});

describe('composeNik', () => {
  it('builds NIKs that checkNik accepts for that birth date and sex', () => {
    expect(composeNik({ districtCode: '35.73.01', birthDate: '2007-03-21', sex: 'L', serial: 12 })).toBe(MAN);
    expect(composeNik({ districtCode: '357301', birthDate: '2007-03-21', sex: 'P', serial: 12 })).toBe(WOMAN);
    for (const [birthDate, sex] of [['2008-02-29', 'P'], ['2000-01-01', 'L'], ['2007-12-31', 'P']] as const) {
      const nik = composeNik({ districtCode: '64.71.02', birthDate, sex, serial: 9999 });
      expect(checkNik(nik, { birthDate, sex }), nik).toEqual([]);
    }
  });

  it('throws on inputs that cannot give a clean NIK', () => {
    expect(() => composeNik({ districtCode: '35.73', birthDate: '2007-03-21', sex: 'L', serial: 1 })).toThrow(RangeError);
    expect(() => composeNik({ districtCode: '35.73.01', birthDate: '2007-02-29', sex: 'L', serial: 1 })).toThrow(RangeError);
    expect(() => composeNik({ districtCode: '35.73.01', birthDate: '2007-03-21', sex: 'L', serial: 0 })).toThrow(RangeError);
    expect(() => composeNik({ districtCode: '35.73.01', birthDate: '2007-03-21', sex: 'L', serial: 10000 })).toThrow(RangeError);
    expect(() => composeNik({ districtCode: '97.01.01', birthDate: '2007-03-21', sex: 'L', serial: 1 })).toThrow(/NIK_PROVINCE_UNKNOWN/);
  });
});

describe('maskNik', () => {
  it('shows the first and last four digits', () => {
    expect(maskNik('3573010101070012')).toBe('3573••••••••0012');
  });

  it('masks short values completely', () => {
    expect(maskNik('12345678')).toBe('••••••••');
    expect(maskNik('')).toBe('');
  });
});

describe('checkNisn', () => {
  it('accepts 10 digits, keeping leading zeros', () => {
    expect(checkNisn('0071234567')).toEqual([]);
    expect(checkNisn('')).toEqual([]);
  });

  it('refuses a NISN whose leading zeros were lost', () => {
    expect(checkNisn('71234567')).toEqual([{ code: 'NISN_LENGTH', severity: 'error', params: { length: 8 } }]);
  });

  it('refuses non-digits', () => {
    expect(codes(checkNisn('00712345A7'))).toEqual(['NISN_NOT_DIGITS']);
    expect(codes(checkNisn('7.1234567E+7'))).toEqual(['NISN_NOT_DIGITS', 'NISN_LENGTH']);
  });
});

describe('checkNpsn', () => {
  it('accepts 8 digits or capital letters', () => {
    expect(checkNpsn('20517734')).toEqual([]);
    expect(checkNpsn('P9966201')).toEqual([]);
  });

  it('refuses other characters and other lengths', () => {
    expect(codes(checkNpsn('p9966201'))).toEqual(['NPSN_FORMAT']);
    expect(codes(checkNpsn('2051-773'))).toEqual(['NPSN_FORMAT']);
    expect(checkNpsn('2051773')).toEqual([{ code: 'NPSN_LENGTH', severity: 'error', params: { length: 7 } }]);
  });
});

describe('region codes', () => {
  it('parses dotted and plain codes at every level', () => {
    expect(parseRegionCode('35')).toEqual({ level: 'PROVINCE', dotted: '35', digits: '35' });
    expect(parseRegionCode('35.10')).toEqual({ level: 'REGENCY', dotted: '35.10', digits: '3510' });
    expect(parseRegionCode('351001')).toEqual({ level: 'DISTRICT', dotted: '35.10.01', digits: '351001' });
    expect(parseRegionCode('35.10.01.2001')).toEqual({ level: 'VILLAGE', dotted: '35.10.01.2001', digits: '3510012001' });
    expect(parseRegionCode('3510012001')?.dotted).toBe('35.10.01.2001');
    expect(parseRegionCode(' 35.10.01 ')?.level).toBe('DISTRICT');
  });

  it('refuses malformed codes', () => {
    for (const bad of ['', '3', '351', '35100', '35.1.01', '35.10.1', '35.10.01.201', '35.10.01.2001.1', '35.00.01', '00', 'ab.cd', '35..01', '35100120011']) {
      expect(parseRegionCode(bad), bad).toBeNull();
    }
  });

  it('checks format and expected level', () => {
    expect(checkRegionCode('35.10.01', 'DISTRICT')).toEqual([]);
    expect(checkRegionCode('')).toEqual([]);
    expect(codes(checkRegionCode('35.1'))).toEqual(['REGION_FORMAT']);
    expect(checkRegionCode('35.10', 'DISTRICT')).toEqual([
      { code: 'REGION_LEVEL', severity: 'error', params: { expected: 'DISTRICT', actual: 'REGENCY' } },
    ]);
  });

  it('finds the parent code', () => {
    expect(regionParentCode('35.10.01.2001')).toBe('35.10.01');
    expect(regionParentCode('3510012001')).toBe('35.10.01');
    expect(regionParentCode('35.10')).toBe('35');
    expect(regionParentCode('35')).toBeNull();
    expect(regionParentCode('x')).toBeNull();
  });

  it('tells cities (kota, 71-99) from regencies (kabupaten, 01-69)', () => {
    expect(isCityCode('35.73')).toBe(true); // Kota Malang
    expect(isCityCode('35.07')).toBe(false); // Kabupaten Malang
    expect(isCityCode('35.73.01')).toBe(true);
    expect(isCityCode('35')).toBe(false);
  });
});

describe('looksNumericMangled', () => {
  it('spots values Excel turned into numbers', () => {
    expect(looksNumericMangled('3.57301E+15')).toBe(true);
    expect(looksNumericMangled('3,57301E+15')).toBe(true);
    expect(looksNumericMangled('3.573012103070012e15')).toBe(true);
    expect(looksNumericMangled('3573012103070012.0')).toBe(true);
    expect(looksNumericMangled('71234567.0')).toBe(true);
  });

  it('leaves ordinary text alone', () => {
    expect(looksNumericMangled('3573012103070012')).toBe(false);
    expect(looksNumericMangled('0071234567')).toBe(false);
    expect(looksNumericMangled('35.73.01')).toBe(false);
    expect(looksNumericMangled('21.03.2007')).toBe(false);
    expect(looksNumericMangled('')).toBe(false);
  });
});
