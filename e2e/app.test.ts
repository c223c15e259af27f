// The web app as an officer uses it: the real server on a fresh SQLite file with the demo office,
// the built PWA, Debian's Chromium. Screenshots of every built screen go to e2e/artifacts/.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildWebIfStale, chromiumAvailable, CHROMIUM, gql, openBrowser, screenshot, serveWebCopy, startApp, type Browser, type RunningApp, type StaticSite } from './harness.ts';

if (!chromiumAvailable) {
  console.warn(`\n⚠ ${CHROMIUM} not found: the browser journeys in e2e/ are SKIPPED (apt-get install -y chromium).\n`);
}

const cell = (page: Page, row: number, col: string) => page.locator(`.ag-row[row-index="${row}"]:not(.ag-row-pinned) .ag-cell[col-id="${col}"]`).first();

async function waitForRows(page: Page) {
  await page.waitForSelector('.ag-row:not(.ag-row-pinned) .ag-cell[col-id="nisn"]:not(:empty)', { timeout: 20_000 });
}

/** Clicks a cell and waits until the grid has focused it (the start of a range). */
async function focusCell(page: Page, row: number, col: string) {
  await cell(page, row, col).click();
  await expect.poll(() => cell(page, row, col).getAttribute('class')).toMatch(/ag-cell-focus/);
}

/** Double-clicks a cell, replaces its text and presses Enter, as a person types. */
async function typeInto(page: Page, row: number, col: string, text: string) {
  await cell(page, row, col).dblclick();
  const input = page.locator('.ag-cell-inline-editing input');
  await input.waitFor();
  await input.fill(text);
  await input.press('Enter');
}

/** Drags the mouse from one cell to another, with `steps` mouse moves on the way. */
async function drag(page: Page, from: [number, string], to: [number, string], steps: number) {
  const start = (await cell(page, ...from).boundingBox())!;
  const end = (await cell(page, ...to).boundingBox())!;
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
  await page.mouse.down();
  await page.mouse.move(end.x + end.width / 2, end.y + end.height / 2, { steps });
  await page.mouse.up();
}

/** The rows' ids and their students as stored now. */
async function rowsNow(base: string, page: Page, rows: number[]) {
  const ids = await Promise.all(rows.map((row) => rowId(page, row)));
  return { ids, before: await Promise.all(ids.map((id) => studentById(base, id))) };
}

/** Puts text on the clipboard (as Excel would) and presses Ctrl+V on the focused cell. */
async function paste(page: Page, text: string) {
  await page.evaluate((tsv) => navigator.clipboard.writeText(tsv), text);
  await page.keyboard.press('Control+v');
}

/** A NIK that agrees with a birth date in March 2009 and the sex (day + 40 for women). */
function nik(day: number, sex: 'L' | 'P', serial: number): string {
  return `357301${String(day + (sex === 'P' ? 40 : 0)).padStart(2, '0')}0309${String(serial).padStart(4, '0')}`;
}

async function studentById(base: string, id: string) {
  const data = await gql<{ student: Record<string, unknown> | null }>(base, 'query ($id: ID!) { student(id: $id) { id version name birthPlace className married } }', { id });
  return data.student;
}

async function rowId(page: Page, row: number): Promise<string> {
  const id = await page.locator(`.ag-row[row-index="${row}"]:not(.ag-row-pinned)`).first().getAttribute('row-id');
  if (!id) throw new Error(`row ${row} has no id`);
  return id;
}

