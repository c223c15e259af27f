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
