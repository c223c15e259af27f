// The Sekolah, Drive, Kunjungan and Dasbor screens as an officer uses them, rows that change
// live while another officer edits, CSV export and remembered columns: the real server on a
// fresh SQLite file with the demo office, the built PWA, Debian's Chromium. Screenshots of each
// screen go to e2e/artifacts/.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildWebIfStale, chromiumAvailable, gql, openBrowser, screenshot, startApp, type Browser, type RunningApp } from './harness.ts';

const cell = (page: Page, row: number, col: string) => page.locator(`.ag-row[row-index="${row}"]:not(.ag-row-pinned) .ag-cell[col-id="${col}"]`).first();

async function waitForCells(page: Page, col: string) {
  await page.waitForSelector(`.ag-row:not(.ag-row-pinned) .ag-cell[col-id="${col}"]:not(:empty)`, { timeout: 20_000 });
}

async function typeInto(page: Page, row: number, col: string, text: string) {
  await cell(page, row, col).dblclick();
  const input = page.locator('.ag-cell-inline-editing input');
  await input.waitFor();
  await input.fill(text);
  await input.press('Enter');
}

async function rowId(page: Page, row: number): Promise<string> {
  const id = await page.locator(`.ag-row[row-index="${row}"]:not(.ag-row-pinned)`).first().getAttribute('row-id');
  if (!id) throw new Error(`row ${row} has no id`);
  return id;
}

async function open(page: Page, screen: string) {
  await page.locator(`nav a[data-screen=${screen}]`).click();
  await expect.poll(() => new URL(page.url()).pathname).toBe(`/${screen}`);
}

