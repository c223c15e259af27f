// Row validators shared by the API (batch upsert) and the web grid. Each returns FieldIssue[]
// (empty = valid). Mode 'create' requires the mandatory fields; mode 'update' checks only the
// fields present in the row (undefined = unchanged) and refuses clearing a mandatory one.
// Cross-field checks (NIK vs birth date, end after start) need both fields in the row, so for
// updates pass the merged row ({ ...stored, ...patch }) to get them.

import { compareIsoDate, isIsoDate } from './dates.ts';
import type { IsoDate } from './dates.ts';
import { checkNik, checkNisn, checkNpsn, checkRegionCode, parseRegionCode, regionParentCode } from './identifiers.ts';
import type { IdentifierIssue, RegionLevel, Sex } from './identifiers.ts';
import type { MessageParams, Severity, ValidationCode } from './messages.ts';

export type FieldIssue = { field: string; code: string; severity: Severity; params?: MessageParams };
export type ValidationMode = 'create' | 'update';

export const SCHOOL_LEVELS = ['SMA', 'SMK', 'MA', 'SLB', 'OTHER'] as const;
export type SchoolLevel = (typeof SCHOOL_LEVELS)[number];
export const SCHOOL_STATUSES = ['NEGERI', 'SWASTA'] as const;
export type SchoolStatus = (typeof SCHOOL_STATUSES)[number];
export const SEXES = ['L', 'P'] as const satisfies readonly Sex[];
export const VISIT_STATUSES = ['PLANNED', 'CONFIRMED', 'DONE', 'CANCELLED', 'RESCHEDULED'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];
export const STOCK_MOVEMENT_KINDS = ['RECEIVED', 'USED', 'SPOILED', 'CORRECTION'] as const;
export type StockMovementKind = (typeof STOCK_MOVEMENT_KINDS)[number];

export const MAX_NAME_LENGTH = 200;
export const MAX_SHORT_TEXT_LENGTH = 100;
export const MAX_ADDRESS_LENGTH = 500;
export const MAX_NOTES_LENGTH = 2000;
export const MIN_KITS = 1;
export const MAX_KITS = 50;
/** Nobody alive was born before this; earlier dates are typing errors. */
export const EARLIEST_BIRTH_DATE: IsoDate = '1900-01-01';

export type SchoolInput = {
  npsn: string;
  name: string;
  level: string;
  status: string;
  districtCode: string;
  villageCode: string | null;
  address: string | null;
  contactName: string | null;
  contactPhone: string | null;
};

export type StudentInput = {
  name: string;
  nik: string | null;
  nisn: string | null;
  sex: string;
  birthPlace: string | null;
  birthDate: IsoDate;
  className: string | null;
  married: boolean;
  schoolId: string | number;
};

export type DriveInput = {
  name: string;
  electionDate: IsoDate;
  startDate: IsoDate;
  endDate: IsoDate;
  notes: string | null;
};

export type VisitInput = {
  date: IsoDate;
  startTime: string;
  endTime: string;
  kits: number;
  status: string;
  team: string | null;
  notes: string | null;
};

export type StockMovementInput = {
  kind: string;
  quantity: number;
  date: IsoDate;
  notes: string | null;
};

// ---------------------------------------------------------------- validators

export function validateSchool(row: Partial<SchoolInput>, mode: ValidationMode): FieldIssue[] {
  const issues = checkFields(row, mode, ['npsn', 'name', 'level', 'status', 'districtCode'], {
    npsn: identifier(checkNpsn),
    name: text(MAX_NAME_LENGTH),
    level: oneOf(SCHOOL_LEVELS),
    status: oneOf(SCHOOL_STATUSES),
    districtCode: region('DISTRICT'),
    villageCode: region('VILLAGE'),
    address: text(MAX_ADDRESS_LENGTH),
    contactName: text(MAX_NAME_LENGTH),
    contactPhone: phone,
  });
  return [...issues, ...villageInDistrictIssues(row)];
}

// Built once: an import validates every row of a list with them.
const STUDENT_REQUIRED = ['name', 'sex', 'birthDate', 'schoolId'] as const;
const STUDENT_CHECKS = {
  name: text(MAX_NAME_LENGTH),
  nisn: identifier(checkNisn),
  sex: oneOf(SEXES),
  birthPlace: text(MAX_SHORT_TEXT_LENGTH),
  className: text(MAX_SHORT_TEXT_LENGTH),
};

