// CSV export of a grid's view, made for Excel as Indonesian offices use it: UTF-8 with a BOM
// (so Excel reads "Sukamaju Kidul" and "Ñ" right), `;` between fields (Excel in Indonesian —
// and most of Europe — uses `;` as its list separator because the decimal mark is a comma, so
// a `,` file opens as one column there), CRLF line ends, dates dd/mm/yyyy as the grid shows them.
// Identifiers made of digits (NIK, NISN, NPSN) are written as ="…" so Excel keeps them as text:
// it would otherwise drop NISN's leading zeros and turn a 16-digit NIK into 3,57301E+15. Any other
// cell that starts like a formula gets a leading ' so opening the file never runs one.
import Papa from 'papaparse';
import type { Locale } from '@jemput/core';
import { cellText, type GridColumn } from './columns.ts';

export const CSV_DELIMITER = ';';
const BOM = '\uFEFF';

export type CsvColumn = GridColumn & { header: () => string };

function safeCell(column: GridColumn, text: string): string {
  if (column.kind === 'identifier' && /^\d+$/.test(text)) return `="${text}"`;
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** The header line and the rows' lines (without BOM), for one block of rows. */
export function csvLines(columns: readonly CsvColumn[], rows: readonly Record<string, unknown>[], locale: Locale, withHeader: boolean): string {
  const data = rows.map((row) => columns.map((c) => safeCell(c, cellText(c, row, locale))));
  const text = Papa.unparse(withHeader ? { fields: columns.map((c) => c.header()), data } : data, {
    delimiter: CSV_DELIMITER,
    newline: '\r\n',
    // Handled above, for identifiers differently from other text.
    escapeFormulae: false,
  });
  const trimmed = text.replace(/(\r\n)+$/, '');
  return trimmed === '' ? '' : `${trimmed}\r\n`;
}

/** A whole file from blocks of rows read one page at a time (the view can be 100,000 rows). */
export async function buildCsv(columns: readonly CsvColumn[], pages: AsyncIterable<readonly Record<string, unknown>[]>, locale: Locale): Promise<Blob> {
  const parts: string[] = [BOM, csvLines(columns, [], locale, true)];
  for await (const rows of pages) parts.push(csvLines(columns, rows, locale, false));
  return new Blob(parts, { type: 'text/csv;charset=utf-8' });
}

/** `siswa-22-11-2026.csv`: what the file is and the day it was taken. */
export function csvFileName(base: string, today: string): string {
  const [y, m, d] = today.split('-');
  return `${base}-${d}-${m}-${y}.csv`;
}
