// Large workbooks are read on a thread of their own: the rows must be exactly those the main
// thread reads, a damaged sheet must fail the same way, and a thread that dies mid-file must
// leave the rest to the main thread without losing or repeating a row.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureStudents, writeDapodikXlsx } from './fixtures.ts';
import { readRawRows, UnreadableFileError, type RawRow } from './read.ts';
import { readingThreadBatches, stopReadingThread, XLSX_THREAD_BATCH_ROWS } from './xlsx-thread.ts';

const dir = mkdtempSync(join(tmpdir(), 'jemput-xlsx-thread-'));
const all = async (rows: AsyncGenerator<RawRow>) => {
  const out: RawRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
};
const workbook = async (name: string, rows: number) => {
  const path = join(dir, name);
  await writeDapodikXlsx(path, fixtureStudents(rows, { npsns: ['20533701', '20533702'] }), { shuffle: true, serialDates: true, nikAsNumber: true });
  return path;
};

describe('XLSX reading thread', () => {
  it('reads on the thread exactly the rows (and bytes) the main thread reads', async () => {
    const path = await workbook('daftar.xlsx', 4500);
    const onMain = readRawRows(path, 'XLSX', { thread: false });
    const expected = await all(onMain.rows);
    const before = readingThreadBatches();
    const onThread = readRawRows(path, 'XLSX', { thread: true });
    expect(await all(onThread.rows)).toEqual(expected);
    // They came from the thread, in batches.
    expect(readingThreadBatches() - before).toBe(Math.ceil(expected.length / XLSX_THREAD_BATCH_ROWS));
    expect(onThread.bytesRead()).toBe(onMain.bytesRead());
    expect(onThread.bytesRead()).toBeGreaterThan(0);
  });

  it('stops reading when the reader leaves early, and reads the next file', async () => {
    const path = await workbook('early.xlsx', 3000);
    const stream = readRawRows(path, 'XLSX', { thread: true });
    let n = 0;
    for await (const _ of stream.rows) if (++n === 10) break;
    expect(await all(readRawRows(path, 'XLSX', { thread: true }).rows)).toEqual(await all(readRawRows(path, 'XLSX', { thread: false }).rows));
  });

  it('fails a damaged sheet with the same UnreadableFileError as the main thread', async () => {
    const path = await workbook('damaged.xlsx', 3000);
    const bytes = readFileSync(path);
    // Garbage in the middle of the compressed sheet (the largest part of the package).
    bytes.fill(0xff, bytes.length >> 2, (bytes.length >> 2) + 4096);
    const damaged = join(dir, 'damaged-2.xlsx');
    writeFileSync(damaged, bytes);
    const failure = (thread: boolean) => all(readRawRows(damaged, 'XLSX', { thread }).rows).then(() => null, (error: Error) => error);
    const onMain = await failure(false);
    const onThread = await failure(true);
    expect(onMain).toBeInstanceOf(UnreadableFileError);
    expect(onThread).toBeInstanceOf(UnreadableFileError);
    expect(onThread!.message).toBe(onMain!.message);
  });

  it('continues on the main thread after the rows delivered when the thread dies mid-file', async () => {
    const path = await workbook('lost.xlsx', 6000);
    const expected = await all(readRawRows(path, 'XLSX', { thread: false }).rows);
    const stream = readRawRows(path, 'XLSX', { thread: true });
    const got: RawRow[] = [];
    for await (const row of stream.rows) {
      got.push(row);
      if (got.length === XLSX_THREAD_BATCH_ROWS + 10) await stopReadingThread();
    }
    expect(got).toEqual(expected);
    // A new thread serves the next file.
    const before = readingThreadBatches();
    expect(await all(readRawRows(path, 'XLSX', { thread: true }).rows)).toEqual(expected);
    expect(readingThreadBatches()).toBeGreaterThan(before);
  });
});
