import { describe, expect, it } from 'vitest';
import {
  SCHOOL_LEVELS,
  SCHOOL_STATUSES,
  SEXES,
  STOCK_MOVEMENT_KINDS,
  VISIT_STATUSES,
  normalizeName,
  validateDrive,
  validateSchool,
  validateStockMovement,
  validateStudent,
  validateVisit,
} from './records.ts';
import type { FieldIssue } from './records.ts';

const summary = (issues: FieldIssue[]) => issues.map((i) => `${i.field}:${i.code}`);

describe('enum lists', () => {
  it('exports the allowed values', () => {
    expect(SCHOOL_LEVELS).toEqual(['SMA', 'SMK', 'MA', 'SLB', 'OTHER']);
    expect(SCHOOL_STATUSES).toEqual(['NEGERI', 'SWASTA']);
    expect(SEXES).toEqual(['L', 'P']);
    expect(VISIT_STATUSES).toEqual(['PLANNED', 'CONFIRMED', 'DONE', 'CANCELLED', 'RESCHEDULED']);
    expect(STOCK_MOVEMENT_KINDS).toEqual(['RECEIVED', 'USED', 'SPOILED', 'CORRECTION']);
  });
});

describe('validateSchool', () => {
  const school = {
    npsn: '20533800',
    name: 'SMA Negeri 1 Malang',
    level: 'SMA',
    status: 'NEGERI',
    districtCode: '35.73.05',
    villageCode: '35.73.05.1001',
    address: 'Jl. Tugu Utara No. 1',
    contactName: 'Bu Sri',
    contactPhone: '(0341) 366454',
  };

  it('accepts a complete school', () => {
    expect(validateSchool(school, 'create')).toEqual([]);
    expect(validateSchool({ ...school, villageCode: null, address: null, contactPhone: '+62 812-3456-7890' }, 'create')).toEqual([]);
  });

  it('requires the mandatory fields on create', () => {
    expect(summary(validateSchool({ name: '  ' }, 'create'))).toEqual([
      'npsn:REQUIRED',
      'name:REQUIRED',
      'level:REQUIRED',
      'status:REQUIRED',
      'districtCode:REQUIRED',
    ]);
  });

  it('checks only present fields on update, and refuses clearing a mandatory one', () => {
    expect(validateSchool({ name: 'SMA Negeri 2 Malang' }, 'update')).toEqual([]);
    expect(summary(validateSchool({ name: '' }, 'update'))).toEqual(['name:REQUIRED']);
    expect(validateSchool({ address: null }, 'update')).toEqual([]);
  });

  it('checks enums, identifiers and region levels', () => {
    const issues = validateSchool(
      { ...school, npsn: '2053380', level: 'SMP', status: 'negeri', districtCode: '35.73', villageCode: '35.73.05.100', contactPhone: 'tanya guru' },
      'create',
    );
    expect(summary(issues)).toEqual([
      'npsn:NPSN_LENGTH',
      'level:INVALID_ENUM',
      'status:INVALID_ENUM',
      'districtCode:REGION_LEVEL',
      'villageCode:REGION_FORMAT',
      'contactPhone:PHONE_FORMAT',
    ]);
    expect(issues[1]).toEqual({
      field: 'level',
      code: 'INVALID_ENUM',
      severity: 'error',
      params: { field: 'level', value: 'SMP', allowed: 'SMA, SMK, MA, SLB, OTHER' },
    });
  });

  it('refuses a village outside the district', () => {
    expect(validateSchool({ ...school, villageCode: '35.73.04.1001' }, 'create')).toEqual([
      { field: 'villageCode', code: 'REGION_MISMATCH', severity: 'error', params: { field: 'villageCode', parent: '35.73.05' } },
    ]);
  });

  it('refuses names over 200 characters after trimming', () => {
    expect(validateSchool({ name: `  ${'a'.repeat(200)}  ` }, 'update')).toEqual([]);
    expect(summary(validateSchool({ name: 'a'.repeat(201) }, 'update'))).toEqual(['name:TOO_LONG']);
  });
});

