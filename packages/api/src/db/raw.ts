// Raw statements of a write transaction (set-based inserts and updates, tally counters). Through
// Prisma each one is serialized, compiled by the query compiler and interpreted before it reaches
// the driver: on SQLite several times what SQLite takes to run it. Inside an interactive
// transaction on SQLite the connection is the transaction's alone (db/client.ts gives one
// transaction at a time the connection), so its statements can go to better-sqlite3 directly,
// prepared once. Outside a transaction, and on PostgreSQL, they go through Prisma as before.
import type { Db } from './client.ts';

/** The SQLite connection of a client, for statements run inside one of its transactions. */
export type DirectSqlite = {
  inTransaction(): boolean;
  run(sql: string, params: readonly unknown[]): number;
  all<T>(sql: string, params: readonly unknown[]): T[];
};

const DIRECT = Symbol.for('jemput.directSqlite');

type Statement = { run(...params: unknown[]): { changes: number }; all(...params: unknown[]): unknown[] };
type Handle = { prepare(sql: string): Statement; readonly inTransaction: boolean };

/** Statements kept per connection (the hot ones number a few dozen; IN lists vary by length). */
const STATEMENTS = 200;

/**
 * Values bound as the SQLite driver adapter binds a raw query's parameters: a Date as the text
 * Prisma stores ("…T…+00:00"), a boolean as 1 or 0.
 */
function bindable(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/**
 * Makes `db` (and every transaction client made from it, which sees its properties) able to run
 * raw statements on `connection()`, the connection the adapter opened (prepared by `prepare`,
 * which must not be the adapter's own statement wrapper). `onQuery` hears each statement, as
 * Prisma's query log would.
 */
export function attachDirectSqlite(db: Db, connection: () => Handle | null, prepare: (handle: Handle, sql: string) => Statement, onQuery?: (sql: string) => void): void {
  const statements = new Map<string, Statement>();
  let preparedOn: Handle | null = null;
  const statement = (sql: string): Statement => {
    const handle = connection();
    if (!handle) throw new Error('SQLite connection is closed');
    if (handle !== preparedOn) {
      statements.clear(); // reconnected: statements belong to their connection
      preparedOn = handle;
    }
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = prepare(handle, sql);
      if (statements.size >= STATEMENTS) statements.delete(statements.keys().next().value as string);
      statements.set(sql, stmt);
    }
    onQuery?.(sql);
    return stmt;
  };
  const direct: DirectSqlite = {
    inTransaction: () => connection()?.inTransaction ?? false,
    run: (sql, params) => statement(sql).run(...params.map(bindable)).changes,
    all: <T,>(sql: string, params: readonly unknown[]) => statement(sql).all(...params.map(bindable)) as T[],
  };
  Object.defineProperty(db, DIRECT, { value: direct, enumerable: false });
}

/**
 * The connection to run `tx`'s raw statements on directly: only for a transaction client
 * (Prisma's interactive transaction clients have no $transaction) of an SQLite database whose
 * transaction is open; null otherwise.
 */
function directIn(tx: Db): DirectSqlite | null {
  const direct = (tx as unknown as Record<symbol, DirectSqlite | undefined>)[DIRECT];
  if (!direct || typeof (tx as { $transaction?: unknown }).$transaction === 'function' || !direct.inTransaction()) return null;
  return direct;
}

/** A raw statement that changes rows; resolves to the number changed. SQL uses `?` on SQLite, `$n` on PostgreSQL. */
export async function executeRaw(tx: Db, sql: string, params: readonly unknown[]): Promise<number> {
  const direct = directIn(tx);
  return direct ? direct.run(sql, params) : tx.$executeRawUnsafe(sql, ...params);
}

/** A raw statement that answers rows. */
export async function queryRaw<T>(tx: Db, sql: string, params: readonly unknown[]): Promise<T[]> {
  const direct = directIn(tx);
  return direct ? direct.all<T>(sql, params) : tx.$queryRawUnsafe<T[]>(sql, ...params);
}

/** A statement built with Prisma.sql (its `sql` text has `?` placeholders, as SQLite takes them). */
export async function executeSql(tx: Db, query: { sql: string; values: unknown[] }): Promise<number> {
  const direct = directIn(tx);
  return direct ? direct.run(query.sql, query.values) : tx.$executeRaw(query as never);
}