export function validateStudent(
  row: Partial<StudentInput>,
  mode: ValidationMode,
  opts: { today?: IsoDate; familyCardNumbers?: readonly string[] } = {},
): FieldIssue[] {
  // The NIK is compared with the birth date and sex only when those are themselves valid.
  const birthDate = isIsoDate(row.birthDate) ? row.birthDate : null;
  const sex = row.sex === 'L' || row.sex === 'P' ? row.sex : null;
  const nikCheck = (nik: string) => checkNik(nik, { birthDate, sex, familyCardNumbers: opts.familyCardNumbers ?? [] });

  const issues = checkFields(row, mode, STUDENT_REQUIRED, {
    name: STUDENT_CHECKS.name,
    nik: identifier(nikCheck),
    nisn: STUDENT_CHECKS.nisn,
    sex: STUDENT_CHECKS.sex,
    birthPlace: STUDENT_CHECKS.birthPlace,
    birthDate: birthDateCheck(opts.today),
    className: STUDENT_CHECKS.className,
    schoolId: reference,
  });
  // A null married flag is not "false": refuse it rather than guess.
  if (row.married !== undefined && typeof row.married !== 'boolean') {
    issues.push(fieldIssue('married', 'INVALID_VALUE', { field: 'married' }));
  }
  return issues;
}

export function validateDrive(row: Partial<DriveInput>, mode: ValidationMode): FieldIssue[] {
  const issues = checkFields(row, mode, ['name', 'electionDate', 'startDate', 'endDate'], {
    name: text(MAX_NAME_LENGTH),
    electionDate: isoDate,
    startDate: isoDate,
    endDate: isoDate,
    notes: text(MAX_NOTES_LENGTH),
  });
  if (isIsoDate(row.startDate) && isIsoDate(row.endDate) && compareIsoDate(row.endDate, row.startDate) < 0) {
    issues.push(fieldIssue('endDate', 'DATE_ORDER'));
  }
  // Recording after election day does not let anyone vote: worth a warning, not a refusal.
  if (isIsoDate(row.endDate) && isIsoDate(row.electionDate) && compareIsoDate(row.endDate, row.electionDate) > 0) {
    issues.push(fieldIssue('endDate', 'DRIVE_ENDS_AFTER_ELECTION', undefined, 'warning'));
  }
  return issues;
}

/** A visit of a recording team to a site. `status` is optional on create (the API defaults it to PLANNED). */
export function validateVisit(row: Partial<VisitInput>, mode: ValidationMode): FieldIssue[] {
  const issues = checkFields(row, mode, ['date', 'startTime', 'endTime', 'kits'], {
    date: isoDate,
    startTime: clockTime,
    endTime: clockTime,
    kits: integerBetween(MIN_KITS, MAX_KITS),
    status: oneOf(VISIT_STATUSES),
    team: text(MAX_NAME_LENGTH),
    notes: text(MAX_NOTES_LENGTH),
  });
  if (isClockTime(row.startTime) && isClockTime(row.endTime) && row.endTime <= row.startTime) {
    issues.push(fieldIssue('endTime', 'TIME_ORDER'));
  }
  return issues;
}

/** Blank-card stock. Quantities are positive; only a CORRECTION may be negative (never 0). */
export function validateStockMovement(
  row: Partial<StockMovementInput>,
  mode: ValidationMode,
  opts: { today?: IsoDate } = {},
): FieldIssue[] {
  return checkFields(row, mode, ['kind', 'quantity', 'date'], {
    kind: oneOf(STOCK_MOVEMENT_KINDS),
    quantity: quantityCheck(row.kind),
    date: notFutureDate(opts.today),
    notes: text(MAX_NOTES_LENGTH),
  });
}

