import { describe, expect, it } from 'vitest';
import { cellText, formatCell, parseCell } from './columns.ts';

describe('parseCell', () => {
  it('reads dates in every form a sheet gives them (core parseDateInput)', () => {
    expect(parseCell('date', '21/03/2007')).toEqual({ ok: true, value: '2007-03-21' });
    expect(parseCell('date', '2007-03-21')).toEqual({ ok: true, value: '2007-03-21' });
    expect(parseCell('date', '1-3-2007')).toEqual({ ok: true, value: '2007-03-01' });
    expect(parseCell('date', '39162')).toEqual({ ok: true, value: '2007-03-21' });
    expect(parseCell('date', ' ')).toEqual({ ok: true, value: null });
    expect(parseCell('date', '31/02/2007')).toEqual({ ok: false, code: 'INVALID_DATE' });
    expect(parseCell('date', '21/03/07')).toEqual({ ok: false, code: 'INVALID_DATE' });
  });

  it('reads L/P and the words Dapodik and people use for sex', () => {
    expect(parseCell('sex', 'L')).toEqual({ ok: true, value: 'L' });
    expect(parseCell('sex', 'p')).toEqual({ ok: true, value: 'P' });
    expect(parseCell('sex', 'Laki-laki')).toEqual({ ok: true, value: 'L' });
    expect(parseCell('sex', 'Perempuan')).toEqual({ ok: true, value: 'P' });
    expect(parseCell('sex', 'X')).toEqual({ ok: false, code: 'INVALID_ENUM' });
    expect(parseCell('sex', '')).toEqual({ ok: true, value: null });
  });

  it('reads yes/no in Indonesian and English; blank is no', () => {
    expect(parseCell('boolean', 'Ya')).toEqual({ ok: true, value: true });
    expect(parseCell('boolean', 'TRUE')).toEqual({ ok: true, value: true });
    expect(parseCell('boolean', 'tidak')).toEqual({ ok: true, value: false });
    expect(parseCell('boolean', '')).toEqual({ ok: true, value: false });
    expect(parseCell('boolean', 'mungkin')).toEqual({ ok: false, code: 'INVALID_VALUE' });
  });

  it('keeps identifiers as text with their leading zeros, without spaces and dots', () => {
    expect(parseCell('identifier', ' 0012 345.678 ')).toEqual({ ok: true, value: '0012345678' });
    expect(parseCell('identifier', '')).toEqual({ ok: true, value: null });
  });

  it('trims text and folds inner whitespace; blank clears', () => {
    expect(parseCell('text', '  Siti   Nur  ')).toEqual({ ok: true, value: 'Siti Nur' });
    expect(parseCell('text', '   ')).toEqual({ ok: true, value: null });
  });
});

describe('formatCell', () => {
  it('shows dates as dd/mm/yyyy and yes/no in the chosen language', () => {
    expect(formatCell('date', '2007-03-21', 'id')).toBe('21/03/2007');
    expect(formatCell('boolean', true, 'id')).toBe('Ya');
    expect(formatCell('boolean', false, 'en')).toBe('No');
    expect(formatCell('text', null, 'id')).toBe('');
  });

  it('uses a display function for related columns', () => {
    expect(cellText({ field: 'school', kind: 'text', editable: false, display: (r) => (r.school as { name: string }).name }, { school: { name: 'SMAN 1' } }, 'id')).toBe('SMAN 1');
  });

  it('formatted text parses back to the same value', () => {
    for (const [kind, value] of [['date', '2008-02-29'], ['boolean', true], ['boolean', false], ['sex', 'P'], ['identifier', '0012345678']] as const) {
      expect(parseCell(kind, formatCell(kind, value, 'id'))).toEqual({ ok: true, value });
    }
  });
});

describe('integer, time and choice columns', () => {
  const districts = [
    { value: '35.73.01', label: 'Blimbing' },
    { value: '35.73.05', label: 'Lowokwaru' },
  ];
  const levels = [
    { value: 'SMA', label: 'SMA' },
    { value: 'OTHER', label: 'Lainnya', match: ['Other'] },
  ];

  it('reads whole numbers, with Indonesian thousands dots and a trailing word', () => {
    expect(parseCell('integer', '3')).toEqual({ ok: true, value: 3 });
    expect(parseCell('integer', '2 alat')).toEqual({ ok: true, value: 2 });
    expect(parseCell('integer', '1.000')).toEqual({ ok: true, value: 1000 });
    expect(parseCell('integer', '')).toEqual({ ok: true, value: null });
    expect(parseCell('integer', '2,5')).toEqual({ ok: false, code: 'NOT_INTEGER' });
    expect(parseCell('integer', 'dua')).toEqual({ ok: false, code: 'NOT_INTEGER' });
  });

  it('reads times as people type them', () => {
    expect(parseCell('time', '8:00')).toEqual({ ok: true, value: '08:00' });
    expect(parseCell('time', '13.30')).toEqual({ ok: true, value: '13:30' });
    expect(parseCell('time', '0745')).toEqual({ ok: true, value: '07:45' });
    expect(parseCell('time', '9')).toEqual({ ok: true, value: '09:00' });
    expect(parseCell('time', '25:00')).toEqual({ ok: false, code: 'INVALID_TIME' });
    expect(parseCell('time', 'pagi')).toEqual({ ok: false, code: 'INVALID_TIME' });
  });

  it('reads a choice by its value, its label or another spelling, and shows its label', () => {
    expect(parseCell('choice', 'lowokwaru', districts)).toEqual({ ok: true, value: '35.73.05' });
    expect(parseCell('choice', '357301', districts)).toEqual({ ok: true, value: '35.73.01' });
    expect(parseCell('choice', ' other ', levels)).toEqual({ ok: true, value: 'OTHER' });
    expect(parseCell('choice', 'Klojen', districts)).toEqual({ ok: false, code: 'INVALID_ENUM' });
    expect(parseCell('choice', '', districts)).toEqual({ ok: true, value: null });
    expect(formatCell('choice', '35.73.05', 'id', districts)).toBe('Lowokwaru');
    expect(formatCell('choice', 'OTHER', 'id', levels)).toBe('Lainnya');
    expect(cellText({ field: 'districtCode', kind: 'choice', editable: true, choices: () => districts }, { districtCode: '35.73.01' }, 'id')).toBe('Blimbing');
  });
});
