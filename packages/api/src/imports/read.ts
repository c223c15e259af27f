// Reading an uploaded list as a stream of rows: XLSX with a lean streaming reader (xlsx-fast.ts;
// exceljs's streaming reader for packages it does not know), on a thread of its own for a large
// workbook (xlsx-thread.ts), CSV with papaparse on pieces of
// whole records (delimiter guessed, BOM dropped). Neither holds the file in memory: rows
// are produced as the bytes are read, so a 60 MB list costs a few MB of memory.
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { Transform } from 'node:stream';
import ExcelJS from 'exceljs';
import { fastXlsxRows } from './xlsx-fast.ts';
import { threadXlsxRows } from './xlsx-thread.ts';
import Papa from 'papaparse';
import { detectHeader, HEADER_SEARCH_ROWS, isBlankRow, isRepeatedHeader, type CellValue, type HeaderLayout, type ImportKind } from '@jemput/core';

export type FileFormat = 'XLSX' | 'CSV';
export type RawRow = { rowNumber: number; cells: CellValue[] };

/** Why a file cannot be read, with a detail an officer can act on. */
export class UnreadableFileError extends Error {}

/**
 * Tells the format from the first bytes, never from the name: a ZIP is an XLSX, text is CSV.
 * Old binary .xls and anything else are refused with a reason.
 */
export function sniffFormat(path: string): FileFormat {
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(4096);
  const length = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const bytes = head.subarray(0, length);
  if (length === 0) throw new UnreadableFileError('berkas kosong / empty file');
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'XLSX';
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw new UnreadableFileError('format .xls lama; simpan ulang sebagai .xlsx / old .xls format, save it as .xlsx');
  }
  if (bytes.includes(0)) throw new UnreadableFileError('bukan teks atau spreadsheet / not text or a spreadsheet');
  return 'CSV';
}

/** Counts bytes as they pass, for a progress bar before the number of rows is known. */
class ByteCounter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: () => void) {
    this.bytes += chunk.length;
    this.push(chunk);
    callback();
  }
}

export type RowStream = { rows: AsyncGenerator<RawRow>; bytesRead(): number };

/** Workbooks from this size on are read on the reading thread (xlsx-thread.ts); a smaller one takes well under a second anyway. */
export const XLSX_THREAD_MIN_BYTES = 1 << 20;

/**
 * Every row of the first worksheet or of the CSV, blank ones included, with its 1-based row
 * number. `thread`: read a workbook on the reading thread (default: from XLSX_THREAD_MIN_BYTES on).
 */
export function readRawRows(path: string, format: FileFormat, options: { thread?: boolean } = {}): RowStream {
  if (format === 'XLSX') {
    if (!(options.thread ?? statSync(path).size >= XLSX_THREAD_MIN_BYTES)) return mainXlsxRows(path);
    const stream = threadXlsxRows(path, () => mainXlsxRows(path));
    return { rows: unreadableOnError(stream.rows), bytesRead: stream.bytesRead };
  }
  const counter = new ByteCounter();
  createReadStream(path, { highWaterMark: 256 * 1024 }).on('error', (e) => counter.destroy(e)).pipe(counter);
  return { rows: csvRows(counter), bytesRead: () => counter.bytes };
}

/** A workbook's rows read on this thread: the lean reader (xlsx-fast.ts) when it knows the package, exceljs's otherwise. */
function mainXlsxRows(path: string): RowStream {
  const fast = fastXlsxRows(path);
  if (fast) return { rows: unreadableOnError(fast.rows), bytesRead: fast.bytesRead };
  return exceljsRows(path);
}

/** The first worksheet's rows through exceljs's streaming reader. */
export function exceljsRows(path: string): RowStream {
  const counter = new ByteCounter();
  createReadStream(path, { highWaterMark: 256 * 1024 }).on('error', (e) => counter.destroy(e)).pipe(counter);
  return { rows: xlsxRows(counter), bytesRead: () => counter.bytes };
}

async function* xlsxRows(input: NodeJS.ReadableStream): AsyncGenerator<RawRow> {
  // Styles are ignored (faster): date cells then arrive as Excel serials, which the date rules read.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input as never, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit', entries: 'emit' });
  try {
    for await (const worksheet of reader) {
      for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as unknown[];
        const cells: CellValue[] = [];
        // exceljs rows are 1-based sparse arrays.
        for (let c = 1; c < values.length; c++) cells.push(excelValue(values[c]));
        yield { rowNumber: row.number, cells };
      }
      return; // the first worksheet is the list
    }
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    throw new UnreadableFileError((error as Error).message.slice(0, 200));
  }
}

async function* unreadableOnError(rows: AsyncGenerator<RawRow>): AsyncGenerator<RawRow> {
  try {
    yield* rows;
  } catch (error) {
    throw new UnreadableFileError((error as Error).message.slice(0, 200));
  }
}

