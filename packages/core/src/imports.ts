// Rules for reading Dapodik / EMIS lists: which header names mean which field, where the
// header is, and how a cell's value becomes a stored value. Pure: the API's file readers hand
// over rows of raw cell values (string, number, Date, boolean or null) and get back fields
// plus the issues found, so the same rules serve XLSX and CSV.
import { excelSerialToIsoDate, isValidDateParts, parseDateInput, toIsoDate, type IsoDate } from './dates.ts';
import { looksNumericMangled, maskNik, normalizeDigits } from './identifiers.ts';
import type { FieldIssue } from './records.ts';

export type ImportKind = 'STUDENTS' | 'SCHOOLS';
export type CellValue = string | number | boolean | Date | null | undefined;

export const STUDENT_IMPORT_FIELDS = ['name', 'nisn', 'nik', 'sex', 'birthPlace', 'birthDate', 'birthPlaceAndDate', 'className', 'npsn', 'familyCardNumber'] as const;
export const SCHOOL_IMPORT_FIELDS = ['npsn', 'name', 'level', 'status', 'district', 'address'] as const;
export type StudentImportField = (typeof STUDENT_IMPORT_FIELDS)[number];
export type SchoolImportField = (typeof SCHOOL_IMPORT_FIELDS)[number];
export type ImportField = StudentImportField | SchoolImportField;
/** Column index (0-based) per field; a field without a column is absent. */
export type ImportMapping = Partial<Record<ImportField, number>>;

export const IMPORT_FIELDS: Record<ImportKind, readonly ImportField[]> = { STUDENTS: STUDENT_IMPORT_FIELDS, SCHOOLS: SCHOOL_IMPORT_FIELDS };

/** Header names seen in Dapodik, EMIS and hand-made lists, written as `normalizeHeader` leaves them. */
const HEADER_NAMES: Record<ImportKind, Partial<Record<ImportField, readonly string[]>>> = {
  STUDENTS: {
    name: ['nama', 'namasiswa', 'namapesertadidik', 'namalengkap', 'namamurid', 'namalengkapsiswa', 'namapd', 'namasiswasiswi'],
    nisn: ['nisn', 'nomorinduksiswanasional', 'nonisn', 'nisnsiswa'],
    nik: ['nik', 'niksiswa', 'nikpesertadidik', 'nomorindukkependudukan', 'noinduk kependudukan', 'noktp', 'nikpd'],
    sex: ['jk', 'jeniskelamin', 'lp', 'kelamin', 'jkel', 'gender', 'sex'],
    birthPlace: ['tempatlahir', 'tmplahir', 'tptlahir', 'tmptlahir', 'tempatlhr', 'kotalahir'],
    birthDate: ['tanggallahir', 'tgllahir', 'tgllhr', 'tanggallhr', 'tgllahirsiswa', 'birthdate', 'tanggalkelahiran'],
    birthPlaceAndDate: ['ttl', 'tempattanggallahir', 'tempattgllahir', 'tempatdantanggallahir'],
    className: ['rombelsaatini', 'rombel', 'kelas', 'namarombel', 'rombonganbelajar', 'kelasrombel', 'kelassaatini'],
    npsn: ['npsn', 'npsnsekolah', 'npsnmadrasah'],
    familyCardNumber: ['nokk', 'nomorkk', 'nomorkartukeluarga', 'nokartukeluarga', 'kk'],
  },
  SCHOOLS: {
    npsn: ['npsn', 'npsnsekolah', 'npsnmadrasah'],
    name: ['nama', 'namasekolah', 'namasatuanpendidikan', 'satuanpendidikan', 'namamadrasah', 'sekolah'],
    level: ['bentukpendidikan', 'jenjang', 'bentuk', 'jenjangpendidikan', 'jenis'],
    status: ['status', 'statussekolah', 'statusmadrasah', 'negeriswasta'],
    district: ['kecamatan', 'kec', 'namakecamatan', 'kodekecamatan', 'kodewilayah', 'kodekec'],
    address: ['alamat', 'alamatsekolah', 'alamatjalan', 'jalan', 'alamatmadrasah'],
  },
};

/** Fields a list cannot do without (a student list also needs a school: NPSN column or a chosen school). */
export const REQUIRED_IMPORT_FIELDS: Record<ImportKind, readonly ImportField[]> = {
  STUDENTS: ['name', 'sex'],
  SCHOOLS: ['npsn', 'name', 'level', 'status', 'district'],
};

