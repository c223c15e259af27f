// The student checker runs the core rules on a worker thread for large lists: it must answer
// exactly what checking on the main thread answers, in file order, problems included.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureStudents, writeDapodikCsv } from './fixtures.ts';
import { openTable, type DataRow } from './read.ts';
import { checkStudentRow, StudentChecker, type SchoolDirectory } from './student-check.ts';

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
      // All three sent at once: the answers still come back to the right batch, in order.
      const answers = (await Promise.all(batches.map((b) => checker.check(b)))).flat();
      // Checked on the worker indeed (it started, under the TypeScript loader, and is alive).
      expect(checker.onWorker).toBe(true);
      const inline = rows.map((row) => checkStudentRow(row, mapping, schools, TODAY));
      expect(answers).toEqual(inline);
      expect(answers.map((c) => c.index)).toEqual(rows.map((r) => r.index));
      // The planted problems are there (so the comparison covers errors, not only clean rows).
      const codes = new Set(answers.flatMap((c) => c.issues.map((i) => i.code)));
      expect(codes).toContain('IMPORT_SCHOOL_UNKNOWN');
      expect(answers[5]!.issues.map((i) => i.code)).toContain('NIK_LENGTH');
      expect(answers[77]!.issues.map((i) => i.code)).toContain('NIK_NOT_DIGITS');
      // The cells stay the caller's own (they are not sent back and forth).
      expect(answers[0]!.cells).toBe(rows[0]!.cells);
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
    // Closed (or never started): the rules run here, with the same answer.
    expect(await checker.check([row])).toEqual([checkStudentRow(row, mapping, schools, TODAY)]);
    expect((await new StudentChecker(mapping, schools, TODAY, false).check([row]))[0]).toMatchObject({ schoolId: 'sch-a', issues: [] });
  });
});