describe('validateStudent', () => {
  const student = {
    name: 'Siti Aminah',
    nik: '3573016103070012',
    nisn: '0071234567',
    sex: 'P',
    birthPlace: 'Malang',
    birthDate: '2007-03-21',
    className: 'XII IPA 1',
    married: false,
    schoolId: 'sch_1',
  };
  const today = '2024-09-01';

  it('accepts a complete student, and one without NIK and NISN', () => {
    expect(validateStudent(student, 'create', { today })).toEqual([]);
    expect(validateStudent({ ...student, nik: null, nisn: '' }, 'create', { today })).toEqual([]);
  });

  it('requires name, sex, birth date and school on create', () => {
    expect(summary(validateStudent({}, 'create'))).toEqual([
      'name:REQUIRED',
      'sex:REQUIRED',
      'birthDate:REQUIRED',
      'schoolId:REQUIRED',
    ]);
  });

  it('keeps NISN leading zeros mandatory', () => {
    expect(summary(validateStudent({ nisn: '71234567' }, 'update'))).toEqual(['nisn:NISN_LENGTH']);
  });

  it('checks the NIK against birth date and sex as warnings', () => {
    const issues = validateStudent({ ...student, birthDate: '2008-03-21' }, 'create', { today });
    expect(issues).toEqual([
      {
        field: 'nik',
        code: 'NIK_BIRTHDATE_MISMATCH',
        severity: 'warning',
        params: { nikDate: '21/03/07', birthDate: '2008-03-21' },
      },
    ]);
    expect(summary(validateStudent({ ...student, sex: 'L' }, 'create'))).toEqual(['nik:NIK_SEX_MISMATCH']);
  });

  it('spots a family card pasted as NIK', () => {
    const issues = validateStudent({ ...student, nik: '3573011503120001', sex: 'L' }, 'create');
    expect(summary(issues)).toContain('nik:NIK_LOOKS_LIKE_KK');
    const known = validateStudent(student, 'create', { familyCardNumbers: ['3573016103070012'] });
    expect(summary(known)).toEqual(['nik:NIK_LOOKS_LIKE_KK']);
  });

  it('reports NIK errors as errors', () => {
    expect(validateStudent({ nik: '357301610307001' }, 'update')).toEqual([
      { field: 'nik', code: 'NIK_LENGTH', severity: 'error', params: { length: 15 } },
    ]);
  });

  it('refuses birth dates in the future, before 1900, or invalid', () => {
    expect(summary(validateStudent({ birthDate: '2024-09-02' }, 'update', { today }))).toEqual(['birthDate:DATE_IN_FUTURE']);
    expect(validateStudent({ birthDate: '2024-09-01' }, 'update', { today })).toEqual([]);
    expect(validateStudent({ birthDate: '2030-01-01' }, 'update')).toEqual([]); // no today given
    expect(summary(validateStudent({ birthDate: '1899-12-31' }, 'update'))).toEqual(['birthDate:DATE_TOO_EARLY']);
    expect(summary(validateStudent({ birthDate: '21/03/2007' }, 'update'))).toEqual(['birthDate:INVALID_DATE']);
  });

  it('checks sex and the married flag', () => {
    expect(summary(validateStudent({ sex: 'M' }, 'update'))).toEqual(['sex:INVALID_ENUM']);
    expect(summary(validateStudent({ married: null as unknown as boolean }, 'update'))).toEqual(['married:INVALID_VALUE']);
    expect(validateStudent({ married: true }, 'update')).toEqual([]);
  });
});

describe('validateDrive', () => {
  const drive = { name: 'Pilkada 2024', electionDate: '2024-11-27', startDate: '2024-09-01', endDate: '2024-11-20', notes: null };

  it('accepts a drive that ends before the election', () => {
    expect(validateDrive(drive, 'create')).toEqual([]);
  });

  it('requires name and the three dates on create', () => {
    expect(summary(validateDrive({}, 'create'))).toEqual([
      'name:REQUIRED',
      'electionDate:REQUIRED',
      'startDate:REQUIRED',
      'endDate:REQUIRED',
    ]);
  });

  it('refuses an end before the start and warns about an end after the election', () => {
    expect(summary(validateDrive({ ...drive, endDate: '2024-08-31' }, 'create'))).toEqual(['endDate:DATE_ORDER']);
    expect(validateDrive({ ...drive, endDate: '2024-12-01' }, 'create')).toEqual([
      { field: 'endDate', code: 'DRIVE_ENDS_AFTER_ELECTION', severity: 'warning' },
    ]);
    expect(summary(validateDrive({ electionDate: '2024-02-30' }, 'update'))).toEqual(['electionDate:INVALID_DATE']);
  });
});

