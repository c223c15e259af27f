// Every issue code and eligibility reason, in Bahasa Indonesia (the default) and English.
// Rules return codes with params; only this file turns them into words, so the API and the
// web app show the same text. Dates in params are ISO and are shown as dd/mm/yyyy here.

import { formatDateId, isIsoDate } from './dates.ts';
import type { RecordingPhase } from './eligibility.ts';
import type { OutcomeStatus } from './outcomes.ts';
import type { RegionLevel } from './identifiers.ts';

export type Locale = 'id' | 'en';
export const LOCALES = ['id', 'en'] as const satisfies readonly Locale[];
export const DEFAULT_LOCALE: Locale = 'id';

export type MessageParams = Record<string, string | number>;
export type Message = { code: string; params?: MessageParams };
export type Severity = 'error' | 'warning';

export type IdentifierIssueCode =
  | 'NIK_NOT_DIGITS'
  | 'NIK_LENGTH'
  | 'NIK_REGION'
  | 'NIK_DATE'
  | 'NIK_SERIAL'
  | 'NIK_BIRTHDATE_MISMATCH'
  | 'NIK_SEX_MISMATCH'
  | 'NIK_LOOKS_LIKE_KK'
  | 'NIK_PROVINCE_UNKNOWN'
  | 'NISN_NOT_DIGITS'
  | 'NISN_LENGTH'
  | 'NPSN_FORMAT'
  | 'NPSN_LENGTH'
  | 'REGION_FORMAT'
  | 'REGION_LEVEL';

export type OutcomeIssueCode =
  | 'OUTCOME_TRANSITION'
  | 'OUTCOME_NOT_RECORDABLE'
  | 'OUTCOME_PRINT_NOT_RECORDED'
  | 'OUTCOME_PRINT_TOO_YOUNG'
  | 'OUTCOME_UNPRINT'
  | 'OUTCOME_IKD_NOT_RECORDED'
  | 'OUTCOME_IKD_TOO_YOUNG';

/** Codes of issues found by the identifier and outcome rules. */
export type IssueCode = IdentifierIssueCode | OutcomeIssueCode;

/** Why a student is or is not eligible (the `reason` of `eligibility()`). */
export type EligibilityReasonCode =
  | 'ELIG_AGE'
  | 'ELIG_MARRIED'
  | 'ELIG_TOO_YOUNG'
  | 'ELIG_NO_BIRTHDATE'
  | 'ELIG_INVALID_BIRTHDATE';

/** Generic row/field validation codes, used by `records.ts` and the API. */
export type ValidationCode =
  | 'REQUIRED'
  | 'TOO_LONG'
  | 'INVALID_DATE'
  | 'INVALID_ENUM'
  | 'INVALID_VALUE'
  | 'VERSION_CONFLICT'
  | 'NOT_FOUND'
  | 'DUPLICATE'
  | 'IN_USE'
  | 'WRITE_FAILED'
  | 'BATCH_TOO_LARGE'
  | 'OUT_OF_RANGE'
  | 'INVALID_TIME'
  | 'TIME_ORDER'
  | 'DATE_ORDER'
  | 'DATE_IN_FUTURE'
  | 'DATE_TOO_EARLY'
  | 'NOT_INTEGER'
  | 'MUST_BE_POSITIVE'
  | 'MUST_NOT_BE_ZERO'
  | 'PHONE_FORMAT'
  | 'REGION_MISMATCH'
  | 'DRIVE_ENDS_AFTER_ELECTION'
  | 'VISIT_DAY_OVER_KITS'
  | 'VISIT_TEAM_OVER_SCHOOLS'
  | StockIssueCode;

/** Accounts, sessions and permissions (issue #7). */
export type AuthCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'MUST_CHANGE_PASSWORD'
  | 'LOGIN_FAILED'
  | 'LOGIN_LOCKED'
  | 'LOGIN_IP_LIMITED'
  | 'PASSWORD_WRONG'
  | 'PASSWORD_TOO_SHORT'
  | 'PASSWORD_HAS_USERNAME'
  | 'LAST_ADMIN';

/** Blank-card stock: printing refused at zero stock, and the stock screen's alerts. */
export type StockIssueCode = 'STOCK_EMPTY' | 'STOCK_LOW' | 'STOCK_RUNWAY_SHORT' | 'STOCK_BELOW_ZERO' | 'STOCK_LEDGER_APPEND_ONLY' | 'SYNC_CONFLICT';

