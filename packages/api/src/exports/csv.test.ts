import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { parseImportIdentifier } from '@jemput/core';
import { excelText, spreadsheetCsv } from './csv.ts';

describe('CSV for Excel', () => {
  it('writes digit identifiers as ="…" (unquoted, as Excel saves them) in identifier columns only', () => {
    const csv = spreadsheetCsv(
      ['Nama', 'NIK', 'NISN', 'Kode Pos'],
      [
        ['Siti; Nur', '3573056412081132', '0071234567', '65119'],
        ['Budi "B"', '3.57305E+15', null, 65119],
      ],
      { delimiter: ';', identifierColumns: new Set([1, 2]) },
    );
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    // The header is never a formula; text with the delimiter or quotes is quoted; Kode Pos is not an identifier column.
    expect(lines).toEqual(['Nama;NIK;NISN;Kode Pos', '"Siti; Nur";="3573056412081132";="0071234567";65119', '"Budi ""B""";3.57305E+15;;65119']);
  });

  it('reads back (papaparse, then the import rules) as the very digits, leading zeros included', () => {
    const csv = spreadsheetCsv(['NIK', 'NISN'], [['3573056412081132', '0071234567']], { delimiter: ',', identifierColumns: new Set([0, 1]) });
    const [, row] = Papa.parse<string[]>(csv.slice(1), { delimiter: ',' }).data;
    expect(parseImportIdentifier(row![0], 'nik')).toEqual({ value: '3573056412081132', issue: null });
    expect(parseImportIdentifier(row![1], 'nisn')).toEqual({ value: '0071234567', issue: null });
  });

  it('never turns anything but digits into a formula', () => {
    expect(excelText('=HYPERLINK("http://x")')).toBe('=HYPERLINK("http://x")');
    expect(excelText('35730A4107070001')).toBe('35730A4107070001');
    expect(excelText('')).toBe('');
    expect(excelText('0012')).toBe('="0012"');
  });
});