describe('validateVisit', () => {
  const visit = { date: '2024-10-07', startTime: '08:00', endTime: '12:30', kits: 3, status: 'PLANNED', team: 'Tim A', notes: null };

  it('accepts a visit, with or without status', () => {
    expect(validateVisit(visit, 'create')).toEqual([]);
    const { status: _status, ...withoutStatus } = visit;
    expect(validateVisit(withoutStatus, 'create')).toEqual([]);
  });

  it('requires date, times and kits on create', () => {
    expect(summary(validateVisit({}, 'create'))).toEqual(['date:REQUIRED', 'startTime:REQUIRED', 'endTime:REQUIRED', 'kits:REQUIRED']);
  });

  it('checks HH:MM times with the end after the start', () => {
    expect(summary(validateVisit({ ...visit, startTime: '8:00' }, 'create'))).toEqual(['startTime:INVALID_TIME']);
    expect(summary(validateVisit({ ...visit, endTime: '24:00' }, 'create'))).toEqual(['endTime:INVALID_TIME']);
    expect(summary(validateVisit({ ...visit, endTime: '08:00' }, 'create'))).toEqual(['endTime:TIME_ORDER']);
    expect(summary(validateVisit({ ...visit, startTime: '13:00', endTime: '09:00' }, 'create'))).toEqual(['endTime:TIME_ORDER']);
  });

  it('needs 1 to 50 kits, as a whole number', () => {
    expect(validateVisit({ kits: 1 }, 'update')).toEqual([]);
    expect(validateVisit({ kits: 50 }, 'update')).toEqual([]);
    expect(validateVisit({ kits: 0 }, 'update')).toEqual([
      { field: 'kits', code: 'OUT_OF_RANGE', severity: 'error', params: { field: 'kits', min: 1, max: 50 } },
    ]);
    expect(summary(validateVisit({ kits: 51 }, 'update'))).toEqual(['kits:OUT_OF_RANGE']);
    expect(summary(validateVisit({ kits: 2.5 }, 'update'))).toEqual(['kits:NOT_INTEGER']);
    expect(summary(validateVisit({ kits: '3' as unknown as number }, 'update'))).toEqual(['kits:NOT_INTEGER']);
  });

  it('checks the status', () => {
    expect(summary(validateVisit({ status: 'DONE' }, 'update'))).toEqual([]);
    expect(summary(validateVisit({ status: 'FINISHED' }, 'update'))).toEqual(['status:INVALID_ENUM']);
  });
});

describe('validateStockMovement', () => {
  it('accepts positive quantities, and negative corrections', () => {
    expect(validateStockMovement({ kind: 'RECEIVED', quantity: 5000, date: '2024-10-01' }, 'create')).toEqual([]);
    expect(validateStockMovement({ kind: 'CORRECTION', quantity: -3, date: '2024-10-01' }, 'create')).toEqual([]);
  });

  it('requires kind, quantity and date on create', () => {
    expect(summary(validateStockMovement({}, 'create'))).toEqual(['kind:REQUIRED', 'quantity:REQUIRED', 'date:REQUIRED']);
  });

  it('refuses zero, negatives (except corrections) and fractions', () => {
    expect(summary(validateStockMovement({ kind: 'USED', quantity: 0 }, 'update'))).toEqual(['quantity:MUST_BE_POSITIVE']);
    expect(summary(validateStockMovement({ kind: 'SPOILED', quantity: -1 }, 'update'))).toEqual(['quantity:MUST_BE_POSITIVE']);
    expect(summary(validateStockMovement({ kind: 'CORRECTION', quantity: 0 }, 'update'))).toEqual(['quantity:MUST_NOT_BE_ZERO']);
    expect(summary(validateStockMovement({ kind: 'USED', quantity: 1.5 }, 'update'))).toEqual(['quantity:NOT_INTEGER']);
    expect(summary(validateStockMovement({ kind: 'LOST', quantity: 1 }, 'update'))).toEqual(['kind:INVALID_ENUM']);
  });

  it('refuses movements dated in the future when today is given', () => {
    expect(summary(validateStockMovement({ date: '2024-10-02' }, 'update', { today: '2024-10-01' }))).toEqual(['date:DATE_IN_FUTURE']);
  });
});

describe('normalizeName', () => {
  it('lowercases, strips diacritics and collapses spaces', () => {
    expect(normalizeName('  Siti   NUR Zulaïkha ')).toBe('siti nur zulaikha');
    expect(normalizeName('Ñoman\tGédé')).toBe('noman gede');
    expect(normalizeName("Muh. Ma'ruf")).toBe("muh. ma'ruf");
  });
});
