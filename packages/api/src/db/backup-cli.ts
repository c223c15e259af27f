// pnpm db:backup [--dir=DIR] — a consistent online backup of the SQLite database (the server may
// keep running), checked before it is kept. On PostgreSQL it prints the pg_dump command instead.
//   DATABASE_URL        the database (default data/jemput.db)
//   JEMPUT_BACKUP_DIR   where backups go (default: a `backups` folder beside the database)
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_DATABASE_URL, providerOf, sqliteFilePath } from './client.ts';
import { backupSqlite } from './backup.ts';
import { postgresCommands } from './backup-postgres.ts';

const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
// pnpm runs the script inside packages/api; paths the user typed are relative to where they typed them.
const cwd = process.env.INIT_CWD ?? process.cwd();
const dirArg = process.argv.find((a) => a.startsWith('--dir='))?.slice(6);

if (providerOf(url) === 'postgresql') {
  console.log(postgresCommands(url).backup);
  process.exit(0);
}
const file = sqliteFilePath(url);
const dir = dirArg ? resolve(cwd, dirArg) : process.env.JEMPUT_BACKUP_DIR ? resolve(cwd, process.env.JEMPUT_BACKUP_DIR) : join(dirname(file), 'backups');
try {
  const result = await backupSqlite(file, dir);
  const pending = result.check.pending.length ? ` (${result.check.pending.length} migrations not yet applied)` : '';
  console.log(`Backup written: ${result.file} — ${(result.bytes / 1024 / 1024).toFixed(1)} MiB, ${result.check.students} students, integrity ok${pending}, ${result.ms} ms`);
} catch (error) {
  console.error(`Jemput: backup failed: ${(error as Error).message}`);
  process.exit(1);
}
