// The consistency check behind `pnpm tallies:verify`: recompute a drive's counters from raw
// rows and list every counter that differs from the maintained one.
import { CELL_COUNTS } from '@jemput/core';
import { postgresPoolOf, type Db } from '../db/client.ts';
import { computeDriveTallies } from './maintain.ts';

export type TallyDrift = { table: 'TallyCell' | 'TallyDay'; key: string; field: string; stored: number; expected: number };

/**
 * Counters and raw rows are read in one snapshot (a REPEATABLE READ transaction on PostgreSQL,
 * a read transaction on SQLite), so writes committing during the check never look like drift.
 */
export function verifyDriveTallies(db: Db, driveId: string): Promise<TallyDrift[]> {
  const onPostgres = postgresPoolOf(db) !== undefined;
  // The app is typed against the SQLite client, whose only isolation level is Serializable.
  return db.$transaction((tx) => compare(tx as Db, driveId), { timeout: 300_000, maxWait: 60_000, ...(onPostgres ? { isolationLevel: 'RepeatableRead' as never } : {}) });
}

async function compare(db: Db, driveId: string): Promise<TallyDrift[]> {
  const expected = await computeDriveTallies(db, driveId);
  const drift: TallyDrift[] = [];
  const storedCells = new Map((await db.tallyCell.findMany({ where: { driveId } })).map((c) => [`${c.driveId}|${c.schoolId}|${c.printableFrom}`, c]));
  for (const key of new Set([...storedCells.keys(), ...expected.cells.keys()])) {
    for (const field of CELL_COUNTS) {
      const stored = storedCells.get(key)?.[field] ?? 0;
      const want = expected.cells.get(key)?.[field] ?? 0;
      if (stored !== want) drift.push({ table: 'TallyCell', key, field, stored, expected: want });
    }
  }
  const storedDays = new Map((await db.tallyDay.findMany({ where: { driveId } })).map((d) => [`${d.driveId}|${d.schoolId}|${d.date}`, d]));
  for (const key of new Set([...storedDays.keys(), ...expected.days.keys()])) {
    for (const field of ['recorded', 'printed'] as const) {
      const stored = storedDays.get(key)?.[field] ?? 0;
      const want = expected.days.get(key)?.[field] ?? 0;
      if (stored !== want) drift.push({ table: 'TallyDay', key, field, stored, expected: want });
    }
  }
  return drift;
}
