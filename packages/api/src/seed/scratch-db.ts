// Test support: a migrated scratch SQLite database that stays open across a test file's
// tests (open in beforeAll, close in afterAll) and is deleted afterwards.
import { migrateDeploy, withScratchDatabase } from '@jemput/prisma/migrations';
import { openDb } from '../db/client.ts';
import type { Db, OpenDbOptions } from '../db/client.ts';

export type ScratchDb = { db: Db; url: string; close: () => Promise<void> };

export async function openScratchSqlite(options: OpenDbOptions = {}): Promise<ScratchDb> {
  let release = (): void => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let opened = (_value: { db: Db; url: string }): void => {};
  const open = new Promise<{ db: Db; url: string }>((resolve) => (opened = resolve));

  // withScratchDatabase deletes the database when its callback returns: keep it waiting until close().
  const lifetime = withScratchDatabase('sqlite', async (url) => {
    migrateDeploy(url);
    const db = await openDb(url, options);
    try {
      opened({ db, url });
      await released;
    } finally {
      await db.$disconnect();
    }
  });
  // A failure before opening (e.g. a migration error) must reject here instead of hanging.
  const failedToOpen = lifetime.then(() => new Promise<never>(() => {}));
  failedToOpen.catch(() => {}); // later failures surface through close()
  const { db, url } = await Promise.race([open, failedToOpen]);
  return {
    db,
    url,
    close: async () => {
      release();
      await lifetime;
    },
  };
}
