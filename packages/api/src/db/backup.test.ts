// Backups and the checks a restore relies on: a backup taken while writes go on is intact and
// complete up to its moment; files that are not intact Jemput databases are refused.
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { backupSqlite, checkDatabaseFile, parseInterval, pruneBackups } from './backup.ts';
import { sqliteFilePath } from './client.ts';
import { createTestDatabase } from '../test/databases.ts';
import { seedDemo } from '../seed/demo.ts';
import { todayInJakarta } from '../common/time.ts';

describe('SQLite backups', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jemput-backup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('copies a database that is being written to, consistently, into one checked file', async () => {
    const database = await createTestDatabase('sqlite');
    try {
      await seedDemo(database.db, { today: todayInJakarta(), schools: 1, students: 10 });
      const school = await database.db.school.findFirstOrThrow();
      let writes = 0;
      let stop = false;
      let failed: Error | null = null;
      const writer = (async () => {
        while (!stop && !failed) {
          await database.db.school.create({ data: { officeId: school.officeId, districtCode: school.districtCode, npsn: String(30000000 + writes), name: `SMA ${writes}`, nameSearch: `sma ${writes}`, level: 'SMA', status: 'NEGERI' } });
          writes++;
          // The SQLite driver is synchronous: without a macrotask turn this loop would starve timers.
          await new Promise((resolve) => setImmediate(resolve));
        }
      })().catch((error: Error) => void (failed = error));
      while (writes < 50 && !failed) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(failed).toBeNull();
      const result = await backupSqlite(sqliteFilePath(database.url), join(dir, 'out'));
      const afterBackup = writes;
      await new Promise((resolve) => setTimeout(resolve, 50));
      stop = true;
      await writer;
      expect(result.check).toMatchObject({ ok: true, pending: [] });
      expect(readdirSync(join(dir, 'out'))).toEqual([result.file.split('/').at(-1)]); // no -wal, no partial file
      const copy = new Database(result.file, { readonly: true });
      const schools = (copy.prepare('SELECT COUNT(*) AS n FROM School').get() as { n: number }).n;
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
      copy.close();
      expect(schools).toBeGreaterThanOrEqual(51);
      // The seeded school + the writes answered before the snapshot + at most the one in flight:
      // committed, but not yet answered while it waits for its WAL sync (db/wal-sync.ts).
      expect(schools).toBeLessThanOrEqual(afterBackup + 2);
      expect(writes + 1).toBeGreaterThan(schools); // writes went on after the snapshot
    } finally {
      await database.drop();
    }
  });

  it('refuses files that are not intact Jemput databases of a known version', async () => {
    writeFileSync(join(dir, 'notes.db'), 'not a database at all, just text '.repeat(200));
    expect(checkDatabaseFile(join(dir, 'notes.db')).problems.join()).toMatch(/cannot be read as SQLite|not a database/);

    const other = new Database(join(dir, 'other.db'));
    other.exec('CREATE TABLE things (id INTEGER PRIMARY KEY)');
    other.close();
    expect(checkDatabaseFile(join(dir, 'other.db')).problems.join()).toMatch(/not a Jemput database \(no Office, School/);

    const database = await createTestDatabase('sqlite');
    const file = sqliteFilePath(database.url);
    await database.db.$executeRawUnsafe("INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES ('x', 'x', '29991231000000_from_the_future', 0, 0, 1)");
    await database.db.$executeRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
    copyFileSync(file, join(dir, 'newer.db'));
    await database.drop();
    expect(checkDatabaseFile(join(dir, 'newer.db')).problems).toEqual(['made by a newer Jemput (unknown migrations: 29991231000000_from_the_future)']);
  });

  it('keeps the newest backups and reads intervals', () => {
    for (const name of ['jemput-20261122-080000.db', 'jemput-20261122-090000.db', 'jemput-20261122-100000.db', 'notes.txt']) writeFileSync(join(dir, name), '');
    expect(pruneBackups(dir, 2).map((f) => f.split('/').at(-1))).toEqual(['jemput-20261122-080000.db']);
    expect(readdirSync(dir).filter((f) => f.startsWith('jemput-'))).toEqual(['jemput-20261122-090000.db', 'jemput-20261122-100000.db']);
    expect(parseInterval('90s')).toBe(90_000);
    expect(parseInterval('1h')).toBe(3_600_000);
    expect(parseInterval('1.5d')).toBe(129_600_000);
    expect(() => parseInterval('hourly')).toThrow(/not an interval/);
  });
});
