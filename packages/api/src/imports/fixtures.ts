// Dapodik-like student lists for tests and `pnpm bench:import`, written the way real exports
// look: a title block, a two-row header with merged cells and parent blocks (Data Ayah/Ibu),
// data from row 7, dozens of columns the import ignores. Options add the damage real files
// carry: shuffled columns, dates as Excel serials, NIKs stored as numbers, BOMs, semicolons,
// blank and repeated header lines.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { composeNik, type IsoDate } from '@jemput/core';

export type FixtureStudent = {
  name: string;
  nisn: string;
  nik: string;
  sex: 'L' | 'P';
  birthPlace: string;
  birthDate: IsoDate;
  className: string;
  npsn: string;
  familyCard: string;
};

const FIRST = ['Ahmad', 'Budi', 'Citra', 'Dewi', 'Eko', 'Fitri', 'Gilang', 'Hana', 'Indra', 'Joko', 'Kartika', 'Lestari', 'Muhammad', 'Nur', 'Putri', 'Rizki', 'Sari', 'Teguh', 'Umi', 'Wahyu'];
const LAST = ['Saputra', 'Wulandari', 'Pratama', 'Hidayat', 'Lestari', 'Santoso', 'Rahmawati', 'Setiawan', 'Kurniawan', 'Anggraini', 'Nugroho', 'Maharani'];
const PLACES = ['Malang', 'Surabaya', 'Batu', 'Blitar', 'Kediri', 'Pasuruan'];
const DISTRICTS = ['357301', '357302', '357303', '357304', '357305'];

/** Deterministic students: unique valid NIKs that agree with birth date and sex, unique NISNs. */
export function fixtureStudents(count: number, options: { npsns?: string[]; seed?: number } = {}): FixtureStudent[] {
  const npsns = options.npsns ?? ['20533701'];
  const seed = options.seed ?? 1;
  const out: FixtureStudent[] = [];
  for (let i = 0; i < count; i++) {
    const k = i + seed * 7919;
    const sex = k % 2 === 0 ? 'L' : 'P';
    const year = 2006 + (Math.floor(k / 5) % 3);
    const month = 1 + (k % 12);
    const day = 1 + (k % 28);
    const birthDate = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const district = DISTRICTS[k % DISTRICTS.length] as string;
    // District, birth date and sex repeat every 420 students: the serial counts those cycles, so
    // NIKs stay unique (as in a real list) up to 4 million students.
    const nik = composeNik({ districtCode: district, birthDate, sex, serial: 1 + (Math.floor(k / 420) % 9999) });
    out.push({
      name: `${FIRST[k % FIRST.length]} ${LAST[Math.floor(k / FIRST.length) % LAST.length]} ${i + 1}`,
      nisn: String(6_000_000 + seed * 1_000_000 + i).padStart(10, '0'),
      nik,
      sex,
      birthPlace: PLACES[k % PLACES.length] as string,
      birthDate,
      className: `XII ${['IPA', 'IPS', 'Bahasa'][k % 3]} ${1 + (k % 4)}`,
      npsn: npsns[i % npsns.length] as string,
      familyCard: `${district}${String(100000 + (k % 899999)).padStart(6, '0')}${String(1 + (k % 9000)).padStart(4, '0')}`,
    });
  }
  return out;
}

type Column = { header: string; value: (s: FixtureStudent, i: number) => string | number | null };
type Group = { group: string; columns: Column[] };

