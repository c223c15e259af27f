import { describe, expect, it } from 'vitest';
import { parseTsv, serializeTsv } from './tsv.ts';

describe('parseTsv', () => {
  it('reads Excel clipboard text: tabs, CRLF after every row including the last', () => {
    expect(parseTsv('Nama\tNISN\r\nSiti\t0012345678\r\n')).toEqual([
      ['Nama', 'NISN'],
      ['Siti', '0012345678'],
    ]);
  });

  it('reads Google Sheets text: LF between rows, no trailing newline', () => {
    expect(parseTsv('a\tb\nc\td')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('keeps empty cells, including trailing ones and empty rows in the middle', () => {
    expect(parseTsv('a\t\t\r\n\r\n\tb\r\n')).toEqual([['a', '', ''], [''], ['', 'b']]);
  });

  it('a single empty cell copied from Excel is one empty cell', () => {
    expect(parseTsv('\r\n')).toEqual([['']]);
    expect(parseTsv('')).toEqual([]);
  });

  it('handles tabs, line breaks and doubled quotes inside a quoted cell', () => {
    expect(parseTsv('"Jl. Ijen\r\nNo. 5"\t"a\tb"\t"say ""hi"""\r\nx\ty\tz\r\n')).toEqual([
      ['Jl. Ijen\r\nNo. 5', 'a\tb', 'say "hi"'],
      ['x', 'y', 'z'],
    ]);
  });

  it('treats a quote inside an unquoted cell as a character', () => {
    expect(parseTsv('5" disk\tit"s')).toEqual([['5" disk', 'it"s']]);
  });

  it('keeps text after a closing quote (malformed input) instead of losing it', () => {
    expect(parseTsv('"ab"cd\te')).toEqual([['abcd', 'e']]);
  });

  it('accepts an unterminated quote at the end', () => {
    expect(parseTsv('"abc')).toEqual([['abc']]);
  });

  it('accepts a lone CR as a line break', () => {
    expect(parseTsv('a\rb\r')).toEqual([['a'], ['b']]);
  });

  it('keeps leading zeros and spaces exactly', () => {
    expect(parseTsv(' 0012 \t007\n')).toEqual([[' 0012 ', '007']]);
  });
});

describe('serializeTsv', () => {
  it('writes rows like Excel: tabs, CRLF after every row', () => {
    expect(serializeTsv([['a', 'b'], ['', 'd']])).toBe('a\tb\r\n\td\r\n');
  });

  it('quotes only cells holding a tab, line break or quote, doubling quotes', () => {
    expect(serializeTsv([['plain', 'a\tb', 'line\nbreak', 'say "hi"']])).toBe('plain\t"a\tb"\t"line\nbreak"\t"say ""hi"""\r\n');
  });

  it('round-trips awkward cells', () => {
    const rows = [
      ['"', '""', '\t', '\r\n', ''],
      ['Siti Nur\'aini', '3573014507070001', '21/03/2007', 'x"y', ' lead'],
    ];
    expect(parseTsv(serializeTsv(rows))).toEqual(rows);
  });
});
