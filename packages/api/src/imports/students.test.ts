// The loop over a batch's planned updates, shared by the Prisma write path and the SQLite bulk
// writer: an update the database refuses (the student changed since it was read) is a conflict,
// neither tallied nor audited; the others are, with the version they now have.
import { describe, expect, it } from 'vitest';
import { applyStudentUpdates, applyStudentUpdatesSync, planStudentBatch, type StudentCandidate, type StudentRow } from './students.ts';

const stored = (i: number): StudentRow => ({
  id: `stu-${i}`, schoolId: 'sch-a', nisn: `00712345${i}0`, nik: null, name: `Siswa ${i}`, nameSearch: `siswa ${i}`, sex: 'L', birthPlace: 'Malang',
  birthDate: '2007-05-15', className: 'XII IPA 1', married: false, version: 3, createdAt: new Date(0), updatedAt: new Date(0),
});
const candidate = (i: number, className: string): StudentCandidate => ({
  index: i, rowNumber: i + 7, cells: [], schoolId: 'sch-a', issues: [],
  row: { name: `Siswa ${i}`, nisn: `00712345${i}0`, nik: null, sex: 'L', birthPlace: 'Malang', birthDate: '2007-05-15', className, npsn: null, familyCardNumber: null },
});

describe('applying a batch plan', () => {
  const plan = () => {
    const a = candidate(1, 'XII IPS 2');
    const b = candidate(2, 'XII IPS 3');
    const fresh = candidate(3, 'XII IPA 1');
    return planStudentBatch([a, b, fresh], new Map([[a, stored(1)], [b, stored(2)]]));
  };
  const audit = { userId: 'u1', officeId: 'o1', jobId: 'job-1' };

  for (const [name, apply] of [
    ['synchronous', (p: ReturnType<typeof plan>, refused: string) => applyStudentUpdatesSync(p, audit, (u) => u.before.id !== refused)],
    ['through a promise', (p: ReturnType<typeof plan>, refused: string) => applyStudentUpdates(p, audit, async (u) => u.before.id !== refused)],
  ] as const) {
    it(`counts a refused update as a conflict, and tallies and audits the rest (${name})`, async () => {
      const p = plan();
      expect(p.counts).toMatchObject({ created: 1, updated: 2, conflicts: 0 });
      const { writes, auditRows } = await apply(p, 'stu-2');
      expect(p.counts).toMatchObject({ created: 1, updated: 1, conflicts: 1 });
      // The new student, then the one update that went through, at its new version.
      expect(writes.map((w) => [w.before?.id ?? null, (w.after as unknown as StudentRow).className, (w.after as unknown as StudentRow).version])).toEqual([
        [null, 'XII IPA 1', 1],
        ['stu-1', 'XII IPS 2', 4],
      ]);
      expect(auditRows).toEqual([{ userId: 'u1', officeId: 'o1', action: 'UPDATE', entity: 'Student', entityId: 'stu-1', field: 'className', oldValue: 'XII IPA 1', newValue: 'XII IPS 2', detail: 'import:job-1' }]);
    });
  }
});
