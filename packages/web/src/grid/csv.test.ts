import { describe, expect, it } from 'vitest';
import { buildCsv, csvFileName, csvLines, type CsvColumn } from './csv.ts';

const columns: CsvColumn[] = [
  { field: 'name', kind: 'text', editable: true, header: () => 'Nama' },
  { field: 'nisn', kind: 'identifier', editable: true, header: () => 'NISN' },
  { field: 'birthDate', kind: 'date', editable: true, header: () => 'Tanggal lahir' },
  { field: 'married', kind: 'boolean', editable: true, header: () => 'Menikah' },
  { field: 'school', kind: 'text', editable: false, header: () => 'Sekolah', display: (r) => (r.school as { name: string }).name },
];

describe('CSV export', () => {
  it('writes ; separated lines with dd/mm/yyyy dates, quoted where Excel needs it, identifiers kept as text', () => {
    const rows = [
      { name: 'Siti "Ani" Rahma', nisn: '0071234567', birthDate: '2007-03-21', married: false, school: { name: 'SMA Negeri 1; Malang' } },
      { name: '=HYPERLINK("x")', nisn: null, birthDate: null, married: true, school: { name: 'MA Al-Ma\'arif' } },
    ];
    expect(csvLines(columns, rows, 'id', true)).toBe(
      'Nama;NISN;Tanggal lahir;Menikah;Sekolah\r\n' +
        '"Siti ""Ani"" Rahma";"=""0071234567""";21/03/2007;Tidak;"SMA Negeri 1; Malang"\r\n' +
        '"\'=HYPERLINK(""x"")";;;Ya;MA Al-Ma\'arif\r\n',
    );
  });

  it('starts the file with a UTF-8 BOM and one header, then every page', async () => {
    async function* pages() {
      yield [{ name: 'Ñoman', nisn: '1', birthDate: '2008-01-02', married: false, school: { name: 'A' } }];
      yield [{ name: 'Budi', nisn: '2', birthDate: '2008-01-03', married: false, school: { name: 'B' } }];
    }
    const blob = await buildCsv(columns, pages(), 'en');
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    expect(text.split('\r\n')).toEqual(['Nama;NISN;Tanggal lahir;Menikah;Sekolah', 'Ñoman;"=""1""";02/01/2008;No;A', 'Budi;"=""2""";03/01/2008;No;B', '']);
  });

  it('names the file after the screen and the day, dd-mm-yyyy', () => {
    expect(csvFileName('siswa', '2026-11-22')).toBe('siswa-22-11-2026.csv');
  });
});
