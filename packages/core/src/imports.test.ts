import { describe, expect, it } from 'vitest';
import { detectHeader, fieldForHeader, isBlankRow, isIdentifierLabel, isRepeatedHeader, missingImportFields, parseImportDate, parseImportIdentifier, parseImportSex, parseStudentRow, splitPlaceAndDate } from './imports.ts';

describe('header names', () => {
  it('matches Dapodik and EMIS variants whatever the case, spacing and punctuation', () => {
    expect(fieldForHeader('Nama', 'STUDENTS')).toBe('name');
    expect(fieldForHeader('NAMA SISWA', 'STUDENTS')).toBe('name');
    expect(fieldForHeader(' Tgl. Lahir ', 'STUDENTS')).toBe('birthDate');
    expect(fieldForHeader('TANGGAL_LAHIR', 'STUDENTS')).toBe('birthDate');
    expect(fieldForHeader('Tangal Lahir', 'STUDENTS')).toBe('birthDate');
    expect(fieldForHeader('L/P', 'STUDENTS')).toBe('sex');
    expect(fieldForHeader('Rombel Saat Ini', 'STUDENTS')).toBe('className');
    expect(fieldForHeader('No. KK', 'STUDENTS')).toBe('familyCardNumber');
    expect(fieldForHeader('Nama Ayah', 'STUDENTS')).toBeNull();
    expect(fieldForHeader('NIK Ibu', 'STUDENTS')).toBeNull();
    expect(fieldForHeader('Bentuk Pendidikan', 'SCHOOLS')).toBe('level');
  });

  it('finds a two-row header below a title block and names sub-headers by their group', () => {
    const rows = [
      { rowNumber: 1, cells: ['Daftar Peserta Didik'] },
      { rowNumber: 2, cells: ['SMA NEGERI 1 MALANG'] },
      { rowNumber: 4, cells: ['No', 'Nama', 'JK', 'NISN', 'Tanggal Lahir', 'Data Ayah', null, 'Rombel Saat Ini'] },
      { rowNumber: 5, cells: [null, null, null, null, null, 'Nama', 'NIK', null] },
      { rowNumber: 6, cells: [1, 'Siti', 'P', '0071234567', '2007-03-21', 'Budi', '3573010101750001', 'XII IPA 1'] },
    ];
    const layout = detectHeader(rows, 'STUDENTS');
    expect(layout?.headerRows).toEqual([4, 5]);
    expect(layout?.labels.slice(5, 7)).toEqual(['Data Ayah Nama', 'Data Ayah NIK']);
    expect(layout?.mapping).toEqual({ name: 1, sex: 2, nisn: 3, birthDate: 4, className: 7 });
    expect(isRepeatedHeader(rows[2]!.cells, layout!)).toBe(true);
    expect(isRepeatedHeader(rows[4]!.cells, layout!)).toBe(false);
  });

  it('finds no header in prose', () => {
    expect(detectHeader([{ rowNumber: 1, cells: ['Dengan hormat,'] }, { rowNumber: 2, cells: ['terlampir'] }], 'STUDENTS')).toBeNull();
  });

  it('needs a name, sex, birth date and a school (column or chosen) for students', () => {
    expect(missingImportFields('STUDENTS', { name: 0 }, false)).toEqual(['sex', 'birthDate', 'npsn']);
    expect(missingImportFields('STUDENTS', { name: 0, sex: 1, birthPlaceAndDate: 2 }, true)).toEqual([]);
  });
});

describe('identifier columns and blank rows', () => {
  it('tells identifier columns (the student’s and the parents’) from others by their header', () => {
    for (const label of ['NIK', 'NISN', 'NPSN', 'NIPD', 'No KK', 'No. KK', 'Nomor KK', 'NIK Ayah', 'Data Ibu NIK', 'nik_siswa']) expect(isIdentifierLabel(label), label).toBe(true);
    for (const label of ['Nama', 'Nama Ayah', 'Tanggal Lahir', 'Kode Pos', 'Rombel Saat Ini', 'Kelurahan', 'Pekerjaan']) expect(isIdentifierLabel(label), label).toBe(false);
  });

  it('sees rows of empty or whitespace-only cells as blank, and any text as not', () => {
    expect(isBlankRow([null, '', '  ', '\u00a0', undefined])).toBe(true);
    expect(isBlankRow([null, 'x'])).toBe(false);
    expect(isBlankRow([' \u00a0 y', null])).toBe(false);
    expect(isBlankRow([0])).toBe(false);
  });
});

