// The server's checkpoints run on their own thread (checkpointer.ts): the API's connection lets
// the WAL grow past SQLite's 1,000 pages instead of copying it back inside a commit, and the
// thread copies it back in the background.
import { closeSync, copyFileSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { openDb, type Db } from './client.ts';
import { BACKSTOP_PAGES, FULL_AFTER_PAGES, startCheckpointer } from './checkpointer.ts';

let dir: string;
let file: string;
let db: Db;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jemput-checkpoint-'));
  file = join(dir, 'app.db');
  copyFileSync(inject('sqliteTemplate'), file);
  db = await openDb(`file:${file}`);
});
afterAll(async () => {
  await db?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes about `pages` pages of audit rows, one commit per 50 rows, as a busy server would. */
async function write(pages: number, tag: string) {
  for (let i = 0; i < pages / 5; i++) {
    await db.auditEvent.createMany({ data: Array.from({ length: 50 }, (_, j) => ({ action: 'CHECKPOINT_TEST', entity: tag, detail: `${i}-${j}-`.padEnd(300, 'x') })) });
  }
}

it("copies the WAL back on its own thread, while the API's commits only append to it", async () => {
  const errors: string[] = [];
  const checkpoints = await startCheckpointer(db, file, { everyMs: 60_000, onError: (e) => errors.push(e) });
  try {
    const [setting] = await db.$queryRawUnsafe<{ wal_autocheckpoint: bigint }[]>('PRAGMA wal_autocheckpoint');
    expect(Number(setting?.wal_autocheckpoint)).toBe(BACKSTOP_PAGES);
    await checkpoints.now(); // start from a WAL with nothing left to copy
    await write(1500, 'a');
    // Past SQLite's default of 1,000 pages, and no commit copied any of it back.
    const first = await checkpoints.now();
    expect(first.log).toBeGreaterThan(1200);
    expect(first.checkpointed).toBe(first.log);
    expect(first.busy).toBe(0);
    // Copied back, the WAL starts over at the next commit: the thread finds only what came since.
    await write(100, 'b');
    const second = await checkpoints.now();
    expect(second.log).toBeLessThan(first.log);
    expect(second.checkpointed).toBe(second.log);
    expect(await db.auditEvent.count({ where: { action: 'CHECKPOINT_TEST' } })).toBe(1600 * 10);
    expect(errors).toEqual([]);
  } finally {
    await checkpoints.stop();
  }
});

/** The WAL header's checkpoint sequence number: SQLite adds one each time the WAL starts over. */
function walGeneration(): number {
  const fd = openSync(`${file}-wal`, 'r');
  try {
    const header = Buffer.alloc(16);
    readSync(fd, header, 0, 16, 0);
    return header.readUInt32BE(12);
  } finally {
    closeSync(fd);
  }
}

it('starts the WAL over even when commits never pause, so it cannot grow to the backstop', async () => {
  // A PASSIVE pass copies the frames it found when it began. A commit that lands during the copy
  // leaves frames behind, and the WAL can only start over once none are left: with commits back
  // to back (a paste after a paste) it grew pass after pass until the API's own commit copied it
  // back on the event loop at BACKSTOP_PAGES. Past FULL_AFTER_PAGES the thread finishes with the
  // write lock held, copying the few frames written meanwhile.
  const errors: string[] = [];
  const checkpoints = await startCheckpointer(db, file, { everyMs: 60_000, onError: (e) => errors.push(e) });
  try {
    await checkpoints.now();
    await write(FULL_AFTER_PAGES + 1000, 'backlog');
    const generation = walGeneration();
    let writing = true;
    let commits = 0;
    const writer = (async () => {
      for (let i = 0; writing; i++, commits++) await db.auditEvent.createMany({ data: Array.from({ length: 5 }, (_, j) => ({ action: 'CHECKPOINT_BUSY', entity: 'w', detail: `${i}-${j}-`.padEnd(300, 'x') })) });
    })();
    try {
      while (commits < 20) await new Promise((resolve) => setTimeout(resolve, 5));
      const atStart = commits;
      const result = await checkpoints.now();
      expect(commits, 'the writer committed while the thread checkpointed').toBeGreaterThan(atStart);
      expect(result).toMatchObject({ busy: 0 });
      expect(result.checkpointed).toBe(result.log);
      // The next commit found the WAL copied back to its last frame and started it over.
      const after = commits;
      while (commits < after + 5) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(walGeneration()).toBe(generation + 1);
    } finally {
      writing = false;
      await writer;
    }
    expect(errors).toEqual([]);
  } finally {
    await checkpoints.stop();
  }
});