/** The columns of a Dapodik "Daftar Peserta Didik" export (a subset of the ~65 real ones). */
function dapodikColumns(options: WriteOptions): (Column | Group)[] {
  const date = (s: FixtureStudent) => (options.serialDates ? isoToSerial(s.birthDate) : s.birthDate);
  const nik = (s: FixtureStudent) => (options.nikAsNumber ? Number(s.nik) : s.nik);
  const columns: (Column | Group)[] = [
    { header: 'No', value: (_s, i) => i + 1 },
    { header: 'Nama', value: (s) => s.name },
    { header: 'NIPD', value: (_s, i) => String(2200 + i) },
    { header: 'JK', value: (s) => s.sex },
    { header: 'NISN', value: (s) => (options.nisnAsNumber ? Number(s.nisn) : s.nisn) },
    { header: 'Tempat Lahir', value: (s) => s.birthPlace },
    { header: 'Tanggal Lahir', value: date },
    { header: 'NIK', value: nik },
    { header: 'Agama', value: () => 'Islam' },
    { header: 'Alamat', value: (_s, i) => `Jl. Ijen No. ${i % 200}${options.wide ? ' ' + 'RT/RW padat penduduk dekat pasar besar kota malang jawa timur'.repeat(options.wide) : ''}` },
    { header: 'RT', value: () => '3' },
    { header: 'RW', value: () => '5' },
    { header: 'Kelurahan', value: () => 'Oro-oro Dowo' },
    { header: 'Kecamatan', value: () => 'Klojen' },
    { header: 'Kode Pos', value: () => '65119' },
    { group: 'Data Ayah', columns: [
      { header: 'Nama', value: (s) => `Bapak ${s.name.split(' ')[1]}` },
      { header: 'Tahun Lahir', value: () => '1975' },
      { header: 'Pekerjaan', value: () => 'Wiraswasta' },
      { header: 'NIK', value: (s) => `${s.nik.slice(0, 6)}0101750001` },
    ] },
    { group: 'Data Ibu', columns: [
      { header: 'Nama', value: (s) => `Ibu ${s.name.split(' ')[1]}` },
      { header: 'Tahun Lahir', value: () => '1978' },
      { header: 'Pekerjaan', value: () => 'Mengurus Rumah Tangga' },
      { header: 'NIK', value: (s) => `${s.nik.slice(0, 6)}4101780001` },
    ] },
    { header: 'Rombel Saat Ini', value: (s) => s.className },
    { header: 'No KK', value: (s) => s.familyCard },
    { header: 'NPSN', value: (s) => s.npsn },
  ];
  return columns;
}

export type WriteOptions = {
  /** Column order shuffled (groups stay together, as Dapodik keeps them). */
  shuffle?: boolean;
  serialDates?: boolean;
  nikAsNumber?: boolean;
  nisnAsNumber?: boolean;
  /** Repeats a long address this many times, to make big files from fewer rows. */
  wide?: number;
  /** Header texts written instead of the usual ones, e.g. { 'Tanggal Lahir': 'Tgl Lhr Siswa' }. */
  rename?: Record<string, string>;
  /** Returns the NIK to write instead of the student's (e.g. to plant invalid NIKs). */
  nikOverride?: (index: number) => string | undefined;
};

export function isoToSerial(iso: IsoDate): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86_400_000);
}

function ordered(options: WriteOptions): (Column | Group)[] {
  const rename = (c: Column): Column => ({ ...c, header: options.rename?.[c.header] ?? c.header });
  const columns = dapodikColumns(options).map((c) => ('group' in c ? c : rename(c)));
  if (!options.shuffle) return columns;
  // A fixed permutation: deterministic, and Nama is no longer second.
  return columns.map((c, i) => ({ c, key: (i * 7 + 3) % 11 + i / 100 })).sort((a, b) => a.key - b.key).map((x) => x.c);
}

function flat(columns: (Column | Group)[]): Column[] {
  return columns.flatMap((c) => ('group' in c ? c.columns : [c]));
}

function rowValues(columns: Column[], student: FixtureStudent, index: number): (string | number | null)[] {
  return columns.map((c) => c.value(student, index));
}

/**
 * A Dapodik XLSX written with exceljs's streaming writer (so a 100,000-row file is cheap to
 * make): title block in rows 1–4 with merged cells, header rows 5–6 (merged vertically, parent
 * blocks merged across), data from row 7.
 */
