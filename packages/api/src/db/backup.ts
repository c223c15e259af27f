// Online backups of the SQLite database with SQLite's backup API (through better-sqlite3, the
// driver under Prisma's adapter): a consistent copy taken while the server keeps writing, checked
// (integrity_check, a Jemput schema, migrations) before it gets its final name.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { listCommittedMigrations } from './migrations-list.ts';

export const BACKUP_PREFIX = 'jemput-';

/** Tables every Jemput database has; a file without them is some other database. */
const JEMPUT_TABLES = ['Office', 'School', 'Student', 'Drive', 'Outcome', 'AuditEvent'];

export type FileCheck = {
  ok: boolean;
  problems: string[];
  /** Committed migrations this file has not applied yet (`pnpm start` applies them). */
  pending: string[];
  students: number;
};

/** Checks an SQLite file is an intact Jemput database whose migrations this code knows. */
export function checkDatabaseFile(file: string): FileCheck {
  const problems: string[] = [];
  let pending: string[] = [];
  let students = 0;
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
    const verdict = integrity.map((r) => r.integrity_check);
    if (verdict.join() !== 'ok') problems.push(`integrity check failed: ${verdict.slice(0, 3).join('; ')}`);
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    const absent = JEMPUT_TABLES.filter((t) => !tables.has(t));
    if (absent.length) problems.push(`not a Jemput database (no ${absent.join(', ')} table)`);
    if (!tables.has('_prisma_migrations')) problems.push('no migration history (_prisma_migrations)');
    else {
      const rows = db.prepare('SELECT migration_name AS name, finished_at AS finished, rolled_back_at AS rolledBack FROM _prisma_migrations').all() as { name: string; finished: unknown; rolledBack: unknown }[];
      const failed = rows.filter((r) => r.finished === null && r.rolledBack === null).map((r) => r.name);
      if (failed.length) problems.push(`unfinished migrations: ${failed.join(', ')}`);
      const applied = new Set(rows.filter((r) => r.finished !== null && r.rolledBack === null).map((r) => r.name));
      const committed = listCommittedMigrations('sqlite');
      const unknown = [...applied].filter((m) => !committed.includes(m));
      if (unknown.length) problems.push(`made by a newer Jemput (unknown migrations: ${unknown.join(', ')})`);
      pending = committed.filter((m) => !applied.has(m));
    }
    if (tables.has('Student')) students = (db.prepare('SELECT COUNT(*) AS n FROM Student').get() as { n: number }).n;
  } catch (error) {
    problems.push(`cannot be read as SQLite: ${(error as Error).message}`);
  } finally {
    db?.close();
  }
  return { ok: problems.length === 0, problems, pending, students };
}

export type BackupResult = { file: string; bytes: number; ms: number; check: FileCheck };

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*/, '');
}

/**
 * Copies the live database into `dir/jemput-YYYYMMDD-HHMMSS.db`. The copy is made in one backup
 * step (one read snapshot: in WAL mode writers carry on meanwhile), then checked, switched to a
 * single-file journal, and only then renamed into place, so a listed backup is always a good one.
 */
export async function backupSqlite(sourceFile: string, dir: string, now = new Date()): Promise<BackupResult> {
  const started = performance.now();
  if (!existsSync(sourceFile)) throw new Error(`no database at ${sourceFile}`);
  mkdirSync(dir, { recursive: true });
  let name = `${BACKUP_PREFIX}${stamp(now)}.db`;
  for (let n = 2; existsSync(join(dir, name)); n++) name = `${BACKUP_PREFIX}${stamp(now)}-${n}.db`;
  const partial = join(dir, `.${name}.partial`);
  rmSync(partial, { force: true });
  const source = new Database(sourceFile, { fileMustExist: true, timeout: 10_000 });
  try {
    await source.backup(partial, { progress: () => 0x7fffffff });
  } finally {
    source.close();
  }
  const copy = new Database(partial);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  const check = checkDatabaseFile(partial);
  if (!check.ok) {
    rmSync(partial, { force: true });
    throw new Error(`the backup failed its check: ${check.problems.join('; ')}`);
  }
  const file = join(dir, name);
  renameSync(partial, file);
  return { file, bytes: statSync(file).size, ms: Math.round(performance.now() - started), check };
}

/** Deletes the oldest backups in `dir` beyond the newest `keep`; returns the deleted files. */
export function pruneBackups(dir: string, keep: number): string[] {
  if (!existsSync(dir)) return [];
  const backups = readdirSync(dir)
    .filter((f) => f.startsWith(BACKUP_PREFIX) && f.endsWith('.db'))
    .sort(); // the names sort by time
  const doomed = backups.slice(0, Math.max(0, backups.length - keep)).map((f) => join(dir, f));
  for (const file of doomed) rmSync(file, { force: true });
  return doomed;
}

/** "90s", "15m", "1h", "1d" → milliseconds. */
export function parseInterval(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not an interval like 30m, 1h or 1d`);
  return Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
}

export type BackupSchedule = { stop(): void; everyMs: number; dir: string; keep: number };

/** Backups every `every` into `dir`, keeping the newest `keep`, inside the server process. */
export function scheduleBackups(options: {
  sourceFile: string;
  every: string;
  keep: number;
  dir: string;
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}): BackupSchedule {
  const everyMs = parseInterval(options.every);
  if (everyMs < 1000) throw new Error('JEMPUT_BACKUP_EVERY must be at least 1s');
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    backupSqlite(options.sourceFile, options.dir)
      .then((result) => {
        const pruned = pruneBackups(options.dir, options.keep);
        options.log.info({ backup: basename(result.file), bytes: result.bytes, ms: result.ms, pruned: pruned.length }, 'backup made');
      })
      .catch((error: Error) => options.log.error({ err: error.message }, 'backup failed'))
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return { everyMs, dir: options.dir, keep: options.keep, stop: () => clearInterval(timer) };
}
