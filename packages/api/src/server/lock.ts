// A lock file beside an SQLite database while a server runs on it (`<db>.server.json`), so
// `pnpm db:restore` refuses to swap the file under a live server, and a second server on the same
// file is refused. A lock left by a killed server is stale: its pid is gone, or its port no longer
// answers /healthz (a reused pid), and it is simply taken over.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

export type ServerLock = { pid: number; port: number; startedAt: string };

export function lockPathFor(sqliteFile: string): string {
  return `${sqliteFile}.server.json`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function answersHealth(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1500) });
    return response.ok;
  } catch {
    return false;
  }
}

/** The server running on this SQLite file, or null when there is none (or only a stale lock). */
export async function runningServerOn(sqliteFile: string): Promise<ServerLock | null> {
  const path = lockPathFor(sqliteFile);
  if (!existsSync(path)) return null;
  let lock: ServerLock;
  try {
    lock = JSON.parse(readFileSync(path, 'utf8')) as ServerLock;
  } catch {
    return null;
  }
  if (lock.pid === process.pid || !pidAlive(lock.pid)) return null;
  return (await answersHealth(lock.port)) ? lock : null;
}

/** Writes this process's lock; release() removes it if it is still ours. */
export function writeServerLock(sqliteFile: string, port: number): { release(): void } {
  const path = lockPathFor(sqliteFile);
  writeFileSync(path, JSON.stringify({ pid: process.pid, port, startedAt: new Date().toISOString() } satisfies ServerLock));
  return {
    release() {
      try {
        if ((JSON.parse(readFileSync(path, 'utf8')) as ServerLock).pid === process.pid) rmSync(path, { force: true });
      } catch {
        // already gone
      }
    },
  };
}
