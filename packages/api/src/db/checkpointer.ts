// SQLite checkpoints on a thread of their own. A checkpoint copies the WAL back into the database
// file; by default the connection whose commit finds the WAL over 1,000 pages does it, inside that
// COMMIT. In the server that was the API's connection: now and then a commit stopped the event
// loop for the copy and two fsyncs (in a 20 s bench:load, 118 of 4,365 commits took over 5 ms,
// 0.74 s in all; on a spinning disk far more). The server checkpoints on a worker thread with its
// own connection instead, every `everyMs`, PASSIVE (it never waits for readers or writers and
// never makes them wait); the API's connection keeps its autocheckpoint only as a backstop for a
// thread that fell behind, at ten times the default.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './client.ts';

/** WAL pages after which the API's own connection checkpoints anyway (SQLite's default is 1,000). */
export const BACKSTOP_PAGES = 10_000;

export type CheckpointResult = { busy: number; log: number; checkpointed: number };

// Plain CommonJS, so the thread needs no TypeScript loader. NORMAL: a checkpoint syncs the WAL
// before it copies and the database file after, so nothing it moves can be lost.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: 0 });
db.pragma('synchronous = NORMAL');
const run = (asked) => {
  try {
    const result = db.pragma('wal_checkpoint(PASSIVE)')[0];
    if (asked) parentPort.postMessage({ result });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message) });
  }
};
const timer = setInterval(() => run(false), workerData.everyMs);
parentPort.on('message', (message) => {
  if (message === 'now') run(true);
  if (message === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
`;

export type Checkpointer = {
  /** Checkpoints now (tests); resolves with SQLite's answer. */
  now(): Promise<CheckpointResult>;
  stop(): Promise<void>;
};

export async function startCheckpointer(db: Db, file: string, options: { everyMs?: number; onError?: (message: string) => void } = {}): Promise<Checkpointer> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver, everyMs: options.everyMs ?? 2000 } });
  worker.unref();
  const waiting: ((result: CheckpointResult) => void)[] = [];
  worker.on('message', (message: { result?: CheckpointResult; error?: string }) => {
    if (message.error) options.onError?.(message.error);
    else if (message.result) waiting.shift()?.(message.result);
  });
  worker.on('error', (error) => options.onError?.(error.message));
  await db.$executeRawUnsafe(`PRAGMA wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  return {
    now: () =>
      new Promise((resolve) => {
        waiting.push(resolve);
        worker.postMessage('now');
      }),
    stop: async () => {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('stop');
      await exited;
    },
  };
}