export async function writeDapodikXlsx(path: string, students: FixtureStudent[], options: WriteOptions = {}): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Daftar Peserta Didik');
  const columns = ordered(options);
  const flatColumns = flat(columns);
  const width = flatColumns.length;
  // Rows stay uncommitted until the merges are declared (the streaming writer cannot merge committed rows).
  sheet.addRow(['Daftar Peserta Didik']);
  sheet.addRow(['SMA NEGERI 1 MALANG']);
  sheet.addRow(['Kecamatan Klojen, Kota Malang, Prov. Jawa Timur']);
  sheet.addRow(['Tanggal Unduh: 2024-09-01 10:15:00', null, null, 'Pengunduh: operator@sman1malang.sch.id']);
  const top: (string | null)[] = [];
  const sub: (string | null)[] = [];
  const merges: string[] = [];
  for (const column of columns) {
    const start = top.length + 1;
    if ('group' in column) {
      column.columns.forEach((c, i) => {
        top.push(i === 0 ? column.group : null);
        sub.push(c.header);
      });
      merges.push(`${colName(start)}5:${colName(start + column.columns.length - 1)}5`);
    } else {
      top.push(column.header);
      sub.push(null);
      merges.push(`${colName(start)}5:${colName(start)}6`);
    }
  }
  sheet.addRow(top);
  sheet.addRow(sub);
  merges.push(`A1:${colName(width)}1`, `A2:${colName(width)}2`);
  for (const range of merges) sheet.mergeCells(range);
  const nikColumn = flatColumns.findIndex((c) => c.header === 'NIK');
  students.forEach((student, index) => {
    const values = rowValues(flatColumns, student, index);
    const override = options.nikOverride?.(index);
    if (override !== undefined) values[nikColumn] = override;
    sheet.addRow(values).commit();
  });
  sheet.commit();
  await workbook.commit();
}

function colName(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

export type CsvOptions = WriteOptions & {
  delimiter?: ',' | ';';
  bom?: boolean;
  /** The header line again every N data rows (lists glued together). */
  repeatHeaderEvery?: number;
  /** A blank line every N data rows. */
  blankLineEvery?: number;
  /** Title lines above the header, as when someone saved the Dapodik sheet as CSV. */
  titleLines?: boolean;
};

/** The same list as a CSV, one header row ("Nama Ayah" style labels for the parent blocks). */
export async function writeDapodikCsv(path: string, students: FixtureStudent[], options: CsvOptions = {}): Promise<void> {
  const delimiter = options.delimiter ?? ',';
  const columns = ordered(options);
  const labels = columns.flatMap((c) => ('group' in c ? c.columns.map((x) => `${x.header} ${c.group.replace('Data ', '')}`) : [c.header]));
  const flatColumns = flat(columns);
  const nikColumn = flatColumns.findIndex((c) => c.header === 'NIK');
  const out = createWriteStream(path);
  const line = (values: (string | number | null)[]) => values.map((v) => csvCell(v, delimiter)).join(delimiter) + '\r\n';
  let buffer = options.bom ? '\uFEFF' : '';
  if (options.titleLines) buffer += `Daftar Peserta Didik\r\nSMA NEGERI 1 MALANG\r\n\r\n`;
  buffer += line(labels);
  for (let index = 0; index < students.length; index++) {
    if (options.repeatHeaderEvery && index > 0 && index % options.repeatHeaderEvery === 0) buffer += line(labels);
    if (options.blankLineEvery && index > 0 && index % options.blankLineEvery === 0) buffer += '\r\n';
    const values = rowValues(flatColumns, students[index] as FixtureStudent, index);
    const override = options.nikOverride?.(index);
    if (override !== undefined) values[nikColumn] = override;
    // A CSV saved from Excel shows a number-stored NIK the way Excel displays it.
    if (options.nikAsNumber) values[nikColumn] = Number(values[nikColumn]).toExponential(5).replace('e+', 'E+');
    buffer += line(values);
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

function csvCell(value: string | number | null, delimiter: string): string {
  if (value === null) return '';
  const text = String(value);
  return text.includes(delimiter) || text.includes('"') || text.includes('\n') ? `"${text.replace(/"/g, '""')}"` : text;
}
