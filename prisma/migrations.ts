// Migrations for both databases, through the Prisma CLI (wasm engine, see prisma.config.ts).
//   tsx prisma/migrations.ts deploy          apply pending migrations to DATABASE_URL (default: SQLite data/jemput.db)
//   tsx prisma/migrations.ts new <name>      write a new migration for SQLite and PostgreSQL from model.prisma changes
//   tsx prisma/migrations.ts check           exit 1 if model.prisma has changes no migration covers
// `new` and `check` replay the committed migrations into a scratch database and diff it against the
// model, because `migrate dev`'s shadow-database handling is broken with adapters in Prisma 6.19.3.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { providers, schemaPath, type Provider } from './generate.ts';

const prismaDir = dirname(fileURLToPath(import.meta.url));
const configPath = join(prismaDir, 'prisma.config.ts');
const prismaBin = createRequire(import.meta.url).resolve('prisma/build/index.js');

export function providerOf(url: string): Provider {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgresql' : 'sqlite';
}

function prismaCli(args: string[], databaseUrl: string): string {
  try {
    return execFileSync(process.execPath, [prismaBin, ...args, '--config', configPath], {
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    // The CLI's useful line is usually in stdout; show both, without the engine backtrace.
    const output = `${e.stdout ?? ''}\n${e.stderr ?? ''}`.split('\n').filter((l) => !/^\s+(\d+:|at )/.test(l));
    throw new Error(`prisma ${args[0]} ${args[1] ?? ''} failed:\n${output.join('\n').trim()}`);
  }
}

/**
 * Applies pending migrations; creates the SQLite file (and its folder) if needed. When several
 * API instances start together on one PostgreSQL database, all but one time out waiting for
 * Prisma's migration lock (P1002); they try again once the first one is done.
 */
export function migrateDeploy(databaseUrl: string, attempts = 4): void {
  if (providerOf(databaseUrl) === 'sqlite') mkdirSync(dirname(databaseUrl.replace(/^file:/, '')), { recursive: true });
  for (let attempt = 1; ; attempt++) {
    try {
      prismaCli(['migrate', 'deploy'], databaseUrl);
      return;
    } catch (error) {
      if (attempt >= attempts || !/P1002/.test((error as Error).message)) throw error;
    }
  }
}

/** SQL that would bring a database with every committed migration up to model.prisma ('' when in sync). */
export function pendingModelChanges(provider: Provider, scratchUrl: string): string {
  migrateDeploy(scratchUrl);
  // With a driver adapter the CLI can neither diff from a URL nor use a shadow database,
  // but it can introspect: pull the migrated scratch database's schema, then diff two files.
  const pulled = prismaCli(['db', 'pull', '--print', '--schema', schemaPath(provider)], scratchUrl);
  const dir = mkdtempSync(join(tmpdir(), 'jemput-pulled-'));
  try {
    const pulledPath = join(dir, 'schema.prisma');
    // SQLite stores enums as text, and re-introspection writes their defaults as strings
    // (`@default("PLANNED")`), which the enum-typed field then rejects: unquote them.
    const schema = pulled.slice(pulled.search(/^(generator|datasource)\b/m)).replace(/@default\("([A-Z][A-Z_]*)"\)/g, '@default($1)');
    writeFileSync(pulledPath, schema);
    const sql = prismaCli(
      ['migrate', 'diff', '--from-schema-datamodel', pulledPath, '--to-schema-datamodel', schemaPath(provider), '--script'],
      scratchUrl,
    );
    return /CREATE|ALTER|DROP|INSERT|PRAGMA/i.test(sql) ? sql.slice(sql.search(/^--|^[A-Z]/m)) : '';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs fn with a scratch database of the provider that is dropped afterwards. */
export async function withScratchDatabase<T>(provider: Provider, fn: (url: string) => T | Promise<T>): Promise<T> {
  if (provider === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'jemput-scratch-'));
    try {
      return await fn(`file:${join(dir, 'scratch.db')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const { adminUrl, databaseUrl } = postgresScratchUrls();
  const name = `jemput_scratch_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    try {
      return await fn(databaseUrl(name));
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}

/** PostgreSQL server used for scratch and test databases: JEMPUT_PG_URL, default the local one. */
export function postgresScratchUrls(): { adminUrl: string; databaseUrl: (name: string) => string } {
  const adminUrl = process.env.JEMPUT_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  return {
    adminUrl,
    databaseUrl: (name) => {
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
  };
}

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  if (command === 'deploy') {
    migrateDeploy(process.env.DATABASE_URL ?? `file:${join(prismaDir, '..', 'data', 'jemput.db')}`);
    console.log('Migrations applied.');
  } else if (command === 'new' && name && /^[a-z0-9_]+$/.test(name)) {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    for (const provider of providers) {
      const sql = await withScratchDatabase(provider, (url) => pendingModelChanges(provider, url));
      if (!sql) {
        console.log(`${provider}: the migrations already match model.prisma`);
        continue;
      }
      const dir = join(prismaDir, provider, 'migrations', `${stamp}_${name}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'migration.sql'), sql);
      console.log(`${provider}: wrote ${dir}/migration.sql — read it before committing`);
    }
  } else if (command === 'check') {
    let stale = false;
    for (const provider of providers) {
      const sql = await withScratchDatabase(provider, (url) => pendingModelChanges(provider, url));
      if (sql) {
        console.error(`${provider}: model.prisma has changes without a migration:\n${sql}`);
        stale = true;
      }
    }
    process.exit(stale ? 1 : 0);
  } else {
    console.error('usage: tsx prisma/migrations.ts deploy | new <snake_case_name> | check');
    process.exit(2);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