/** What reading a Dapodik/EMIS list or school list can find (packages/core/src/imports.ts, the API's imports). */
export type ImportCode =
  | 'IMPORT_NUMBER_DIGITS_LOST'
  | 'IMPORT_ZEROS_RESTORED'
  | 'IMPORT_DUPLICATE_IN_FILE'
  | 'IMPORT_IN_OTHER_SCHOOL'
  | 'IMPORT_MISSING_FROM_LIST'
  | 'IMPORT_SCHOOL_UNKNOWN'
  | 'IMPORT_DISTRICT_UNKNOWN'
  | 'IMPORT_FILE_EMPTY'
  | 'IMPORT_FILE_UNREADABLE'
  | 'IMPORT_FILE_TOO_LARGE'
  | 'IMPORT_HEADER_NOT_FOUND'
  | 'IMPORT_MAPPING_MISSING'
  | 'IMPORT_WRONG_STATE';

export type MessageCode = IssueCode | EligibilityReasonCode | ValidationCode | ImportCode | AuthCode;

/** Reads a param as display text: ISO dates become dd/mm/yyyy, missing params become ''. */
type Param = (name: string) => string;
type Template = (p: Param) => string;

const FIELD_LABELS: Record<string, Record<Locale, string>> = {
  name: { id: 'Nama', en: 'Name' },
  nik: { id: 'NIK', en: 'NIK' },
  nisn: { id: 'NISN', en: 'NISN' },
  npsn: { id: 'NPSN', en: 'NPSN' },
  birthDate: { id: 'Tanggal lahir', en: 'Birth date' },
  birthPlace: { id: 'Tempat lahir', en: 'Place of birth' },
  sex: { id: 'Jenis kelamin', en: 'Sex' },
  className: { id: 'Kelas', en: 'Class' },
  married: { id: 'Status kawin', en: 'Married' },
  schoolId: { id: 'Sekolah', en: 'School' },
  level: { id: 'Jenjang', en: 'Level' },
  status: { id: 'Status', en: 'Status' },
  districtCode: { id: 'Kecamatan', en: 'District' },
  villageCode: { id: 'Desa/kelurahan', en: 'Village' },
  address: { id: 'Alamat', en: 'Address' },
  contactName: { id: 'Nama kontak', en: 'Contact name' },
  contactPhone: { id: 'Telepon kontak', en: 'Contact phone' },
  electionDate: { id: 'Tanggal pemilihan', en: 'Election date' },
  startDate: { id: 'Tanggal mulai', en: 'Start date' },
  endDate: { id: 'Tanggal selesai', en: 'End date' },
  date: { id: 'Tanggal', en: 'Date' },
  startTime: { id: 'Jam mulai', en: 'Start time' },
  endTime: { id: 'Jam selesai', en: 'End time' },
  kits: { id: 'Jumlah alat rekam', en: 'Recording kits' },
  team: { id: 'Tim', en: 'Team' },
  // accounts (issue #7)
  username: { id: 'Nama pengguna', en: 'Username' },
  displayName: { id: 'Nama lengkap', en: 'Full name' },
  role: { id: 'Peran', en: 'Role' },
  districtCodes: { id: 'Kecamatan', en: 'Districts' },
  active: { id: 'Aktif', en: 'Active' },
  newPassword: { id: 'Kata sandi baru', en: 'New password' },
  currentPassword: { id: 'Kata sandi saat ini', en: 'Current password' },
  notes: { id: 'Catatan', en: 'Notes' },
  printedAt: { id: 'Tanggal cetak', en: 'Printed on' },
  ikdActivatedAt: { id: 'Tanggal aktivasi IKD', en: 'IKD activated on' },
  quantity: { id: 'Jumlah', en: 'Quantity' },
  kind: { id: 'Jenis', en: 'Kind' },
  familyCardNumber: { id: 'No. KK', en: 'Family card no.' },
  birthPlaceAndDate: { id: 'Tempat, tanggal lahir', en: 'Place and date of birth' },
  district: { id: 'Kecamatan', en: 'District' },
  blankStockThreshold: { id: 'Batas peringatan stok blangko', en: 'Blank stock alert threshold' },
};

/** Human label of a field name; unknown fields are shown as they are. */
export function fieldLabel(field: string, locale: Locale = DEFAULT_LOCALE): string {
  return FIELD_LABELS[field]?.[locale] ?? field;
}

const OUTCOME_STATUS_LABELS: Record<OutcomeStatus, Record<Locale, string>> = {
  RECORDED: { id: 'Terekam', en: 'Recorded' },
  ALREADY_RECORDED: { id: 'Sudah rekam di tempat lain', en: 'Already recorded elsewhere' },
  ABSENT: { id: 'Tidak hadir', en: 'Absent' },
  REFUSED: { id: 'Menolak', en: 'Refused' },
  FAILED: { id: 'Gagal (biometrik/teknis)', en: 'Failed (biometric/technical)' },
  NOT_ELIGIBLE: { id: 'Tidak memenuhi syarat', en: 'Not eligible' },
};
const NO_OUTCOME_LABEL: Record<Locale, string> = { id: 'Belum ada hasil', en: 'No outcome yet' };

