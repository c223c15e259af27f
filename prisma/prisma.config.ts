// Prisma CLI configuration. This machine cannot download Prisma's Rust schema
// engine, so the CLI runs its bundled wasm engine ("js") through a driver adapter.
// The provider follows DATABASE_URL: postgres(ql):// → PostgreSQL, otherwise SQLite
// (a file: URL or a path; default data/jemput.db at the repository root).
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

const prismaDir = dirname(fileURLToPath(import.meta.url));
const url = process.env.DATABASE_URL ?? '';
const isPostgres = /^postgres(ql)?:\/\//.test(url);

function sqliteFile(): string {
  const raw = url.replace(/^file:/, '');
  return raw ? resolve(raw) : join(prismaDir, '..', 'data', 'jemput.db');
}

// Works around prisma/prisma#27403 (Prisma 6.19.3): the wasm schema engine reads
// PostgreSQL catalog columns of type `name` and `"char"`, which @prisma/adapter-pg
// refuses to deserialize ("Column type 'name' could not be deserialized"). Both
// arrive from pg as plain strings, so we report them as text.
const CATALOG_STRING_OIDS = new Set([18 /* "char" */, 19 /* name */]);
const TEXT_OID = 25;
function catalogColumnsAsText<R>(result: R): R {
  for (const field of (result as { fields?: { dataTypeID: number }[] }).fields ?? []) {
    if (CATALOG_STRING_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
  }
  return result;
}
function catalogSafePool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString });
  // Patch every pooled client: pg's Pool.query() uses the callback form of
  // client.query(), the adapter's transactions the promise form.
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const last = args[args.length - 1];
      if (typeof last === 'function') {
        args[args.length - 1] = (err: unknown, result: unknown) => last(err, err ? result : catalogColumnsAsText(result));
        return query(...args);
      }
      return (query(...args) as Promise<unknown>).then(catalogColumnsAsText);
    };
  });
  return pool;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: join(prismaDir, isPostgres ? 'postgresql' : 'sqlite', 'schema.prisma'),
  migrations: { path: join(prismaDir, isPostgres ? 'postgresql' : 'sqlite', 'migrations') },
  adapter: async () => (isPostgres ? new PrismaPg(catalogSafePool(url)) : new PrismaBetterSQLite3({ url: sqliteFile() })),
});
