// XLSX rows read on a thread of their own: inflating and cutting up a large sheet's XML cost the
// main thread (which also records what the checking thread found, and writes) more than anything
// else in a validation. The rows arrive in batches, in file order, exactly as the lean reader
// (xlsx-fast.ts) produces them; the reading thread stays at most XLSX_THREAD_WINDOW batches
// ahead, so memory stays bounded whatever the file's size. A package the lean reader does not
// know, a thread that cannot start or one that dies is read on the main thread instead (after the
// rows already delivered): nothing is lost.
import type { Worker } from 'node:worker_threads';
import type { RawRow, RowStream } from './read.ts';
import { startTsWorker } from './ts-worker.ts';

/** Rows per message from the reading thread. */
export const XLSX_THREAD_BATCH_ROWS = 1000;
/** Batches the reading thread may send before the main thread has taken them. */
export const XLSX_THREAD_WINDOW = 4;

/** Messages to the reading thread (xlsx-read-worker.ts). */
export type ToReader = { type: 'open'; reader: number; path: string } | { type: 'more' | 'close'; reader: number };
/** Its messages: a batch of rows (with the sheet's bytes read so far), the end, a failure, or a package it leaves to the main thread. */
export type FromReader =
  | { reader: number; type: 'rows'; rows: RawRow[]; bytes: number }
  | { reader: number; type: 'end'; bytes: number }
  | { reader: number; type: 'error'; message: string }
  | { reader: number; type: 'unknown' }
  | { reader: number; type: 'lost' };

/**
 * The process's one reading thread, started by the first large workbook and kept for the next
 * (starting one costs ~0.2 s of CPU). It holds the process open only while it is reading.
 */
let thread: Worker | null = null;
const readers = new Map<number, (message: FromReader) => void>();
let nextReader = 0;
let batchesReceived = 0;

/** Batches of rows that came from the reading thread so far (tests). */
export function readingThreadBatches(): number {
  return batchesReceived;
}

/** Ends the reading thread (tests: what is being read then continues on the main thread). */
export async function stopReadingThread(): Promise<void> {
  await thread?.terminate();
}

function readThread(): Worker {
  if (thread) return thread;
  const worker = startTsWorker(new URL('./xlsx-read-worker.ts', import.meta.url));
  worker.unref();
  worker.on('message', (message: FromReader) => readers.get(message.reader)?.(message));
  const lost = (reason: string) => {
    if (thread !== worker) return;
    thread = null;
    if (readers.size) console.error(`Jemput: workbooks are read on the main thread (${reason})`);
    for (const [reader, deliver] of readers) deliver({ reader, type: 'lost' });
  };
  worker.on('error', (error) => lost(error.message));
  worker.on('exit', (code) => lost(`reading thread exited with ${code}`));
  thread = worker;
  return worker;
}

/**
 * The first worksheet's rows, read on the reading thread. `onMain` reads them on this thread
 * instead: for a package the lean reader does not know, or when the thread is not there.
 */
export function threadXlsxRows(path: string, onMain: () => RowStream): RowStream {
  let bytes = 0;
  let fallback: RowStream | null = null;
  async function* rows(): AsyncGenerator<RawRow> {
    let worker: Worker;
    try {
      worker = readThread();
    } catch (error) {
      console.error(`Jemput: workbooks are read on the main thread (reading thread did not start: ${(error as Error).message})`);
      fallback = onMain();
      return yield* fallback.rows;
    }
    const id = nextReader++;
    const inbox: FromReader[] = [];
    let wake: (() => void) | null = null;
    readers.set(id, (message) => {
      inbox.push(message);
      wake?.();
      wake = null;
    });
    if (readers.size === 1) worker.ref();
    let delivered = 0;
    let open = true;
    worker.postMessage({ type: 'open', reader: id, path } satisfies ToReader);
    try {
      for (;;) {
        while (!inbox.length) await new Promise<void>((resolve) => (wake = resolve));
        const message = inbox.shift()!;
        if (message.type === 'rows') {
          batchesReceived++;
          bytes = message.bytes;
          // Asked before the batch is handed on: the thread reads the next one meanwhile.
          worker.postMessage({ type: 'more', reader: id } satisfies ToReader);
          for (const row of message.rows) {
            delivered++;
            yield row;
          }
        } else if (message.type === 'end') {
          bytes = message.bytes;
          open = false;
          return;
        } else if (message.type === 'error') {
          open = false;
          throw new Error(message.message);
        } else {
          // Not a package the lean reader knows, or the thread is gone: this thread reads the rest.
          open = false;
          fallback = onMain();
          let skipped = 0;
          for await (const row of fallback.rows) if (skipped++ >= delivered) yield row;
          return;
        }
      }
    } finally {
      readers.delete(id);
      if (open && thread === worker) worker.postMessage({ type: 'close', reader: id } satisfies ToReader);
      if (readers.size === 0) worker.unref();
    }
  }
  return { rows: rows(), bytesRead: () => (fallback ? fallback.bytesRead() : bytes) };
}