/** Lower case letters and digits only: "Tanggal  Lahir", "TANGGAL_LAHIR" and "Tgl. Lahir" become comparable. */
export function normalizeHeader(text: string): string {
  // ASCII needs no compatibility decomposition (this runs on cells of every data row).
  return (/^[\x00-\x7f]*$/.test(text) ? text : text.normalize('NFKD'))
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const NAME_INDEX: Record<ImportKind, Map<string, ImportField>> = {
  STUDENTS: indexNames(HEADER_NAMES.STUDENTS),
  SCHOOLS: indexNames(HEADER_NAMES.SCHOOLS),
};

function indexNames(names: Partial<Record<ImportField, readonly string[]>>): Map<string, ImportField> {
  const index = new Map<string, ImportField>();
  for (const [field, variants] of Object.entries(names)) for (const v of variants ?? []) index.set(normalizeHeader(v), field as ImportField);
  return index;
}

/**
 * The field a header names, or null. Exact after normalizing, or one typing slip away for long
 * names ("Tangal Lahir"). Parent blocks ("Nama Ayah", "NIK Ibu") stay unmatched on purpose.
 */
export function fieldForHeader(header: string, kind: ImportKind): ImportField | null {
  const key = normalizeHeader(header);
  if (!key) return null;
  const exact = NAME_INDEX[kind].get(key);
  if (exact) return exact;
  if (key.length < 8) return null;
  for (const [name, field] of NAME_INDEX[kind]) if (name.length >= 8 && withinOneEdit(key, name)) return field;
  return null;
}

function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

/** Matches header labels to fields; the first column wins when two columns name one field. */
export function matchHeaders(labels: readonly string[], kind: ImportKind): ImportMapping {
  const mapping: ImportMapping = {};
  labels.forEach((label, index) => {
    const field = fieldForHeader(label, kind);
    if (field && mapping[field] === undefined) mapping[field] = index;
  });
  return mapping;
}

export type HeaderLayout = {
  /** 1-based row numbers of the header rows (two when a group header sits above sub-headers). */
  headerRows: number[];
  /** One label per column: the header text, prefixed by its group for sub-headers ("Data Ayah Nama"). */
  labels: string[];
  mapping: ImportMapping;
};

/** How many rows from the top are searched for the header (Dapodik has a title block of ~4 rows). */
export const HEADER_SEARCH_ROWS = 30;

export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  return String(value).trim();
}

/**
 * Finds the header among the first rows: the row naming the most known fields (at least two,
 * one of them the name). A following row with text only under the header's unmatched or empty
 * cells is a sub-header row (Dapodik's "Data Ayah" → Nama, Pekerjaan…); its labels get the
 * group's name in front, so a father's "Nama" never passes for the student's.
 */
export function detectHeader(rows: readonly { rowNumber: number; cells: readonly CellValue[] }[], kind: ImportKind): HeaderLayout | null {
  let best: { index: number; score: number } | null = null;
  rows.slice(0, HEADER_SEARCH_ROWS).forEach((row, index) => {
    const mapping = matchHeaders(row.cells.map(cellText), kind);
    const score = Object.keys(mapping).length;
    if (mapping.name === undefined || score < 2) return;
    if (!best || score > best.score) best = { index, score };
  });
  if (!best) return null;
  const { index } = best as { index: number; score: number };
  const header = (rows[index] as { rowNumber: number; cells: readonly CellValue[] }).cells.map(cellText);
  const headerMapping = matchHeaders(header, kind);
  const matchedColumns = new Set(Object.values(headerMapping));
  const next = rows[index + 1];
  const nextTexts = next ? next.cells.map(cellText) : [];
  // A sub-header row has text only under the header's group labels or merged (empty) cells.
  const isSubHeader = !!next && nextTexts.some((t) => t !== '') && nextTexts.every((t, c) => t === '' || !matchedColumns.has(c));
  const width = Math.max(header.length, isSubHeader ? nextTexts.length : 0);
  const labels: string[] = [];
  let group = '';
  for (let c = 0; c < width; c++) {
    const top = header[c] ?? '';
    if (top !== '') group = matchedColumns.has(c) ? '' : top;
    const sub = isSubHeader ? (nextTexts[c] ?? '') : '';
    labels.push(sub !== '' ? `${group || top} ${sub}`.trim() : top);
  }
  const headerRows = isSubHeader && next ? [rows[index]!.rowNumber, next.rowNumber] : [rows[index]!.rowNumber];
  return { headerRows, labels, mapping: matchHeaders(labels, kind) };
}

