// `pnpm start` as a user runs it: a real process on a fresh SQLite file, migrated and seeded on
// first start, answering GraphQL and serving the web app on one port.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const apiDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const port = 40_000 + (process.pid % 10_000);
const base = `http://127.0.0.1:${port}`;

function startServer(env: Record<string, string>): { child: ChildProcess; output: () => string; ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: apiDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Jemput is running')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return { child, output: () => output, ready };
}

async function gql(query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data?: any; errors?: unknown[] };
}

describe('pnpm start on a fresh SQLite database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jemput-start-'));
  let server: ReturnType<typeof startServer>;

  beforeAll(async () => {
    server = startServer({ DATABASE_URL: `file:${join(dir, 'data', 'jemput.db')}`, PORT: String(port) });
    await server.ready;
  }, 120_000);

  afterAll(() => {
    server?.child.kill('SIGTERM');
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

  it('serves the web app on the same port', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/Jemput/);
  });
});