describe('values', () => {
  it('reads dates in every form Dapodik exports use', () => {
    expect(parseImportDate('2007-03-21')).toBe('2007-03-21');
    expect(parseImportDate('21/03/2007')).toBe('2007-03-21');
    expect(parseImportDate('21-03-2007')).toBe('2007-03-21');
    expect(parseImportDate(39162)).toBe('2007-03-21');
    expect(parseImportDate('39162')).toBe('2007-03-21');
    expect(parseImportDate(new Date(Date.UTC(2007, 2, 21)))).toBe('2007-03-21');
    expect(parseImportDate('21 Maret 2007')).toBe('2007-03-21');
    expect(parseImportDate('31/02/2007')).toBeNull();
    expect(parseImportDate('03/21/07')).toBeNull();
  });

  it('reads L/P and the words for them', () => {
    expect(parseImportSex('l')).toBe('L');
    expect(parseImportSex('Laki-laki')).toBe('L');
    expect(parseImportSex('PEREMPUAN')).toBe('P');
    expect(parseImportSex('X')).toBeNull();
  });

  it('never stores a NIK Excel turned into a number, and says so without showing it whole', () => {
    const asNumber = parseImportIdentifier(3573014107070001, 'nik');
    expect(asNumber.value).toBeNull();
    expect(asNumber.issue).toMatchObject({ code: 'IMPORT_NUMBER_DIGITS_LOST', severity: 'warning' });
    expect(String(asNumber.issue?.params?.value)).not.toContain('3573014107070001');
    expect(parseImportIdentifier('3.57301E+15', 'nik')).toMatchObject({ value: null, issue: { code: 'IMPORT_NUMBER_DIGITS_LOST' } });
    expect(parseImportIdentifier("'3573014107070001", 'nik')).toEqual({ value: '3573014107070001', issue: null });
    // The ="…" form Jemput's own CSVs use to keep identifiers whole in Excel reads back as the bare value.
    expect(parseImportIdentifier('="3573014107070001"', 'nik')).toEqual({ value: '3573014107070001', issue: null });
    expect(parseImportIdentifier('="0071234567"', 'nisn')).toEqual({ value: '0071234567', issue: null });
    expect(parseImportIdentifier('3573 0141 0707 0001', 'nik')).toEqual({ value: '3573014107070001', issue: null });
  });

  it('restores the leading zeros of a NISN exactly, with a warning', () => {
    expect(parseImportIdentifier(71234567, 'nisn')).toMatchObject({ value: '0071234567', issue: { code: 'IMPORT_ZEROS_RESTORED' } });
    expect(parseImportIdentifier('71234567', 'nisn')).toMatchObject({ value: '0071234567', issue: { code: 'IMPORT_ZEROS_RESTORED' } });
    expect(parseImportIdentifier('0071234567', 'nisn')).toEqual({ value: '0071234567', issue: null });
  });

  it('splits "Tempat, Tanggal Lahir" and parses a student row through the mapping', () => {
    expect(splitPlaceAndDate('Kab. Malang, 21/03/2007')).toEqual({ birthPlace: 'Kab. Malang', birthDate: '21/03/2007' });
    const { row, issues } = parseStudentRow(['  Siti   Aminah ', 'p', 'Malang, 21-03-2007', 71234567], { name: 0, sex: 1, birthPlaceAndDate: 2, nisn: 3 });
    expect(row).toMatchObject({ name: 'Siti Aminah', sex: 'P', birthPlace: 'Malang', birthDate: '2007-03-21', nisn: '0071234567', nik: null });
    expect(issues.map((i) => i.code)).toEqual(['IMPORT_ZEROS_RESTORED']);
  });
});
