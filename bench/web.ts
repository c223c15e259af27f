// pnpm bench:web — the PWA's speed, measured in Debian's Chromium against the real server
// (SQLite), each figure beside a baseline measured in the same run:
//   initial JS (gzipped) to show the first screen   vs  all of the app's JS loaded up front;
//   time to first rows of a 100,000-student roster  vs  loading the whole roster first (what a
//                                                       client-side row model needs before it shows
//                                                       sorted, filtered rows);
//   Ctrl+V of a 1,000 × 6 TSV block to all saved    vs  the same 1,000 rows saved one update each.
// `--quick`: a 20,000-student roster and one run of each. `--students=N`: another roster size.
// `--against=DIR`: also runs another checkout of Jemput (e.g. the commit before a change, with its
// own node_modules and built web app) on a copy of the same roster, interleaved run by run with
// this one, and prints its figures in a "before" column: a before/after measured side by side.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { composeNik, formatDateId } from '../packages/core/src/index.ts';
import { buildWebIfStale, chromiumAvailable, CHROMIUM, openBrowser, WEB_DIST } from '../e2e/harness.ts';
import { startServerProcess, type ServerProcess } from '../packages/api/src/server/process.ts';
import { MAX_DEMO_SCHOOLS } from '../packages/api/src/seed/schools.ts';

const quick = process.argv.includes('--quick');
const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const STUDENTS = Number(flag('students') ?? (quick ? 20_000 : 100_000));
// About 250 students a school, within what the demo generator makes (at most 200 schools).
const SCHOOLS = Math.min(MAX_DEMO_SCHOOLS, Math.max(1, Math.round(STUDENTS / 250)));
const RUNS = quick ? 1 : 3;
const PASTE_ROWS = 1000;
const root = join(fileURLToPath(import.meta.url), '..', '..');
const scratch = join(root, '.bench');
const against = flag('against') ? resolve(flag('against')!) : null;

