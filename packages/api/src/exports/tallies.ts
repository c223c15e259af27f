// The tally report a drive sends upward: per school and per district (eligible, recorded,
// remaining, printed, awaiting blanks, IKD), from the same maintained counters the dashboard
// reads (tallies/report.ts), as XLSX (formatted header, totals row) or CSV.
import ExcelJS from 'exceljs';
import { spreadsheetCsv } from './csv.ts';
import { formatDateId, type IsoDate, type Locale } from '@jemput/core';
import type { Db } from '../db/client.ts';
import { computeDriveReport, type TallyRow } from '../tallies/report.ts';

export type TallyLevel = 'SCHOOL' | 'DISTRICT';

const NUMBER_COLUMNS = ['eligible', 'recorded', 'remaining', 'percentDone', 'printed', 'awaitingBlanks', 'ikdActivated'] as const;
type NumberColumn = (typeof NUMBER_COLUMNS)[number];

const LABELS: Record<Locale, Record<NumberColumn | 'district' | 'school' | 'npsn' | 'total' | 'bySchool' | 'byDistrict' | 'title' | 'asOf' | 'election', string>> = {
  id: {
    district: 'Kecamatan', school: 'Sekolah', npsn: 'NPSN', eligible: 'Sasaran', recorded: 'Sudah rekam', remaining: 'Sisa', percentDone: '% selesai',
    printed: 'Tercetak', awaitingBlanks: 'Menunggu blangko', ikdActivated: 'IKD aktif', total: 'Jumlah', bySchool: 'Per sekolah', byDistrict: 'Per kecamatan',
    title: 'Laporan perekaman KTP-el pemilih pemula', asOf: 'Keadaan per', election: 'Hari pemungutan suara',
  },
  en: {
    district: 'District', school: 'School', npsn: 'NPSN', eligible: 'Eligible', recorded: 'Recorded', remaining: 'Remaining', percentDone: '% done',
    printed: 'Printed', awaitingBlanks: 'Awaiting blanks', ikdActivated: 'IKD activated', total: 'Total', bySchool: 'By school', byDistrict: 'By district',
    title: 'First-time voter e-KTP recording report', asOf: 'As of', election: 'Election day',
  },
};

export type TallyExport = {
  driveName: string;
  electionDate: IsoDate;
  today: IsoDate;
  office: TallyRow;
  districts: (TallyRow & { districtName: string })[];
  schools: (TallyRow & { districtName: string; npsn: string })[];
};

export async function loadTallyExport(db: Db, driveId: string, today: IsoDate, officeId: string | null): Promise<TallyExport | null> {
  const drive = await db.drive.findFirst({ where: { id: driveId, ...(officeId ? { officeId } : {}) }, select: { name: true } });
  if (!drive) return null;
  const report = await computeDriveReport(db, driveId, today);
  if (!report) return null;
  const npsns = new Map((await db.school.findMany({ where: { id: { in: report.schools.map((s) => s.id) } }, select: { id: true, npsn: true } })).map((s) => [s.id, s.npsn]));
  const districtName = new Map(report.schools.map((s) => [s.districtCode, s.districtName]));
  const byDistrictThenName = (a: TallyRow, b: TallyRow) => (a.districtCode ?? '').localeCompare(b.districtCode ?? '') || a.name.localeCompare(b.name);
  return {
    driveName: drive.name,
    electionDate: report.electionDate,
    today,
    office: report.rows.find((r) => r.scope === 'OFFICE') as TallyRow,
    districts: report.rows.filter((r) => r.scope === 'DISTRICT').map((r) => ({ ...r, districtName: r.name })),
    schools: report.rows
      .filter((r) => r.scope === 'SCHOOL')
      .sort(byDistrictThenName)
      .map((r) => ({ ...r, districtName: districtName.get(r.districtCode ?? '') ?? '', npsn: npsns.get(r.key) ?? '' })),
  };
}

function leadColumns(level: TallyLevel, locale: Locale): string[] {
  const l = LABELS[locale];
  return level === 'SCHOOL' ? [l.district, l.npsn, l.school] : [l.district];
}

function rowsOf(data: TallyExport, level: TallyLevel): { lead: string[]; row: TallyRow }[] {
  return level === 'SCHOOL'
    ? data.schools.map((row) => ({ lead: [row.districtName, row.npsn, row.name], row }))
    : data.districts.map((row) => ({ lead: [row.districtName], row }));
}

