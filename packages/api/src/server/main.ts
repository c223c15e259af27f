// `pnpm start`: check the configuration, migrate the database, seed the demo office on first
// start, serve API + web app; JSON-line logs on stdout. Configuration (see the README):
//   DATABASE_URL  file:… (default data/jemput.db) or postgresql://…
//   PORT          default 4000
//   REDIS_URL     tally fan-out across instances
//   JEMPUT_BACKUP_EVERY / JEMPUT_BACKUP_KEEP / JEMPUT_BACKUP_DIR   scheduled SQLite backups
//   LOG_LEVEL     pino level (default info)
// A misconfiguration stops it with one line on stderr and exit code 1, never a stack trace.
import { dirname, join, resolve } from 'node:path';
import { migrateDeploy } from '@jemput/prisma/migrations';
import { openDb } from '../db/client.ts';
import { scheduleBackups, type BackupSchedule } from '../db/backup.ts';
import { scheduleHousekeeping } from '../db/housekeeping.ts';
import { startCheckpointer } from '../db/checkpointer.ts';
import { isDatabaseEmpty, seedDemo } from '../seed/demo.ts';
import { createApp } from './app.ts';
import { todayInJakarta } from '../common/time.ts';
import { installGracefulShutdown } from './lifecycle.ts';
import { writeServerLock } from './lock.ts';
import { createLogger, scrubNiks } from './observability.ts';
import { checkBeforeStart, readConfig, StartupError } from './startup.ts';
import { ensureOfficeAdmin } from '../auth/first-admin.ts';
import { markInterruptedImports } from '../imports/jobs.ts';

const logger = createLogger();
/** A session is read from the database at most every 5 s per instance (see SessionCache). */
const SESSION_CACHE_MS = 5000;

function refuse(message: string): never {
  process.stderr.write(`Jemput cannot start: ${scrubNiks(message)}\n`);
  process.exit(1);
}

/** The useful line of an error thrown while starting (Prisma's CLI errors span many lines). */
function reasonOf(error: unknown): string {
  const text = String((error as Error)?.message ?? error);
  if (/SocketTimeout|database is locked|SQLITE_BUSY/.test(text)) return 'the database file is locked by another process (a running Jemput, a backup, or a tool holding it open); try again when it is done.';
  const lines = String((error as Error)?.message ?? error).split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /^(Error|P\d{4})|error:/i.test(l) && !/failed:$/.test(l)) ?? lines.find((l) => !/failed:$/.test(l)) ?? lines[0] ?? 'unknown error';
}

async function start(): Promise<void> {
  const config = readConfig(process.env);
  await checkBeforeStart(config);
  const { databaseUrl: url, provider, where, port } = config;

  try {
    migrateDeploy(url);
  } catch (error) {
    throw new StartupError(`the ${provider} database (${where}) could not be migrated: ${reasonOf(error)}`);
  }
  const db = await openDb(url);
  if (await isDatabaseEmpty(db)) {
    logger.info('Jemput: empty database, loading the demo office (Kota Malang)…');
    const summary = await seedDemo(db, { today: todayInJakarta() });
    logger.info(`Jemput: demo loaded — ${summary.schools} schools, ${summary.students.total} students, ${summary.visits.total} visits, ${summary.outcomes.total} outcomes.`);
  }
  // An import that was writing when the server stopped can be resumed from where it stopped.
  // With PostgreSQL another instance may still be running one: only jobs silent for 2 minutes count.
  const interrupted = await markInterruptedImports(db, provider === 'postgresql' ? new Date(Date.now() - 120_000) : undefined);
  if (interrupted) logger.info({ interrupted }, `Jemput: ${interrupted} import(s) were interrupted; resume them on the Impor screen.`);
  const office = await db.office.findFirst({ orderBy: { createdAt: 'asc' } });
  const admin = office ? await ensureOfficeAdmin(db, office.id) : null;
  if (admin) {
    // Shown once, on the console of whoever started the server; a one-time password, not a NIK.
    logger.info(
      admin.password
        ? `Jemput: created the first administrator "${admin.username}" with the one-time password ${admin.password} — it is shown only now and must be changed at first login.`
        : `Jemput: created the first administrator "${admin.username}" with the password from JEMPUT_ADMIN_PASSWORD; it must be changed at first login.`,
    );
  }
  const { server, yoga, streams } = createApp({ db, provider, officeId: office?.id ?? null, redisUrl: config.redisUrl, databaseUrl: url, logger, sessionCacheMs: SESSION_CACHE_MS });

  await new Promise<void>((resolveListening, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new StartupError(error.code === 'EADDRINUSE' ? `port ${port} is already in use; set PORT to another one.` : error.message)),
    );
    server.listen(port, () => resolveListening());
  });
  server.on('error', (error) => logger.error({ err: error.message }, 'server error'));

  const lock = config.sqliteFile ? writeServerLock(config.sqliteFile, port) : null;
  let backups: BackupSchedule | null = null;
  if (process.env.JEMPUT_BACKUP_EVERY) {
    if (!config.sqliteFile) logger.warn('JEMPUT_BACKUP_EVERY is for SQLite; on PostgreSQL schedule pg_dump instead (see the README)');
    else {
      try {
        backups = scheduleBackups({
          sourceFile: config.sqliteFile,
          every: process.env.JEMPUT_BACKUP_EVERY,
          keep: Number(process.env.JEMPUT_BACKUP_KEEP ?? 24),
          dir: process.env.JEMPUT_BACKUP_DIR ? resolve(process.env.JEMPUT_BACKUP_DIR) : join(dirname(config.sqliteFile), 'backups'),
          log: logger,
        });
        logger.info({ everyMs: backups.everyMs, keep: backups.keep, dir: backups.dir }, 'scheduled backups on');
      } catch (error) {
        lock?.release();
        throw new StartupError(`JEMPUT_BACKUP_EVERY: ${(error as Error).message}`);
      }
    }
  }

  const housekeeping = scheduleHousekeeping(db, provider, logger);
  // SQLite's checkpoints on a thread of their own, not inside an API request's commit (db/checkpointer.ts).
  const checkpoints = config.sqliteFile ? await startCheckpointer(db, config.sqliteFile, { onError: (message) => logger.warn({ err: message }, 'checkpoint failed') }) : null;

  installGracefulShutdown({
    server,
    streams,
    yoga,
    db,
    logger,
    onClosed: () => {
      backups?.stop();
      housekeeping.stop();
      void checkpoints?.stop();
      lock?.release();
    },
  });
  logger.info({ port, provider, database: where }, `Jemput is running on http://localhost:${port} (GraphQL: /graphql, database: ${provider} ${where})`);
}

// A stray rejected promise is logged, not fatal: one bad request must not take the office down.
process.on('unhandledRejection', (reason) => logger.error({ err: String((reason as Error)?.stack ?? reason) }, 'unhandled rejection'));

try {
  await start();
} catch (error) {
  if (error instanceof StartupError) refuse(error.message);
  refuse(reasonOf(error));
}
