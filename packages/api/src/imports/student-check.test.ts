// The student checker runs the core rules on a worker thread for large lists: it must answer
// exactly what checking on the main thread answers, in file order, problems included.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureStudents, writeDapodikCsv } from './fixtures.ts';
import { openTable, type DataRow } from './read.ts';
import { normalizeName, type FieldIssue } from '@jemput/core';
import { checkBatch, checkedLine, checkStudentRow, StudentChecker, type CheckedBatch, type SchoolDirectory } from './student-check.ts';

const TODAY = '2024-10-01';

describe('StudentChecker', () => {
  it('answers on its worker exactly what the main thread answers, batch by batch in file order', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'jemput-check-')), 'daftar.csv');
    const students = fixtureStudents(3000, { npsns: ['20533701', '20533702', '20539999'], seed: 3 });
    // Planted problems: a NIK too short, one with letters, a family-card-like one; and rows of a school not in the office.
    const bad: Record<number, string> = { 5: '35730112', 77: '3573AB0101070001', 1500: students[1500]!.familyCard };
    await writeDapodikCsv(path, students, { delimiter: ';', bom: true, nikOverride: (i) => bad[i] });
    const table = (await openTable(path, 'CSV', 'STUDENTS'))!;
    const rows: DataRow[] = [];
    for await (const row of table.rows) rows.push(row);
    const schools: SchoolDirectory = { byNpsn: new Map([['20533701', { id: 'sch-a', name: 'A' }], ['20533702', { id: 'sch-b', name: 'B' }]]), fixedSchoolId: null };
    const mapping = table.layout.mapping;

    const checker = new StudentChecker(mapping, schools, TODAY, true);
    try {
      const batches = [rows.slice(0, 1000), rows.slice(1000, 2000), rows.slice(2000)];
      // Another list validated at the same time shares the checking thread with its own school.
      const oneSchool: SchoolDirectory = { byNpsn: new Map(), fixedSchoolId: 'sch-fixed' };
      const other = new StudentChecker(mapping, oneSchool, TODAY, true);
      const otherAnswer = other.check(rows.slice(0, 500));
      // All three sent at once: the answers still come back to the right batch, in order.
      const answers = await Promise.all(batches.map((b) => checker.check(b)));
      expect(await otherAnswer).toEqual(checkBatch(rows.slice(0, 500), mapping, oneSchool, TODAY));
      expect(other.onWorker).toBe(true);
      await other.close();
      // Checked on the worker indeed (it started, under the TypeScript loader, and is alive).
      expect(checker.onWorker).toBe(true);
      expect(answers).toEqual(batches.map((b) => checkBatch(b, mapping, schools, TODAY)));
      const joined = (key: keyof CheckedBatch) => answers.flatMap((a) => a[key] as unknown[]);
      // Each spool line is the row's checked line, row by row in file order.
      const candidates = rows.map((row) => checkStudentRow(row, mapping, schools, TODAY));
      expect(joined('lines').map((line) => JSON.parse(line as string))).toEqual(candidates.map(checkedLine));
      expect(joined('issues')).toEqual(candidates.map((c) => (c.issues.length ? c.issues : null)));
      // The planted problems are there (so the comparison covers errors, not only clean rows).
      const codes = (i: number) => ((joined('issues')[i] as FieldIssue[] | null) ?? []).map((issue) => issue.code);
      expect(new Set(rows.flatMap((_, i) => codes(i)))).toContain('IMPORT_SCHOOL_UNKNOWN');
      expect(codes(5)).toContain('NIK_LENGTH');
      expect(codes(77)).toContain('NIK_NOT_DIGITS');
      // A rejected row's line is only its position; a valid one carries its school and the key it is recognized by.
      expect(JSON.parse(joined('lines')[5] as string)).toEqual([rows[5]!.index, rows[5]!.rowNumber]);
      expect(joined('nameKey')[0]).toBe(`${candidates[0]!.schoolId}|${normalizeName(candidates[0]!.row.name!)}|${candidates[0]!.row.birthDate}`);
    } finally {
      await checker.close();
    }
  });

  it('refuses the batches it had not answered when closed, and checks on the main thread without a worker', async () => {
    const mapping = { name: 0, nisn: 1, nik: 2, sex: 3, birthDate: 4, npsn: 5 };
    const schools: SchoolDirectory = { byNpsn: new Map([['20533701', { id: 'sch-a', name: 'A' }]]), fixedSchoolId: null };
    const row: DataRow = { rowNumber: 7, index: 0, cells: ['Budi Santoso', '0071234567', '3573011505070001', 'L', '2007-05-15', '20533701'] };
    const checker = new StudentChecker(mapping, schools, TODAY, true);
    const refused = expect(checker.check([row])).rejects.toThrow(/closed/);
    await checker.close();
    await refused;
    expect(checker.onWorker).toBe(false);
    // Closed (or never started): the rules run here, with the same answer.
    expect(await checker.check([row])).toEqual(checkBatch([row], mapping, schools, TODAY));
    expect(await new StudentChecker(mapping, schools, TODAY, false).check([row])).toMatchObject({ schoolId: ['sch-a'], issues: [null] });
  });
});
