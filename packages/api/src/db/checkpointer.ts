// SQLite checkpoints on a thread of their own. A checkpoint copies the WAL back into the database
// file; by default the connection whose commit finds the WAL over 1,000 pages does it, inside that
// COMMIT. In the server that was the API's connection: now and then a commit stopped the event
// loop for the copy and two fsyncs (in a 20 s bench:load, 118 of 4,365 commits took over 5 ms,
// 0.74 s in all; on a spinning disk far more). The server checkpoints on a worker thread with its
// own connection instead, every `everyMs`; the API's connection keeps its autocheckpoint only as
// a backstop for a thread that fell behind, at ten times the default.
//
// Each pass is PASSIVE (it never waits for readers or writers and never makes them wait). A
// passive pass copies the frames it found when it began, and the WAL only starts over (is written
// from its beginning again) once a commit finds every frame copied. At an office's peak the WAL
// grows by thousands of pages a second (bench:load: 3,000-4,500, mostly pastes into the student
// indexes), and with commits landing during every copy it went for seconds without starting over
// and reached the backstop. So the passes come every 250 ms, and a pass that still leaves the WAL
// over FULL_AFTER_PAGES ends with a FULL checkpoint: it holds the write lock only while it copies
// the frames written meanwhile. The API's writes wait for it asynchronously (db/sqlite-lock.ts);
// its reads never do.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './client.ts';

/** WAL pages after which the API's own connection checkpoints anyway (SQLite's default is 1,000). */
export const BACKSTOP_PAGES = 10_000;
/** WAL pages after which a pass ends with the write lock, so that the WAL can start over. */
export const FULL_AFTER_PAGES = 4_000;
/** How long a FULL checkpoint waits for a write in progress (an import batch holds it longer: it tries again next pass). */
const FULL_LOCK_WAIT_MS = 200;

export type CheckpointResult = { busy: number; log: number; checkpointed: number };

// Plain CommonJS, so the thread needs no TypeScript loader. NORMAL: a checkpoint syncs the WAL
// before it copies and the database file after, so nothing it moves can be lost.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
// The busy timeout sleeps in this thread only; PASSIVE never waits, FULL waits for the write lock.
const db = new Database(workerData.file, { fileMustExist: true, timeout: workerData.fullLockWaitMs });
db.pragma('synchronous = NORMAL');
const run = (asked) => {
  try {
    let result = db.pragma('wal_checkpoint(PASSIVE)')[0];
    if (result.log >= workerData.fullAfterPages) result = db.pragma('wal_checkpoint(FULL)')[0];
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
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver, everyMs: options.everyMs ?? 250, fullAfterPages: FULL_AFTER_PAGES, fullLockWaitMs: FULL_LOCK_WAIT_MS } });
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
