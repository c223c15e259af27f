import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeNik } from '@jemput/core';
import { beforeAll, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { loadRegions } from '../regions/load-regions.ts';
import { describeOnEachDatabase, type TestApi } from '../test/databases.ts';
import { subscribe } from '../test/sse.ts';
import { verifyDriveTallies } from '../tallies/verify.ts';
import { fixtureStudents, writeDapodikCsv, writeDapodikXlsx, type FixtureStudent } from './fixtures.ts';
import { importSettled, JOB_FIELDS, uploadFile } from './import-api.ts';
import { IMPORT_WRITE_BATCH_ROWS, markInterruptedImports } from './jobs.ts';
import { SQLITE_BATCH_ROWS } from './sqlite-bulk.ts';
import { spoolPath } from './spool.ts';

process.env.JEMPUT_DATA_DIR = mkdtempSync(join(tmpdir(), 'jemput-imports-'));
const dir = mkdtempSync(join(tmpdir(), 'jemput-fixtures-'));
const NPSN_A = '20533701';
const NPSN_B = '20533702';

const JOB = `query ($id: ID!) { importJob(id: $id) { ${JOB_FIELDS} columns { index label field } sampleRows { rowNumber values { field value } } problems(first: 500) { totalCount edges { node { rowNumber severity field code message cells } } } } }`;
const COMMIT = `mutation ($id: ID!) { commitImport(jobId: $id) { ${JOB_FIELDS} } }`;

let fileCounter = 0;
async function xlsx(students: FixtureStudent[], options: Parameters<typeof writeDapodikXlsx>[2] = {}) {
  const path = join(dir, `daftar-${++fileCounter}.xlsx`);
  await writeDapodikXlsx(path, students, options);
  return path;
}
async function csv(students: FixtureStudent[], options: Parameters<typeof writeDapodikCsv>[2] = {}) {
  const path = join(dir, `daftar-${++fileCounter}.csv`);
  await writeDapodikCsv(path, students, options);
  return path;
}

describeOnEachDatabase('Dapodik import', (api: () => TestApi) => {
  let schoolA: string;
  let schoolB: string;
  let driveId: string;

  beforeAll(async () => {
    await loadRegions(api().db, '35.73');
    const make = (npsn: string, name: string) =>
      api().db.school.create({ data: { officeId: api().officeId, npsn, name, nameSearch: name.toLowerCase(), level: 'SMA', status: 'NEGERI', districtCode: '35.73.01' } });
    schoolA = (await make(NPSN_A, 'SMA Negeri 1 Malang')).id;
    schoolB = (await make(NPSN_B, 'SMA Negeri 2 Malang')).id;
    driveId = (await api().db.drive.create({ data: { officeId: api().officeId, name: 'Pilkada 2024', electionDate: '2024-11-27', startDate: '2024-09-01', endDate: '2024-11-20' } })).id;
  });

  async function job(id: string) {
    await importSettled(id);
    return (await api().data(JOB, { id })).importJob;
  }
  async function upload(path: string | { name: string; bytes: Uint8Array }, kind: 'STUDENTS' | 'SCHOOLS' = 'STUDENTS', schoolId?: string) {
    const uploaded = await uploadFile(api().fetch, path, kind, schoolId);
    return job(uploaded.id);
  }
  async function commit(id: string) {
    await api().data(COMMIT, { id });
    return job(id);
  }
  /** Rows per written batch (one transaction, one reload signal, one step of progress): the SQLite bulk writer takes more. */
  const batch = () => (api().provider === 'sqlite' ? SQLITE_BATCH_ROWS : IMPORT_WRITE_BATCH_ROWS);

  it('reads a Dapodik XLSX with a title block, merged two-row header, shuffled columns and Excel serial dates; re-import changes nothing', async () => {
    const students = fixtureStudents(120, { npsns: [NPSN_A], seed: 1 });
    const path = await xlsx(students, { shuffle: true, serialDates: true });
    const preview = await upload(path);
    expect(preview).toMatchObject({ phase: 'READY', format: 'XLSX', totalRows: 120, rejected: 0, error: null });
    expect(preview.fileHash).toMatch(/^[0-9a-f]{64}$/);
    const mapped = Object.fromEntries(preview.columns.filter((c: any) => c.field).map((c: any) => [c.field, c.label]));
    expect(mapped).toMatchObject({ name: 'Nama', nisn: 'NISN', nik: 'NIK', birthDate: 'Tanggal Lahir', sex: 'JK', className: 'Rombel Saat Ini', npsn: 'NPSN' });
    // The parents' blocks keep their group name and are not taken for the student's.
    expect(preview.columns.map((c: any) => c.label)).toContain('Data Ayah Nama');
    expect(preview.sampleRows[0].rowNumber).toBe(7);
    expect(preview.sampleRows[0].values).toEqual(expect.arrayContaining([{ field: 'birthDate', value: students[0]!.birthDate }, { field: 'nisn', value: students[0]!.nisn }]));

    // Two presses of Import at once start it once.
    const [first, second] = await Promise.all([api().gql(COMMIT, { id: preview.id }), api().gql(COMMIT, { id: preview.id })]);
    expect([first, second].filter((r) => r.errors?.[0]?.extensions?.code === 'IMPORT_WRONG_STATE')).toHaveLength(1);
    const done = await job(preview.id);
    expect(done).toMatchObject({ status: 'DONE', phase: 'DONE', created: 120, updated: 0, unchanged: 0, rejected: 0, committedRows: 120 });
    const stored = await api().db.student.findUnique({ where: { nisn: students[5]!.nisn } });
    expect(stored).toMatchObject({ name: students[5]!.name, nik: students[5]!.nik, birthDate: students[5]!.birthDate, sex: students[5]!.sex, className: students[5]!.className, schoolId: schoolA });
    expect(await verifyDriveTallies(api().db, driveId)).toEqual([]);
    const audit = await api().db.auditEvent.findFirst({ where: { action: 'IMPORT', entityId: preview.id } });
    expect(JSON.parse(audit!.detail!)).toMatchObject({ fileHash: preview.fileHash, created: 120, fileName: preview.fileName });

    const again = await commit((await upload(path)).id);
    expect(again).toMatchObject({ status: 'DONE', created: 0, updated: 0, unchanged: 120, rejected: 0 });
    expect(await api().db.student.count({ where: { schoolId: schoolA } })).toBe(120);
  });

  it('reads a CSV with BOM, semicolons, title lines, blank lines and repeated header lines without losing a row', async () => {
    const students = fixtureStudents(90, { npsns: [NPSN_B], seed: 2 });
    const path = await csv(students, { delimiter: ';', bom: true, titleLines: true, blankLineEvery: 7, repeatHeaderEvery: 25 });
    const preview = await upload(path);
    expect(preview).toMatchObject({ phase: 'READY', format: 'CSV', totalRows: 90, rejected: 0 });
    const done = await commit(preview.id);
    expect(done).toMatchObject({ created: 90, rejected: 0 });
    const names = (await api().db.student.findMany({ where: { schoolId: schoolB }, select: { name: true } })).map((s) => s.name).sort();
    expect(names).toEqual(students.map((s) => s.name).sort());
  });

  it('rejects exactly the 3 rows with invalid NIKs out of 100, reports them with row numbers and a CSV, and imports the other 97', async () => {
    const students = fixtureStudents(100, { npsns: [NPSN_A], seed: 3 });
    const bad: Record<number, string> = { 10: '357301123', 50: '3573014107070000', 77: '35730A4107070001' };
    const path = await csv(students, { nikOverride: (i) => bad[i] });
    const preview = await upload(path);
    expect(preview).toMatchObject({ phase: 'READY', totalRows: 100, rejected: 3 });
    const errors = preview.problems.edges.map((e: any) => e.node).filter((p: any) => p.severity === 'ERROR');
    expect(errors.map((p: any) => [p.rowNumber, p.field, p.code])).toEqual([
      [12, 'nik', 'NIK_LENGTH'],
      [52, 'nik', 'NIK_SERIAL'],
      [79, 'nik', 'NIK_NOT_DIGITS'],
    ]);
    expect(errors[0].message).toMatch(/NIK/);
    const done = await commit(preview.id);
    expect(done).toMatchObject({ created: 97, rejected: 3 });
    expect(await api().db.student.count({ where: { nisn: { in: [10, 50, 77].map((i) => students[i]!.nisn) } } })).toBe(0);

    const download = await api().fetch(`http://test/import/${preview.id}/problems.csv`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toMatch(/text\/csv/);
    const text = await download.text();
    const lines = text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    const errorLines = lines.filter((line) => line.includes('Galat'));
    expect(errorLines).toHaveLength(3);
    expect(errorLines[0]).toContain(students[10]!.name);
    expect(lines[0]).toMatch(/^Baris;Jenis;Kolom;Masalah;No;Nama;/);
    // NIK, NISN, NPSN and the parents' NIKs stay whole in Excel (="…"); names and other columns are left as they are.
    const header = lines[0]!.split(';');
    const cells = (line: string) => Papa.parse<string[]>(line, { delimiter: ';' }).data[0]!;
    const first = cells(errorLines[0]!);
    expect(first[header.indexOf('NIK')]).toBe('="357301123"');
    expect(first[header.indexOf('NISN')]).toBe(`="${students[10]!.nisn}"`);
    expect(first[header.indexOf('NPSN')]).toBe(`="${NPSN_A}"`);
    expect(first[header.indexOf('NIK Ayah')]).toMatch(/^="\d{16}"$/);
    expect(first[header.indexOf('Nama')]).toBe(students[10]!.name);
    expect(errorLines[0]).toContain(`;="${students[10]!.nisn}";`);
    expect(await api().db.auditEvent.count({ where: { action: 'EXPORT', entityId: preview.id } })).toBe(1);
  });

  it('reports NIKs Excel stored as numbers or in scientific notation and leaves them out instead of storing wrong digits', async () => {
    const students = fixtureStudents(20, { npsns: [NPSN_A], seed: 4 });
    for (const path of [await xlsx(students, { nikAsNumber: true, nisnAsNumber: true }), await csv(students.map((s) => ({ ...s, nisn: String(Number(s.nisn) + 500) })), { nikAsNumber: true })]) {
      const preview = await upload(path);
      expect(preview.error).toBeNull();
      expect(preview).toMatchObject({ phase: 'READY', totalRows: 20, rejected: 0, warnings: 20 });
      const codes = new Set(preview.problems.edges.map((e: any) => e.node.code));
      expect(codes.has('IMPORT_NUMBER_DIGITS_LOST')).toBe(true);
      expect(preview.problems.edges[0].node.message).not.toContain(students[0]!.nik);
      expect(await commit(preview.id)).toMatchObject({ created: 20 });
    }
    // The NISN stored as a number only lost its leading zeros: restored exactly.
    const stored = await api().db.student.findUnique({ where: { nisn: students[0]!.nisn } });
    expect(stored).toMatchObject({ nik: null, name: students[0]!.name });
  });

  it('gives a clear result for an empty file, a header without rows, a file that is not a spreadsheet and text without a header', async () => {
    const empty = await upload({ name: 'kosong.xlsx', bytes: new Uint8Array() });
    expect(empty).toMatchObject({ status: 'FAILED', phase: 'FAILED' });
    expect(empty.error).toMatch(/tidak bisa dibaca/);
    const headerOnly = await upload({ name: 'judul.csv', bytes: new TextEncoder().encode('Nama,JK,NISN,Tanggal Lahir\r\n\r\n') }, 'STUDENTS', schoolA);
    expect(headerOnly).toMatchObject({ status: 'FAILED', error: 'Berkas tidak berisi baris data' });
    const png = await upload({ name: 'foto.xlsx', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]) });
    expect(png).toMatchObject({ status: 'FAILED', format: 'UNKNOWN' });
    expect(png.error).toMatch(/bukan teks atau spreadsheet/);
    const fakeZip = await upload({ name: 'rusak.xlsx', bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6]) });
    expect(fakeZip).toMatchObject({ status: 'FAILED' });
    expect(fakeZip.error).toMatch(/tidak bisa dibaca/);
    const prose = await upload({ name: 'surat.csv', bytes: new TextEncoder().encode('Kepada Yth. Kepala Dinas\nDengan hormat,\nterlampir daftar siswa.\n') });
    expect(prose).toMatchObject({ status: 'FAILED' });
    expect(prose.error).toMatch(/Baris judul kolom tidak ditemukan/);
  });

  it('asks for the mapping when a required column is not recognised, and validates again once the officer maps it', async () => {
    const text = 'Nama Lengkap Peserta Didik Baru;Kelamin;Tgl. Lahir;NISN\r\nSiti Aminah;P;21/03/2007;0071234567\r\nBagus Prakoso;L;2007-01-05;0071234568\r\n';
    // "Nama Lengkap Peserta Didik Baru" is not a known header, so nothing is found at first.
    const unknown = await upload({ name: 'manual.csv', bytes: new TextEncoder().encode(text) }, 'STUDENTS', schoolB);
    expect(unknown).toMatchObject({ status: 'FAILED' });
    const header = 'Nama Siswa;Kelamin;Tgl. Lahir;Keterangan\r\n';
    const rows = 'Siti Aminah;P;21/03/2007;0071234567\r\nBagus Prakoso;L;05-01-2007;0071234568\r\n';
    const preview = await upload({ name: 'manual2.csv', bytes: new TextEncoder().encode(header + rows) });
    expect(preview).toMatchObject({ phase: 'NEEDS_MAPPING' });
    expect(preview.error).toMatch(/NPSN/);
    const fixed = await api().data(
      `mutation ($id: ID!, $m: [ImportMappingInput!]!, $s: ID) { setImportMapping(jobId: $id, mapping: $m, schoolId: $s) { id } }`,
      { id: preview.id, m: [{ field: 'name', column: 0 }, { field: 'sex', column: 1 }, { field: 'birthDate', column: 2 }, { field: 'nisn', column: 3 }], s: schoolB },
    );
    const ready = await job(fixed.setImportMapping.id);
    expect(ready).toMatchObject({ phase: 'READY', totalRows: 2, rejected: 0 });
    expect(ready.sampleRows[1].values).toEqual(expect.arrayContaining([{ field: 'birthDate', value: '2007-01-05' }, { field: 'nisn', value: '0071234568' }]));
    expect(await commit(ready.id)).toMatchObject({ created: 2 });
  });

  it('warns about duplicate NISNs in the file, students listed at another school and students missing from the new list; deletes nothing', async () => {
    const students = fixtureStudents(30, { npsns: [NPSN_A], seed: 6 });
    await commit((await upload(await csv(students))).id);
    const moved = { ...students[0]!, npsn: NPSN_B };
    const list = [moved, ...students.slice(1, 25), students[3]!];
    const preview = await upload(await csv(list));
    const problems = preview.problems.edges.map((e: any) => e.node);
    expect(problems.filter((p: any) => p.code === 'IMPORT_DUPLICATE_IN_FILE').map((p: any) => p.rowNumber)).toEqual([27]);
    expect(problems.find((p: any) => p.code === 'IMPORT_IN_OTHER_SCHOOL')).toMatchObject({ rowNumber: 2, severity: 'WARNING' });
    expect(problems.find((p: any) => p.code === 'IMPORT_IN_OTHER_SCHOOL').message).toContain('SMA Negeri 1 Malang');
    const missing = problems.filter((p: any) => p.code === 'IMPORT_MISSING_FROM_LIST');
    // Students 25..29 are not in the new list of school A (among every student of A and B stored so far).
    expect(missing.map((p: any) => p.cells[0])).toEqual(expect.arrayContaining(students.slice(25).map((s) => s.name)));
    const before = await api().db.student.count();
    const done = await commit(preview.id);
    expect(done).toMatchObject({ rejected: 0, created: 0, updated: 1, unchanged: 25 });
    expect(await api().db.student.count()).toBe(before);
    expect((await api().db.student.findUnique({ where: { nisn: moved.nisn } }))?.schoolId).toBe(schoolB);
    expect(await verifyDriveTallies(api().db, driveId)).toEqual([]);
  });

  it('stops a running import and resumes it from committedRows; a job a crash left RUNNING becomes INTERRUPTED and resumes too', async () => {
    const total = 2 * batch() + 2000;
    const students = fixtureStudents(total, { npsns: [NPSN_A, NPSN_B], seed: 7 });
    const preview = await upload(await xlsx(students));
    expect(preview.totalRows).toBe(total);
    await api().data(COMMIT, { id: preview.id });
    const stopped = await api().data(`mutation ($id: ID!) { cancelImport(jobId: $id) { ${JOB_FIELDS} } }`, { id: preview.id });
    expect(stopped.cancelImport.error).toBeNull();
    expect(stopped.cancelImport).toMatchObject({ status: 'INTERRUPTED', phase: 'INTERRUPTED', committedRows: batch(), created: batch() });
    const ofThisList = { nisn: { gte: students[0]!.nisn, lte: students[total - 1]!.nisn } };
    expect(await api().db.student.count({ where: ofThisList })).toBe(batch());

    // Resuming from the rows validation checked (the `checked` spool): stopped again one batch further.
    expect(existsSync(spoolPath(preview.id))).toBe(true);
    await api().data(COMMIT, { id: preview.id });
    const again = await api().data(`mutation ($id: ID!) { cancelImport(jobId: $id) { ${JOB_FIELDS} } }`, { id: preview.id });
    expect(again.cancelImport).toMatchObject({ status: 'INTERRUPTED', committedRows: 2 * batch(), created: 2 * batch() });
    expect(await api().db.student.count({ where: ofThisList })).toBe(2 * batch());

    // Resuming works without the checked rows too: the workbook is read and checked again.
    rmSync(spoolPath(preview.id));
    // A process killed mid-import leaves the job RUNNING: the next start marks it INTERRUPTED.
    await api().db.importJob.update({ where: { id: preview.id }, data: { status: 'RUNNING' } });
    expect(await markInterruptedImports(api().db)).toBe(1);
    const resumed = await commit(preview.id);
    expect(resumed).toMatchObject({ status: 'DONE', committedRows: total, created: total, unchanged: 0, rejected: 0 });
    expect(await api().db.student.count({ where: ofThisList })).toBe(total);
    expect(await verifyDriveTallies(api().db, driveId)).toEqual([]);
  }, 180_000);

  it('tells grids of the imported school to reload, with one signal per written batch (not one per student), and nothing to other schools', async () => {
    const ROWS = /* GraphQL */ `subscription ($s: ID) { rowChanges(entity: STUDENT, schoolId: $s) { id version deleted reload } }`;
    const total = batch() + 500;
    const students = fixtureStudents(total, { npsns: [NPSN_A], seed: 5 });
    const preview = await upload(await csv(students));
    const mine = await subscribe(api().fetch, 'http://test/graphql', ROWS, { s: schoolA });
    const other = await subscribe(api().fetch, 'http://test/graphql', ROWS, { s: schoolB });
    try {
      expect(await commit(preview.id)).toMatchObject({ status: 'DONE', created: total });
      // The rows are written in two batches: two signals naming the job and how far it got.
      await mine.next((e: any) => e.rowChanges.some((c: any) => c.version === total), 30_000);
      const changes = mine.events.flatMap((e: any) => e.rowChanges);
      expect(changes).toEqual([
        { id: preview.id, version: batch(), deleted: false, reload: true },
        { id: preview.id, version: total, deleted: false, reload: true },
      ]);
      // An ordinary edit still names its row, without reload.
      const student = await api().db.student.findUniqueOrThrow({ where: { nisn: students[0]!.nisn } });
      await api().data(`mutation ($id: ID!, $v: Int!) { updateStudent(id: $id, version: $v, patch: { birthPlace: "Batu" }) { __typename } }`, { id: student.id, v: student.version });
      const edit = await mine.next((e: any) => e.rowChanges.some((c: any) => c.id === student.id), 30_000);
      expect(edit.rowChanges).toEqual([{ id: student.id, version: student.version + 1, deleted: false, reload: false }]);
      expect(other.events).toEqual([]);
    } finally {
      mine.close();
      other.close();
    }
  }, 120_000);

  it('pushes progress while writing: rows written grow until DONE', async () => {
    const total = batch() + 1500;
    const students = fixtureStudents(total, { npsns: [NPSN_B], seed: 8 });
    const preview = await upload(await xlsx(students));
    const sub = await subscribe(api().fetch, 'http://test/graphql', `subscription ($id: ID!) { importProgress(jobId: $id) { phase committedRows totalRows progress } }`, { id: preview.id });
    await api().data(COMMIT, { id: preview.id });
    const last = await sub.next((e: any) => e.importProgress.phase === 'DONE', 60_000);
    sub.close();
    expect(last.importProgress).toMatchObject({ committedRows: total, totalRows: total, progress: 1 });
    const written = sub.events.map((e: any) => e.importProgress.committedRows);
    expect(written.some((n: number) => n > 0 && n < total)).toBe(true);
    expect([...written].sort((a, b) => a - b)).toEqual(written);
    // The commit read the rows as validation checked them; that spool goes once the import is done.
    expect(existsSync(spoolPath(preview.id))).toBe(false);
  }, 180_000);

  it('takes a 50 MB list and imports every row', async () => {
    const students = fixtureStudents(40_000, { npsns: [NPSN_A, NPSN_B], seed: 9 });
    const path = await csv(students, { wide: 22 });
    expect(statSync(path).size).toBeGreaterThan(50 * 1024 * 1024);
    const preview = await upload(path);
    expect(preview).toMatchObject({ phase: 'READY', totalRows: 40_000, rejected: 0 });
    const done = await commit(preview.id);
    expect(done).toMatchObject({ status: 'DONE', created: 40_000, rejected: 0 });
  }, 180_000);

  it('imports a school list: NPSN, name, level, status, district by name or code, address', async () => {
    const text = [
      'Daftar Satuan Pendidikan',
      'NPSN,Nama Sekolah,Bentuk Pendidikan,Status Sekolah,Kecamatan,Alamat',
      '20533801,SMA Negeri 8 Malang,SMA,Negeri,Kec. Klojen,Jl. Veteran 37',
      '20533802,SMK Swasta Bina Bangsa,SMK,Swasta,35.73.05,Jl. Raya Tlogomas',
      '20533803,MA Al Ittihad,MA,S,Lowokwaru,',
      '20533804,Sekolah Tanpa Kecamatan,SMA,Negeri,Atlantis,Jl. Hilang',
      `${NPSN_A},SMA Negeri 1 Malang (baru),SMA,Negeri,Klojen,Jl. Tugu 1`,
    ].join('\r\n');
    const preview = await upload({ name: 'sekolah.csv', bytes: new TextEncoder().encode(text) }, 'SCHOOLS');
    expect(preview).toMatchObject({ phase: 'READY', totalRows: 5, rejected: 1 });
    expect(preview.problems.edges[0].node).toMatchObject({ rowNumber: 6, code: 'IMPORT_DISTRICT_UNKNOWN' });
    const done = await commit(preview.id);
    expect(done).toMatchObject({ created: 3, updated: 1, rejected: 1 });
    expect(await api().db.school.findUnique({ where: { npsn: '20533802' } })).toMatchObject({ level: 'SMK', status: 'SWASTA', districtCode: '35.73.05' });
    expect((await api().db.school.findUnique({ where: { npsn: NPSN_A } }))?.name).toBe('SMA Negeri 1 Malang (baru)');
    const again = await commit((await upload({ name: 'sekolah.csv', bytes: new TextEncoder().encode(text) }, 'SCHOOLS')).id);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 4, rejected: 1 });
  });

  it('lists the import history with who, when, file and counts; messages in English on request', async () => {
    const history = await api().data(`{ importJobs(first: 50) { totalCount edges { node { fileName fileHash createdAt status created updated unchanged rejected } } } }`);
    expect(history.importJobs.totalCount).toBeGreaterThan(5);
    expect(history.importJobs.edges[0].node.fileName).toBe('sekolah.csv');
    const failed = history.importJobs.edges.find((e: any) => e.node.status === 'FAILED');
    expect(failed).toBeTruthy();
    const en = await uploadFile(api().fetch, { name: 'x.csv', bytes: new TextEncoder().encode('hello\nworld\n') }, 'STUDENTS', undefined, { 'accept-language': 'en' });
    await importSettled(en.id);
    const enJob = await api().data(JOB, { id: en.id }, { 'accept-language': 'en' });
    expect(enJob.importJob.error).toMatch(/No header row found/);
  });
});

describe('NIK composed for fixtures', () => {
  it('agrees with the fixture birth dates', () => {
    const s = fixtureStudents(3)[2]!;
    expect(composeNik({ districtCode: `${s.nik.slice(0, 2)}.${s.nik.slice(2, 4)}.${s.nik.slice(4, 6)}`, birthDate: s.birthDate, sex: s.sex, serial: Number(s.nik.slice(12)) })).toBe(s.nik);
    writeFileSync(join(dir, 'ok'), '');
  });
});
