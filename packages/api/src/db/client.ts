// Opens the database named by a URL: SQLite (a file: URL or path) by default, PostgreSQL for
// postgres(ql):// URLs. Both clients are generated from the same model, so the app is typed
// against the SQLite one and a PostgreSQL client is used through the same type.
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/sqlite/client.ts';
import { PrismaClient as PostgresPrismaClient } from '../generated/postgresql/client.ts';
import { providerOf } from '@jemput/prisma/migrations';

export { providerOf };
export type Db = PrismaClient;
export type DbProvider = 'sqlite' | 'postgresql';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const DEFAULT_DATABASE_URL = `file:${join(repoRoot, 'data', 'jemput.db')}`;

export type OpenDbOptions = {
  /** Called with every SQL statement the client sends (tests count them). */
  onQuery?: (sql: string) => void;
  /** PostgreSQL pool size. */
  poolSize?: number;
};

const postgresPools = new WeakMap<Db, pg.Pool>();

/** The connection pool behind a PostgreSQL client (undefined for SQLite). */
export function postgresPoolOf(db: Db): pg.Pool | undefined {
  return postgresPools.get(db);
}

export function sqliteFilePath(url: string): string {
  return resolve(url.replace(/^file:/, ''));
}

/**
 * The SQLite adapter with three changes, each explained where it is made: prepared statements are
 * reused, a statement outside a transaction waits for the open one, and LIKE gets an escape.
 *
 * Prisma puts the text of contains/startsWith into LIKE unescaped (prisma/prisma#19506), so the
 * filters escape % and _ with a backslash (common/filters.ts). PostgreSQL's LIKE reads backslash
 * as its escape character; SQLite's LIKE has none unless the statement names one: this adapter
 * adds ESCAPE '\' to every `LIKE ?` Prisma sends, so both databases read a pattern the same way.
 */
class JemputSQLite extends PrismaBetterSQLite3 {
  override async connect() {
    const connection = await super.connect();
    reuseStatements((connection as unknown as { client: SqliteHandle }).client);
    isolateTransactions(connection as unknown as SqliteAdapter);
    return likeEscaping(connection);
  }
}

const withLikeEscape = (sql: string) => sql.replace(/ LIKE \?/g, " LIKE ? ESCAPE '\\'");

function likeEscaping<T extends object>(queryable: T): T {
  return new Proxy(queryable, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property === 'queryRaw' || property === 'executeRaw') return (query: { sql: string }) => value.call(target, { ...query, sql: withLikeEscape(query.sql) });
      // A transaction runs its statements through its own object.
      if (property === 'startTransaction') return async (...args: unknown[]) => likeEscaping(await value.apply(target, args));
      return value.bind(target);
    },
  });
}

type SqliteStatement = { reader: boolean; columns(): unknown[]; run(...params: unknown[]): unknown; raw(on: boolean): { all(...params: unknown[]): unknown[] } };
type SqliteHandle = { prepare(sql: string): unknown };

/** Statements kept per connection; the SQL of an IN list differs by its length, so the map is bounded. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The SQLite adapter prepares every statement anew and binds it once (`prepare(sql).bind(args)`);
 * under load that parsing is a measurable share of the server's CPU. This keeps prepared
 * statements by SQL text and binds the arguments at each call instead, which better-sqlite3 allows
 * for a statement that is not being iterated (the adapter only runs `run()` and `raw().all()`).
 */
function reuseStatements(handle: SqliteHandle): void {
  const prepare = handle.prepare.bind(handle) as (sql: string) => SqliteStatement;
  const statements = new Map<string, SqliteStatement>();
  handle.prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (statement) {
      statements.delete(sql); // most recently used last
      statements.set(sql, statement);
    } else {
      statement = prepare(sql);
      statements.set(sql, statement);
      if (statements.size > STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
    }
    const stmt = statement;
    const bound = (params: unknown[]) => ({
      reader: stmt.reader,
      columns: () => stmt.columns(),
      run: () => stmt.run(...params),
      raw: () => ({ all: () => stmt.raw(true).all(...params) }),
    });
    return { ...bound([]), bind: (...args: unknown[]) => bound(args) };
  };
}

