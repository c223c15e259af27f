// Group commit for SQLite. With `synchronous = FULL` every COMMIT fsyncs the WAL inside
// better-sqlite3, on the event loop: each write stopped every request of the process for as long
// as the disk took (0.2 ms on this machine's SSD when quiet, 1.6 ms when busy, 10 ms or more on an
// office PC's spinning disk). Instead the connection runs with `synchronous = NORMAL` (a COMMIT
// only appends to the WAL) and a write is answered once the WAL file has been fdatasync'd on
// libuv's thread pool, after its COMMIT. One fdatasync covers every commit appended before it, so
// commits that arrive while one runs share the next: under load one sync per many writes.
//
// Why an answered write survives a power cut: its frames are in the WAL before the sync starts,
// and fdatasync returns only when the file's data is on the disk. A WAL that a checkpoint resets
// is synced by SQLite itself first (NORMAL syncs the WAL before each checkpoint and the database
// after it), so frames of an earlier generation are in the database file. What NORMAL gives up is
// only a commit that nobody was told about yet (a crash between its COMMIT and its sync).
import { open, type FileHandle } from 'node:fs/promises';

export class WalSync {
  /** Commits noted so far, and how many of them a finished sync covers. */
  private written = 0;
  private synced = 0;
  private running: Promise<void> | null = null;
  /** Syncs run so far (tests read it). */
  syncs = 0;

  constructor(private readonly sync: () => Promise<void>) {}

  /** Notes a commit that has just returned; resolve `until(seq)` before telling anyone about it. */
  note(): number {
    return ++this.written;
  }

  /** Resolves once a sync that started after commit `seq` was noted has finished. */
  async until(seq: number): Promise<void> {
    while (this.synced < seq) {
      this.running ??= this.flush();
      await this.running;
    }
  }

  private async flush(): Promise<void> {
    const covers = this.written;
    try {
      await this.sync();
      this.syncs++;
      this.synced = Math.max(this.synced, covers);
    } finally {
      this.running = null;
    }
  }
}

/**
 * fdatasync of a database's WAL file, through a handle kept open: each further step on the thread
 * pool would wait for the event loop once more, and under load that wait is what a write feels.
 * SQLite deletes the WAL file only when the last connection closes, so the handle stays the file's
 * while the connection it was opened for is open; `reset` drops it when a connection is opened.
 */
export class WalFile {
  private handle: Promise<FileHandle | null> | null = null;

  constructor(readonly path: string) {}

  readonly sync = async (): Promise<void> => {
    const file = await (this.handle ??= this.open());
    await file?.datasync();
  };

  /** A WAL that is not there (yet) holds nothing to sync; the next sync looks again. */
  private async open(): Promise<FileHandle | null> {
    try {
      return await open(this.path, 'r');
    } catch (error) {
      this.handle = null;
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  reset(): void {
    const old = this.handle;
    this.handle = null;
    void old?.then((file) => file?.close()).catch(() => {});
  }
}
