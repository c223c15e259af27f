import { describe, expect, it } from 'vitest';
import { apiFilter } from './filters.ts';

describe('apiFilter', () => {
  it('maps text filters', () => {
    expect(apiFilter('text', { filterType: 'text', type: 'contains', filter: ' siti ' })).toEqual({ contains: 'siti' });
    expect(apiFilter('text', { filterType: 'text', type: 'startsWith', filter: 'XII' })).toEqual({ startsWith: 'XII' });
    expect(apiFilter('identifier', { filterType: 'text', type: 'equals', filter: '0012 3456' })).toEqual({ equals: '00123456' });
    expect(apiFilter('text', { filterType: 'text', type: 'blank' })).toEqual({ isNull: true });
    expect(apiFilter('text', { filterType: 'text', type: 'contains', filter: '' })).toBeUndefined();
  });

  it('maps sex and yes/no through the same words a paste accepts', () => {
    expect(apiFilter('sex', { filterType: 'text', type: 'equals', filter: 'perempuan' })).toEqual({ equals: 'P' });
    expect(apiFilter('sex', { filterType: 'text', type: 'equals', filter: '?' })).toBeUndefined();
    expect(apiFilter('boolean', { filterType: 'text', type: 'equals', filter: 'ya' })).toBe(true);
    expect(apiFilter('boolean', { filterType: 'text', type: 'equals', filter: 'tidak' })).toBe(false);
  });

  it('maps date filters to inclusive ranges', () => {
    expect(apiFilter('date', { filterType: 'date', type: 'equals', dateFrom: '2007-03-21 00:00:00' })).toEqual({ equals: '2007-03-21' });
    expect(apiFilter('date', { filterType: 'date', type: 'lessThan', dateFrom: '2007-03-01 00:00:00' })).toEqual({ lte: '2007-02-28' });
    expect(apiFilter('date', { filterType: 'date', type: 'greaterThan', dateFrom: '2007-12-31 00:00:00' })).toEqual({ gte: '2008-01-01' });
    expect(apiFilter('date', { filterType: 'date', type: 'inRange', dateFrom: '2008-01-01 00:00:00', dateTo: '2007-01-01 00:00:00' })).toEqual({ gte: '2007-01-01', lte: '2008-01-01' });
    expect(apiFilter('date', { filterType: 'date', type: 'equals', dateFrom: null })).toBeUndefined();
  });

  it('reads typed dates (dd/mm/yyyy) in the text filter of a date column', () => {
    expect(apiFilter('date', { filterType: 'text', type: 'equals', filter: '21/03/2007' })).toEqual({ equals: '2007-03-21' });
    expect(apiFilter('date', { filterType: 'text', type: 'lessThan', filter: '1/3/2007' })).toEqual({ lte: '2007-02-28' });
    expect(apiFilter('date', { filterType: 'text', type: 'greaterThan', filter: '2007-12-31' })).toEqual({ gte: '2008-01-01' });
    expect(apiFilter('date', { filterType: 'text', type: 'equals', filter: '31/02/2007' })).toBeUndefined();
  });
});

describe('choice and integer filters', () => {
  const statuses = [
    { value: 'NEGERI', label: 'Negeri' },
    { value: 'SWASTA', label: 'Swasta' },
  ];
  it('turns typed text into the values whose names fit', () => {
    expect(apiFilter('choice', { type: 'contains', filter: 'neg' }, statuses)).toEqual({ in: ['NEGERI'] });
    expect(apiFilter('choice', { type: 'contains', filter: 'a' }, statuses)).toEqual({ in: ['SWASTA'] });
    expect(apiFilter('choice', { type: 'equals', filter: 'swasta' }, statuses)).toEqual({ in: ['SWASTA'] });
    expect(apiFilter('choice', { type: 'contains', filter: 'xyz' }, statuses)).toEqual({ in: [] });
    expect(apiFilter('integer', { type: 'equals', filter: '3' })).toEqual({ equals: 3 });
  });
});
