// The lean XLSX reader must read exactly what exceljs's reader reads, on Dapodik-like files and
// on the less common parts of the format (rich text, inline strings, formulas, booleans,
// entities, a second sheet listed first in the package).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { fixtureStudents, writeDapodikXlsx } from './fixtures.ts';
import { exceljsRows, type RawRow } from './read.ts';
import { fastXlsxRows } from './xlsx-fast.ts';

const dir = mkdtempSync(join(tmpdir(), 'jemput-xlsx-fast-'));
const all = async (rows: AsyncGenerator<RawRow>) => {
  const out: RawRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
};
// exceljs reports rows of empty cells with no values; the lean reader leaves them out (both are skipped as blank).
const withValues = (rows: RawRow[]) => rows.filter((r) => r.cells.some((c) => c !== null && c !== undefined && c !== ''));

describe('lean XLSX reader', () => {
  it('reads Dapodik-like workbooks exactly as exceljs does: merged header, shuffled columns, serial dates, numbers for NIKs', async () => {
    const students = fixtureStudents(300, { npsns: ['20533701', '20533702'] });
    for (const [i, options] of [{}, { shuffle: true, serialDates: true }, { nikAsNumber: true, nisnAsNumber: true }].entries()) {
      const path = join(dir, `dapodik-${i}.xlsx`);
      await writeDapodikXlsx(path, students, options);
      const fast = fastXlsxRows(path);
      expect(fast).not.toBeNull();
      const mine = await all(fast!.rows);
      expect(mine.length).toBeGreaterThan(300);
      expect(mine).toEqual(withValues(await all(exceljsRows(path).rows)));
    }
  });

  it('reads rich text, inline strings, formula results, booleans, entities and the first sheet in workbook order', async () => {
    const workbook = new ExcelJS.Workbook();
    const list = workbook.addWorksheet('Daftar');
    const notes = workbook.addWorksheet('Catatan');
    notes.addRow(['not this sheet']);
    list.addRow(['Nama', 'JK', 'Nilai', 'Lulus', 'Catatan']);
    list.addRow([{ richText: [{ text: 'Siti ' }, { text: 'Nur', font: { bold: true } }] }, 'P', { formula: 'SUM(1,2)', result: 3 }, true, 'A & B <c> "d" \'e\' 😀']);
    list.addRow(['Budi', 'L', 2.5, false, null, 'kolom F']);
    list.getCell('C4').value = { formula: 'CONCATENATE("0","12")', result: '012' };
    const path = join(dir, 'features.xlsx');
    writeFileSync(path, Buffer.from(await workbook.xlsx.writeBuffer()));
    const mine = await all(fastXlsxRows(path)!.rows);
    expect(mine).toEqual([
      { rowNumber: 1, cells: ['Nama', 'JK', 'Nilai', 'Lulus', 'Catatan'] },
      { rowNumber: 2, cells: ['Siti Nur', 'P', 3, true, 'A & B <c> "d" \'e\' 😀'] },
      { rowNumber: 3, cells: ['Budi', 'L', 2.5, false, null, 'kolom F'] },
      { rowNumber: 4, cells: [null, null, '012'] },
    ]);
    const theirs = (await all(exceljsRows(path).rows)).map((r) => ({ ...r, cells: r.cells.map((c) => (c === undefined ? null : c)) }));
    expect(mine).toEqual(theirs);
  });

  it('leaves packages it does not know to exceljs', () => {
    const path = join(dir, 'not-a-workbook.zip');
    // A ZIP with no workbook part (an empty archive: just the end-of-directory record).
    writeFileSync(path, Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]));
    expect(fastXlsxRows(path)).toBeNull();
  });
});
