// Checks made before the server starts, so a misconfigured office server says in one line what is
// wrong (and exits non-zero) instead of printing a stack trace, or failing minutes later.
import { accessSync, constants, mkdirSync, openSync, closeSync, rmSync, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { DEFAULT_DATABASE_URL, sqliteFilePath, type DbProvider } from '../db/client.ts';
import { runningServerOn } from './lock.ts';

/** A refusal to start: its message is the one line the admin sees. */
export class StartupError extends Error {}

export type ServerConfig = {
  databaseUrl: string;
  provider: DbProvider;
  /** Where the database is, without any password: for messages. */
  where: string;
  sqliteFile: string | null;
  port: number;
  redisUrl: string | null;
};

/** Hides the password of a URL shown in a message. */
export function redactUrl(url: string): string {
  return url.replace(/^(\w+:\/\/[^:/@]*:)[^@]*@/, '$1•••@');
}

export function readConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const databaseUrl = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new StartupError(`PORT must be a number from 1 to 65535, not "${env.PORT}".`);
  const redisUrl = env.REDIS_URL || null;
  if (redisUrl && !/^rediss?:\/\/[^/]/.test(redisUrl)) throw new StartupError(`REDIS_URL must look like redis://host:6379, not "${redactUrl(redisUrl)}".`);

  if (/^postgres(ql)?:/.test(databaseUrl)) {
    let url: URL;
    try {
      url = new URL(databaseUrl);
    } catch {
      throw new StartupError(`DATABASE_URL is not a valid PostgreSQL URL (expected postgresql://user@host:5432/database): "${redactUrl(databaseUrl)}".`);
    }
    if (!url.hostname || url.pathname.length < 2) throw new StartupError(`DATABASE_URL must name a host and a database, e.g. postgresql://user@host:5432/jemput (got "${redactUrl(databaseUrl)}").`);
    return { databaseUrl, provider: 'postgresql', where: `${url.hostname}:${url.port || 5432}${url.pathname}`, sqliteFile: null, port, redisUrl };
  }
  // Anything with a scheme other than file: is a mistake, not a file name.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(databaseUrl) || (/^[a-z][a-z0-9+.-]+:/i.test(databaseUrl) && !databaseUrl.startsWith('file:'))) {
    throw new StartupError(`DATABASE_URL must be file:<path> (SQLite) or postgresql://… (PostgreSQL), not "${redactUrl(databaseUrl)}".`);
  }
  const file = sqliteFilePath(databaseUrl);
  if (!databaseUrl.replace(/^file:/, '').trim()) throw new StartupError('DATABASE_URL names no file: use file:data/jemput.db or a full path.');
  return { databaseUrl, provider: 'sqlite', where: file, sqliteFile: file, port, redisUrl };
}

/** The SQLite file's folder exists (or can be made) and the server can write there. */
export function checkDataDirectory(file: string): void {
  const dir = dirname(file);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new StartupError(`cannot create the data directory ${dir} (${(error as NodeJS.ErrnoException).code}); create it or point DATABASE_URL elsewhere.`);
  }
  if (!statSync(dir).isDirectory()) throw new StartupError(`${dir} is not a directory; point DATABASE_URL at a file inside a directory.`);
  // A real write, because access() lies for root and on read-only mounts.
  const probe = join(dir, `.jemput-write-test-${process.pid}`);
  try {
    accessSync(dir, constants.W_OK);
    closeSync(openSync(probe, 'w'));
    rmSync(probe, { force: true });
    if (existsSync(file)) closeSync(openSync(file, 'r+'));
  } catch (error) {
    throw new StartupError(`the data directory ${dir} is not writable (${(error as NodeJS.ErrnoException).code}); SQLite needs to write the database and its journal there.`);
  }
}

/** Fails fast when the port is taken, before minutes of migrating and seeding. */
export function checkPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new StartupError(
          error.code === 'EADDRINUSE'
            ? `port ${port} is already in use (another Jemput?); stop it or set PORT to a free port.`
            : `cannot listen on port ${port} (${error.code}); set PORT to another port.`,
        ),
      ),
    );
    probe.listen(port, () => probe.close(() => resolve()));
  });
}

export async function checkPostgres(config: ServerConfig): Promise<void> {
  const client = new pg.Client({ connectionString: config.databaseUrl, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { code?: string };
    // A missing database is created by the migrations; anything else stops us here.
    if (e.code === '3D000') return;
    const reason = e.code === 'ECONNREFUSED' ? 'connection refused' : e.code === '28P01' || e.code === '28000' ? 'login refused' : (e.message || String(e.code)).split('\n')[0];
    throw new StartupError(`PostgreSQL at ${config.where} is not reachable (${reason}); check DATABASE_URL and that PostgreSQL is running.`);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function checkRedis(redisUrl: string): Promise<void> {
  const client = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StartupError(`Redis at ${redactUrl(redisUrl)} is not reachable (${code === 'ECONNREFUSED' ? 'connection refused' : (error as Error).message.split('\n')[0]}); start Redis or unset REDIS_URL.`);
  } finally {
    client.disconnect();
  }
}

/** Every check that needs no database schema; throws StartupError with the first problem. */
export async function checkBeforeStart(config: ServerConfig): Promise<void> {
  if (config.sqliteFile) {
    checkDataDirectory(config.sqliteFile);
    const running = await runningServerOn(config.sqliteFile);
    if (running) throw new StartupError(`another Jemput server (pid ${running.pid}, port ${running.port}) is already running on ${config.sqliteFile}.`);
  } else {
    await checkPostgres(config);
  }
  if (config.redisUrl) await checkRedis(config.redisUrl);
  await checkPortFree(config.port);
}