describe.skipIf(!chromiumAvailable)('Sekolah, Drive, Kunjungan and Dasbor in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let driveId: string;

  beforeAll(async () => {
    buildWebIfStale();
    app = await startApp();
    browser = await openBrowser();
    page = browser.page;
    driveId = (await gql(app.base, '{ drives(first: 1) { edges { node { id } } } }')).drives.edges[0].node.id;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('Sekolah: lists the schools with district names and student counts; an edited cell is still there after a reload', async () => {
    await page.goto(`${app.base}/sekolah`);
    await waitForCells(page, 'npsn');
    await expect.poll(() => page.locator('[data-testid=schools-count]').textContent()).toBe('50 sekolah');
    await expect.poll(() => cell(page, 0, 'districtCode').textContent()).toMatch(/^[A-Z][a-z]/);
    expect(Number((await cell(page, 0, 'studentCount').textContent())?.replace(/\./g, ''))).toBeGreaterThan(0);
    const id = await rowId(page, 0);
    await typeInto(page, 0, 'contactName', 'Ibu Uji Sekolah');
    await expect.poll(async () => (await gql(app.base, 'query ($id: ID) { school(id: $id) { contactName } }', { id })).school.contactName, { timeout: 10_000 }).toBe('Ibu Uji Sekolah');
    // A district typed by name is stored as its code (the village, in the old district, is cleared first).
    // The saved contact also comes back as a live row update; the next key on the same row must
    // not be undone by that echo, however late it lands.
    await expect.poll(() => cell(page, 0, 'contactName').textContent()).toBe('Ibu Uji Sekolah');
    await cell(page, 0, 'villageCode').click();
    await expect.poll(() => cell(page, 0, 'villageCode').getAttribute('class')).toMatch(/ag-cell-focus/);
    await page.keyboard.press('Delete');
    await expect.poll(() => cell(page, 0, 'villageCode').textContent()).toBe('');
    await expect.poll(async () => (await gql(app.base, 'query ($id: ID) { school(id: $id) { villageCode } }', { id })).school.villageCode, { timeout: 10_000 }).toBeNull();
    await typeInto(page, 0, 'districtCode', 'klojen');
    await expect.poll(async () => (await gql(app.base, 'query ($id: ID) { school(id: $id) { districtCode district { name } } }', { id })).school.district.name, { timeout: 10_000 }).toBe('Klojen');
    await page.reload();
    await waitForCells(page, 'npsn');
    await expect.poll(() => cell(page, 0, 'contactName').textContent()).toBe('Ibu Uji Sekolah');
    await expect.poll(() => cell(page, 0, 'districtCode').textContent()).toBe('Klojen');
    await screenshot(page, 'sekolah');
  });

  it('Drive: the drives with dates as dd/mm/yyyy; an edited note is still there after a reload', async () => {
    await open(page, 'drive');
    await waitForCells(page, 'electionDate');
    expect(await cell(page, 0, 'electionDate').textContent()).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    await typeInto(page, 0, 'notes', 'Catatan uji: jadwal ulang setelah libur semester');
    await expect.poll(async () => (await gql(app.base, 'query ($id: ID!) { drive(id: $id) { notes } }', { id: driveId })).drive.notes, { timeout: 10_000 }).toBe(
      'Catatan uji: jadwal ulang setelah libur semester',
    );
    await page.reload();
    await waitForCells(page, 'electionDate');
    await expect.poll(() => cell(page, 0, 'notes').textContent()).toBe('Catatan uji: jadwal ulang setelah libur semester');
    await screenshot(page, 'drive');
  });

  it('Drive: a new drive typed into "+ Baris baru" is saved once its cells are complete', async () => {
    await page.locator('[data-testid=add-row]').click();
    const draft = (col: string) => page.locator(`.ag-row.ag-row-pinned .ag-cell[col-id="${col}"]`).first();
    const typeDraft = async (col: string, text: string) => {
      await draft(col).dblclick();
      const input = page.locator('.ag-cell-inline-editing input');
      await input.waitFor();
      await input.fill(text);
      await input.press('Tab');
    };
    await typeDraft('name', 'Pemilu Uji 2029');
    await typeDraft('electionDate', '14/02/2029');
    await typeDraft('startDate', '01/10/2028');
    await typeDraft('endDate', '13/02/2029');
    await expect.poll(async () => (await gql(app.base, '{ drives(first: 10, filter: { name: { equals: "Pemilu Uji 2029" } }) { edges { node { electionDate startDate endDate } } } }')).drives.edges, { timeout: 10_000 }).toEqual([
      { node: { electionDate: '2029-02-14', startDate: '2028-10-01', endDate: '2029-02-13' } },
    ]);
    await expect.poll(() => page.locator('[data-testid=drives-count]').textContent()).toBe('2 drive');
  });

  it('Drive: an edit that crosses someone else\'s is shown on the cell with both values; "keep current" keeps theirs', async () => {
    const before = (await gql(app.base, 'query ($id: ID!) { drive(id: $id) { version } }', { id: driveId })).drive;
    const row = page.locator(`.ag-row[row-id="${driveId}"] .ag-cell[col-id="notes"]`).first();
    await row.dblclick();
    const input = page.locator('.ag-cell-inline-editing input');
    await input.waitFor();
    await gql(app.base, 'mutation ($id: ID!, $v: Int!) { updateDrive(id: $id, version: $v, patch: { notes: "Catatan kepala bidang" }) { __typename } }', { id: driveId, v: before.version });
    await page.waitForTimeout(1000);
    await input.fill('Catatan saya');
    await input.press('Enter');
    await expect.poll(() => row.getAttribute('class'), { timeout: 10_000 }).toMatch(/jg-conflict/);
    await row.click();
    await expect.poll(() => page.locator('[data-testid=cell-problem]').textContent()).toMatch(/Catatan saya.*Catatan kepala bidang/);
    await screenshot(page, 'drive-conflict');
    await page.getByRole('button', { name: 'Pakai nilai sekarang' }).click();
    await expect.poll(() => row.getAttribute('class')).not.toMatch(/jg-conflict/);
    expect(await row.textContent()).toBe('Catatan kepala bidang');
    expect((await gql(app.base, 'query ($id: ID!) { drive(id: $id) { notes version } }', { id: driveId })).drive).toEqual({ notes: 'Catatan kepala bidang', version: before.version + 1 });
  });

  it('Kunjungan: a day needing more kits than the office owns is warned on its rows and in the summary, live', async () => {
    await open(page, 'kunjungan');
    await waitForCells(page, 'date');
    await expect.poll(() => page.locator('[data-testid=plan-summary]').textContent()).toMatch(/Kantor punya 7 alat rekam/);
    // Another officer plans 6 kits more on the day of the first visit shown.
    const visits = (await gql(app.base, 'query ($d: ID!) { visits(first: 1, filter: { driveId: { equals: $d }, status: { in: [PLANNED, CONFIRMED] } }, sort: [{ field: DATE }]) { edges { node { id version date kits schoolId } } } }', { d: driveId })).visits.edges;
    const visit = visits[0].node;
    const sameDay = (await gql(app.base, 'query ($d: ID!, $date: Date) { visits(first: 100, filter: { driveId: { equals: $d }, date: { equals: $date }, status: { in: [PLANNED, CONFIRMED, DONE] } }) { edges { node { kits } } } }', { d: driveId, date: visit.date })).visits.edges;
    const dayKits = sameDay.reduce((sum: number, e: { node: { kits: number } }) => sum + e.node.kits, 0);
    const kits = Math.min(50, 8 - dayKits + visit.kits);
    const saved = await gql(app.base, 'mutation ($id: ID!, $v: Int!, $k: Int) { updateVisit(id: $id, version: $v, patch: { kits: $k }) { __typename } }', { id: visit.id, v: visit.version, k: kits });
    expect(saved.updateVisit.__typename).toBe('MutationUpdateVisitSuccess');
    const [y, m, d] = visit.date.split('-');
    await expect.poll(() => page.locator('[data-testid=plan-warnings]').textContent(), { timeout: 10_000 }).toContain(`${d}/${m}/${y}: butuh`);
    await expect.poll(() => page.locator(`.ag-row[row-id="${visit.id}"]`).first().getAttribute('class'), { timeout: 10_000 }).toMatch(/jg-row-warning/);
    await expect.poll(() => page.locator(`.ag-row[row-id="${visit.id}"] .ag-cell[col-id="warnings"]`).first().textContent()).toMatch(/alat rekam/);
    // Scrolled so the warned rows show in the screenshot.
    await cell(page, 5, 'date').hover();
    await page.mouse.wheel(0, 240);
    await page.waitForTimeout(400);
    await screenshot(page, 'kunjungan');
  });

  it('Kunjungan: an edited team is still there after a reload', async () => {
    const id = await rowId(page, 1);
    await typeInto(page, 1, 'team', 'Tim Uji');
    await expect.poll(async () => (await gql(app.base, 'query ($id: ID!) { visit(id: $id) { team } }', { id })).visit.team, { timeout: 10_000 }).toBe('Tim Uji');
    await page.reload();
    await waitForCells(page, 'date');
    await expect.poll(() => page.locator(`.ag-row[row-id="${id}"] .ag-cell[col-id="team"]`).first().textContent()).toBe('Tim Uji');
  });

  it('Dasbor: the recorded number moves when an outcome is recorded through the API, without a reload', async () => {
    await open(page, 'dasbor');
    await page.waitForSelector('[data-testid=office-recorded]', { timeout: 20_000 });
    await page.waitForSelector('[data-testid=pace-chart] rect.bar');
    const read = async () => Number((await page.locator('[data-testid=office-recorded]').textContent())?.replace(/\./g, ''));
    const before = await read();
    expect(before).toBeGreaterThan(0);
    const { electionDate } = (await gql(app.base, 'query ($id: ID!) { drive(id: $id) { electionDate } }', { id: driveId })).drive;
    const candidates = (
      await gql(app.base, 'query ($d: ID!, $e: Date) { students(first: 200, filter: { eligibleOn: $e }) { edges { node { id outcome(driveId: $d) { status } } } } }', { d: driveId, e: electionDate })
    ).students.edges.filter((e: { node: { outcome: unknown } }) => e.node.outcome === null);
    let recorded = false;
    for (const { node } of candidates.slice(0, 20)) {
      const answer = await gql(app.base, 'mutation ($d: ID!, $s: ID!) { createOutcome(input: { driveId: $d, studentId: $s, status: RECORDED }) { __typename } }', { d: driveId, s: node.id });
      if (answer.createOutcome.__typename === 'MutationCreateOutcomeSuccess') {
        recorded = true;
        break;
      }
    }
    expect(recorded).toBe(true);
    await expect.poll(read, { timeout: 5_000 }).toBe(before + 1);
    expect(await page.locator('[data-testid=district-table] tbody tr').count()).toBeGreaterThan(3);
    expect(await page.locator('[data-testid=school-table] tbody tr').count()).toBe(50);
    await screenshot(page, 'dasbor');
  });

  it('Siswa: a student edited in a second browser appears in the first without a reload', async () => {
    await open(page, 'siswa');
    await waitForCells(page, 'nisn');
    const id = await rowId(page, 2);
    const other = await openBrowser();
    try {
      await other.page.goto(`${app.base}/siswa`);
      await waitForCells(other.page, 'nisn');
      const row = await other.page.locator(`.ag-row[row-id="${id}"]`).first().getAttribute('row-index');
      await typeInto(other.page, Number(row), 'birthPlace', 'Tulungagung Langsung');
      await expect.poll(() => page.locator(`.ag-row[row-id="${id}"] .ag-cell[col-id="birthPlace"]`).first().textContent(), { timeout: 5_000 }).toBe('Tulungagung Langsung');
      expect(other.errors).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('exports the filtered view as an Excel CSV (BOM, ;, dd/mm/yyyy) with every matching row, not only the loaded ones', async () => {
    await page.locator('[data-testid=students-search]').fill('');
    const download = page.waitForEvent('download');
    await page.locator('[data-testid=export-csv]').click();
    const file = await (await download).path();
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('Nama;NISN;NIK;JK;Tempat lahir;Tanggal lahir;Kelas;Menikah;Sekolah');
    expect(lines.length - 1).toBe(12_000);
    expect(lines[1]).toMatch(/;\d{2}\/\d{2}\/\d{4};/);
    expect(await page.locator('[data-testid=grid-status]').textContent()).toBe('12.000 baris diekspor');
  });

  it('remembers hidden and resized columns after a reload, and "reset columns" brings them back', async () => {
    await page.locator('[data-testid=columns-button]').click();
    await page.locator('[data-testid=columns-menu] label', { hasText: 'Tempat lahir' }).locator('input').uncheck();
    const header = page.locator('.ag-header-cell[col-id="birthPlace"] .ag-header-cell-text');
    await expect.poll(() => header.count()).toBe(0);
    await page.reload();
    await waitForCells(page, 'nisn');
    expect(await header.count()).toBe(0);
    const saved = await page.evaluate(() => localStorage.getItem('jemput.columns.local.siswa'));
    expect(JSON.parse(saved ?? '[]')).toContainEqual(expect.objectContaining({ colId: 'birthPlace', hide: true }));
    await page.locator('[data-testid=columns-button]').click();
    await page.locator('[data-testid=columns-reset]').click();
    await expect.poll(() => header.count()).toBe(1);
    expect(await page.evaluate(() => localStorage.getItem('jemput.columns.local.siswa'))).toBeNull();
  });

  it('speaks English on the new screens too: Dasbor and Kunjungan labels, plan warnings, numbers 1,234', async () => {
    await open(page, 'dasbor');
    await page.waitForSelector('[data-testid=office-recorded]', { timeout: 20_000 });
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('.screen h1').textContent()).toBe('Dashboard');
    await expect.poll(() => page.locator('[data-testid=office-stats]').textContent()).toMatch(/First-time voters\d{1,3}(,\d{3})*/);
    await screenshot(page, 'dasbor-en');
    await open(page, 'kunjungan');
    await waitForCells(page, 'date');
    await expect.poll(() => page.locator('[data-testid=plan-warnings]').textContent()).toMatch(/needs \d+ recording kits, the office owns 7/);
    await expect.poll(() => page.locator('.ag-header-cell-text').allTextContents()).toEqual(expect.arrayContaining(['School', 'Date', 'Kits', 'Team', 'Warnings']));
    await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();
    await expect.poll(() => page.locator('.screen h1').textContent()).toBe('Kunjungan');
  });

  it('logged no errors in the browser', () => {
    expect(browser.errors).toEqual([]);
  });
});