export function outcomeStatusLabel(status: OutcomeStatus | null, locale: Locale = DEFAULT_LOCALE): string {
  return status === null ? NO_OUTCOME_LABEL[locale] : OUTCOME_STATUS_LABELS[status][locale];
}

const PHASE_LABELS: Record<RecordingPhase, Record<Locale, string>> = {
  NOT_YET_RECORDABLE: { id: 'Belum bisa direkam', en: 'Not yet recordable' },
  RECORDABLE: { id: 'Siap direkam', en: 'Recordable' },
  RECORDED: { id: 'Sudah direkam', en: 'Recorded' },
  PRINTABLE: { id: 'Siap cetak', en: 'Ready to print' },
  PRINTED: { id: 'Sudah dicetak', en: 'Printed' },
  IKD_ACTIVATED: { id: 'IKD aktif', en: 'IKD activated' },
  NOT_ELIGIBLE: { id: 'Tidak memenuhi syarat', en: 'Not eligible' },
};

export function phaseLabel(phase: RecordingPhase, locale: Locale = DEFAULT_LOCALE): string {
  return PHASE_LABELS[phase][locale];
}

const SEX_LABELS: Record<'L' | 'P', Record<Locale, string>> = {
  L: { id: 'laki-laki', en: 'male' },
  P: { id: 'perempuan', en: 'female' },
};

export function sexLabel(sex: 'L' | 'P', locale: Locale = DEFAULT_LOCALE): string {
  return SEX_LABELS[sex][locale];
}

const REGION_LEVEL_LABELS: Record<RegionLevel, Record<Locale, string>> = {
  PROVINCE: { id: 'provinsi', en: 'province' },
  REGENCY: { id: 'kabupaten/kota', en: 'regency/city' },
  DISTRICT: { id: 'kecamatan', en: 'district' },
  VILLAGE: { id: 'desa/kelurahan', en: 'village' },
};

export function regionLevelLabel(level: RegionLevel, locale: Locale = DEFAULT_LOCALE): string {
  return REGION_LEVEL_LABELS[level][locale];
}

/** The parts of a NIK's region prefix, as named in NIK_REGION params. */
const NIK_PART_LEVELS: Record<string, RegionLevel> = {
  province: 'PROVINCE',
  regency: 'REGENCY',
  district: 'DISTRICT',
};

function regionLevelText(value: string, locale: Locale): string {
  const level = NIK_PART_LEVELS[value] ?? value;
  return level in REGION_LEVEL_LABELS ? regionLevelLabel(level as RegionLevel, locale) : value;
}

function sexText(value: string, locale: Locale): string {
  return value === 'L' || value === 'P' ? sexLabel(value, locale) : value;
}

function statusText(value: string, locale: Locale): string {
  if (value === '') return NO_OUTCOME_LABEL[locale];
  return value in OUTCOME_STATUS_LABELS ? outcomeStatusLabel(value as OutcomeStatus, locale) : value;
}

/** Sentence subject for field messages: the field's label, or a neutral word without one. */
function subjectId(p: Param): string {
  return p('field') ? fieldLabel(p('field'), 'id') : 'Nilai ini';
}
function subjectEn(p: Param): string {
  return p('field') ? fieldLabel(p('field'), 'en') : 'This value';
}

function rangeId(p: Param): string {
  if (p('min') && p('max')) return `harus antara ${p('min')} dan ${p('max')}`;
  if (p('min')) return `minimal ${p('min')}`;
  return `maksimal ${p('max')}`;
}
function rangeEn(p: Param): string {
  if (p('min') && p('max')) return `must be between ${p('min')} and ${p('max')}`;
  if (p('min')) return `must be at least ${p('min')}`;
  return `must be at most ${p('max')}`;
}

