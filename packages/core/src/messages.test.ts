import { describe, expect, it } from 'vitest';
import { checkNik } from './identifiers.ts';
import {
  MESSAGE_CODES,
  fieldLabel,
  formatMessage,
  outcomeStatusLabel,
  phaseLabel,
  pickLocale,
  regionLevelLabel,
  sexLabel,
} from './messages.ts';
import type { Message } from './messages.ts';

const both = (msg: Message) => [formatMessage(msg, 'id'), formatMessage(msg, 'en')];

describe('formatMessage', () => {
  it('defaults to Indonesian', () => {
    expect(formatMessage({ code: 'ELIG_MARRIED' })).toBe('Sudah menikah');
  });

  it('writes NIK issues in plain Indonesian and English', () => {
    expect(both({ code: 'NIK_LENGTH', params: { length: 15 } })).toEqual([
      'NIK harus 16 digit angka (tertulis 15)',
      'NIK must be 16 digits (found 15)',
    ]);
    const [mismatch] = checkNik('3573016103070012', { birthDate: '2008-03-21', sex: 'P' });
    expect(mismatch && formatMessage(mismatch)).toBe(
      'Tanggal lahir di NIK (21/03/07) tidak sama dengan tanggal lahir siswa (21/03/2008)',
    );
    expect(formatMessage({ code: 'NIK_LOOKS_LIKE_KK', params: { nikDate: '15/03/12', birthDate: '2007-03-21' } })).toBe(
      'NIK ini mirip nomor KK: tanggal di dalamnya (15/03/12) bukan tanggal lahir siswa (21/03/2007)',
    );
    expect(formatMessage({ code: 'NIK_LOOKS_LIKE_KK', params: { matchesFamilyCard: 1 } })).toMatch(/^NIK ini sama dengan nomor KK/);
    expect(both({ code: 'NIK_SEX_MISMATCH', params: { nikSex: 'P', sex: 'L' } })).toEqual([
      'Menurut NIK pemiliknya perempuan (tanggal lahir ditambah 40), tetapi jenis kelamin siswa tercatat laki-laki',
      'The NIK belongs to a woman (birth day + 40), but the student is recorded as male',
    ]);
    expect(formatMessage({ code: 'NIK_REGION', params: { part: 'regency', code: '00' } })).toBe(
      'Kode kabupaten/kota di NIK (00) tidak valid',
    );
  });

  it('names levels and statuses in region and outcome messages', () => {
    expect(both({ code: 'REGION_LEVEL', params: { expected: 'DISTRICT', actual: 'REGENCY' } })).toEqual([
      'Harus kode kecamatan, bukan kode kabupaten/kota',
      'Must be a district code, not a regency/city code',
    ]);
    expect(formatMessage({ code: 'OUTCOME_TRANSITION', params: { from: 'RECORDED', to: 'ABSENT' } })).toBe(
      'Status tidak bisa diubah dari "Terekam" menjadi "Tidak hadir": siswa sudah terekam',
    );
    expect(formatMessage({ code: 'OUTCOME_TRANSITION', params: { from: 'RECORDED', to: '' } }, 'en')).toBe(
      'Status cannot change from "Recorded" to "No outcome yet": the student is already recorded',
    );
    expect(formatMessage({ code: 'OUTCOME_PRINT_TOO_YOUNG', params: { seventeenOn: '2025-01-03' } })).toBe(
      'KTP-el baru bisa dicetak saat siswa berumur 17 tahun atau sudah menikah (17 tahun pada 03/01/2025)',
    );
  });

  it('uses field labels in generic validation messages', () => {
    expect(both({ code: 'REQUIRED', params: { field: 'birthDate' } })).toEqual([
      'Tanggal lahir wajib diisi',
      'Birth date is required',
    ]);
    expect(formatMessage({ code: 'TOO_LONG', params: { field: 'name', max: 200 } })).toBe(
      'Nama terlalu panjang (maksimal 200 karakter)',
    );
    expect(formatMessage({ code: 'DUPLICATE', params: { field: 'nisn', value: '0071234567' } })).toBe(
      'NISN 0071234567 sudah terdaftar',
    );
    expect(both({ code: 'OUT_OF_RANGE', params: { field: 'kits', min: 1, max: 50 } })).toEqual([
      'Jumlah alat rekam harus antara 1 dan 50',
      'Recording kits must be between 1 and 50',
    ]);
    expect(formatMessage({ code: 'NOT_FOUND' })).toBe('Data tidak ditemukan');
    expect(formatMessage({ code: 'REQUIRED' })).toBe('Nilai ini wajib diisi');
    expect(formatMessage({ code: 'DATE_TOO_EARLY', params: { field: 'birthDate', min: '1900-01-01' } })).toBe(
      'Tanggal lahir tidak boleh sebelum 01/01/1900',
    );
  });

  it('returns unknown codes as they are', () => {
    expect(formatMessage({ code: 'SOMETHING_NEW' })).toBe('SOMETHING_NEW');
  });

  it('has a text in both languages for every code, with every param filled', () => {
    const params = {
      length: 15, part: 'province', code: '05', datePart: '320307', nikDate: '21/03/07', birthDate: '2007-03-21',
      nikSex: 'L', sex: 'P', province: '97', expected: 'VILLAGE', actual: 'DISTRICT', from: 'RECORDED', to: 'ABSENT',
      seventeenOn: '2025-01-03', age: 16, date: '2024-11-27', field: 'name', max: 200, min: 1, value: 'x',
      allowed: 'A, B', parent: '35.73.01',
    };
    for (const code of MESSAGE_CODES) {
      for (const locale of ['id', 'en'] as const) {
        const text = formatMessage({ code, params }, locale);
        expect(text, `${code} ${locale}`).not.toBe(code);
        expect(text, `${code} ${locale}`).not.toMatch(/undefined|NaN|\$\{|\d{4}-\d{2}-\d{2}/);
      }
    }
  });
});

describe('labels', () => {
  const fields = [
    'name', 'nik', 'nisn', 'npsn', 'birthDate', 'birthPlace', 'sex', 'className', 'married', 'schoolId', 'level',
    'status', 'districtCode', 'villageCode', 'address', 'contactName', 'contactPhone', 'electionDate', 'startDate',
    'endDate', 'date', 'startTime', 'endTime', 'kits', 'team', 'notes', 'printedAt', 'ikdActivatedAt', 'quantity', 'kind',
  ];

  it('labels every field in both languages', () => {
    for (const field of fields) {
      expect(fieldLabel(field, 'id'), field).toBeTruthy();
      expect(fieldLabel(field, 'en'), field).toBeTruthy();
    }
    expect(fieldLabel('birthDate')).toBe('Tanggal lahir');
    expect(fieldLabel('birthDate', 'en')).toBe('Birth date');
    expect(fieldLabel('unknownField')).toBe('unknownField');
  });

  it('labels statuses, phases, sexes and region levels', () => {
    expect(outcomeStatusLabel('ALREADY_RECORDED')).toBe('Sudah rekam di tempat lain');
    expect(outcomeStatusLabel(null, 'en')).toBe('No outcome yet');
    expect(phaseLabel('PRINTABLE')).toBe('Siap cetak');
    expect(sexLabel('P', 'en')).toBe('female');
    expect(regionLevelLabel('VILLAGE')).toBe('desa/kelurahan');
  });
});

describe('pickLocale', () => {
  it('defaults to Indonesian', () => {
    expect(pickLocale(null)).toBe('id');
    expect(pickLocale(undefined)).toBe('id');
    expect(pickLocale('')).toBe('id');
    expect(pickLocale('*')).toBe('id');
    expect(pickLocale('fr-FR, de;q=0.8')).toBe('id');
  });

  it('picks the best supported language by quality', () => {
    expect(pickLocale('en-US,en;q=0.9')).toBe('en');
    expect(pickLocale('EN-gb')).toBe('en');
    expect(pickLocale('id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7')).toBe('id');
    expect(pickLocale('en;q=0.5, id;q=0.8')).toBe('id');
    expect(pickLocale('fr-FR, en;q=0.8, id;q=0.5')).toBe('en');
    expect(pickLocale('id;q=0.8, en;q=0.8')).toBe('id'); // equal quality: header order
    expect(pickLocale('en;q=0.8, id;q=0.8')).toBe('en');
  });

  it('understands the old code "in" and refuses q=0', () => {
    expect(pickLocale('in-ID')).toBe('id');
    expect(pickLocale('en;q=0')).toBe('id');
    expect(pickLocale('en;q=0, id;q=0')).toBe('id');
  });
});
