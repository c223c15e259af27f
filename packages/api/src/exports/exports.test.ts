import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { loadRegions } from '../regions/load-regions.ts';
import { describeOnEachDatabase, type TestApi } from '../test/databases.ts';
import { fixtureStudents, writeDapodikCsv } from '../imports/fixtures.ts';
import { importSettled, uploadFile } from '../imports/import-api.ts';

process.env.JEMPUT_DATA_DIR = mkdtempSync(join(tmpdir(), 'jemput-exports-'));

describeOnEachDatabase('exports', (api: () => TestApi) => {
  let driveId: string;
  let visitId: string;
  let studentIds: string[];

  beforeAll(async () => {
    await loadRegions(api().db, '35.73');
    const school = (n: number, district: string) =>
      api().db.school.create({ data: { officeId: api().officeId, npsn: `2053370${n}`, name: `SMA Negeri ${n} Malang`, nameSearch: `sma negeri ${n} malang`, level: 'SMA', status: 'NEGERI', districtCode: district } });
    const a = await school(1, '35.73.01');
    await school(2, '35.73.01');
    await school(3, '35.73.02');
    driveId = (await api().db.drive.create({ data: { officeId: api().officeId, name: 'Pilkada 2024', electionDate: '2024-11-27', startDate: '2024-09-01', endDate: '2024-11-20' } })).id;
    visitId = (await api().db.visit.create({ data: { driveId, schoolId: a.id, date: '2024-10-02', team: 'Tim 1' } })).id;
    const path = join(process.env.JEMPUT_DATA_DIR as string, 'list.csv');
    await writeDapodikCsv(path, fixtureStudents(90, { npsns: ['20533701', '20533702', '20533703'] }));
    const job = await uploadFile(api().fetch, path, 'STUDENTS');
    await importSettled(job.id);
    await api().data(`mutation ($id: ID!) { commitImport(jobId: $id) { id } }`, { id: job.id });
    await importSettled(job.id);
    studentIds = (await api().db.student.findMany({ where: { schoolId: a.id, birthDate: { lte: '2007-11-27' } }, select: { id: true }, orderBy: { nameSearch: 'asc' } })).map((s) => s.id);
    const recorded = await api().data(`mutation ($rows: [OutcomeRowInput!]!) { upsertOutcomes(rows: $rows) { created rejected } }`, {
      rows: studentIds.slice(0, 4).map((studentId) => ({ driveId, studentId, visitId, status: 'RECORDED', recordedAt: '2024-10-01T03:00:00Z' })),
    });
    expect(recorded.upsertOutcomes).toEqual({ created: 4, rejected: 0 });
  });

  it('exports the tally report as XLSX: both levels, formatted header, totals row equal to the office numbers', async () => {
    const response = await api().fetch(`http://test/export/tallies.xlsx?driveId=${driveId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="rekap-2024-10-01\.xlsx"/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Per sekolah', 'Per kecamatan']);
    const sheet = workbook.getWorksheet('Per sekolah')!;
    expect(sheet.getRow(4).values).toEqual([undefined, 'Kecamatan', 'NPSN', 'Sekolah', 'Sasaran', 'Sudah rekam', 'Sisa', '% selesai', 'Tercetak', 'Menunggu blangko', 'IKD aktif']);
    expect(sheet.getRow(4).font?.bold).toBe(true);
    const schoolRows = [5, 6, 7].map((r) => sheet.getRow(r).values as unknown[]);
    expect(schoolRows.map((r) => r[2])).toEqual(['20533701', '20533702', '20533703']);
    const totals = sheet.getRow(8);
    expect(totals.getCell(1).value).toBe('Jumlah');
    const office = (await api().data(`query ($d: ID!) { tallies(driveId: $d, groupBy: [OFFICE]) { rows { eligible recorded remaining } } }`, { d: driveId })).tallies.rows[0];
    expect(totals.getCell(4).value).toMatchObject({ formula: 'SUM(D5:D7)', result: office.eligible });
    expect(totals.getCell(5).value).toMatchObject({ result: 4 });
    expect(totals.getCell(6).value).toMatchObject({ result: office.remaining });
    expect(schoolRows.reduce((n, r) => n + (r[4] as number), 0)).toBe(office.eligible);
    const audit = await api().db.auditEvent.findFirst({ where: { action: 'EXPORT', entity: 'TallyReport', entityId: driveId } });
    expect(JSON.parse(audit!.detail!)).toMatchObject({ format: 'XLSX', schools: 3, districts: 2 });
  });

  it('exports the tally report as CSV per school and per district, with a totals line; English on request', async () => {
    const bySchool = await (await api().fetch(`http://test/export/tallies.csv?driveId=${driveId}`)).text();
    const lines = bySchool.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Kecamatan;NPSN;Sekolah;Sasaran;Sudah rekam;Sisa;% selesai;Tercetak;Menunggu blangko;IKD aktif');
    expect(lines).toHaveLength(1 + 3 + 1);
    expect(lines[4]).toMatch(/^Jumlah;;;\d+;4;/);
    // NPSNs stay text in Excel (="…"): exports/csv.ts.
    expect(lines.slice(1, 4).every((line) => /^[^;]*;="\w{8}";/.test(line))).toBe(true);
    const byDistrict = await (await api().fetch(`http://test/export/tallies.csv?driveId=${driveId}&by=DISTRICT`, { headers: { 'accept-language': 'en' } })).text();
    const en = byDistrict.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(en[0]).toBe('District,Eligible,Recorded,Remaining,% done,Printed,Awaiting blanks,IKD activated');
    expect(en).toHaveLength(1 + 2 + 1);
    expect(await api().db.auditEvent.count({ where: { action: 'EXPORT', entity: 'TallyReport' } })).toBe(3);
  });

  it('prints a visit sheet: A4, one page per class, eligible students only, NIKs masked', async () => {
    const response = await api().fetch(`http://test/export/visit-sheet.html?visitId=${visitId}`);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('@page { size: A4 portrait');
    expect(html).toContain('break-after: page');
    const eligible = await api().db.student.findMany({ where: { id: { in: studentIds } }, select: { className: true, name: true, nik: true } });
    const classes = new Set(eligible.map((s) => s.className));
    expect(html.match(/<section class="page">/g)).toHaveLength(classes.size);
    expect(html.match(/<tr><td>\d+<\/td>/g)).toHaveLength(eligible.length);
    for (const s of eligible) expect(html).toContain(s.name);
    expect(html).not.toContain(eligible[0]!.nik!);
    expect(html.match(/☑/g)?.length).toBe(4);

    const xlsx = await api().fetch(`http://test/export/visit-sheet.xlsx?visitId=${visitId}`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    expect(workbook.worksheets.map((w) => w.name).sort()).toEqual([...classes].sort());
    expect(workbook.worksheets.reduce((n, w) => n + w.rowCount - 4, 0)).toBe(eligible.length);
    expect(await api().db.auditEvent.count({ where: { action: 'EXPORT', entity: 'VisitSheet', entityId: visitId } })).toBe(2);
  });

  it('answers 404 for an unknown drive or visit and 405 for a POST, without logging an export', async () => {
    expect((await api().fetch('http://test/export/tallies.xlsx?driveId=nope')).status).toBe(404);
    expect((await api().fetch('http://test/export/visit-sheet.html?visitId=nope')).status).toBe(404);
    expect((await api().fetch('http://test/export/tallies.csv', { method: 'POST' })).status).toBe(405);
    expect(await api().db.auditEvent.count({ where: { action: 'EXPORT', entityId: 'nope' } })).toBe(0);
  });
});
