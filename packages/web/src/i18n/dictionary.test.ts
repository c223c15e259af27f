import { describe, expect, it } from 'vitest';
import { DICTIONARIES, formatNumber, formatPercent, translate } from './dictionary.ts';

describe('i18n dictionary', () => {
  it('has every key in both languages, none empty', () => {
    expect(Object.keys(DICTIONARIES.en).sort()).toEqual(Object.keys(DICTIONARIES.id).sort());
    for (const dict of Object.values(DICTIONARIES)) for (const text of Object.values(dict)) expect(text.trim()).not.toBe('');
  });

  it('uses the same placeholders in both languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(DICTIONARIES.id) as (keyof typeof DICTIONARIES.id)[]) {
      expect(names(DICTIONARIES.en[key]), key).toEqual(names(DICTIONARIES.id[key]));
    }
  });

  it('fills placeholders, numbers with the locale separators', () => {
    expect(translate('id', 'students.count', { count: 12000 })).toBe('12.000 siswa');
    expect(translate('en', 'students.count', { count: 12000 })).toBe('12,000 students');
    expect(translate('id', 'update.available')).toBe('Versi baru tersedia — muat ulang');
  });

  it('formats numbers and percentages the Indonesian way', () => {
    expect(formatNumber('id', 1234567.5)).toBe('1.234.567,5');
    expect(formatPercent('id', 0.4532)).toBe('45,3%');
    expect(formatPercent('en', 0.4532)).toBe('45.3%');
  });
});
