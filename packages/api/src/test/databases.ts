// Real databases for tests: each test file gets its own SQLite file and its own PostgreSQL
// database, copied from the migrated templates made by global-setup.ts, and dropped after.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import type { IsoDate } from '@jemput/core';
import { openDb, type Db, type DbProvider } from '../db/client.ts';
import { createYogaApp } from '../server/app.ts';
import type { TallyFeed } from '../tallies/feed.ts';
import type { RowChangeFeed } from '../rows/feed.ts';
import { hashPassword } from '../auth/passwords.ts';
import { createSession, SESSION_COOKIE } from '../auth/sessions.ts';
import type { Role } from '../auth/user.ts';

export const TEST_TODAY: IsoDate = '2024-10-01';

export type TestDatabase = { provider: DbProvider; url: string; db: Db; queries: string[]; drop(): Promise<void> };

export async function createTestDatabase(provider: DbProvider): Promise<TestDatabase> {
  const queries: string[] = [];
  if (provider === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'jemput-db-'));
    const file = join(dir, 'test.db');
    copyFileSync(inject('sqliteTemplate'), file);
    const url = `file:${file}`;
    const db = await openDb(url, { onQuery: (sql) => queries.push(sql) });
    return { provider, url, db, queries, drop: async () => { await db.$disconnect(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const template = inject('postgresTemplate');
  if (!template) throw new Error('PostgreSQL is not available');
  const adminUrl = inject('postgresAdminUrl');
  const name = `jemput_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDb(url.toString(), { onQuery: (sql) => queries.push(sql) });
  return {
    provider,
    url: url.toString(),
    db,
    queries,
    drop: async () => {
      await db.$disconnect();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

export type GraphQLResult<T = any> = { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };

/** Someone calling the API: a user with a session cookie, or nobody (anonymous). */
export type TestClient = {
  /** The acting user, or null for an anonymous client. */
  user: { id: string; username: string; role: Role; districts: string[]; team: string | null } | null;
  /** The `Cookie` header this client sends (null when anonymous). */
  cookie: string | null;
  /** The Yoga handler as a fetch function (for SSE subscriptions and /export), with the session cookie. */
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  /** Sends a GraphQL operation through the real Yoga handler (HTTP semantics, no network). */
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResult<T>>;
  /** Like gql, but fails on GraphQL errors and returns data. */
  data<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<T>;
};

export type ActAs = { role: Role; districts?: string[]; team?: string | null; username?: string; password?: string; mustChangePassword?: boolean; officeId?: string };

/** By default a test API acts as an ADMIN of its office; `as` gives clients for other roles or nobody. */
export type TestApi = TestDatabase &
  TestClient & {
    officeId: string;
    feed: TallyFeed;
    /** Row changes for live grids, as the editing engine publishes them. */
    rows: RowChangeFeed;
    /** A client acting as a new user of that role (and districts/team), or anonymous for null. */
    as(who: ActAs | null, options?: { ip?: string }): Promise<TestClient>;
    /** A user with a password (argon2id) who can log in; no session yet. */
    createUser(who: ActAs & { username: string; password: string }): Promise<{ id: string }>;
    /** A client with an existing session cookie (e.g. from a login response), or none. */
    client(cookie: string | null, options?: { ip?: string }): TestClient;
  };

let userCounter = 0;

/**
 * A test database with the API in front of it. By default it holds one empty office (Kota
 * Malang); `fill` can load other data instead and returns the office to serve. The API acts
 * as an ADMIN of that office unless `as` gives another client.
 */
export async function createTestApi(provider: DbProvider, options: { today?: IsoDate; fill?: (db: Db) => Promise<string> } = {}): Promise<TestApi> {
  const database = await createTestDatabase(provider);
  const officeId = options.fill
    ? await options.fill(database.db)
    : (
        await database.db.office.create({
          data: { regencyCode: '35.73', name: 'Dinas Kependudukan dan Pencatatan Sipil Kota Malang', regencyName: 'Kota Malang', provinceName: 'Jawa Timur', kits: 7 },
        })
      ).id;
  const today = options.today ?? TEST_TODAY;
  const yoga = createYogaApp({ db: database.db, provider, officeId, today: () => today, graphiql: false });

  const client = (cookie: string | null, clientOptions: { ip?: string } = {}, user: TestClient['user'] = null): TestClient => {
    const serverContext = { ip: clientOptions.ip ?? '10.0.0.1' };
    const fetch = async (url: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      if (cookie && !headers.has('cookie')) headers.set('cookie', cookie);
      return yoga.fetch(url, { ...init, headers }, serverContext);
    };
    const gql = async (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => {
      const response = await fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResult;
    };
    const data = async (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => {
      const result = await gql(query, variables, headers);
      if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
      return result.data;
    };
    return { user, cookie, fetch, gql, data };
  };

  const createUser = async (who: ActAs & { username?: string; password?: string }) => {
    const username = who.username ?? `test-${who.role.toLowerCase()}-${++userCounter}-${Math.random().toString(36).slice(2, 6)}`;
    return database.db.user.create({
      data: {
        officeId: who.officeId ?? officeId,
        username,
        displayName: `Test ${who.role}`,
        role: who.role,
        team: who.team ?? null,
        mustChangePassword: who.mustChangePassword ?? false,
        passwordHash: who.password ? await hashPassword(who.password) : null,
        districts: { create: (who.districts ?? []).map((districtCode) => ({ districtCode })) },
      },
    });
  };

  const as = async (who: ActAs | null, clientOptions: { ip?: string } = {}): Promise<TestClient> => {
    if (!who) return client(null, clientOptions);
    const user = await createUser(who);
    const { token } = await createSession(database.db, user.id, { ip: null, userAgent: 'vitest' });
    return client(`${SESSION_COOKIE}=${token}`, clientOptions, { id: user.id, username: user.username, role: who.role, districts: who.districts ?? [], team: who.team ?? null });
  };

  const admin = await as({ role: 'ADMIN' });
  const drop = async () => {
    await yoga.feed.settled();
    await database.drop();
  };
  return { ...database, ...admin, drop, officeId, feed: yoga.feed, rows: yoga.rows, as, createUser: (who) => createUser(who), client: (cookie, clientOptions) => client(cookie, clientOptions) };
}

export const postgresAvailable = () => inject('postgresTemplate') !== null;

/**
 * Runs the same suite against SQLite and PostgreSQL. PostgreSQL is skipped (and says so) only
 * when no server answers.
 */
export function describeOnEachDatabase(name: string, suite: (api: () => TestApi) => void, options: Parameters<typeof createTestApi>[1] = {}): void {
  for (const provider of ['sqlite', 'postgresql'] as const) {
    describe.skipIf(provider === 'postgresql' && !postgresAvailable())(`${name} [${provider}]`, () => {
      let api: TestApi;
      beforeAll(async () => {
        api = await createTestApi(provider, options);
      });
      afterAll(async () => api?.drop());
      suite(() => api);
    });
  }
}

/**
 * SQLite's query plan for each statement matching `pick` that the API sent while `run` ran: a
 * test of an index checks the statement Prisma really sends, not a hand-written stand-in.
 */
export async function sqlitePlansOf(api: TestApi, pick: RegExp, run: () => Promise<unknown>): Promise<string[]> {
  const from = api.queries.length;
  await run();
  const statements = api.queries.slice(from).filter((sql) => pick.test(sql));
  if (!statements.length) throw new Error(`no statement matching ${pick} was sent`);
  // EXPLAIN does not run the statement, so any bound values will do.
  const plan = async (sql: string) =>
    (await api.db.$queryRawUnsafe<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${sql}`, ...sql.split('?').slice(1).map(() => 'x'))).map((p) => p.detail).join('; ');
  return Promise.all(statements.map(plan));
}
