// Group commit (wal-sync.ts): an SQLite write is answered only after the WAL file has been synced
// following its COMMIT, and writes that commit while a sync runs share the next one.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDb, walSyncOf, type Db } from './client.ts';
import { WalFile, WalSync } from './wal-sync.ts';

/** A real WAL sync that waits, while `hold` is on, until it is let go. */
function gated(sync: () => Promise<void>) {
  let open = true;
  let waiting: (() => void)[] = [];
  const gate = {
    started: 0,
    hold: () => void (open = false),
    release: () => {
      open = true;
      for (const go of waiting.splice(0)) go();
    },
    sync: async () => {
      gate.started++;
      if (!open) await new Promise<void>((resolve) => waiting.push(resolve));
      await sync();
    },
  };
  return gate;
}

const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(() => (done = true), () => (done = true));
  await new Promise((resolve) => setTimeout(resolve, 30));
  return done;
};

describe('WalSync', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jemput-wal-'));
    file = join(dir, 'x.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (x)');
    db.exec('INSERT INTO t VALUES (1)');
  });
  // Each test's WAL handle is closed after it (a handle left to the garbage collector makes Node warn).
  const walFiles: WalFile[] = [];
  const walFile = () => {
    const wal = new WalFile(`${file}-wal`);
    walFiles.push(wal);
    return wal;
  };
  afterAll(() => {
    walFiles.forEach((wal) => wal.reset());
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a commit noted while a sync runs only after the next sync', async () => {
    const gate = gated(walFile().sync);
    const wal = new WalSync(gate.sync);
    gate.hold();
    const first = wal.until(wal.note());
    expect(gate.started).toBe(1);
    const second = wal.until(wal.note()); // committed after the running sync began
    gate.release();
    await first;
    expect(gate.started).toBe(2);
    await second;
    expect(wal.syncs).toBe(2);
  });

  it('lets the commits noted during one sync share the next', async () => {
    const gate = gated(walFile().sync);
    const wal = new WalSync(gate.sync);
    gate.hold();
    const first = wal.until(wal.note());
    const rest = Array.from({ length: 50 }, () => wal.until(wal.note()));
    gate.release();
    await Promise.all([first, ...rest]);
    expect(gate.started).toBe(2);
  });

  it('refuses the commits a failed sync was to cover, and syncs again for the next', async () => {
    let fail = true;
    const wal = new WalSync(async () => {
      if (fail) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
    });
    await expect(Promise.all([wal.until(wal.note()), wal.until(wal.note())])).rejects.toThrow(/EIO/);
    fail = false;
    await expect(wal.until(wal.note())).resolves.toBeUndefined();
  });

  it('has nothing to sync when the WAL file is not there', async () => {
    await expect(new WalFile(join(dir, 'none.db-wal')).sync()).resolves.toBeUndefined();
  });
});

describe('SQLite writes through the app client', () => {
  let dir: string;
  let file: string;
  let db: Db;
  let reader: Database.Database;
  const gate = { current: null as ReturnType<typeof gated> | null };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jemput-wal-app-'));
    file = join(dir, 'app.db');
    copyFileSync(inject('sqliteTemplate'), file);
    db = await openDb(`file:${file}`, { wrapWalSync: (sync) => (gate.current = gated(sync)).sync });
    reader = new Database(file, { readonly: true });
  });
  afterAll(async () => {
    reader?.close();
    await db?.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs with synchronous = NORMAL: the WAL sync is the group commit', async () => {
    const [row] = await db.$queryRawUnsafe<{ synchronous: bigint }[]>('PRAGMA synchronous');
    expect(Number(row?.synchronous)).toBe(1);
  });

  it('answers a write only once the WAL is synced after its commit, while other requests go on', async () => {
    const g = gate.current!;
    const office = { regencyCode: '97.01', name: 'Dinas Sinkron', regencyName: 'Kota Sinkron', provinceName: 'Jawa Timur' };
    g.hold();
    const before = g.started;
    const create = db.office.create({ data: office });
    expect(await settled(create)).toBe(false);
    // Committed (another connection sees it) and waiting for the sync that started after it.
    expect(reader.prepare('SELECT name FROM Office WHERE regencyCode = ?').get('97.01')).toEqual({ name: 'Dinas Sinkron' });
    expect(g.started).toBeGreaterThan(before);
    // Reads outside a transaction do not wait, those through relations included; another write's
    // transaction runs, and waits too.
    expect(await db.office.count({ where: { regencyCode: '97.01' } })).toBe(1);
    const read = db.office.findMany({ where: { regencyCode: '97.01' }, include: { schools: { include: { students: { include: { outcomes: true } } } }, drives: true } });
    expect(await settled(read)).toBe(true);
    expect((await read)[0]?.schools).toEqual([]);
    const update = db.$transaction((tx) => tx.office.updateMany({ where: { regencyCode: '97.01' }, data: { kits: 7 } }));
    expect(await settled(update)).toBe(false);
    expect(reader.prepare('SELECT kits FROM Office WHERE regencyCode = ?').get('97.01')).toEqual({ kits: 7 });
    g.release();
    expect((await create).name).toBe('Dinas Sinkron');
    expect((await update).count).toBe(1);
  });

  it('syncs once for many writes that commit together', async () => {
    const wal = walSyncOf(db)!;
    const before = wal.syncs;
    const writes = Array.from({ length: 40 }, (_, i) => db.auditEvent.create({ data: { action: 'WAL_TEST', entity: String(i) } }));
    await Promise.all(writes);
    expect(await db.auditEvent.count({ where: { action: 'WAL_TEST' } })).toBe(40);
    expect(wal.syncs - before).toBeLessThan(20);
  });
});
