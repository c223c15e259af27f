// The SQLite bulk writer shares the database file with the app's own connection: it must wait for
// a transaction the app holds open across awaits (without blocking the thread that transaction
// needs), then write its batch whole; let the app answer between the slices of a large batch;
// and a batch that fails leaves nothing behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeNik } from '@jemput/core';
import { loadRegions } from '../regions/load-regions.ts';
import { createTestDatabase, type TestDatabase } from '../test/databases.ts';
import { verifyDriveTallies } from '../tallies/verify.ts';
import { SLICE_ROWS, SqliteBulkWriter } from './sqlite-bulk.ts';
import type { StudentCandidate } from './students.ts';

describe('SQLite bulk writer', () => {
  let database: TestDatabase;
  let schoolId: string;
  let driveId: string;
  let jobId: string;
  const audit = () => ({ userId: null, officeId: null, jobId });

  const candidate = (i: number): StudentCandidate => {
    const birthDate = '2007-05-1' + (i % 10);
    return {
      index: i,
      rowNumber: i + 2,
      cells: [],
      schoolId,
      issues: [],
      row: { name: `Siswa Uji ${i}`, nisn: String(9_100_000 + i).padStart(10, '0'), nik: composeNik({ districtCode: '357301', birthDate, sex: 'L', serial: 1 + (i % 9000) }), sex: 'L', birthPlace: 'Malang', birthDate, className: 'XII IPA 1', npsn: null, familyCardNumber: null },
    };
  };

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    const { db } = database;
    await loadRegions(db, '35.73');
    const office = await db.office.create({ data: { regencyCode: '35.73', name: 'Dinas Uji', regencyName: 'Kota Malang', provinceName: 'Jawa Timur' } });
    schoolId = (await db.school.create({ data: { officeId: office.id, npsn: '20539901', name: 'SMA Uji', nameSearch: 'sma uji', level: 'SMA', status: 'NEGERI', districtCode: '35.73.01' } })).id;
    driveId = (await db.drive.create({ data: { officeId: office.id, name: 'Pilkada', electionDate: '2024-11-27', startDate: '2024-09-01', endDate: '2024-11-20' } })).id;
    jobId = (await db.importJob.create({ data: { officeId: office.id, kind: 'STUDENTS', fileName: 'uji.csv', fileHash: 'x', fileSize: 1, format: 'CSV' } })).id;
  });
  afterAll(async () => database.drop());

  it('waits while the app holds a write transaction open across awaits, then writes the batch with its counters and tallies', async () => {
    const bulk = (await SqliteBulkWriter.open(database.db))!;
    try {
      let released!: () => void;
      const hold = new Promise<void>((resolve) => (released = resolve));
      let appCommitted = false;
      // The app's transaction takes the write lock and keeps it across awaits.
      const app = database.db.$transaction(async (tx) => {
        await tx.importJob.update({ where: { id: jobId }, data: { error: 'held' } });
        await hold;
        appCommitted = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const written = bulk.writeStudents([candidate(0), candidate(1)], { id: jobId, nextIndex: 2, rejected: 1 }, audit());
      // The bulk write is waiting, and the event loop is free: the app's transaction can finish.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(appCommitted).toBe(false);
      released();
      await app;
      const counts = await written;
      expect(appCommitted).toBe(true);
      expect(counts).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
      expect(await database.db.importJob.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ committedRows: 2, created: 2, rejected: 1, error: 'held' });
      expect(await database.db.student.count({ where: { schoolId } })).toBe(2);
      expect(await verifyDriveTallies(database.db, driveId)).toEqual([]);

      // Written again with a change: an update, audited per field (NIK masked), tallies still exact.
      const moved = candidate(0);
      moved.row = { ...moved.row, className: 'XII IPS 2' };
      expect(await bulk.writeStudents([moved, candidate(1)], { id: jobId, nextIndex: 4, rejected: 0 }, audit())).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
      const event = await database.db.auditEvent.findFirstOrThrow({ where: { entity: 'Student', action: 'UPDATE', detail: `import:${jobId}` } });
      expect(event).toMatchObject({ field: 'className', oldValue: 'XII IPA 1', newValue: 'XII IPS 2' });
      expect(await verifyDriveTallies(database.db, driveId)).toEqual([]);
    } finally {
      bulk.close();
    }
  });

  it('lets the app answer between the slices of a batch larger than a slice, and commits the batch whole', async () => {
    const bulk = (await SqliteBulkWriter.open(database.db))!;
    try {
      const stored = await database.db.student.count();
      const rows = Array.from({ length: SLICE_ROWS + 1 }, (_, i) => candidate(100 + i));
      let batchDone = false;
      const written = bulk.writeStudents(rows, { id: jobId, nextIndex: 10_000, rejected: 0 }, audit()).then((counts) => {
        batchDone = true;
        return counts;
      });
      // Issued once the batch has begun: answered before the batch ends, as of the last commit.
      const seen = await database.db.student.count();
      expect(batchDone).toBe(false);
      expect(seen).toBe(stored);
      expect(await written).toMatchObject({ created: SLICE_ROWS + 1 });
      expect(await database.db.student.count()).toBe(stored + SLICE_ROWS + 1);
      expect(await database.db.importJob.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ committedRows: 10_000 });
      expect(await verifyDriveTallies(database.db, driveId)).toEqual([]);
    } finally {
      bulk.close();
    }
  });

  it('recognizes a row without NISN and NIK by school, normalized name and birth date, and only in its own school', async () => {
    const bulk = (await SqliteBulkWriter.open(database.db))!;
    try {
      const other = (await database.db.school.create({ data: { officeId: (await database.db.school.findUniqueOrThrow({ where: { id: schoolId } })).officeId, npsn: '20539902', name: 'SMA Uji 2', nameSearch: 'sma uji 2', level: 'SMA', status: 'NEGERI', districtCode: '35.73.01' } })).id;
      const unnamed = (i: number, school: string, name: string, birthDate: string, className: string): StudentCandidate => ({
        index: i, rowNumber: i + 2, cells: [], schoolId: school, issues: [],
        row: { name, nisn: null, nik: null, sex: 'P', birthPlace: 'Batu', birthDate, className, npsn: null, familyCardNumber: null },
      });
      const job = { id: jobId, nextIndex: 20_000, rejected: 0 };
      expect(await bulk.writeStudents([unnamed(1, schoolId, 'Nama Kembar', '2007-01-02', 'XII IPA 1'), unnamed(2, other, 'Nama Kembar', '2007-01-02', 'XII IPA 1')], job, audit())).toMatchObject({ created: 2 });
      const counts = await bulk.writeStudents(
        [unnamed(3, schoolId, '  NAMA   kembar ', '2007-01-02', 'XII IPS 3'), unnamed(4, other, 'Nama Kembar', '2007-01-02', 'XII IPA 1'), unnamed(5, schoolId, 'Nama Kembar', '2007-09-09', 'XII IPA 1')],
        job,
        audit(),
      );
      expect(counts).toMatchObject({ created: 1, updated: 1, unchanged: 1 });
      const twins = await database.db.student.findMany({ where: { nameSearch: 'nama kembar' }, orderBy: [{ schoolId: 'asc' }, { birthDate: 'asc' }] });
      expect(twins.map((t) => [t.schoolId, t.birthDate, t.className])).toEqual(
        [
          [schoolId, '2007-01-02', 'XII IPS 3'],
          [schoolId, '2007-09-09', 'XII IPA 1'],
          [other, '2007-01-02', 'XII IPA 1'],
        ].sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0)),
      );
      expect(await verifyDriveTallies(database.db, driveId)).toEqual([]);
    } finally {
      bulk.close();
    }
  });

  it('leaves nothing of a batch that fails, in any of its slices: no students, no counters, the job where it was', async () => {
    const bulk = (await SqliteBulkWriter.open(database.db))!;
    try {
      const before = await database.db.importJob.findUniqueOrThrow({ where: { id: jobId } });
      const bad = { ...candidate(10), schoolId: 'no-such-school' };
      await expect(bulk.writeStudents([candidate(11), bad], { id: jobId, nextIndex: 99, rejected: 0 }, audit())).rejects.toThrow(/FOREIGN KEY/);
      expect(await database.db.student.count({ where: { nisn: { in: [candidate(10).row.nisn!, candidate(11).row.nisn!] } } })).toBe(0);
      // The bad row in the second slice: the first slice, written already, goes too.
      const firstSlice = Array.from({ length: SLICE_ROWS }, (_, i) => candidate(20_000 + i));
      const stored = await database.db.student.count();
      await expect(bulk.writeStudents([...firstSlice, bad], { id: jobId, nextIndex: 99, rejected: 0 }, audit())).rejects.toThrow(/FOREIGN KEY/);
      expect(await database.db.student.count()).toBe(stored);
      expect(await database.db.importJob.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ committedRows: before.committedRows, created: before.created });
      expect(await verifyDriveTallies(database.db, driveId)).toEqual([]);
      // The connection is usable again after the rollback.
      expect(await bulk.writeStudents([candidate(11)], { id: jobId, nextIndex: 5, rejected: 0 }, audit())).toMatchObject({ created: 1 });
    } finally {
      bulk.close();
    }
  });
});
