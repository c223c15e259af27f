// pnpm db:restore FILE — puts a backup back as the SQLite database, after checking it (integrity,
// a Jemput schema, migrations this code knows), and only while no server runs on the database.
// The database it replaces is kept beside it as <name>.replaced-<time>. On PostgreSQL it prints
// the pg_restore command instead.
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_DATABASE_URL, providerOf, sqliteFilePath } from './client.ts';
import { checkDatabaseFile } from './backup.ts';
import { postgresCommands } from './backup-postgres.ts';
import { runningServerOn } from '../server/lock.ts';

const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const cwd = process.env.INIT_CWD ?? process.cwd();
const fail = (message: string): never => {
  console.error(`Jemput: restore refused: ${message}`);
  process.exit(1);
};

if (providerOf(url) === 'postgresql') {
  console.log(postgresCommands(url).restore);
  process.exit(0);
}
const arg = process.argv.slice(2).find((a) => !a.startsWith('--'));
if (!arg) fail('name the backup file: pnpm db:restore data/backups/jemput-20261122-080000.db');
const source = resolve(cwd, arg as string);
const target = sqliteFilePath(url);
if (!existsSync(source)) fail(`${source} does not exist`);
if (source === target) fail('that file is the database itself');

const check = checkDatabaseFile(source);
if (!check.ok) fail(`${source}: ${check.problems.join('; ')}`);
const running = await runningServerOn(target);
if (running) fail(`a Jemput server (pid ${running.pid}, port ${running.port}) is running on ${target}; stop it first`);

let keptAs: string | null = null;
if (existsSync(target)) {
  // Fold the write-ahead log into the file first, so the kept copy is complete on its own.
  const current = new Database(target, { fileMustExist: true, timeout: 10_000 });
  try {
    current.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    current.close();
  }
  keptAs = `${target}.replaced-${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*/, '')}`;
  renameSync(target, keptAs);
  for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
}
const partial = `${target}.restoring`;
copyFileSync(source, partial);
renameSync(partial, target);
const restored = checkDatabaseFile(target);
if (!restored.ok) fail(`the restored file failed its check: ${restored.problems.join('; ')}${keptAs ? ` (the previous database is at ${keptAs})` : ''}`);
console.log(`Restored ${source} into ${target} (${restored.students} students).`);
if (keptAs) console.log(`The database it replaced is kept at ${keptAs}.`);
if (restored.pending.length) console.log(`${restored.pending.length} newer migrations will be applied when the server starts.`);
