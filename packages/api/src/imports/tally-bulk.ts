// Applies a TallyDelta (from tallies/maintain.ts) with one multi-row INSERT … ON CONFLICT per
// few hundred counters instead of one upsert each: an import of thousands of students touches
// a counter per school and 17th birthday, and both SQLite and PostgreSQL accept this statement.
import { CELL_COUNTS } from '@jemput/core';
import type BetterSqlite3 from 'better-sqlite3';
import type { Db, DbProvider } from '../db/client.ts';
import type { TallyDelta } from '../tallies/maintain.ts';

const ROWS_PER_STATEMENT = 300;

function placeholders(provider: DbProvider, rows: number, columns: number): string {
  let n = 0;
  const one = () => (provider === 'postgresql' ? `$${++n}` : '?');
  return Array.from({ length: rows }, () => `(${Array.from({ length: columns }, one).join(', ')})`).join(', ');
}

export async function applyTallyDelta(tx: Db, provider: DbProvider, delta: TallyDelta): Promise<void> {
  const cells = [...delta.cells.values()].filter((c) => CELL_COUNTS.some((k) => c[k] !== 0));
  const cellColumns = ['driveId', 'schoolId', 'printableFrom', ...CELL_COUNTS];
  const cellUpdate = CELL_COUNTS.map((k) => `"${k}" = "TallyCell"."${k}" + excluded."${k}"`).join(', ');
  for (let i = 0; i < cells.length; i += ROWS_PER_STATEMENT) {
    const chunk = cells.slice(i, i + ROWS_PER_STATEMENT);
    const sql = `INSERT INTO "TallyCell" (${cellColumns.map((c) => `"${c}"`).join(', ')}) VALUES ${placeholders(provider, chunk.length, cellColumns.length)}
      ON CONFLICT ("driveId", "schoolId", "printableFrom") DO UPDATE SET ${cellUpdate}`;
    await tx.$executeRawUnsafe(sql, ...chunk.flatMap((c) => [c.driveId, c.schoolId, c.printableFrom, ...CELL_COUNTS.map((k) => c[k])]));
  }
  const days = [...delta.days.values()].filter((d) => d.recorded || d.printed);
  for (let i = 0; i < days.length; i += ROWS_PER_STATEMENT) {
    const chunk = days.slice(i, i + ROWS_PER_STATEMENT);
    const sql = `INSERT INTO "TallyDay" ("driveId", "schoolId", "date", "recorded", "printed") VALUES ${placeholders(provider, chunk.length, 5)}
      ON CONFLICT ("driveId", "schoolId", "date") DO UPDATE SET "recorded" = "TallyDay"."recorded" + excluded."recorded", "printed" = "TallyDay"."printed" + excluded."printed"`;
    await tx.$executeRawUnsafe(sql, ...chunk.flatMap((d) => [d.driveId, d.schoolId, d.date, d.recorded, d.printed]));
  }
}

const CELL_UPSERT = `INSERT INTO "TallyCell" (${['driveId', 'schoolId', 'printableFrom', ...CELL_COUNTS].map((c) => `"${c}"`).join(', ')}) VALUES (${['driveId', 'schoolId', 'printableFrom', ...CELL_COUNTS].map(() => '?').join(', ')})
  ON CONFLICT ("driveId", "schoolId", "printableFrom") DO UPDATE SET ${CELL_COUNTS.map((k) => `"${k}" = "TallyCell"."${k}" + excluded."${k}"`).join(', ')}`;
const DAY_UPSERT = `INSERT INTO "TallyDay" ("driveId", "schoolId", "date", "recorded", "printed") VALUES (?, ?, ?, ?, ?)
  ON CONFLICT ("driveId", "schoolId", "date") DO UPDATE SET "recorded" = "TallyDay"."recorded" + excluded."recorded", "printed" = "TallyDay"."printed" + excluded."printed"`;

/**
 * The same upserts on a raw better-sqlite3 connection, inside the caller's (synchronous)
 * transaction: the SQLite bulk import writes its whole batch without leaving the thread.
 */
export function applyTallyDeltaSqlite(db: BetterSqlite3.Database, delta: TallyDelta): void {
  const cell = db.prepare(CELL_UPSERT);
  for (const c of delta.cells.values()) if (CELL_COUNTS.some((k) => c[k] !== 0)) cell.run(c.driveId, c.schoolId, c.printableFrom, ...CELL_COUNTS.map((k) => c[k]));
  const day = db.prepare(DAY_UPSERT);
  for (const d of delta.days.values()) if (d.recorded || d.printed) day.run(d.driveId, d.schoolId, d.date, d.recorded, d.printed);
}
