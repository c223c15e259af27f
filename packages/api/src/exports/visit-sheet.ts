// The paper backup of a visit: the school's students who are targets of the drive, one page
// per class, with boxes to tick (recorded, printed, IKD). Printable HTML (A4) and XLSX.
// NIKs are masked, as everywhere by default: the sheet identifies students by name and NISN.
import ExcelJS from 'exceljs';
import { formatDateId, maskNik, outcomeStatusLabel, sexLabel, voterCutoffDate, type IsoDate, type Locale, type OutcomeStatus } from '@jemput/core';
import type { Db } from '../db/client.ts';

export type VisitSheet = {
  schoolName: string;
  npsn: string;
  driveName: string;
  electionDate: IsoDate;
  date: IsoDate;
  team: string | null;
  classes: { className: string; students: { name: string; nisn: string | null; nikMasked: string | null; sex: 'L' | 'P'; birthDate: IsoDate; status: OutcomeStatus | null; printed: boolean; ikd: boolean }[] }[];
  count: number;
};

export async function loadVisitSheet(db: Db, visitId: string, officeId: string | null): Promise<VisitSheet | null> {
  const visit = await db.visit.findFirst({
    where: { id: visitId, ...(officeId ? { drive: { officeId } } : {}) },
    select: { date: true, team: true, driveId: true, schoolId: true, school: { select: { name: true, npsn: true } }, drive: { select: { name: true, electionDate: true } } },
  });
  if (!visit) return null;
  const students = await db.student.findMany({
    where: { schoolId: visit.schoolId, OR: [{ birthDate: { lte: voterCutoffDate(visit.drive.electionDate) } }, { married: true }] },
    select: { name: true, nisn: true, nik: true, sex: true, birthDate: true, className: true, outcomes: { where: { driveId: visit.driveId }, select: { status: true, printedAt: true, ikdActivatedAt: true } } },
    orderBy: [{ className: 'asc' }, { nameSearch: 'asc' }],
  });
  const classes = new Map<string, VisitSheet['classes'][number]>();
  for (const s of students) {
    const className = s.className ?? '—';
    const group = classes.get(className) ?? { className, students: [] };
    const outcome = s.outcomes[0];
    group.students.push({ name: s.name, nisn: s.nisn, nikMasked: s.nik ? maskNik(s.nik) : null, sex: s.sex, birthDate: s.birthDate, status: outcome?.status ?? null, printed: !!outcome?.printedAt, ikd: !!outcome?.ikdActivatedAt });
    classes.set(className, group);
  }
  return {
    schoolName: visit.school.name,
    npsn: visit.school.npsn,
    driveName: visit.drive.name,
    electionDate: visit.drive.electionDate,
    date: visit.date,
    team: visit.team,
    classes: [...classes.values()],
    count: students.length,
  };
}