const normalizedLabels = new WeakMap<HeaderLayout, Map<number, string>>();

/** True for a header line repeated inside the data (lists glued together, page headers). */
export function isRepeatedHeader(cells: readonly CellValue[], layout: HeaderLayout): boolean {
  // Labels are normalized once per layout: this runs for every data row.
  let labels = normalizedLabels.get(layout);
  if (!labels) {
    labels = new Map(Object.values(layout.mapping).filter((c) => layout.labels[c as number]).map((c) => [c as number, normalizeHeader(layout.labels[c as number] as string)]));
    normalizedLabels.set(layout, labels);
  }
  let same = 0;
  for (const [column, label] of labels) {
    const cell = cells[column];
    // A data value (a number, a date, a long name) is rarely a header: check text of a header's length only.
    // Normalizing only removes characters: text shorter than the label cannot be it.
    if (typeof cell === 'string' && cell.length >= label.length && cell.length <= label.length + 12 && normalizeHeader(cell) === label) same++;
  }
  return labels.size > 0 && same * 2 > labels.size;
}

export function isBlankRow(cells: readonly CellValue[]): boolean {
  for (const c of cells) {
    // A string that starts with a visible ASCII character is not blank: no need to trim it.
    const first = typeof c === 'string' ? c.charCodeAt(0) : 0;
    if ((first > 32 && first < 127) || cellText(c) !== '') return false;
  }
  return true;
}

// ---------------------------------------------------------------- values

const MONTHS: Record<string, number> = {
  jan: 1, januari: 1, january: 1, feb: 2, februari: 2, february: 2, mar: 3, maret: 3, march: 3, apr: 4, april: 4,
  mei: 5, may: 5, jun: 6, juni: 6, june: 6, jul: 7, juli: 7, july: 7, agu: 8, agt: 8, agustus: 8, aug: 8, august: 8,
  sep: 9, sept: 9, september: 9, okt: 10, oktober: 10, oct: 10, october: 10, nov: 11, nopember: 11, november: 11,
  des: 12, desember: 12, dec: 12, december: 12,
};

/**
 * A birth date from a cell: a date cell, an Excel serial, `yyyy-mm-dd`, `dd/mm/yyyy`,
 * `dd-mm-yyyy`, or `21 Maret 2007`. Null when it is none of these (the validator reports it).
 */
export function parseImportDate(value: CellValue): IsoDate | null {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    // Spreadsheet dates carry no zone; readers hand them over as midnight UTC.
    return toIsoDate({ year: value.getUTCFullYear(), month: value.getUTCMonth() + 1, day: value.getUTCDate() });
  }
  if (typeof value === 'number') return excelSerialToIsoDate(value);
  const text = cellText(value);
  if (!text) return null;
  const parsed = parseDateInput(text.replace(/\s+\d{1,2}:\d{2}(:\d{2})?$/, ''));
  if (parsed) return parsed;
  const words = /^(\d{1,2})\s+([a-zA-Z]+)\.?\s+(\d{4})$/.exec(text);
  if (words) {
    const month = MONTHS[words[2]!.toLowerCase()];
    const day = Number(words[1]);
    const year = Number(words[3]);
    if (month && isValidDateParts(year, month, day)) return toIsoDate({ year, month, day });
  }
  return null;
}

/** JK: L / P, or the words written out. Null when unknown. */
export function parseImportSex(value: CellValue): 'L' | 'P' | null {
  if (value === 'L' || value === 'P') return value;
  const key = normalizeHeader(cellText(value));
  if (['l', 'lk', 'laki', 'lakilaki', 'pria', 'm', 'male'].includes(key)) return 'L';
  if (['p', 'pr', 'perempuan', 'wanita', 'w', 'f', 'female'].includes(key)) return 'P';
  return null;
}

export type IdentifierKind = 'nik' | 'nisn' | 'npsn' | 'familyCardNumber';
const IDENTIFIER_LENGTH: Record<IdentifierKind, number> = { nik: 16, nisn: 10, npsn: 8, familyCardNumber: 16 };

export type ParsedIdentifier = { value: string | null; issue: FieldIssue | null };

