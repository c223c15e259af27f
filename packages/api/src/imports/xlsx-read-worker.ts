// The reading thread of xlsx-thread.ts: reads workbooks with the lean reader (xlsx-fast.ts) and
// sends their rows in batches, a few batches ahead of what the main thread has taken.
import { parentPort } from 'node:worker_threads';
import { fastXlsxRows } from './xlsx-fast.ts';
import { XLSX_THREAD_BATCH_ROWS, XLSX_THREAD_WINDOW, type FromReader, type ToReader } from './xlsx-thread.ts';
import type { RawRow } from './read.ts';

type Reading = { credit: number; stop: boolean; wake: (() => void) | null };
const readings = new Map<number, Reading>();

const send = (message: FromReader) => parentPort!.postMessage(message);

async function read(id: number, path: string, state: Reading): Promise<void> {
  const stream = fastXlsxRows(path);
  if (!stream) return send({ reader: id, type: 'unknown' });
  let batch: RawRow[] = [];
  const flush = async () => {
    while (state.credit === 0 && !state.stop) await new Promise<void>((resolve) => (state.wake = resolve));
    if (state.stop) return;
    state.credit--;
    send({ reader: id, type: 'rows', rows: batch, bytes: stream.bytesRead() });
    batch = [];
  };
  for await (const row of stream.rows) {
    batch.push(row);
    if (batch.length >= XLSX_THREAD_BATCH_ROWS) await flush();
    if (state.stop) return; // leaving the loop closes the file
  }
  if (batch.length) await flush();
  if (!state.stop) send({ reader: id, type: 'end', bytes: stream.bytesRead() });
}

parentPort!.on('message', (message: ToReader) => {
  if (message.type === 'open') {
    const state: Reading = { credit: XLSX_THREAD_WINDOW, stop: false, wake: null };
    readings.set(message.reader, state);
    read(message.reader, message.path, state)
      .catch((error: Error) => send({ reader: message.reader, type: 'error', message: String(error?.message ?? error) }))
      .finally(() => readings.delete(message.reader));
    return;
  }
  const state = readings.get(message.reader);
  if (!state) return;
  if (message.type === 'more') state.credit++;
  else state.stop = true;
  state.wake?.();
  state.wake = null;
});
