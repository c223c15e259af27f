// `pnpm start` as a user runs it: a real process on a fresh SQLite file, migrated and seeded on
// first start, answering GraphQL and serving the web app on one port.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN, fetchWithCookie, loginOverHttp, startServerProcess, type ServerProcess } from './process.ts';

let base = '';
let cookie = '';

async function gql(query: string, variables: Record<string, unknown> = {}) {
  const response = await fetchWithCookie(cookie)(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data?: any; errors?: unknown[] };
}

describe('pnpm start on a fresh SQLite database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jemput-start-'));
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServerProcess({ env: { DATABASE_URL: `file:${join(dir, 'data', 'jemput.db')}` } });
    base = server.base;
    cookie = await loginOverHttp(base, DEMO_ADMIN.username, DEMO_ADMIN.password);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds the demo office on first start and says so', () => {
    expect(server.output()).toMatch(/demo loaded — 50 schools, 12000 students/);
  });

  it('answers the first 50 students of a school with their school and latest outcome', async () => {
    const schools = await gql('{ schools(first: 1, sort: [{ field: NPSN }]) { totalCount edges { node { id name } } } }');
    expect(schools.data.schools.totalCount).toBe(50);
    const school = schools.data.schools.edges[0].node;
    const page = await gql(
      `query ($id: ID!) { students(first: 50, filter: { schoolId: { equals: $id } }) {
         totalCount edges { node { name nisn school { id name } outcome { status } } } } }`,
      { id: school.id },
    );
    expect(page.errors).toBeUndefined();
    expect(page.data.students.edges).toHaveLength(50);
    expect(page.data.students.edges.every((e: any) => e.node.school.id === school.id)).toBe(true);
    const outcomes = await gql('{ outcomes(first: 1) { totalCount } }');
    expect(outcomes.data.outcomes.totalCount).toBeGreaterThan(0);
  });

  it('answers nothing but login to a caller without a session', async () => {
    const anonymous = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ schools(first: 1) { totalCount } }' }) });
    const body = (await anonymous.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('keeps an idle keep-alive connection open for a minute, as it tells the client', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ keepAlive: string | undefined; reused: boolean }>((resolve, reject) => {
        const req = http.get(`${base}/healthz`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ keepAlive: res.headers['keep-alive'] as string | undefined, reused: req.reusedSocket }));
        });
        req.on('error', reject);
      });
    const first = await get();
    expect(first.keepAlive).toBe('timeout=65');
    // Past Node's default of 5 s the same connection still answers.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(await get()).toEqual({ keepAlive: 'timeout=65', reused: true });
    agent.destroy();
  }, 20_000);

  it('serves the web app on the same port', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/Jemput/);
  });
});
