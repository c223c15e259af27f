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
import { isSqliteBusy, whileBusy, type LockWait } from './sqlite-lock.ts';
import { installPlanCache } from './plan-cache.ts';
import { attachDirectSqlite } from './raw.ts';
import { WalFile, WalSync } from './wal-sync.ts';

installPlanCache();

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
  /** Wraps SQLite's WAL sync (db/wal-sync.ts): tests hold it back to see that writes wait for it. */
  wrapWalSync?: (sync: () => Promise<void>) => () => Promise<void>;
};

const postgresPools = new WeakMap<Db, pg.Pool>();
const walSyncs = new WeakMap<Db, WalSync>();

/** The connection pool behind a PostgreSQL client (undefined for SQLite). */
export function postgresPoolOf(db: Db): pg.Pool | undefined {
  return postgresPools.get(db);
}

/** The group commit of an SQLite client (undefined for PostgreSQL): see db/wal-sync.ts. */
export function walSyncOf(db: Db): WalSync | undefined {
  return walSyncs.get(db);
}

export function sqliteFilePath(url: string): string {
  return resolve(url.replace(/^file:/, ''));
}

/**
 * The SQLite adapter with five changes, each explained where it is made: prepared statements are
 * reused, a statement outside a transaction waits for the open one, transactions take the write
 * lock when they begin and wait for it without blocking the thread, a write is answered once it is
 * on disk (group commit, db/wal-sync.ts), and LIKE gets an escape.
 *
 * Prisma puts the text of contains/startsWith into LIKE unescaped (prisma/prisma#19506), so the
 * filters escape % and _ with a backslash (common/filters.ts). PostgreSQL's LIKE reads backslash
 * as its escape character; SQLite's LIKE has none unless the statement names one: this adapter
 * adds ESCAPE '\' to every `LIKE ?` Prisma sends, so both databases read a pattern the same way.
 */
class JemputSQLite extends PrismaBetterSQLite3 {
  /** The connection opened last (db/raw.ts runs a transaction's raw statements on it). */
  handle: SqliteHandle | null = null;

  constructor(
    config: ConstructorParameters<typeof PrismaBetterSQLite3>[0],
    private readonly walFile: WalFile,
    readonly wal: WalSync,
  ) {
    super(config);
  }

