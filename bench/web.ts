// pnpm bench:web — the PWA's speed, measured in Debian's Chromium against the real server
// (SQLite), each figure beside a baseline measured in the same run:
//   initial JS (gzipped) to show the first screen   vs  all of the app's JS loaded up front;
//   time to first rows of a 100,000-student roster  vs  loading the whole roster first (what a
//                                                       client-side row model needs before it shows
//                                                       sorted, filtered rows);
//   Ctrl+V of a 1,000 × 6 TSV block to all saved    vs  the same 1,000 rows saved one update each.
// `--quick`: a 20,000-student roster and one run of each.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { composeNik, formatDateId } from '../packages/core/src/index.ts';
import { buildWebIfStale, chromiumAvailable, CHROMIUM, openBrowser, WEB_DIST } from '../e2e/harness.ts';
import { startServerProcess } from '../packages/api/src/server/process.ts';

const quick = process.argv.includes('--quick');
const STUDENTS = quick ? 20_000 : 100_000;
const SCHOOLS = quick ? 80 : 400;
const RUNS = quick ? 1 : 3;
const PASTE_ROWS = 1000;
const root = join(fileURLToPath(import.meta.url), '..', '..');
const scratch = join(root, '.bench');

if (!chromiumAvailable) {
  console.error(`${CHROMIUM} not found: bench:web needs Chromium (apt-get install -y chromium).`);
  process.exit(1);
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const s = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const ratio = (baseline: number, ours: number) => `${(baseline / ours).toFixed(1)}×`;
const rows: string[][] = [];
const report = (what: string, ours: string, baseline: string, baselineWhat: string, factor: string, goal = '') => rows.push([what, ours, goal, baseline, baselineWhat, factor]);

console.log(`bench:web${quick ? ' --quick' : ''}: building the web app if stale…`);
buildWebIfStale();

// ------------------------------------------------------------------ the roster
mkdirSync(scratch, { recursive: true });
const cached = join(scratch, `web-roster-${STUDENTS}.db`);
if (!existsSync(cached)) {
  console.log(`generating a ${STUDENTS.toLocaleString('id-ID')}-student roster (once; cached in .bench/)…`);
  const seeded = spawnSync('pnpm', ['--filter', '@jemput/api', 'exec', 'tsx', 'bench/roster.ts', `${cached}.tmp`, String(STUDENTS), String(SCHOOLS)], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (seeded.status !== 0) throw new Error(`seeding failed: ${seeded.stdout}`);
  console.log(seeded.stdout.trim().split('\n').pop());
  copyFileSync(`${cached}.tmp`, cached);
  for (const f of readdirSync(scratch)) if (f.startsWith(`web-roster-${STUDENTS}.db.tmp`)) rmSync(join(scratch, f));
}
const dbFile = join(scratch, `web-run-${process.pid}.db`);
copyFileSync(cached, dbFile);
const server = await startServerProcess({ env: { DATABASE_URL: `file:${dbFile}`, REDIS_URL: '', NODE_ENV: 'production' } });

try {
  // ---------------------------------------------------------------- 1. initial JS
  const jsLoaded = new Set<string>();
  const firstRows: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const browser = await openBrowser({ app: server });
    browser.page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.endsWith('.js') && path !== '/sw.js' && !path.includes('workbox')) jsLoaded.add(path);
    });
    const started = Date.now();
    await browser.page.goto(`${server.base}/siswa`);
    await waitForRows(browser.page);
    firstRows.push(Date.now() - started);
    await browser.close();
  }
  const gz = (path: string) => gzipSync(readFileSync(join(WEB_DIST, path)), { level: 9 }).length;
  const initial = [...jsLoaded].reduce((sum, p) => sum + gz(p), 0);
  const allJs = readdirSync(join(WEB_DIST, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + gz(join('assets', f)), 0);
  report('initial JS, gzipped (Siswa screen)', kb(initial), kb(allJs), 'every screen’s JS up front', ratio(allJs, initial), '≤ 400 KB');

  // ---------------------------------------------------------------- 2. first rows of the roster
  const browser = await openBrowser({ app: server });
  const page = browser.page;
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
  await page.goto(`${server.base}/siswa`);
  await waitForRows(page);
  const fullLoad = await page.evaluate(async (limit) => {
    const started = performance.now();
    let loaded = 0;
    for (let offset = 0; ; offset += limit) {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1' },
        body: JSON.stringify({
          query: 'query ($o: Int, $n: Int) { students(first: $n, offset: $o) { totalCount edges { node { id version name nisn nik sex birthPlace birthDate className married schoolId school { id name } } } } }',
          variables: { o: offset, n: limit },
        }),
      });
      const body = await response.json();
      loaded += body.data.students.edges.length;
      if (loaded >= body.data.students.totalCount || body.data.students.edges.length === 0) break;
    }
    return { ms: performance.now() - started, loaded };
  }, 500);
  report(
    `time to first rows, ${STUDENTS.toLocaleString('id-ID')}-student roster (median of ${RUNS}, cold browser)`,
    s(median(firstRows)),
    s(fullLoad.ms),
    `loading all ${fullLoad.loaded.toLocaleString('id-ID')} rows first (500/request)`,
    ratio(fullLoad.ms, median(firstRows)),
  );

  // ---------------------------------------------------------------- 3. paste 1,000 × 6
  const tsv = (tag: string) =>
    Array.from({ length: PASTE_ROWS }, (_, i) => {
      const sex = i % 2 ? 'P' : 'L';
      const birthDate = `2008-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
      const nik = composeNik({ districtCode: '35.73.01', birthDate, sex, serial: (i % 9000) + 1 });
      return [`Siswa Bench ${tag} ${i + 1}`, `99${tag}${String(i).padStart(7, '0')}`.slice(0, 10), nik, sex, 'Malang', formatDateId(birthDate)].join('\t');
    }).join('\n');
  const pasteTimes: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await page.locator('.ag-row[row-index="0"] .ag-cell[col-id="name"]').first().click();
    await page.evaluate((text) => navigator.clipboard.writeText(text), tsv(String(run)));
    const started = Date.now();
    await page.keyboard.press('Control+v');
    await page.waitForFunction(() => /^Tempel: 1\.000 diubah, 0 baru, 0 ditolak, 0 bentrok/.test(document.querySelector('[data-testid=grid-status]')?.textContent ?? ''), null, { timeout: 120_000 });
    pasteTimes.push(Date.now() - started);
    await page.waitForTimeout(300);
  }
  // The same 1,000 rows, one updateStudent each (what a grid without a batch endpoint would do).
  const single = await page.evaluate(async (count) => {
    const list = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1' },
      body: JSON.stringify({ query: `{ students(first: ${count}, offset: 5000) { edges { node { id version } } } }` }),
    }).then((r) => r.json());
    const started = performance.now();
    let i = 0;
    for (const { node } of list.data.students.edges) {
      await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1' },
        body: JSON.stringify({
          query: 'mutation ($id: ID!, $v: Int!, $p: StudentInput!) { updateStudent(id: $id, version: $v, patch: $p) { __typename } }',
          variables: { id: node.id, v: node.version, p: { name: `Siswa Satu Satu ${i}`, birthPlace: 'Batu Bench', className: `X-${i % 9}` } },
        }),
      });
      i++;
    }
    return performance.now() - started;
  }, PASTE_ROWS);
  report(`Ctrl+V of ${PASTE_ROWS.toLocaleString('id-ID')} × 6 cells to all saved (median of ${RUNS})`, s(median(pasteTimes)), s(single), `${PASTE_ROWS.toLocaleString('id-ID')} single-row updates`, ratio(single, median(pasteTimes)), '≤ 1 s');
  if (browser.errors.length) console.warn(`browser errors: ${browser.errors.join('\n')}`);
  await browser.close();
} finally {
  await server.stop();
  for (const f of readdirSync(scratch)) if (f.startsWith(`web-run-${process.pid}.db`)) rmSync(join(scratch, f));
}

const headers = ['measure', 'Jemput', 'goal', 'baseline', 'baseline is', 'speed-up'];
const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(`\n${line(headers)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`);

async function waitForRows(page: Page) {
  await page.waitForSelector('.ag-row:not(.ag-row-pinned) .ag-cell[col-id="nisn"]:not(:empty)', { timeout: 60_000 });
}