/** Search key for names: lowercase, accents removed, single spaces (`  Siti  Nur'aini Zulaïkha ` -> `siti nur'aini zulaikha`). */
export function normalizeName(s: string): string {
  // Plain ASCII (most names) has no accents to strip: skip the costly Unicode steps (an import runs this per row).
  const folded = PRINTABLE_ASCII.test(s) ? s : s.normalize('NFD').replace(/\p{M}/gu, '');
  return folded.toLowerCase().replace(/\s+/g, ' ').trim();
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

// ---------------------------------------------------------------- building blocks

/** Checks one present, non-blank value of `field`. */
type FieldCheck = (value: unknown, field: string) => FieldIssue[];

function fieldIssue(field: string, code: ValidationCode, params?: MessageParams, severity: Severity = 'error'): FieldIssue {
  return params ? { field, code, severity, params } : { field, code, severity };
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function checkFields(
  row: object,
  mode: ValidationMode,
  required: readonly string[],
  checks: Record<string, FieldCheck>,
): FieldIssue[] {
  const values = row as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  for (const field of required) {
    const value = values[field];
    const missing = mode === 'create' ? isBlank(value) : value !== undefined && isBlank(value);
    if (missing) issues.push(fieldIssue(field, 'REQUIRED', { field }));
  }
  for (const [field, check] of Object.entries(checks)) {
    const value = values[field];
    if (!isBlank(value)) issues.push(...check(value, field));
  }
  return issues;
}

function text(max: number): FieldCheck {
  return (value, field) => {
    if (typeof value !== 'string') return [fieldIssue(field, 'INVALID_VALUE', { field })];
    return value.trim().length > max ? [fieldIssue(field, 'TOO_LONG', { field, max })] : [];
  };
}

function oneOf(allowed: readonly string[]): FieldCheck {
  return (value, field) =>
    typeof value === 'string' && allowed.includes(value)
      ? []
      : [fieldIssue(field, 'INVALID_ENUM', { field, value: String(value), allowed: allowed.join(', ') })];
}

function identifier(check: (s: string) => IdentifierIssue[]): FieldCheck {
  return (value, field) => {
    if (typeof value !== 'string') return [fieldIssue(field, 'INVALID_VALUE', { field })];
    return check(value).map((issue) => ({ field, ...issue }));
  };
}

function region(level: RegionLevel): FieldCheck {
  return identifier((s) => checkRegionCode(s, level));
}

const isoDate: FieldCheck = (value, field) => (isIsoDate(value) ? [] : [fieldIssue(field, 'INVALID_DATE', { field })]);

function notFutureDate(today: IsoDate | undefined): FieldCheck {
  return (value, field) => {
    if (!isIsoDate(value)) return [fieldIssue(field, 'INVALID_DATE', { field })];
    if (today && compareIsoDate(value, today) > 0) return [fieldIssue(field, 'DATE_IN_FUTURE', { field })];
    return [];
  };
}

function birthDateCheck(today: IsoDate | undefined): FieldCheck {
  const notFuture = notFutureDate(today);
  return (value, field) => {
    if (isIsoDate(value) && compareIsoDate(value, EARLIEST_BIRTH_DATE) < 0) {
      return [fieldIssue(field, 'DATE_TOO_EARLY', { field, min: EARLIEST_BIRTH_DATE })];
    }
    return notFuture(value, field);
  };
}

const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function isClockTime(value: unknown): value is string {
  return typeof value === 'string' && CLOCK_TIME.test(value);
}

/** `HH:MM`, 24-hour. Zero-padded times compare correctly as text. */
const clockTime: FieldCheck = (value, field) => (isClockTime(value) ? [] : [fieldIssue(field, 'INVALID_TIME', { field })]);

function integerBetween(min: number, max: number): FieldCheck {
  return (value, field) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) return [fieldIssue(field, 'NOT_INTEGER', { field })];
    return value < min || value > max ? [fieldIssue(field, 'OUT_OF_RANGE', { field, min, max })] : [];
  };
}

function quantityCheck(kind: unknown): FieldCheck {
  return (value, field) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) return [fieldIssue(field, 'NOT_INTEGER', { field })];
    if (value === 0) return [fieldIssue(field, kind === 'CORRECTION' ? 'MUST_NOT_BE_ZERO' : 'MUST_BE_POSITIVE', { field })];
    // Without the kind (partial update) only 0 is known to be wrong.
    if (value < 0 && kind !== undefined && kind !== 'CORRECTION') return [fieldIssue(field, 'MUST_BE_POSITIVE', { field })];
    return [];
  };
}

/** Indonesian numbers: `0812-3456-7890`, `+62 812 3456 7890`, `(0341) 551234`. */
const phone: FieldCheck = (value, field) => {
  if (typeof value !== 'string') return [fieldIssue(field, 'INVALID_VALUE', { field })];
  const compact = value.replace(/[\s.()-]/g, '');
  return /^\+?\d{6,15}$/.test(compact) ? [] : [fieldIssue(field, 'PHONE_FORMAT', { field })];
};

/** A foreign key (id of another record). Its existence is the API's job (NOT_FOUND). */
const reference: FieldCheck = (value, field) =>
  typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))
    ? []
    : [fieldIssue(field, 'INVALID_VALUE', { field })];

function villageInDistrictIssues(row: Partial<SchoolInput>): FieldIssue[] {
  const district = typeof row.districtCode === 'string' ? parseRegionCode(row.districtCode) : null;
  const village = typeof row.villageCode === 'string' ? parseRegionCode(row.villageCode) : null;
  if (!district || district.level !== 'DISTRICT' || !village || village.level !== 'VILLAGE') return [];
  return regionParentCode(village.dotted) === district.dotted
    ? []
    : [fieldIssue('villageCode', 'REGION_MISMATCH', { field: 'villageCode', parent: district.dotted })];
}