if (!Number.isInteger(STUDENTS) || STUDENTS < 1000) {
  console.error(`--students must be a whole number of at least 1000 (got ${flag('students')}).`);
  process.exit(2);
}
if (!chromiumAvailable) {
  console.error(`${CHROMIUM} not found: bench:web needs Chromium (apt-get install -y chromium).`);
  process.exit(1);
}
if (against && !existsSync(join(against, 'packages', 'web', 'dist', 'index.html'))) {
  console.error(`--against=${against}: no built web app there (run pnpm install && pnpm build:web in it first).`);
  process.exit(2);
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const s = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const ratio = (baseline: number, ours: number) => `${(baseline / ours).toFixed(1)}×`;
const rows: string[][] = [];
const report = (what: string, ours: string, before: string | null, baseline: string, baselineWhat: string, factor: string, goal = '') =>
  rows.push([what, ours, ...(against ? [before ?? '—'] : []), goal, baseline, baselineWhat, factor]);

console.log(`bench:web${quick ? ' --quick' : ''}: ${STUDENTS.toLocaleString('id-ID')} students${against ? `, against ${against}` : ''}; building the web app if stale…`);
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
type App = { name: 'ours' | 'before'; server: ServerProcess; dist: string; js: Set<string>; firstRows: number[]; jumps: number[]; pastes: number[] };
const env = (dbFile: string) => ({ DATABASE_URL: `file:${dbFile}`, REDIS_URL: '', NODE_ENV: 'production' });
const runFile = (name: string) => join(scratch, `web-run-${process.pid}-${name}.db`);
const apps: App[] = [];
const newApp = (name: App['name'], server: ServerProcess, dist: string): App => ({ name, server, dist, js: new Set(), firstRows: [], jumps: [], pastes: [] });

try {
  copyFileSync(cached, runFile('ours'));
  apps.push(newApp('ours', await startServerProcess({ env: env(runFile('ours')) }), WEB_DIST));
  if (against) {
    copyFileSync(cached, runFile('before'));
    apps.push(newApp('before', await startServerProcess({ env: env(runFile('before')), apiDir: join(against, 'packages', 'api') }), join(against, 'packages', 'web', 'dist')));
  }
  const ours = apps[0]!;
  const before = apps[1];
  const middle = Math.floor(STUDENTS / 2);

  // ---------------------------------------------------------------- 1, 2. initial JS, first rows, a jump to the middle
  for (let run = 0; run < RUNS; run++) {
    for (const app of apps) {
      const browser = await openBrowser({ app: app.server });
      browser.page.on('response', (r) => {
        const path = new URL(r.url()).pathname;
        if (path.endsWith('.js') && path !== '/sw.js' && !path.includes('workbox')) app.js.add(path);
      });
      const started = Date.now();
      await browser.page.goto(`${app.server.base}/siswa`);
      await waitForRows(browser.page);
      app.firstRows.push(Date.now() - started);
      app.jumps.push(await jumpTo(browser.page, middle));
      await browser.close();
    }
  }
  const gz = (dist: string, path: string) => gzipSync(readFileSync(join(dist, path)), { level: 9 }).length;
  const initialJs = (app: App) => [...app.js].reduce((sum, p) => sum + gz(app.dist, p), 0);
  const allJs = readdirSync(join(WEB_DIST, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + gz(WEB_DIST, join('assets', f)), 0);
  report('initial JS, gzipped (Siswa screen)', kb(initialJs(ours)), before ? kb(initialJs(before)) : null, kb(allJs), 'every screen’s JS up front', ratio(allJs, initialJs(ours)), '≤ 400 KB');

  const browsers = await Promise.all(apps.map((app) => openBrowser({ app: app.server })));
  const pages = browsers.map((b) => b.page);
  for (const [i, app] of apps.entries()) {
    await browsers[i]!.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.server.base });
    await pages[i]!.goto(`${app.server.base}/siswa`);
    await waitForRows(pages[i]!);
  }
  const page = pages[0]!;
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
    s(median(ours.firstRows)),
    before ? s(median(before.firstRows)) : null,
    s(fullLoad.ms),
    `loading all ${fullLoad.loaded.toLocaleString('id-ID')} rows first (500/request)`,
    ratio(fullLoad.ms, median(ours.firstRows)),
  );
  report(
    `scroll to row ${middle.toLocaleString('id-ID')} to rows shown (median of ${RUNS})`,
    s(median(ours.jumps)),
    before ? s(median(before.jumps)) : null,
    s(fullLoad.ms),
    'loading all rows first (as above)',
    ratio(fullLoad.ms, median(ours.jumps)),
  );

  // ---------------------------------------------------------------- 3. paste 1,000 × 6
  const tsv = (tag: string) =>
    Array.from({ length: PASTE_ROWS }, (_, i) => {
      const sex = i % 2 ? 'P' : 'L';
      const birthDate = `2008-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
      const nik = composeNik({ districtCode: '35.73.01', birthDate, sex, serial: (i % 9000) + 1 });
      return [`Siswa Bench ${tag} ${i + 1}`, `99${tag}${String(i).padStart(7, '0')}`.slice(0, 10), nik, sex, 'Malang', formatDateId(birthDate)].join('\t');
    }).join('\n');
  // Both checkouts take turns, so a busy moment of the machine falls on both alike.
  for (let run = 0; run < RUNS; run++) {
    for (const [i, app] of apps.entries()) app.pastes.push(await paste(pages[i]!, tsv(String(run))));
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
  report(
    `Ctrl+V of ${PASTE_ROWS.toLocaleString('id-ID')} × 6 cells to all saved (median of ${RUNS})`,
    s(median(ours.pastes)),
    before ? s(median(before.pastes)) : null,
    s(single),
    `${PASTE_ROWS.toLocaleString('id-ID')} single-row updates`,
    ratio(single, median(ours.pastes)),
    '≤ 1 s',
  );
  for (const b of browsers) if (b.errors.length) console.warn(`browser errors: ${b.errors.join('\n')}`);
  await Promise.all(browsers.map((b) => b.close()));
  if (against) console.log(`runs (ms), this checkout / before: first rows ${ours.firstRows.join(', ')} / ${before!.firstRows.join(', ')}; jump ${ours.jumps.join(', ')} / ${before!.jumps.join(', ')}; paste ${ours.pastes.join(', ')} / ${before!.pastes.join(', ')}`);
} finally {
  await Promise.all(apps.map((app) => app.server.stop()));
  for (const f of readdirSync(scratch)) if (f.startsWith(`web-run-${process.pid}`)) rmSync(join(scratch, f));
}

const headers = ['measure', 'Jemput', ...(against ? ['before'] : []), 'goal', 'baseline', 'baseline is', 'speed-up'];
const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(`\n${line(headers)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`);
if (against) console.log(`before = ${against} on a copy of the same roster, runs interleaved with this checkout's.`);

async function waitForRows(page: Page) {
  await page.waitForSelector('.ag-row:not(.ag-row-pinned) .ag-cell[col-id="nisn"]:not(:empty)', { timeout: 60_000 });
}

/** Scrolls the roster so that row `index` is in view; ms until its cells show data. */
async function jumpTo(page: Page, index: number): Promise<number> {
  const started = Date.now();
  await page.evaluate((row) => {
    const viewport = document.querySelector('.ag-grid-viewport') as HTMLElement;
    const height = (document.querySelector('.ag-row[row-index="0"]') as HTMLElement).offsetHeight;
    viewport.scrollTop = row * height;
  }, index);
  await page.waitForSelector(`.ag-row[row-index="${index}"] .ag-cell[col-id="nisn"]:not(:empty)`, { timeout: 60_000 });
  return Date.now() - started;
}

/** Ctrl+V of `text` at the first name cell; ms until the grid says every row was saved. */
async function paste(page: Page, text: string): Promise<number> {
  await page.locator('.ag-row[row-index="0"] .ag-cell[col-id="name"]').first().click();
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  const started = Date.now();
  await page.keyboard.press('Control+v');
  await page.waitForFunction(() => /^Tempel: 1\.000 diubah, 0 baru, 0 ditolak, 0 bentrok/.test(document.querySelector('[data-testid=grid-status]')?.textContent ?? ''), null, { timeout: 120_000 });
  const ms = Date.now() - started;
  // The paste's live echo arrives after its answer: let it settle before the next measurement.
  await page.waitForTimeout(300);
  return ms;
}