describe.skipIf(!chromiumAvailable)('the Jemput PWA in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    buildWebIfStale();
    app = await startApp();
    browser = await openBrowser();
    page = browser.page;
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.base });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('opens on the Siswa grid with the demo students, in Bahasa Indonesia', async () => {
    await page.goto(`${app.base}/`);
    await waitForRows(page);
    expect(await page.locator('.ag-row:not(.ag-row-pinned)').count()).toBeGreaterThan(10);
    await expect.poll(() => page.locator('[data-testid=students-count]').textContent()).toBe('12.000 siswa');
    expect(await page.locator('.ag-header-cell-text').allTextContents()).toEqual(
      expect.arrayContaining(['Nama', 'NISN', 'NIK', 'JK', 'Tempat lahir', 'Tanggal lahir', 'Kelas', 'Menikah', 'Sekolah']),
    );
    expect(await cell(page, 0, 'birthDate').textContent()).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    await screenshot(page, 'siswa');
  });

  it('saves an edited cell, which is still there after a reload', async () => {
    const id = await rowId(page, 0);
    await typeInto(page, 0, 'birthPlace', 'Kota Batu');
    await expect.poll(async () => (await studentById(app.base, id))?.birthPlace, { timeout: 10_000 }).toBe('Kota Batu');
    await page.reload();
    await waitForRows(page);
    expect(await rowId(page, 0)).toBe(id);
    expect(await cell(page, 0, 'birthPlace').textContent()).toBe('Kota Batu');
  });

  it('marks an invalid cell with the reason from the core rules and does not send it', async () => {
    const id = await rowId(page, 1);
    const before = await studentById(app.base, id);
    await typeInto(page, 1, 'nik', '12345');
    await expect.poll(() => cell(page, 1, 'nik').getAttribute('class')).toMatch(/jg-error/);
    expect(await cell(page, 1, 'nik').textContent()).toBe('12345');
    await cell(page, 1, 'nik').click();
    await expect.poll(() => page.locator('[data-testid=cell-problem]').textContent()).toMatch(/NIK/);
    await screenshot(page, 'siswa-invalid-cell');
    expect((await studentById(app.base, id))?.version).toBe(before?.version);
  });

  it('pastes an Excel block as one batch, draws the range, and undoes it in one step', async () => {
    const { ids, before } = await rowsNow(app.base, page, [2, 3]);
    await focusCell(page, 2, 'className');
    const batches: string[] = [];
    page.on('request', (request) => {
      const body = request.postData() ?? '';
      if (request.url().endsWith('/graphql') && body.includes('upsertStudents')) batches.push(body);
    });
    await paste(page, 'XII Uji 1\tYa\r\nXII Uji 2\tTidak\r\n');
    await expect.poll(async () => (await studentById(app.base, ids[0]!))?.className, { timeout: 10_000 }).toBe('XII Uji 1');
    expect((await studentById(app.base, ids[0]!))?.married).toBe(true);
    expect((await studentById(app.base, ids[1]!))?.className).toBe('XII Uji 2');
    expect(batches).toHaveLength(1);
    await expect.poll(() => page.locator('.ag-cell.jg-range').count()).toBe(4);
    await screenshot(page, 'siswa-paste-range');

    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await studentById(app.base, ids[0]!))?.className, { timeout: 10_000 }).toBe(before[0]?.className);
    expect((await studentById(app.base, ids[0]!))?.married).toBe(before[0]?.married);
    expect((await studentById(app.base, ids[1]!))?.className).toBe(before[1]?.className);
    await expect.poll(() => cell(page, 2, 'className').textContent()).toBe(String(before[0]?.className));

    await page.keyboard.press('Control+y');
    await expect.poll(async () => (await studentById(app.base, ids[1]!))?.className, { timeout: 10_000 }).toBe('XII Uji 2');
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await studentById(app.base, ids[1]!))?.className, { timeout: 10_000 }).toBe(before[1]?.className);
  });

  it('selects with Shift+arrows and copies the range as Excel TSV', async () => {
    await focusCell(page, 4, 'sex');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => page.locator('.ag-cell.jg-range').count()).toBe(6);
    await page.keyboard.press('Control+c');
    const expected = [];
    for (const row of [4, 5, 6]) expected.push(`${await cell(page, row, 'sex').textContent()}\t${await cell(page, row, 'birthPlace').textContent()}\r\n`);
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(expected.join(''));

    // A mouse drag draws the range too.
    await drag(page, [10, 'nik'], [12, 'birthPlace'], 8);
    await expect.poll(() => page.locator('.ag-cell.jg-range').count()).toBe(9);
    await screenshot(page, 'siswa-drag-range');
  });

  it('fills down with Ctrl+D and clears with Delete, each undone in one step', async () => {
    const { ids, before } = await rowsNow(app.base, page, [5, 6, 7]);
    await focusCell(page, 5, 'className');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Control+d');
    await expect.poll(async () => (await studentById(app.base, ids[2]!))?.className, { timeout: 10_000 }).toBe(before[0]?.className);
    expect((await studentById(app.base, ids[1]!))?.className).toBe(before[0]?.className);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await studentById(app.base, ids[2]!))?.className, { timeout: 10_000 }).toBe(before[2]?.className);

    await focusCell(page, 7, 'birthPlace');
    await page.keyboard.press('Delete');
    await expect.poll(async () => (await studentById(app.base, ids[2]!))?.birthPlace, { timeout: 10_000 }).toBeNull();
    await expect.poll(() => cell(page, 7, 'birthPlace').textContent()).toBe('');
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await studentById(app.base, ids[2]!))?.birthPlace, { timeout: 10_000 }).toBe(before[2]?.birthPlace);
  });

  it('acts on the cell a key is pressed in, even when the grid reports the focus late (a busy office PC)', async () => {
    const { ids, before } = await rowsNow(app.base, page, [5, 6, 7]);
    await focusCell(page, 5, 'className');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(() => page.locator('.ag-cell.jg-range').count()).toBe(3);
    // AG Grid reports focus changes from a timer: delaying every timer of the page lets the keys
    // below arrive before the report, as they do on a loaded two-core PC.
    await page.evaluate(() => {
      const w = window as unknown as { realSetTimeout?: typeof setTimeout };
      w.realSetTimeout = window.setTimeout;
      window.setTimeout = ((fn: () => void, ms?: number, ...rest: unknown[]) => w.realSetTimeout!(fn, (ms ?? 0) + 500, ...rest)) as typeof setTimeout;
    });
    try {
      // Delete right after a click clears the clicked cell, not the range selected before it.
      await cell(page, 7, 'birthPlace').click();
      await page.keyboard.press('Delete');
      await expect.poll(async () => (await studentById(app.base, ids[2]!))?.birthPlace, { timeout: 10_000 }).toBeNull();
      const after = await Promise.all(ids.map((id) => studentById(app.base, id)));
      expect(after.map((s) => s?.className)).toEqual(before.map((s) => s?.className));
      expect(after.slice(0, 2).map((s) => s?.birthPlace)).toEqual(before.slice(0, 2).map((s) => s?.birthPlace));
      // Shift+arrow right after a click grows the range from the clicked cell; the late report keeps it.
      await cell(page, 2, 'sex').click();
      await page.keyboard.press('Shift+ArrowDown');
      await page.waitForTimeout(1500);
      expect(await page.locator('.ag-cell.jg-range').count()).toBe(2);
      expect(await cell(page, 3, 'sex').getAttribute('class')).toMatch(/jg-range/);
      // A quick drag ends where the mouse was let go.
      await drag(page, [10, 'nik'], [12, 'birthPlace'], 4);
      await page.waitForTimeout(1500);
      expect(await page.locator('.ag-cell.jg-range').count()).toBe(9);
    } finally {
      await page.evaluate(() => {
        const w = window as unknown as { realSetTimeout?: typeof setTimeout };
        if (w.realSetTimeout) window.setTimeout = w.realSetTimeout;
      });
    }
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await studentById(app.base, ids[2]!))?.birthPlace, { timeout: 10_000 }).toBe(before[2]?.birthPlace);
  });

  it('shows a conflicting edit on the cell and lets the officer keep their value', async () => {
    const id = await rowId(page, 9);
    const current = await studentById(app.base, id);
    // Someone else changes the row while the officer is typing in it: the live update waits for
    // the edit, and the edit is saved against the version the officer saw.
    await cell(page, 9, 'className').dblclick();
    const input = page.locator('.ag-cell-inline-editing input');
    await input.waitFor();
    await gql(app.base, 'mutation ($id: ID!, $version: Int!) { updateStudent(id: $id, version: $version, patch: { className: "XII Orang Lain" }) { __typename } }', { id, version: current?.version });
    await page.waitForTimeout(1200);
    await input.fill('XII Saya');
    await input.press('Enter');
    await expect.poll(() => cell(page, 9, 'className').getAttribute('class')).toMatch(/jg-conflict/);
    await cell(page, 9, 'className').click();
    await expect.poll(() => page.locator('[data-testid=cell-problem]').textContent()).toMatch(/XII Saya.*XII Orang Lain/);
    await screenshot(page, 'siswa-conflict');
    expect((await studentById(app.base, id))?.className).toBe('XII Orang Lain');
    await page.getByRole('button', { name: 'Pakai nilai saya' }).click();
    await expect.poll(async () => (await studentById(app.base, id))?.className, { timeout: 10_000 }).toBe('XII Saya');
    await expect.poll(() => cell(page, 9, 'className').getAttribute('class')).not.toMatch(/jg-conflict/);
  });

  it('an edit waiting behind a slow paste still meets a colleague\'s change to its row as a conflict', async () => {
    const id = await rowId(page, 14);
    const current = await studentById(app.base, id);
    // The paste's answer is held back 3 s, so the typed edit below waits in the grid's write queue.
    await page.route('**/graphql', async (route) => {
      if (route.request().postData()?.includes('UpsertStudents')) await new Promise((resolve) => setTimeout(resolve, 3000));
      await route.continue();
    });
    try {
      await focusCell(page, 16, 'className');
      await paste(page, 'XII Antre 1\r\nXII Antre 2\r\n');
      await typeInto(page, 14, 'className', 'XII Saya Antre');
      // Meanwhile a colleague changes that row; its live update reaches this grid before the edit leaves.
      await gql(app.base, 'mutation ($id: ID!, $version: Int!) { updateStudent(id: $id, version: $version, patch: { className: "XII Orang Lain Antre" }) { __typename } }', { id, version: current?.version });
      await expect.poll(() => cell(page, 14, 'className').getAttribute('class'), { timeout: 10_000 }).toMatch(/jg-conflict/);
      expect((await studentById(app.base, id))?.className).toBe('XII Orang Lain Antre');
    } finally {
      await page.unroute('**/graphql');
    }
    await cell(page, 14, 'className').click();
    await page.getByRole('button', { name: 'Pakai nilai sekarang' }).click();
    await expect.poll(() => cell(page, 14, 'className').getAttribute('class')).not.toMatch(/jg-conflict/);
  });

  it('a pasted block longer than the rows left adds new rows in one batch; an invalid NIK is marked; undo takes it all back', async () => {
    const school = (await gql(app.base, '{ schools(first: 1, sort: [{ field: NAME }]) { edges { node { id } } } }')).schools.edges[0].node.id as string;
    const countOf = async () => (await gql(app.base, 'query ($id: ID!) { students(first: 1, filter: { schoolId: { equals: $id } }) { totalCount } }', { id: school })).students.totalCount as number;
    const tested = async () => (await gql(app.base, '{ students(first: 50, search: "uji tempel") { totalCount edges { node { name nik } } } }')).students;
    const total = await countOf();
    await page.locator('[data-testid=school-select]').selectOption(school);
    await expect.poll(() => page.locator('[data-testid=students-count]').textContent()).toBe(`${total} siswa`);
    await waitForRows(page);
    await focusCell(page, 0, 'name');
    await page.keyboard.press('Control+ArrowDown');
    await expect.poll(() => cell(page, total - 1, 'nisn').textContent(), { timeout: 10_000 }).toMatch(/\d/);

    // 20 rows × 6 columns (Nama … Tanggal lahir) at the 5th row from the end: 5 updates, 15 new rows.
    const lines = Array.from({ length: 20 }, (_, i) => {
      const n = i + 1;
      const sex = n % 2 ? 'P' : 'L';
      const id = n === 13 ? '12345' : nik(n, sex, n);
      return [`Uji Tempel ${String(n).padStart(2, '0')}`, `99900000${String(n).padStart(2, '0')}`, id, sex, 'Malang', `${String(n).padStart(2, '0')}/03/2009`].join('\t');
    });
    await focusCell(page, total - 5, 'name');
    const batches: string[] = [];
    const onRequest = (request: { url(): string; postData(): string | null }) => {
      if (request.url().endsWith('/graphql') && (request.postData() ?? '').includes('upsertStudents')) batches.push(request.postData() ?? '');
    };
    page.on('request', onRequest);
    await paste(page, `${lines.join('\r\n')}\r\n`);
    await expect.poll(async () => (await tested()).totalCount, { timeout: 15_000 }).toBe(20);
    page.off('request', onRequest);
    expect(batches).toHaveLength(1);
    expect(await countOf()).toBe(total + 15);
    const rows = (await tested()).edges.map((e: { node: { name: string; nik: string | null } }) => e.node);
    expect(rows.find((r: { name: string }) => r.name === 'Uji Tempel 13')?.nik).toBeNull();
    await expect.poll(() => page.locator('[data-testid=students-count]').textContent()).toBe(`${total + 15} siswa`);
    await expect.poll(() => page.locator('[data-testid=grid-status]').textContent()).toMatch(/5 diubah, 15 baru/);

    // The NIK that could not be saved is marked on its (new) row, with what was pasted.
    await page.locator('[data-testid=students-search]').fill('Uji Tempel 13');
    await expect.poll(() => cell(page, 0, 'name').textContent(), { timeout: 10_000 }).toBe('Uji Tempel 13');
    await expect.poll(() => cell(page, 0, 'nik').getAttribute('class')).toMatch(/jg-error/);
    expect(await cell(page, 0, 'nik').textContent()).toBe('12345');
    await focusCell(page, 0, 'nik');
    await expect.poll(() => page.locator('[data-testid=cell-problem]').textContent()).toMatch(/NIK/);
    await screenshot(page, 'siswa-paste-new-rows');

    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await tested()).totalCount, { timeout: 15_000 }).toBe(0);
    expect(await countOf()).toBe(total);
    await page.locator('[data-testid=students-search]').fill('');
    await page.locator('[data-testid=school-select]').selectOption('');
    await expect.poll(() => page.locator('[data-testid=students-count]').textContent()).toBe('12.000 siswa');
  });

  it('switches to English and back; the API is asked for English messages too', async () => {
    const languages: (string | undefined)[] = [];
    const onRequest = (request: { url(): string; headers(): Record<string, string> }) => {
      // urql sends queries as GET /graphql?query=…, mutations as POST.
      if (new URL(request.url()).pathname === '/graphql') languages.push(request.headers()['accept-language']);
    };
    page.on('request', onRequest);
    await page.getByRole('button', { name: 'English' }).click();
    await waitForRows(page);
    await expect.poll(() => languages.length).toBeGreaterThan(0);
    page.off('request', onRequest);
    expect(languages.every((l) => l === 'en')).toBe(true);
    // A problem found by the core rules follows the language too.
    await focusCell(page, 1, 'nik');
    await expect.poll(() => page.locator('[data-testid=cell-problem]').textContent()).toBe('NIK must be 16 digits (found 5)');
    await expect.poll(() => page.locator('[data-testid=students-count]').textContent()).toBe('12,000 students');
    // Signed in as the demo admin, who also has the Users and Audit screens.
    expect(await page.locator('nav a').allTextContents()).toEqual(['Schools', 'Students', 'Drives', 'Visits', 'Outcomes', 'Dashboard', 'Stock', 'Import', 'Users', 'Audit']);
    await screenshot(page, 'students-en');
    await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();
    await expect.poll(() => page.locator('[data-testid=students-count]').textContent()).toBe('12.000 siswa');
  });

  it('has every screen of the menu built: none is "segera hadir" any more', async () => {
    for (const screen of ['sekolah', 'drive', 'kunjungan', 'hasil', 'dasbor', 'stok']) {
      await page.locator(`nav a[data-screen=${screen}]`).click();
      expect(new URL(page.url()).pathname).toBe(`/${screen}`);
      await page.locator('main section.screen:not(.soon)').waitFor();
      expect(await page.locator('.soon-badge').count()).toBe(0);
    }
    await page.locator('nav a[data-screen=siswa]').click();
    await waitForRows(page);
  });

  it('keeps every menu item of the administrator in sight on 1366- and 1280-pixel office screens', async () => {
    for (const width of [1366, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      const nav = await page.locator('nav').evaluate((el) => ({ right: el.getBoundingClientRect().right, scroll: el.scrollWidth, client: el.clientWidth }));
      const items = await page.locator('nav a').evaluateAll((links) => links.map((a) => ({ screen: a.getAttribute('data-screen'), right: a.getBoundingClientRect().right })));
      expect(items.length).toBeGreaterThanOrEqual(10);
      expect(nav.scroll, `menu overflows at ${width}px`).toBeLessThanOrEqual(nav.client);
      expect(items.filter((i) => i.right > nav.right + 0.5).map((i) => i.screen), `cut off at ${width}px`).toEqual([]);
      if (width === 1366) await screenshot(page, 'menu-1366');
    }
    await page.setViewportSize({ width: 1400, height: 860 });
  });

  it('is installable: manifest with generated icons, and a service worker precaching the shell', async () => {
    const manifest = await (await fetch(`${app.base}/manifest.webmanifest`)).json();
    expect(manifest).toMatchObject({ name: 'Jemput', display: 'standalone', start_url: '/' });
    for (const icon of manifest.icons) {
      const response = await fetch(`${app.base}${icon.src}`);
      expect(response.headers.get('content-type')).toMatch(/image\/png/);
    }
    expect(await page.locator('link[rel=manifest]').getAttribute('href')).toBeTruthy();
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${app.base}/`);
    const sw = await (await fetch(`${app.base}/sw.js`)).text();
    expect(sw).toMatch(/index\.html/);
  });

  it('runs under its Content-Security-Policy, and every API request carries the CSRF header', async () => {
    const graphqlRequests: Record<string, string>[] = [];
    const onRequest = (request: { url(): string; headers(): Record<string, string> }) => {
      if (new URL(request.url()).pathname === '/graphql') graphqlRequests.push(request.headers());
    };
    page.on('request', onRequest);
    const response = await page.goto(`${app.base}/siswa`);
    await waitForRows(page);
    page.off('request', onRequest);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toMatch(/script-src 'self';/);
    expect(headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(graphqlRequests.length).toBeGreaterThan(0);
    expect(graphqlRequests.every((h) => h['x-graphql-yoga-csrf'] === '1')).toBe(true);
    expect(browser.errors.filter((e) => /CSP violation|Content Security Policy/i.test(e))).toEqual([]);
    // The policy is enforced, and a violation would be caught: an injected inline script is refused.
    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.head.append(script);
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => browser.errors.some((e) => /CSP violation: script-src/.test(e))).toBe(true);
    browser.errors.splice(0, browser.errors.length, ...browser.errors.filter((e) => !/CSP violation|Content Security Policy/i.test(e)));
  });

  it('logged no errors in the browser, and AG Grid shows no diagnostics overlay', async () => {
    expect(browser.errors).toEqual([]);
    expect(await page.locator('.ag-overlay-error-button').count()).toBe(0);
  });
});

// A new version deployed while the app is open: the service worker finds it and the app shows
// "Versi baru tersedia — muat ulang"; the button reloads into the new version. (Same file as the
// journeys above so the two never build packages/web at the same time.)
describe.skipIf(!chromiumAvailable)('new version prompt', () => {
  let site: StaticSite;
  let browser: Browser;

  beforeAll(async () => {
    buildWebIfStale();
    site = await serveWebCopy();
    browser = await openBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('works offline after the first visit, and offers the new version when one is deployed', async () => {
    const { page } = browser;
    await page.goto(`${site.base}/siswa`);
    await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 10_000 }).toBe(true);

    // The app shell opens without the network (served from the precache).
    await browser.context.setOffline(true);
    await page.reload();
    await expect.poll(() => page.locator('nav a[data-screen=siswa]').textContent()).toBe('Siswa');
    // The Siswa screen itself opens (its data can't load: the grid says so).
    await expect.poll(() => page.locator('.screen h1').textContent()).toBe('Siswa');
    await expect.poll(() => page.locator('[data-testid=grid-status]').textContent()).toBe('Tidak ada koneksi ke server');
    await screenshot(page, 'siswa-offline');
    await browser.context.setOffline(false);
    await page.reload();
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 10_000 }).toBe(true);

    // "Deploy": the new build's service worker differs (one precache revision changes).
    const swPath = join(site.dir, 'sw.js');
    const sw = readFileSync(swPath, 'utf8');
    const deployed = sw.replace(/("?revision"?:\s*")([0-9a-f])/, (_m, head: string, c: string) => `${head}${c === 'a' ? 'b' : 'a'}`);
    expect(deployed).not.toBe(sw);
    writeFileSync(swPath, deployed);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    const prompt = page.locator('.toast-update');
    await prompt.waitFor({ timeout: 25_000 });
    expect(await prompt.locator('span').textContent()).toBe('Versi baru tersedia — muat ulang');
    await screenshot(page, 'versi-baru-tersedia');

    await Promise.all([page.waitForEvent('load', { timeout: 15_000 }), prompt.getByRole('button', { name: 'Muat ulang' }).click()]);
    await expect.poll(() => page.locator('.toast-update').count()).toBe(0);
  });
});