const WORDS: Record<Locale, Record<string, string>> = {
  id: { title: 'Lembar kunjungan perekaman KTP-el', class: 'Kelas', visit: 'Tanggal kunjungan', team: 'Tim', no: 'No', name: 'Nama', sex: 'JK', birth: 'Tgl lahir', status: 'Status saat ini', recorded: 'Rekam', printed: 'Cetak', ikd: 'IKD', notes: 'Keterangan', students: 'siswa', empty: 'Tidak ada siswa sasaran di sekolah ini.' },
  en: { title: 'e-KTP recording visit sheet', class: 'Class', visit: 'Visit date', team: 'Team', no: 'No', name: 'Name', sex: 'Sex', birth: 'Birth date', status: 'Current status', recorded: 'Recorded', printed: 'Printed', ikd: 'IKD', notes: 'Notes', students: 'students', empty: 'No target students at this school.' },
};

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** A4 pages, one per class; the header repeats on every printed page of a long class. */
export function visitSheetHtml(sheet: VisitSheet, locale: Locale): string {
  const w = WORDS[locale];
  const box = (checked: boolean) => (checked ? '☑' : '☐');
  const pages = sheet.classes.map((group) => `
  <section class="page">
    <header>
      <h1>${escape(w.title!)}</h1>
      <p><strong>${escape(sheet.schoolName)}</strong> (NPSN ${escape(sheet.npsn)}) · ${escape(sheet.driveName)}</p>
      <p>${w.class}: <strong>${escape(group.className)}</strong> · ${w.visit}: ${formatDateId(sheet.date)}${sheet.team ? ` · ${w.team}: ${escape(sheet.team)}` : ''} · ${group.students.length} ${w.students}</p>
    </header>
    <table>
      <thead><tr><th>${w.no}</th><th>${w.name}</th><th>NISN</th><th>NIK</th><th>${w.sex}</th><th>${w.birth}</th><th>${w.status}</th><th>${w.recorded}</th><th>${w.printed}</th><th>${w.ikd}</th><th class="notes">${w.notes}</th></tr></thead>
      <tbody>${group.students
        .map(
          (s, i) =>
            `<tr><td>${i + 1}</td><td>${escape(s.name)}</td><td>${escape(s.nisn ?? '')}</td><td>${escape(s.nikMasked ?? '')}</td><td>${s.sex}</td><td>${formatDateId(s.birthDate)}</td><td>${s.status ? escape(outcomeStatusLabel(s.status, locale)) : ''}</td><td class="box">${box(s.status === 'RECORDED' || s.status === 'ALREADY_RECORDED')}</td><td class="box">${box(s.printed)}</td><td class="box">${box(s.ikd)}</td><td></td></tr>`,
        )
        .join('')}</tbody>
    </table>
  </section>`);
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<title>${escape(w.title!)} — ${escape(sheet.schoolName)} ${formatDateId(sheet.date)}</title>
<style>
  @page { size: A4 portrait; margin: 12mm; }
  body { font: 10pt/1.3 system-ui, sans-serif; color: #000; margin: 0; }
  .page { padding: 8mm; }
  h1 { font-size: 13pt; margin: 0 0 2mm; }
  header p { margin: 0 0 1mm; }
  table { width: 100%; border-collapse: collapse; margin-top: 3mm; }
  th, td { border: 0.5pt solid #444; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
  th { background: #e8e8e8; }
  td.box { text-align: center; font-size: 12pt; }
  th.notes { width: 25%; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  @media print {
    .page { padding: 0; break-after: page; }
    .page:last-child { break-after: auto; }
    th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  }
</style>
</head>
<body>${pages.join('') || `<section class="page"><h1>${escape(w.title!)}</h1><p>${escape(sheet.schoolName)}</p><p>${w.empty}</p></section>`}
</body>
</html>`;
}

/** One worksheet per class, set up to print on A4 with the header row repeated. */
export async function visitSheetXlsx(sheet: VisitSheet, locale: Locale): Promise<Buffer> {
  const w = WORDS[locale];
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Jemput';
  const used = new Set<string>();
  for (const group of sheet.classes.length ? sheet.classes : [{ className: '—', students: [] }]) {
    // Sheet names: at most 31 characters, no []:*?/\ and unique.
    let name = group.className.replace(/[[\]:*?/\\]/g, '-').slice(0, 28) || '—';
    for (let n = 2; used.has(name); n++) name = `${name.slice(0, 25)} (${n})`;
    used.add(name);
    const ws = workbook.addWorksheet(name, { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '4:4' } });
    ws.addRow([`${w.title} — ${sheet.schoolName} (NPSN ${sheet.npsn})`]).font = { bold: true, size: 13 };
    ws.addRow([`${w.class}: ${group.className} · ${w.visit}: ${formatDateId(sheet.date)}${sheet.team ? ` · ${w.team}: ${sheet.team}` : ''} · ${sheet.driveName}`]);
    ws.addRow([]);
    const header = ws.addRow([w.no, w.name, 'NISN', 'NIK', w.sex, w.birth, w.status, w.recorded, w.printed, w.ikd, w.notes]);
    header.font = { bold: true };
    header.eachCell((c) => (c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8E8E8' } }));
    group.students.forEach((s, i) => {
      ws.addRow([i + 1, s.name, s.nisn ?? '', s.nikMasked ?? '', sexLabel(s.sex, locale), formatDateId(s.birthDate), s.status ? outcomeStatusLabel(s.status, locale) : '', s.status === 'RECORDED' || s.status === 'ALREADY_RECORDED' ? '✓' : '', s.printed ? '✓' : '', s.ikd ? '✓' : '', '']);
    });
    [5, 32, 13, 20, 10, 12, 18, 8, 8, 8, 24].forEach((width, i) => (ws.getColumn(i + 1).width = width));
    ws.getColumn(3).numFmt = '@';
    ws.views = [{ state: 'frozen', ySplit: 4 }];
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
