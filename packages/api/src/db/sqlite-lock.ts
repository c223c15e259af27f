// Waiting for SQLite's write lock without blocking the thread. better-sqlite3 is synchronous: its
// busy handler sleeps inside the call, so a connection with a busy timeout freezes its whole event
// loop while another connection (another API worker, the import writer) holds the lock. Instead a
// connection tries with no busy timeout, and on SQLITE_BUSY this waits asynchronously and tries
// again until a deadline. Only safe for an attempt that changes nothing when it fails busy: a
// BEGIN IMMEDIATE, or a statement outside a transaction (SQLite undoes it as a whole).
import { setTimeout as sleep } from 'node:timers/promises';

/** SQLITE_BUSY and its extended codes, from better-sqlite3 or wrapped by Prisma's adapter (cause.originalCode). */
export function isSqliteBusy(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: { originalCode?: unknown } } | null;
  const code = e?.code ?? e?.cause?.originalCode;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

export type LockWait = {
  /** Give up (rethrow the SQLITE_BUSY error) after waiting this long. */
  waitMs: number;
  /** Longest pause between tries; the first is 1 ms and each doubles up to this. */
  maxDelayMs?: number;
};

/** Runs `attempt`, trying again after a short asynchronous pause while it fails with SQLITE_BUSY. */
export async function whileBusy<T>(attempt: () => T | Promise<T>, wait: LockWait): Promise<T> {
  const deadline = Date.now() + wait.waitMs;
  const maxDelay = wait.maxDelayMs ?? 20;
  for (let delay = 1; ; delay = Math.min(delay * 2, maxDelay)) {
    try {
      return await attempt();
    } catch (error) {
      if (!isSqliteBusy(error) || Date.now() > deadline) throw error;
      await sleep(delay);
    }
  }
}