// Hot functions (every cell of a list goes through them) create no closures: under tsx each one
// created also costs a call that names it.

/** An identifier as a message may show it: never a whole NIK or family-card number. */
function displayedIdentifier(field: IdentifierKind, text: string): string {
  return field === 'nik' || field === 'familyCardNumber' ? maskNik(text) : text;
}

/**
 * An identifier from a cell, kept as text. What Excel did to it is reported, never repaired
 * by guessing: a 16-digit NIK stored as a number has lost its last digit (Excel keeps 15), and
 * `3.57301E+15` has lost more, so those values are left out (warning) rather than stored wrong.
 * A NISN stored as a number only lost its leading zeros, which its fixed length restores exactly.
 */
export function parseImportIdentifier(value: CellValue, field: IdentifierKind): ParsedIdentifier {
  if (value === null || value === undefined || value === '') return { value: null, issue: null };
  const length = IDENTIFIER_LENGTH[field];
  if (typeof value === 'number') {
    const shown = String(value);
    if (Number.isInteger(value) && value > 0 && (field === 'nisn' || field === 'npsn') && shown.length <= length) {
      const padded = shown.padStart(length, '0');
      return { value: padded, issue: padded === shown ? null : { field, code: 'IMPORT_ZEROS_RESTORED', severity: 'warning', params: { field, value: padded } } };
    }
    if (Number.isInteger(value) && shown.length < 15) return { value: shown, issue: null };
    return { value: null, issue: { field, code: 'IMPORT_NUMBER_DIGITS_LOST', severity: 'warning', params: { field, value: displayedIdentifier(field, shown) } } };
  }
  // '… is Excel's "text" prefix; ="…" is how Jemput's own CSVs (problems, exports) keep identifiers whole in Excel.
  const text = cellText(value).replace(/^'/, '').replace(/^="(.*)"$/, '$1');
  if (text === '') return { value: null, issue: null };
  if (looksNumericMangled(text)) return { value: null, issue: { field, code: 'IMPORT_NUMBER_DIGITS_LOST', severity: 'warning', params: { field, value: displayedIdentifier(field, text) } } };
  const digits = normalizeDigits(text);
  if (!/^\d+$/.test(digits)) return { value: text, issue: null };
  // A NISN of 8 or 9 digits went through a number column (CSV saved from Excel): students born
  // in the 2000s have NISNs starting 00…, so the missing digits are those zeros.
  if (field === 'nisn' && (digits.length === 8 || digits.length === 9)) {
    const padded = digits.padStart(length, '0');
    return { value: padded, issue: { field, code: 'IMPORT_ZEROS_RESTORED', severity: 'warning', params: { field, value: padded } } };
  }
  return { value: digits, issue: null };
}

/**
 * Whether a column of a list holds identifiers (NIK, No. KK, NISN, NPSN, NIPD), the student's
 * or a parent's: such columns are kept as text when Jemput writes a CSV back (see the API's
 * exports/csv.ts).
 */
export function isIdentifierLabel(label: string): boolean {
  return /(^|[^a-z])(nik|nisn|npsn|nipd|kk|no\.?\s*kk)([^a-z]|$)/i.test(label.trim()) || /^(no|nomor)(kk|kartukeluarga)$/.test(normalizeHeader(label));
}

/** "Malang, 21/03/2007" → place and date (the last comma separates them). */
export function splitPlaceAndDate(value: CellValue): { birthPlace: string | null; birthDate: CellValue } {
  const text = cellText(value);
  const comma = text.lastIndexOf(',');
  if (comma < 0) return { birthPlace: null, birthDate: text };
  return { birthPlace: text.slice(0, comma).trim() || null, birthDate: text.slice(comma + 1).trim() };
}

/** Bentuk pendidikan to a school level. */
export function parseSchoolLevel(value: CellValue): string {
  const key = normalizeHeader(cellText(value));
  if (['sma', 'smalb'].includes(key)) return key === 'sma' ? 'SMA' : 'SLB';
  if (key === 'smk') return 'SMK';
  if (key === 'ma' || key === 'mak' || key === 'madrasahaliyah') return 'MA';
  if (key.startsWith('slb') || key === 'sdlb' || key === 'smplb') return 'SLB';
  return key ? cellText(value).toUpperCase() : '';
}

export function parseSchoolStatus(value: CellValue): string {
  const key = normalizeHeader(cellText(value));
  if (key === 'n' || key === 'negeri') return 'NEGERI';
  if (key === 's' || key === 'swasta') return 'SWASTA';
  return cellText(value).toUpperCase();
}

/** A text cell, whitespace collapsed; empty → null. */
export function importText(value: CellValue): string | null {
  const text = cellText(value).replace(/\s+/g, ' ');
  return text === '' ? null : text;
}

export type ParsedStudentRow = {
  name: string | null;
  nisn: string | null;
  nik: string | null;
  sex: string | null;
  birthPlace: string | null;
  /** ISO when it could be read; the raw text otherwise, so the validator reports it. */
  birthDate: string | null;
  className: string | null;
  npsn: string | null;
  familyCardNumber: string | null;
};

/** The cell mapped to `field`, null when the field is not mapped. */
function mappedCell(cells: readonly CellValue[], mapping: ImportMapping, field: ImportField): CellValue {
  return mapping[field] === undefined ? null : (cells[mapping[field] as number] as CellValue);
}

/** The identifier mapped to `field`, its problem (if any) added to `issues`. */
function mappedIdentifier(cells: readonly CellValue[], mapping: ImportMapping, field: IdentifierKind, issues: FieldIssue[]): string | null {
  const parsed = parseImportIdentifier(mappedCell(cells, mapping, field), field);
  if (parsed.issue) issues.push(parsed.issue);
  return parsed.value;
}

/** One data row of a student list through the mapping: values ready to validate, plus what parsing found. */
export function parseStudentRow(cells: readonly CellValue[], mapping: ImportMapping): { row: ParsedStudentRow; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  let birthPlace = importText(mappedCell(cells, mapping, 'birthPlace'));
  let rawDate: CellValue = mappedCell(cells, mapping, 'birthDate');
  if ((rawDate === null || rawDate === '' || rawDate === undefined) && mapping.birthPlaceAndDate !== undefined) {
    const split = splitPlaceAndDate(mappedCell(cells, mapping, 'birthPlaceAndDate'));
    birthPlace ??= split.birthPlace;
    rawDate = split.birthDate;
  }
  const sexText = importText(mappedCell(cells, mapping, 'sex'));
  const isoDate = parseImportDate(rawDate);
  const row: ParsedStudentRow = {
    name: importText(mappedCell(cells, mapping, 'name')),
    nisn: mappedIdentifier(cells, mapping, 'nisn', issues),
    nik: mappedIdentifier(cells, mapping, 'nik', issues),
    sex: sexText === null ? null : (parseImportSex(sexText) ?? sexText),
    birthPlace,
    birthDate: isoDate ?? importText(rawDate),
    className: importText(mappedCell(cells, mapping, 'className')),
    npsn: mappedIdentifier(cells, mapping, 'npsn', issues),
    familyCardNumber: mappedIdentifier(cells, mapping, 'familyCardNumber', issues),
  };
  return { row, issues };
}

export type ParsedSchoolRow = { npsn: string | null; name: string | null; level: string | null; status: string | null; district: string | null; address: string | null };

export function parseSchoolRow(cells: readonly CellValue[], mapping: ImportMapping): { row: ParsedSchoolRow; issues: FieldIssue[] } {
  const at = (field: ImportField): CellValue => (mapping[field] === undefined ? null : cells[mapping[field] as number]);
  const npsn = parseImportIdentifier(at('npsn'), 'npsn');
  return {
    row: {
      npsn: npsn.value,
      name: importText(at('name')),
      level: importText(parseSchoolLevel(at('level'))),
      status: importText(parseSchoolStatus(at('status'))),
      district: importText(at('district')),
      address: importText(at('address')),
    },
    issues: npsn.issue ? [npsn.issue] : [],
  };
}

/** Fields that must be mapped before a list can be validated; a student list also needs NPSN or a chosen school. */
export function missingImportFields(kind: ImportKind, mapping: ImportMapping, hasSchool: boolean): ImportField[] {
  const missing = REQUIRED_IMPORT_FIELDS[kind].filter((f) => mapping[f] === undefined);
  if (kind === 'STUDENTS' && mapping.birthDate === undefined && mapping.birthPlaceAndDate === undefined) missing.push('birthDate');
  if (kind === 'STUDENTS' && !hasSchool && mapping.npsn === undefined) missing.push('npsn');
  return missing;
}