  override async connect() {
    const connection = await super.connect();
    // The WAL file's handle belongs to this connection (wal-sync.ts WalFile).
    this.walFile.reset();
    const dispose = connection.dispose.bind(connection);
    connection.dispose = async () => {
      this.walFile.reset();
      await dispose();
    };
    const handle = (connection as unknown as { client: SqliteHandle }).client;
    this.handle = handle;
    reuseStatements(handle);
    beginImmediately(handle);
    isolateTransactions(connection as unknown as SqliteAdapter, handle, this.wal);
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
type SqliteHandle = { prepare(sql: string): unknown; exec(sql: string): unknown; readonly inTransaction: boolean; readonly open: boolean };

/** Statements kept per connection; the SQL of an IN list differs by its length, so the map is bounded. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The SQLite adapter prepares every statement anew and binds it once (`prepare(sql).bind(args)`);
 * under load that parsing is a measurable share of the server's CPU. This keeps prepared
 * statements by SQL text and binds the arguments at each call instead, which better-sqlite3 allows
 * for a statement that is not being iterated (the adapter only runs `run()` and `raw().all()`).
 * A statement's result columns are fixed by its text, so they are read from SQLite once: the
 * adapter asks for them on every read, and better-sqlite3 builds a new object per column each time.
 */
function reuseStatements(handle: SqliteHandle): void {
  const prepare = handle.prepare.bind(handle) as (sql: string) => SqliteStatement;
  const statements = new Map<string, { stmt: SqliteStatement; columns: unknown[] | null }>();
  handle.prepare = (sql: string) => {
    let entry = statements.get(sql);
    if (entry) {
      statements.delete(sql); // most recently used last
      statements.set(sql, entry);
    } else {
      entry = { stmt: prepare(sql), columns: null };
      statements.set(sql, entry);
      if (statements.size > STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
    }
    const cached = entry;
    const { stmt } = cached;
    const bound = (params: unknown[]) => ({
      reader: stmt.reader,
      columns: () => (cached.columns ??= stmt.columns()),
      run: () => stmt.run(...params),
      raw: () => ({ all: () => stmt.raw(true).all(...params) }),
    });
    return { ...bound([]), bind: (...args: unknown[]) => bound(args) };
  };
}

/**
 * Several connections write to one file: the API's, the import's bulk writer (imports/sqlite-bulk.ts),
 * and the command-line tools (db:seed, tallies:verify --fix) while a server runs. The adapter begins its
 * transactions with a plain BEGIN, which takes the write lock only at the first write: two such
 * transactions that both read first can never both commit, and SQLite answers SQLITE_BUSY at once
 * (no busy timeout helps). startTransaction (below) therefore takes the lock first with
 * BEGIN IMMEDIATE; the adapter's own BEGIN, which follows, then has nothing left to do.
 */
function beginImmediately(handle: SqliteHandle): void {
  const prepare = handle.prepare.bind(handle) as (sql: string) => SqliteStatement;
  const begin = { reader: false, columns: () => [], run: () => void (handle.inTransaction || handle.exec('BEGIN IMMEDIATE')), raw: () => ({ all: () => [] }) };
  handle.prepare = (sql: string) => (sql === 'BEGIN' ? { ...begin, bind: () => begin } : prepare(sql));
}

/**
 * How long a statement or a transaction waits for the write lock held by another connection before
 * it fails (as SQLite's busy timeout did). The connection has no busy timeout: better-sqlite3 would
 * sleep in the thread, stopping every other request of this process (db/sqlite-lock.ts).
 */
const WRITE_LOCK_WAIT: LockWait = { waitMs: 5000, maxDelayMs: 10 };
/** How long a transaction waiting for the write lock lets this process's other statements go first. */
const YIELD_TURN_MS = 100;

type SqliteQueryable = { queryRaw(q: unknown): Promise<unknown>; executeRaw(q: unknown): Promise<unknown> };
type SqliteTransaction = SqliteQueryable & { commit(): Promise<void>; rollback(): Promise<void> };
type SqliteAdapter = SqliteQueryable & { startTransaction(level?: unknown): Promise<SqliteTransaction>; executeScript(script: string): Promise<void> };

/**
 * One SQLite connection serves every request of a process, and the adapter makes transactions wait for each
 * other but not single statements: a statement sent while another request's transaction is open
 * would run inside it, reading rows that are not committed, and a write already answered to its
 * caller would be rolled back with that transaction (tested in isolation.test.ts). Here every
 * statement outside a transaction, and every new transaction, waits until none is open.
 * better-sqlite3 runs a statement synchronously, so only a transaction ever holds the turn long.
 */
function isolateTransactions(adapter: SqliteAdapter, handle: SqliteHandle, wal: WalSync): void {
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
  // Outside a transaction a statement that finds the file locked did nothing: it is tried again.
  // Between tries the turn is given back, so this process's other statements go on meanwhile.
  const patient = <A extends unknown[], R>(run: (...args: A) => Promise<R>) => (...args: A): Promise<R> => whileBusy(() => run(...args), WRITE_LOCK_WAIT);
  // A statement that may have written committed on its own: it is noted while it still has the
  // turn (db/wal-sync.ts) and answered once on disk, after giving the turn back.
  const durable = <A extends unknown[], R>(run: (...args: A) => Promise<R>, writes: (...args: A) => boolean) => {
    const once = patient(alone(async (...args: A) => ({ result: await run(...args), seq: writes(...args) ? wal.note() : 0 })));
    return async (...args: A): Promise<R> => {
      const { result, seq } = await once(...args);
      if (seq) await wal.until(seq);
      return result;
    };
  };
  adapter.queryRaw = durable(adapter.queryRaw.bind(adapter), (query) => !/^\s*SELECT\b/i.test((query as { sql: string }).sql));
  adapter.executeRaw = durable(adapter.executeRaw.bind(adapter), (_query: unknown) => true);
  adapter.executeScript = durable(adapter.executeScript.bind(adapter), (_script: string) => true);
  const start = adapter.startTransaction.bind(adapter);
  /**
   * The turn, with the write lock taken by BEGIN IMMEDIATE. For a short while the turn is given
   * back between tries, so this process's reads go on while another connection writes; a transaction
   * that has waited that long keeps the turn from then on, so it cannot be overtaken again and again.
   */
  const takeWithWriteLock = async (): Promise<() => void> => {
    const begin = (release: () => void) => {
      try {
        handle.exec('BEGIN IMMEDIATE');
        return release;
      } catch (error) {
        release();
        throw error;
      }
    };
    try {
      return await whileBusy(async () => begin(await take()), { ...WRITE_LOCK_WAIT, waitMs: YIELD_TURN_MS });
    } catch (error) {
      if (!isSqliteBusy(error)) throw error;
    }
    const release = await take();
    return whileBusy(() => begin(() => {}), WRITE_LOCK_WAIT).then(
      () => release,
      (error) => {
        release();
        throw error;
      },
    );
  };
  adapter.startTransaction = async (level?: unknown) => {
    const release = await takeWithWriteLock();
    let tx: SqliteTransaction;
    try {
      tx = await start(level);
    } catch (error) {
      if (handle.inTransaction) handle.exec('ROLLBACK');
      release();
      throw error;
    }
    // Prisma sends COMMIT or ROLLBACK as a statement of the transaction, then calls one of these.
    // A commit is answered once on disk; the turn is given back first, so the next transaction
    // runs while this one's sync does (and shares it).
    const end = (finish: () => Promise<void>, commits: boolean) => async () => {
      let seq = 0;
      try {
        await finish();
        if (commits) seq = wal.note();
      } finally {
        release();
      }
      if (seq) await wal.until(seq);
    };
    tx.commit = end(tx.commit.bind(tx), true);
    tx.rollback = end(tx.rollback.bind(tx), false);
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
    // No busy timeout: waiting for another connection's write lock is done asynchronously (WRITE_LOCK_WAIT).
    const walFile = new WalFile(`${file}-wal`);
    const adapter = new JemputSQLite({ url: file, timeout: 0 }, walFile, new WalSync((options.wrapWalSync ?? ((sync) => sync))(walFile.sync)));
    db = new PrismaClient({ adapter, log });
    walSyncs.set(db, adapter.wal);
    // The statement wrappers above are own properties of the connection: its class prepares real statements.
    const prepare = (handle: object, sql: string) => (Object.getPrototypeOf(handle) as SqliteHandle).prepare.call(handle, sql) as never;
    attachDirectSqlite(db, () => (adapter.handle?.open ? (adapter.handle as never) : null), prepare, options.onQuery);
  }
  if (options.onQuery) {
    const onQuery = options.onQuery;
    (db as unknown as { $on(event: 'query', cb: (e: { query: string }) => void): void }).$on('query', (e) => onQuery(e.query));
  }
  await db.$connect();
  if (providerOf(url) === 'sqlite') {
    // WAL lets readers work while one writer commits; NORMAL sync with a WAL fsync before a write
    // is answered (db/wal-sync.ts) keeps answered writes through a power cut without stopping the
    // event loop at each COMMIT; foreign keys are off by default in SQLite.
    await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await db.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
    await db.$executeRawUnsafe('PRAGMA foreign_keys = ON');
    // Table statistics let the planner read a roster page from the (nameSearch, id) index instead of
    // sorting every student; SQLite's advice for long-lived connections: optimize on open, then
    // now and then (db/housekeeping.ts). It only analyzes tables whose statistics are missing or stale.
    await db.$queryRawUnsafe('PRAGMA optimize = 0x10002');
  }
  return db;
}
