// What a grid needs to know about a column to read typed or pasted text into a value and to
// show a value as text: its kind. Parsing uses the domain rules of @jemput/core (dates in
// dd/mm/yyyy, yyyy-mm-dd or Excel serials), never a re-implementation.
import { formatDateId, parseDateInput, type Locale } from '@jemput/core';

export type ColumnKind = 'text' | 'identifier' | 'date' | 'sex' | 'boolean' | 'integer' | 'time' | 'choice';

/** One allowed value of a `choice` column: stored `value`, shown `label`, other spellings people type in `match`. */
export type Choice = { value: string; label: string; match?: readonly string[] };

export type GridColumn = {
  /** Field of the row (and of the API's patch). */
  field: string;
  kind: ColumnKind;
  /** False for computed or related columns (a paste skips them). */
  editable: boolean;
  /** For non-editable columns that show something else than row[field]. */
  display?: (row: Record<string, unknown>) => string;
  /** The allowed values of a `choice` column (a level, a status, a district, a school). */
  choices?: () => readonly Choice[];
};

/** A parsed cell: the value to send, or the code of the message explaining why it can't be read. */
export type Parsed = { ok: true; value: unknown } | { ok: false; code: 'INVALID_DATE' | 'INVALID_ENUM' | 'INVALID_VALUE' | 'INVALID_TIME' | 'NOT_INTEGER' };

const TRUE_WORDS = new Set(['ya', 'y', 'yes', 'true', 'benar', '1', 'x', '✓', 'menikah', 'kawin', 'sudah']);
const FALSE_WORDS = new Set(['tidak', 'tdk', 't', 'no', 'n', 'false', 'salah', '0', '-', 'belum', 'belum menikah', 'belum kawin']);
const MALE_WORDS = new Set(['l', 'lk', 'laki-laki', 'laki laki', 'laki', 'pria', 'male', 'm']);
const FEMALE_WORDS = new Set(['p', 'pr', 'perempuan', 'wanita', 'female', 'f', 'w']);

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

/** The choice a text names: its value, its label or another spelling, ignoring case, accents and dots. */
export function findChoice(choices: readonly Choice[], text: string): Choice | undefined {
  const wanted = fold(text);
  const bare = wanted.replace(/[.\s-]/g, '');
  return choices.find((c) => [c.value, c.label, ...(c.match ?? [])].some((name) => fold(name) === wanted || (bare !== '' && fold(name).replace(/[.\s-]/g, '') === bare)));
}

/** Reads one cell of text (typed, pasted or filled) for a column. Blank text clears the cell. */
export function parseCell(kind: ColumnKind, raw: string, choices: readonly Choice[] = []): Parsed {
  const text = raw.trim();
  switch (kind) {
    case 'text':
      return { ok: true, value: text === '' ? null : text.replace(/\s+/g, ' ') };
    case 'identifier':
      // Spaces, dots and dashes people type into numbers; leading zeros stay (text, never a number).
      return { ok: true, value: text === '' ? null : text.replace(/[\s.-]/g, '') };
    case 'date': {
      if (text === '') return { ok: true, value: null };
      const iso = parseDateInput(text);
      return iso ? { ok: true, value: iso } : { ok: false, code: 'INVALID_DATE' };
    }
    case 'sex': {
      if (text === '') return { ok: true, value: null };
      const word = text.toLowerCase();
      if (MALE_WORDS.has(word)) return { ok: true, value: 'L' };
      if (FEMALE_WORDS.has(word)) return { ok: true, value: 'P' };
      return { ok: false, code: 'INVALID_ENUM' };
    }
    case 'boolean': {
      const word = text.toLowerCase();
      if (word === '' || FALSE_WORDS.has(word)) return { ok: true, value: false };
      if (TRUE_WORDS.has(word)) return { ok: true, value: true };
      return { ok: false, code: 'INVALID_VALUE' };
    }
    case 'integer': {
      if (text === '') return { ok: true, value: null };
      // "2", "2 alat", "1.000" (Indonesian thousands): the digits are the number.
      const digits = text.replace(/^(-?\d{1,3}(\.\d{3})+|-?\d+)(\s*\p{L}*)$/u, '$1').replace(/\./g, '');
      return /^-?\d+$/.test(digits) ? { ok: true, value: Number(digits) } : { ok: false, code: 'NOT_INTEGER' };
    }
    case 'time': {
      if (text === '') return { ok: true, value: null };
      // 8:00, 08.00, 0800, 8 — as people type times in Indonesia.
      const m = /^(\d{1,2})(?:[:.]?(\d{2}))?$/.exec(text.replace(/\s+/g, ''));
      const hours = m ? Number(m[1]) : NaN;
      const minutes = m?.[2] ? Number(m[2]) : 0;
      if (!m || hours > 23 || minutes > 59) return { ok: false, code: 'INVALID_TIME' };
      return { ok: true, value: `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}` };
    }
    case 'choice': {
      if (text === '') return { ok: true, value: null };
      const choice = findChoice(choices, text);
      return choice ? { ok: true, value: choice.value } : { ok: false, code: 'INVALID_ENUM' };
    }
  }
}

/** A value as a person reads it (and as it is copied to the clipboard). */
export function formatCell(kind: ColumnKind, value: unknown, locale: Locale, choices: readonly Choice[] = []): string {
  if (value === null || value === undefined) return '';
  switch (kind) {
    case 'choice':
      return choices.find((c) => c.value === value)?.label ?? String(value);
    case 'date':
      return formatDateId(String(value));
    case 'boolean':
      return value ? (locale === 'en' ? 'Yes' : 'Ya') : locale === 'en' ? 'No' : 'Tidak';
    default:
      return String(value);
  }
}

/** The text of a row's cell in a column, editable or not. */
export function cellText(column: GridColumn, row: Record<string, unknown>, locale: Locale): string {
  return column.display ? column.display(row) : formatCell(column.kind, row[column.field], locale, column.choices?.());
}