type SqliteQueryable = { queryRaw(q: unknown): Promise<unknown>; executeRaw(q: unknown): Promise<unknown> };
type SqliteTransaction = SqliteQueryable & { commit(): Promise<void>; rollback(): Promise<void> };
type SqliteAdapter = SqliteQueryable & { startTransaction(level?: unknown): Promise<SqliteTransaction>; executeScript(script: string): Promise<void> };

/**
 * One SQLite connection serves every request, and the adapter makes transactions wait for each
 * other but not single statements: a statement sent while another request's transaction is open
 * would run inside it, reading rows that are not committed, and a write already answered to its
 * caller would be rolled back with that transaction (tested in isolation.test.ts). Here every
 * statement outside a transaction, and every new transaction, waits until none is open.
 * better-sqlite3 runs a statement synchronously, so only a transaction ever holds the turn long.
 */
function isolateTransactions(adapter: SqliteAdapter): void {
  let turn: Promise<void> = Promise.resolve();
  const take = (): Promise<() => void> => {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const ready = turn.then(() => release);
    turn = turn.then(() => mine);
    return ready;
  };
  const alone = <A extends unknown[], R>(run: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    const release = await take();
    try {
      return await run(...args);
    } finally {
      release();
    }
  };
  adapter.queryRaw = alone(adapter.queryRaw.bind(adapter));
  adapter.executeRaw = alone(adapter.executeRaw.bind(adapter));
  adapter.executeScript = alone(adapter.executeScript.bind(adapter));
  const start = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (level?: unknown) => {
    const release = await take();
    let tx: SqliteTransaction;
    try {
      tx = await start(level);
    } catch (error) {
      release();
      throw error;
    }
    // Prisma sends COMMIT or ROLLBACK as a statement of the transaction, then calls one of these.
    const end = (finish: () => Promise<void>) => async () => {
      try {
        await finish();
      } finally {
        release();
      }
    };
    tx.commit = end(tx.commit.bind(tx));
    tx.rollback = end(tx.rollback.bind(tx));
    return tx;
  };
}

export async function openDb(url: string = DEFAULT_DATABASE_URL, options: OpenDbOptions = {}): Promise<Db> {
  const log = options.onQuery ? [{ level: 'query' as const, emit: 'event' as const }] : [];
  let db: Db;
  if (providerOf(url) === 'postgresql') {
    // The pool is made here (not by the adapter) so /metrics can report its connections.
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
    const adapter = new PrismaPg(pool, { disposeExternalPool: true });
    db = new PostgresPrismaClient({ adapter, log }) as unknown as Db;
    postgresPools.set(db, pool);
  } else {
    const file = sqliteFilePath(url);
    mkdirSync(dirname(file), { recursive: true });
    db = new PrismaClient({ adapter: new JemputSQLite({ url: file, timeout: 5000 }), log });
  }
  if (options.onQuery) {
    const onQuery = options.onQuery;
    (db as unknown as { $on(event: 'query', cb: (e: { query: string }) => void): void }).$on('query', (e) => onQuery(e.query));
  }
  await db.$connect();
  if (providerOf(url) === 'sqlite') {
    // WAL lets readers work while one writer commits; FULL sync keeps committed
    // transactions through a power cut; foreign keys are off by default in SQLite.
    await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await db.$executeRawUnsafe('PRAGMA synchronous = FULL');
    await db.$executeRawUnsafe('PRAGMA foreign_keys = ON');
    await db.$queryRawUnsafe('PRAGMA busy_timeout = 5000');
    // Table statistics let the planner read a roster page from the (nameSearch, id) index instead of
    // sorting every student; SQLite's advice for long-lived connections: optimize on open, then
    // now and then (db/housekeeping.ts). It only analyzes tables whose statistics are missing or stale.
    await db.$queryRawUnsafe('PRAGMA optimize = 0x10002');
  }
  return db;
}