const MESSAGES: Record<MessageCode, Record<Locale, Template>> = {
  // --- identifiers
  NIK_NOT_DIGITS: {
    id: () => 'NIK hanya boleh berisi angka',
    en: () => 'NIK must contain digits only',
  },
  NIK_LENGTH: {
    id: (p) => `NIK harus 16 digit angka (tertulis ${p('length')})`,
    en: (p) => `NIK must be 16 digits (found ${p('length')})`,
  },
  NIK_REGION: {
    id: (p) => `Kode ${regionLevelText(p('part'), 'id')} di NIK (${p('code')}) tidak valid`,
    en: (p) => `The ${regionLevelText(p('part'), 'en')} code in the NIK (${p('code')}) is not valid`,
  },
  NIK_DATE: {
    id: (p) => `Bagian tanggal lahir di NIK (${p('datePart')}) bukan tanggal yang valid`,
    en: (p) => `The birth-date part of the NIK (${p('datePart')}) is not a valid date`,
  },
  NIK_SERIAL: {
    id: () => 'Nomor urut di NIK (4 digit terakhir) tidak boleh 0000',
    en: () => 'The serial number in the NIK (last 4 digits) cannot be 0000',
  },
  NIK_BIRTHDATE_MISMATCH: {
    id: (p) => `Tanggal lahir di NIK (${p('nikDate')}) tidak sama dengan tanggal lahir siswa (${p('birthDate')})`,
    en: (p) => `The birth date in the NIK (${p('nikDate')}) differs from the student's birth date (${p('birthDate')})`,
  },
  NIK_SEX_MISMATCH: {
    id: (p) =>
      p('nikSex') === 'P'
        ? `Menurut NIK pemiliknya perempuan (tanggal lahir ditambah 40), tetapi jenis kelamin siswa tercatat ${sexText(p('sex'), 'id')}`
        : `Menurut NIK pemiliknya laki-laki (tanggal lahir tidak ditambah 40), tetapi jenis kelamin siswa tercatat ${sexText(p('sex'), 'id')}`,
    en: (p) =>
      p('nikSex') === 'P'
        ? `The NIK belongs to a woman (birth day + 40), but the student is recorded as ${sexText(p('sex'), 'en')}`
        : `The NIK belongs to a man (birth day without + 40), but the student is recorded as ${sexText(p('sex'), 'en')}`,
  },
  NIK_LOOKS_LIKE_KK: {
    id: (p) =>
      p('matchesFamilyCard')
        ? 'NIK ini sama dengan nomor KK; isi dengan NIK siswa sendiri'
        : `NIK ini mirip nomor KK: tanggal di dalamnya (${p('nikDate')}) bukan tanggal lahir siswa (${p('birthDate')})`,
    en: (p) =>
      p('matchesFamilyCard')
        ? "This NIK is the family card (KK) number; enter the student's own NIK"
        : `This looks like a family card (KK) number: the date in it (${p('nikDate')}) is not the student's birth date (${p('birthDate')})`,
  },
  NIK_PROVINCE_UNKNOWN: {
    id: (p) => `Kode provinsi ${p('province')} di NIK tidak ada di daftar provinsi sekarang (mungkin kode lama)`,
    en: (p) => `Province code ${p('province')} in the NIK is not a current province (it may be an old code)`,
  },
  NISN_NOT_DIGITS: {
    id: () => 'NISN hanya boleh berisi angka',
    en: () => 'NISN must contain digits only',
  },
  NISN_LENGTH: {
    id: (p) => `NISN harus 10 digit angka (tertulis ${p('length')}); angka 0 di depan jangan dihapus`,
    en: (p) => `NISN must be 10 digits (found ${p('length')}); keep any leading zeros`,
  },
  NPSN_FORMAT: {
    id: () => 'NPSN hanya boleh berisi angka dan huruf kapital',
    en: () => 'NPSN may contain only digits and capital letters',
  },
  NPSN_LENGTH: {
    id: (p) => `NPSN harus 8 karakter (tertulis ${p('length')})`,
    en: (p) => `NPSN must be 8 characters (found ${p('length')})`,
  },
  REGION_FORMAT: {
    id: () => 'Kode wilayah tidak valid (contoh: 35.10.01 atau 35.10.01.2001)',
    en: () => 'Not a valid region code (e.g. 35.10.01 or 35.10.01.2001)',
  },
  REGION_LEVEL: {
    id: (p) => `Harus kode ${regionLevelText(p('expected'), 'id')}, bukan kode ${regionLevelText(p('actual'), 'id')}`,
    en: (p) => `Must be a ${regionLevelText(p('expected'), 'en')} code, not a ${regionLevelText(p('actual'), 'en')} code`,
  },

  // --- outcomes
  OUTCOME_TRANSITION: {
    id: (p) =>
      `Status tidak bisa diubah dari "${statusText(p('from'), 'id')}" menjadi "${statusText(p('to'), 'id')}": siswa sudah terekam`,
    en: (p) =>
      `Status cannot change from "${statusText(p('from'), 'en')}" to "${statusText(p('to'), 'en')}": the student is already recorded`,
  },
  OUTCOME_NOT_RECORDABLE: {
    id: () =>
      'Siswa belum bisa direkam: perekaman mulai umur 16 tahun, untuk yang berumur 17 tahun pada hari pemilihan atau sudah menikah',
    en: () => 'The student cannot be recorded now: recording starts at 16, for those who are 17 on election day or married',
  },
  OUTCOME_PRINT_NOT_RECORDED: {
    id: () => 'KTP-el belum bisa dicetak: siswa belum terekam',
    en: () => 'The e-KTP cannot be printed: the student is not recorded',
  },
  OUTCOME_PRINT_TOO_YOUNG: {
    id: (p) =>
      `KTP-el baru bisa dicetak saat siswa berumur 17 tahun atau sudah menikah${p('seventeenOn') ? ` (17 tahun pada ${p('seventeenOn')})` : ''}`,
    en: (p) => `The e-KTP can only be printed once the student is 17 or married${p('seventeenOn') ? ` (turns 17 on ${p('seventeenOn')})` : ''}`,
  },
  OUTCOME_UNPRINT: {
    id: () => 'Tanda sudah dicetak tidak bisa dihapus: blangko sudah terpakai',
    en: () => 'The printed mark cannot be removed: the blank card has been used',
  },
  OUTCOME_IKD_NOT_RECORDED: {
    id: () => 'IKD belum bisa diaktifkan: siswa belum terekam',
    en: () => 'IKD cannot be activated: the student is not recorded',
  },
  OUTCOME_IKD_TOO_YOUNG: {
    id: (p) =>
      `IKD baru bisa diaktifkan saat siswa berumur 17 tahun atau sudah menikah${p('seventeenOn') ? ` (17 tahun pada ${p('seventeenOn')})` : ''}`,
    en: (p) => `IKD can only be activated once the student is 17 or married${p('seventeenOn') ? ` (turns 17 on ${p('seventeenOn')})` : ''}`,
  },

  // --- eligibility reasons
  ELIG_AGE: {
    id: (p) => `${p('age')} tahun pada ${p('date')}`,
    en: (p) => `${p('age')} years old on ${p('date')}`,
  },
  ELIG_MARRIED: {
    id: () => 'Sudah menikah',
    en: () => 'Married',
  },
  ELIG_TOO_YOUNG: {
    id: (p) => `Baru ${p('age')} tahun pada ${p('date')} (17 tahun pada ${p('seventeenOn')})`,
    en: (p) => `Only ${p('age')} on ${p('date')} (turns 17 on ${p('seventeenOn')})`,
  },
  ELIG_NO_BIRTHDATE: {
    id: () => 'Tanggal lahir belum diisi',
    en: () => 'Birth date not filled in',
  },
  ELIG_INVALID_BIRTHDATE: {
    id: () => 'Tanggal lahir tidak valid',
    en: () => 'Birth date is not valid',
  },

  // --- generic validation
  REQUIRED: {
    id: (p) => `${subjectId(p)} wajib diisi`,
    en: (p) => `${subjectEn(p)} is required`,
  },
  TOO_LONG: {
    id: (p) => `${subjectId(p)} terlalu panjang (maksimal ${p('max')} karakter)`,
    en: (p) => `${subjectEn(p)} is too long (at most ${p('max')} characters)`,
  },
  INVALID_DATE: {
    id: (p) => `${subjectId(p)} bukan tanggal yang valid (tulis dd/mm/yyyy)`,
    en: (p) => `${subjectEn(p)} is not a valid date (write dd/mm/yyyy)`,
  },
  INVALID_ENUM: {
    id: (p) => `${subjectId(p)} tidak dikenal${p('allowed') ? ` (pilihan: ${p('allowed')})` : ''}`,
    en: (p) => `${subjectEn(p)} is not one of the choices${p('allowed') ? ` (${p('allowed')})` : ''}`,
  },
  INVALID_VALUE: {
    id: (p) => `${subjectId(p)} tidak valid`,
    en: (p) => `${subjectEn(p)} is not valid`,
  },
  VERSION_CONFLICT: {
    id: () => 'Data ini sudah diubah orang lain. Muat ulang, lalu coba lagi.',
    en: () => 'Someone else changed this record. Reload it and try again.',
  },
  NOT_FOUND: {
    id: (p) => (p('field') ? `${subjectId(p)} tidak ditemukan` : 'Data tidak ditemukan'),
    en: (p) => (p('field') ? `${subjectEn(p)} not found` : 'Record not found'),
  },
  DUPLICATE: {
    id: (p) => `${subjectId(p)} ${p('value')} sudah terdaftar`,
    en: (p) => `${subjectEn(p)} ${p('value')} already exists`,
  },
  IN_USE: {
    id: () => 'Data ini masih dipakai data lain (misalnya sekolah yang masih punya siswa), jadi tidak bisa dihapus',
    en: () => 'Other records still use this one (for example a school that still has students), so it cannot be deleted',
  },
  WRITE_FAILED: {
    id: () => 'Baris ini gagal disimpan; baris lain tetap tersimpan. Coba lagi.',
    en: () => 'This row could not be saved; the other rows were. Try again.',
  },
  BATCH_TOO_LARGE: {
    id: (p) => `Terlalu banyak baris sekaligus (${p('count')}); paling banyak ${p('max')} baris per kiriman`,
    en: (p) => `Too many rows at once (${p('count')}); at most ${p('max')} rows per call`,
  },
  OUT_OF_RANGE: {
    id: (p) => `${subjectId(p)} ${rangeId(p)}`,
    en: (p) => `${subjectEn(p)} ${rangeEn(p)}`,
  },
  INVALID_TIME: {
    id: (p) => `${subjectId(p)} harus ditulis JJ:MM, misalnya 08:30`,
    en: (p) => `${subjectEn(p)} must be written HH:MM, e.g. 08:30`,
  },
  TIME_ORDER: {
    id: () => 'Jam selesai harus setelah jam mulai',
    en: () => 'End time must be after start time',
  },
  DATE_ORDER: {
    id: () => 'Tanggal selesai tidak boleh sebelum tanggal mulai',
    en: () => 'End date cannot be before start date',
  },
  DATE_IN_FUTURE: {
    id: (p) => `${subjectId(p)} tidak boleh melewati hari ini`,
    en: (p) => `${subjectEn(p)} cannot be in the future`,
  },
  DATE_TOO_EARLY: {
    id: (p) => `${subjectId(p)} tidak boleh sebelum ${p('min')}`,
    en: (p) => `${subjectEn(p)} cannot be before ${p('min')}`,
  },
  NOT_INTEGER: {
    id: (p) => `${subjectId(p)} harus bilangan bulat`,
    en: (p) => `${subjectEn(p)} must be a whole number`,
  },
  MUST_BE_POSITIVE: {
    id: (p) => `${subjectId(p)} harus lebih dari 0`,
    en: (p) => `${subjectEn(p)} must be greater than 0`,
  },
  MUST_NOT_BE_ZERO: {
    id: (p) => `${subjectId(p)} tidak boleh 0`,
    en: (p) => `${subjectEn(p)} cannot be 0`,
  },
  PHONE_FORMAT: {
    id: (p) => `${subjectId(p)} bukan nomor telepon yang valid (contoh: 0812-3456-7890)`,
    en: (p) => `${subjectEn(p)} is not a valid phone number (e.g. 0812-3456-7890)`,
  },
  REGION_MISMATCH: {
    id: (p) => `${subjectId(p)} tidak berada di wilayah ${p('parent')}`,
    en: (p) => `${subjectEn(p)} is not inside region ${p('parent')}`,
  },
  // --- imports
  IMPORT_NUMBER_DIGITS_LOST: {
    id: (p) => `${subjectId(p)} tersimpan sebagai angka di Excel (${p('value')}) sehingga digitnya tidak bisa dipercaya; nilai ini tidak diimpor. Format kolom sebagai Teks lalu ekspor ulang`,
    en: (p) => `${subjectEn(p)} was stored as a number by Excel (${p('value')}), so its digits cannot be trusted; it was not imported. Format the column as Text and export again`,
  },
  IMPORT_ZEROS_RESTORED: {
    id: (p) => `${subjectId(p)} tersimpan sebagai angka di Excel; nol di depan dipulihkan menjadi ${p('value')}`,
    en: (p) => `${subjectEn(p)} was stored as a number by Excel; its leading zeros were restored: ${p('value')}`,
  },
  IMPORT_DUPLICATE_IN_FILE: {
    id: (p) => `${subjectId(p)} ${p('value')} juga ada di baris ${p('row')} berkas ini; baris yang lebih bawah yang berlaku`,
    en: (p) => `${subjectEn(p)} ${p('value')} also appears on row ${p('row')} of this file; the lower row wins`,
  },
  IMPORT_IN_OTHER_SCHOOL: {
    id: (p) => `Siswa ini sudah terdaftar di sekolah lain (${p('school')}); impor akan memindahkannya`,
    en: (p) => `This student is already listed at another school (${p('school')}); the import will move them`,
  },
  IMPORT_MISSING_FROM_LIST: {
    id: (p) => `${p('name')} terdaftar di ${p('school')} tetapi tidak ada di daftar baru; tidak dihapus, periksa apakah sudah pindah atau lulus`,
    en: (p) => `${p('name')} is listed at ${p('school')} but missing from the new list; not deleted, check whether they moved or graduated`,
  },
  IMPORT_SCHOOL_UNKNOWN: {
    id: (p) => `NPSN ${p('value')} bukan sekolah kantor ini; impor daftar sekolah dulu atau pilih sekolahnya`,
    en: (p) => `NPSN ${p('value')} is not a school of this office; import the school list first or choose the school`,
  },
  IMPORT_DISTRICT_UNKNOWN: {
    id: (p) => `Kecamatan "${p('value')}" tidak dikenal di wilayah kantor ini`,
    en: (p) => `District "${p('value')}" is not known in this office's region`,
  },
  IMPORT_FILE_EMPTY: {
    id: () => 'Berkas tidak berisi baris data',
    en: () => 'The file has no data rows',
  },
  IMPORT_FILE_UNREADABLE: {
    id: (p) => `Berkas tidak bisa dibaca sebagai XLSX atau CSV${p('detail') ? ` (${p('detail')})` : ''}`,
    en: (p) => `The file cannot be read as XLSX or CSV${p('detail') ? ` (${p('detail')})` : ''}`,
  },
  IMPORT_FILE_TOO_LARGE: {
    id: (p) => `Berkas terlalu besar (maksimal ${p('max')} MB)`,
    en: (p) => `The file is too large (at most ${p('max')} MB)`,
  },
  IMPORT_HEADER_NOT_FOUND: {
    id: () => 'Baris judul kolom tidak ditemukan di 30 baris pertama (harus ada kolom Nama dan minimal satu kolom lain yang dikenal, mis. JK, NISN, Tanggal Lahir)',
    en: () => 'No header row found in the first 30 rows (it needs a Nama column and at least one other known column, e.g. JK, NISN, Tanggal Lahir)',
  },
  IMPORT_MAPPING_MISSING: {
    id: (p) => `Kolom wajib belum dipetakan: ${p('fields')}`,
    en: (p) => `Required columns are not mapped: ${p('fields')}`,
  },
  IMPORT_WRONG_STATE: {
    id: (p) => `Impor ini berstatus ${p('status')}; tindakan ini tidak bisa dilakukan`,
    en: (p) => `This import is ${p('status')}; this action is not possible`,
  },
  // --- blank-card stock and offline sync
  STOCK_EMPTY: {
    id: () => 'Blangko KTP-el habis: kartu tidak bisa dicetak. Siswa dicatat menunggu blangko; catat penerimaan blangko di layar Stok.',
    en: () => 'No blank e-KTP cards left: the card cannot be printed. The student is counted as awaiting blanks; record received blanks on the Stock screen.',
  },
  STOCK_LOW: {
    id: (p) => `Sisa blangko ${p('balance')} lembar, di bawah batas ${p('threshold')} lembar`,
    en: (p) => `${p('balance')} blank cards left, below the threshold of ${p('threshold')}`,
  },
  STOCK_RUNWAY_SHORT: {
    id: (p) => `Dengan pemakaian 7 hari terakhir, blangko habis dalam ${p('runwayDays')} hari, sebelum hari pemilihan (${p('daysToElection')} hari lagi)`,
    en: (p) => `At the last 7 days' use, the blanks run out in ${p('runwayDays')} days, before election day (${p('daysToElection')} days away)`,
  },
  STOCK_BELOW_ZERO: {
    id: (p) => `Stok blangko tinggal ${p('balance')} lembar; pengurangan ${p('quantity')} lembar membuatnya minus. Catat penerimaan dulu, atau periksa jumlahnya.`,
    en: (p) => `Only ${p('balance')} blank cards are in stock; taking ${p('quantity')} would make it negative. Record the received cards first, or check the number.`,
  },
  STOCK_LEDGER_APPEND_ONLY: {
    id: () => 'Catatan stok tidak bisa diubah atau dihapus; perbaiki dengan catatan Koreksi (+/−)',
    en: () => 'Stock records cannot be changed or deleted; fix them with a Correction record (+/−)',
  },
  SYNC_CONFLICT: {
    id: () => 'Hasil siswa ini sudah diubah orang lain selagi Anda offline. Pilih nilai yang dipakai.',
    en: () => "Someone else changed this student's outcome while you were offline. Choose which value to keep.",
  },
  DRIVE_ENDS_AFTER_ELECTION: {
    id: () => 'Kegiatan selesai setelah hari pemilihan; perekaman sesudahnya tidak membantu siswa memilih',
    en: () => 'The drive ends after election day; recording after it does not help students vote',
  },
  // --- accounts, sessions and permissions (issue #7)
  UNAUTHENTICATED: {
    id: () => 'Silakan masuk terlebih dahulu (sesi tidak ada atau sudah berakhir)',
    en: () => 'Please sign in first (no session, or it has expired)',
  },
  FORBIDDEN: {
    id: () => 'Peran Anda tidak diizinkan melakukan ini',
    en: () => 'Your role is not allowed to do this',
  },
  MUST_CHANGE_PASSWORD: {
    id: () => 'Ganti kata sandi Anda terlebih dahulu',
    en: () => 'Change your password first',
  },
  LOGIN_FAILED: {
    id: () => 'Nama pengguna atau kata sandi salah',
    en: () => 'Wrong username or password',
  },
  LOGIN_LOCKED: {
    id: (p) => `Terlalu banyak percobaan masuk yang gagal. Akun dikunci sementara; coba lagi pukul ${p('time')} WIB (${p('minutes')} menit lagi)`,
    en: (p) => `Too many failed sign-ins. The account is locked for now; try again at ${p('time')} WIB (in ${p('minutes')} minutes)`,
  },
  LOGIN_IP_LIMITED: {
    id: (p) => `Terlalu banyak percobaan masuk dari alamat ini; coba lagi pukul ${p('time')} WIB (${p('minutes')} menit lagi)`,
    en: (p) => `Too many sign-in attempts from this address; try again at ${p('time')} WIB (in ${p('minutes')} minutes)`,
  },
  PASSWORD_WRONG: {
    id: () => 'Kata sandi saat ini salah',
    en: () => 'The current password is wrong',
  },
  PASSWORD_TOO_SHORT: {
    id: (p) => `Kata sandi minimal ${p('min')} karakter`,
    en: (p) => `The password needs at least ${p('min')} characters`,
  },
  PASSWORD_HAS_USERNAME: {
    id: () => 'Kata sandi tidak boleh memuat nama pengguna',
    en: () => 'The password must not contain the username',
  },
  LAST_ADMIN: {
    id: () => 'Kantor harus tetap memiliki minimal satu Admin aktif',
    en: () => 'The office must keep at least one active Admin',
  },
  VISIT_DAY_OVER_KITS: {
    id: (p) => `${p('date')}: butuh ${p('kits')} alat rekam, kantor hanya punya ${p('owned')}`,
    en: (p) => `${p('date')}: needs ${p('kits')} recording kits, the office owns ${p('owned')}`,
  },
  VISIT_TEAM_OVER_SCHOOLS: {
    id: (p) => `${p('date')}: ${p('team')} dijadwalkan ke ${p('schools')} sekolah (maks. ${p('max')} sehari)`,
    en: (p) => `${p('date')}: ${p('team')} is planned at ${p('schools')} schools (max. ${p('max')} a day)`,
  },
};