/** CSV for spreadsheets set to Indonesian: `;` between fields (the decimal separator is a comma), UTF-8 with BOM. */
export function tallyCsv(data: TallyExport, level: TallyLevel, locale: Locale): string {
  const l = LABELS[locale];
  const number = (row: TallyRow, c: NumberColumn) => (c === 'percentDone' ? row.percentDone.toFixed(1).replace('.', locale === 'id' ? ',' : '.') : String(row[c]));
  const fields = [...leadColumns(level, locale), ...NUMBER_COLUMNS.map((c) => l[c])];
  const body = rowsOf(data, level).map(({ lead, row }) => [...lead, ...NUMBER_COLUMNS.map((c) => number(row, c))]);
  const padding = leadColumns(level, locale).slice(1).map(() => '');
  body.push([l.total, ...padding, ...NUMBER_COLUMNS.map((c) => number(data.office, c))]);
  // NPSN (second column per school) kept whole in Excel: exports/csv.ts.
  return spreadsheetCsv(fields, body, { delimiter: locale === 'id' ? ';' : ',', identifierColumns: new Set(level === 'SCHOOL' ? [1] : []) });
}

/** XLSX with both levels, a title block, a bold filled header, frozen panes, filters and a totals row of formulas. */
export async function tallyXlsx(data: TallyExport, locale: Locale): Promise<Buffer> {
  const l = LABELS[locale];
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Jemput';
  for (const level of ['SCHOOL', 'DISTRICT'] as const) {
    const sheet = workbook.addWorksheet(level === 'SCHOOL' ? l.bySchool : l.byDistrict);
    const lead = leadColumns(level, locale);
    const headers = [...lead, ...NUMBER_COLUMNS.map((c) => l[c])];
    sheet.addRow([`${l.title} — ${data.driveName}`]).font = { bold: true, size: 14 };
    sheet.addRow([`${l.election}: ${formatDateId(data.electionDate)} · ${l.asOf}: ${formatDateId(data.today)}`]);
    sheet.addRow([]);
    const header = sheet.addRow(headers);
    header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
    header.alignment = { vertical: 'middle', wrapText: true };
    header.height = 30;
    header.eachCell((cell) => {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E79' } };
      cell.border = { bottom: { style: 'thin' } };
    });
    const first = sheet.rowCount + 1;
    for (const { lead: values, row } of rowsOf(data, level)) {
      sheet.addRow([...values, ...NUMBER_COLUMNS.map((c) => (c === 'percentDone' ? row.percentDone / 100 : row[c]))]);
    }
    const last = sheet.rowCount;
    const totals = sheet.addRow([l.total, ...lead.slice(1).map(() => null)]);
    NUMBER_COLUMNS.forEach((c, i) => {
      const column = lead.length + i + 1;
      const letter = sheet.getColumn(column).letter;
      const eligible = sheet.getColumn(lead.length + 1).letter;
      const recorded = sheet.getColumn(lead.length + 2).letter;
      const o = data.office;
      const formula =
        c === 'percentDone'
          ? `IF(SUM(${eligible}${first}:${eligible}${last})=0,0,SUM(${recorded}${first}:${recorded}${last})/SUM(${eligible}${first}:${eligible}${last}))`
          : `SUM(${letter}${first}:${letter}${last})`;
      totals.getCell(column).value = { formula, result: c === 'percentDone' ? o.percentDone / 100 : o[c] };
    });
    totals.font = { bold: true };
    totals.eachCell((cell) => (cell.border = { top: { style: 'thin' } }));
    lead.forEach((_, i) => (sheet.getColumn(i + 1).width = i === lead.length - 1 && level === 'SCHOOL' ? 36 : 18));
    NUMBER_COLUMNS.forEach((c, i) => {
      const column = sheet.getColumn(lead.length + i + 1);
      column.width = 14;
      column.numFmt = c === 'percentDone' ? '0.0%' : '#,##0';
    });
    sheet.views = [{ state: 'frozen', ySplit: 4, xSplit: lead.length }];
    sheet.autoFilter = { from: { row: 4, column: 1 }, to: { row: 4, column: headers.length } };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
