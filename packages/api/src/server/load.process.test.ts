// `pnpm bench:load` in miniature, on each database: officers scrolling the grid, editing, recording
// outcomes and pasting against the real server process(es) while dashboards listen to the tallies.
// Speed is the bench's business (figures, not tests); this checks what must hold at any speed —
// no request fails, every acknowledged outcome is stored, the tallies recount clean — and that
// the bench itself still runs with the web app's documents.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { postgresAvailable } from '../test/databases.ts';
import { redisAnswers } from '../../bench/tallies/server.ts';

const apiDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function bench(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'bench/load.ts', ...args], { cwd: apiDir, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

describe('an office at peak, in miniature (bench:load)', () => {
  const small = ['--quick', '--duration=6', '--officers=12', '--dashboards=12'];

  const checks = (output: string) => {
    expect(output).toMatch(/^PASS {2}0 errors/m);
    expect(output).toMatch(/^PASS {2}every acknowledged outcome stored/m);
    expect(output).toMatch(/^PASS {2}tallies recount clean/m);
    // Each kind of officer got answers.
    for (const kind of ['roster', 'edit', 'outcome', 'paste']) expect(output).toMatch(new RegExp(`^${kind} +[1-9]`, 'm'));
  };

  it('SQLite, one server: nothing fails, nothing acknowledged is lost, tallies stay exact', async () => {
    const { code, output } = await bench(small);
    checks(output);
    expect(code, output).toBe(0);
  }, 300_000);

  it.skipIf(!postgresAvailable())('PostgreSQL + Redis, two servers: the same', async () => {
    expect(await redisAnswers('127.0.0.1', 6379), 'Redis on 127.0.0.1:6379').toBe(true);
    const { code, output } = await bench([...small, '--pg']);
    checks(output);
    expect(code, output).toBe(0);
  }, 300_000);
});