/** Every code that has a text, e.g. to check an API's error codes or ship the catalogue. */
export const MESSAGE_CODES = Object.keys(MESSAGES) as MessageCode[];

export function isMessageCode(code: string): code is MessageCode {
  return Object.hasOwn(MESSAGES, code);
}

/** Renders a message. Unknown codes come back as the code itself, so nothing is ever blank. */
export function formatMessage(msg: Message, locale: Locale = DEFAULT_LOCALE): string {
  if (!isMessageCode(msg.code)) return msg.code;
  const params = msg.params ?? {};
  const param: Param = (name) => displayParam(params[name]);
  return MESSAGES[msg.code][locale](param);
}

function displayParam(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string' && isIsoDate(value)) return formatDateId(value);
  return String(value);
}

/**
 * Chooses the locale from an Accept-Language header (`en-US,en;q=0.9,id;q=0.8`) by quality.
 * `in` is Java's old code for Indonesian. Anything unusable falls back to Indonesian.
 */
export function pickLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranges = acceptLanguage
    .split(',')
    .map((part, index) => parseLanguageRange(part, index))
    .filter((range) => range.locale !== null && range.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranges[0]?.locale ?? DEFAULT_LOCALE;
}

function parseLanguageRange(part: string, index: number): { locale: Locale | null; quality: number; index: number } {
  const [tag = '', ...attributes] = part.split(';').map((s) => s.trim());
  const primary = tag.toLowerCase().split('-')[0];
  const locale: Locale | null = primary === 'id' || primary === 'in' ? 'id' : primary === 'en' ? 'en' : null;
  let quality = 1;
  for (const attribute of attributes) {
    const match = /^q\s*=\s*([0-9.]+)$/i.exec(attribute);
    if (match) quality = Number(match[1]);
  }
  return { locale, quality: Number.isFinite(quality) ? quality : 0, index };
}