function excelValue(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
  if (v.richText) return v.richText.map((r) => r.text).join('');
  if ('result' in v) return excelValue(v.result);
  if (v.text !== undefined) return excelValue(v.text);
  if (v.error) return null;
  return String(value);
}

async function* csvRows(input: NodeJS.ReadableStream): AsyncGenerator<RawRow> {
  // papaparse's own stream mode pushes every record through an object-mode stream, which cost
  // more than the parsing itself: instead the text is cut into pieces of whole records and each
  // piece is parsed at once. The delimiter and line break are guessed on the first piece only.
  const decoder = new TextDecoder('utf-8'); // drops a BOM
  let pending = '';
  let delimiter: string | undefined;
  let newline: '\r\n' | '\n' | '\r' | undefined;
  let rowNumber = 0;
  const parse = (text: string): string[][] => {
    const result = Papa.parse<string[]>(text, { newline, ...(delimiter ? { delimiter } : { delimitersToGuess: [';', ',', '\t', '|'] }) } as Papa.ParseConfig);
    delimiter ??= result.meta.delimiter;
    return result.data;
  };
  const records = function* (text: string) {
    for (const record of parse(text)) {
      rowNumber++;
      const cells: RawRow['cells'] = new Array(record.length);
      for (let i = 0; i < record.length; i++) cells[i] = record[i] === '' ? null : record[i];
      yield { rowNumber, cells };
    }
  };
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      pending += decoder.decode(chunk, { stream: true });
      newline ??= lineBreakOf(pending);
      const end = newline ? lastRecordEnd(pending, newline) : -1;
      if (end < 0) continue;
      const text = pending.slice(0, end);
      pending = pending.slice(end + (newline as string).length);
      yield* records(text);
    }
    pending += decoder.decode();
    newline ??= lineBreakOf(pending) ?? '\n';
    if (pending.endsWith(newline)) pending = pending.slice(0, -newline.length);
    if (pending !== '') yield* records(pending);
  } catch (error) {
    throw new UnreadableFileError((error as Error).message.slice(0, 200));
  }
}

/** The file's line break, from its first one. */
function lineBreakOf(text: string): '\r\n' | '\n' | '\r' | undefined {
  const n = text.indexOf('\n');
  const r = text.indexOf('\r');
  if (n < 0) return r >= 0 && r < text.length - 1 ? '\r' : undefined;
  return r >= 0 && r < n ? (r === n - 1 ? '\r\n' : '\r') : '\n';
}

/** Index of the last line break outside quotes (where a piece of whole records ends), or -1. */
export function lastRecordEnd(text: string, newline: string): number {
  const last = text.lastIndexOf(newline);
  if (last < 0) return -1;
  const firstQuote = text.indexOf('"');
  if (firstQuote < 0 || firstQuote > last) return last;
  // Quotes: a break counts only where an even number of quotes precede it ("" escapes pair up).
  const first = newline.charCodeAt(0);
  let quotes = 0;
  let end = -1;
  for (let i = 0; i <= last; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quotes++;
    else if (c === first && (quotes & 1) === 0 && text.startsWith(newline, i)) end = i;
  }
  return end;
}

export type DataRow = RawRow & {
  /** 0-based position among the data rows (blank lines and repeated headers not counted): where a resume restarts. */
  index: number;
};

export type Table = {
  layout: HeaderLayout;
  rows: AsyncGenerator<DataRow>;
  bytesRead(): number;
};

/**
 * The list's header (found among the first rows) and its data rows after it. Blank rows and
 * header lines repeated inside the data are skipped. Null layout when no header is found.
 */
export async function openTable(path: string, format: FileFormat, kind: ImportKind): Promise<Table | null> {
  const stream = readRawRows(path, format);
  const iterator = stream.rows;
  const head: RawRow[] = [];
  while (head.length < HEADER_SEARCH_ROWS) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(next.value);
  }
  const layout = detectHeader(head, kind);
  if (!layout) {
    await iterator.return(undefined);
    return null;
  }
  const lastHeaderRow = layout.headerRows[layout.headerRows.length - 1] as number;
  async function* dataRows(): AsyncGenerator<DataRow> {
    let index = 0;
    const consider = (row: RawRow): DataRow | null => {
      if (row.rowNumber <= lastHeaderRow || isBlankRow(row.cells) || isRepeatedHeader(row.cells, layout as HeaderLayout)) return null;
      return { ...row, index: index++ };
    };
    for (const row of head) {
      const data = consider(row);
      if (data) yield data;
    }
    for await (const row of iterator) {
      const data = consider(row);
      if (data) yield data;
    }
  }
  return { layout, rows: dataRows(), bytesRead: stream.bytesRead };
}
