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

export type TestApi = TestDatabase & {
  officeId: string;
  feed: TallyFeed;
  /** The Yoga handler as a fetch function (for SSE subscriptions). */
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  /** Sends a GraphQL operation through the real Yoga handler (HTTP semantics, no network). */
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResult<T>>;
  /** Like gql, but fails on GraphQL errors and returns data. */
  data<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<T>;
};

/**
 * A test database with the API in front of it. By default it holds one empty office (Kota
 * Malang); `fill` can load other data instead and returns the office to serve.
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
  const gql = async (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => {
    const response = await yoga.fetch('http://test/graphql', {
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
  const drop = async () => {
    await yoga.feed.settled();
    await database.drop();
  };
  const fetch = async (url: string, init?: RequestInit) => yoga.fetch(url, init ?? {});
  return { ...database, drop, officeId, feed: yoga.feed, fetch, gql, data };
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
