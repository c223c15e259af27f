// The Impor journey as an officer does it: upload a school's Dapodik XLSX whose birth-date
// column has an unusual header, map that column in the preview, import with the progress bar,
// and find the students on the Siswa screen. Real server (demo office, SQLite), Chromium.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fixtureStudents, writeDapodikXlsx } from '../packages/api/src/imports/fixtures.ts';
import { buildWebIfStale, chromiumAvailable, gql, openBrowser, screenshot, startApp, type Browser, type RunningApp } from './harness.ts';

describe.skipIf(!chromiumAvailable)('Impor in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let school: { id: string; name: string; npsn: string };
  const students = () => fixtureStudents(40, { npsns: [school.npsn], seed: 500 });
  const file = join(mkdtempSync(join(tmpdir(), 'jemput-e2e-import-')), 'Daftar Peserta Didik SMA.xlsx');

  beforeAll(async () => {
    buildWebIfStale();
    app = await startApp();
    browser = await openBrowser();
    page = browser.page;
    school = (await gql(app.base, '{ schools(first: 1, sort: [{ field: NAME }]) { edges { node { id name npsn } } } }')).schools.edges[0].node;
    await writeDapodikXlsx(file, students(), { shuffle: true, rename: { 'Tanggal Lahir': 'Tgl Lhr Siswa' } });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('uploads an XLSX, asks for the unrecognised column, imports after the officer maps it, and the students appear in Siswa', async () => {
    await page.goto(`${app.base}/impor`);
    await page.locator('[data-testid=import-file]').setInputFiles(file);
    await page.locator('[data-testid=import-upload]').click();
    const phase = page.locator('[data-testid=import-phase]');
    await expect.poll(() => phase.getAttribute('data-phase'), { timeout: 20_000 }).toBe('NEEDS_MAPPING');
    expect(await page.locator('[data-testid=job-error]').textContent()).toMatch(/Tanggal lahir/);
    await screenshot(page, 'impor-needs-mapping');

    // The preview shows the file's columns; map "Tgl Lhr Siswa" to the birth date.
    const headers = await page.locator('[data-testid=import-preview] th .label').allTextContents();
    const column = headers.indexOf('Tgl Lhr Siswa');
    expect(column).toBeGreaterThanOrEqual(0);
    expect(await page.locator(`[data-testid=map-${headers.indexOf('Nama')}]`).inputValue()).toBe('name');
    await page.locator(`[data-testid=map-${column}]`).selectOption('birthDate');
    await page.locator('[data-testid=import-apply-mapping]').click();
    await expect.poll(() => phase.getAttribute('data-phase'), { timeout: 20_000 }).toBe('READY');
    expect(await page.locator('[data-testid=import-counts]').textContent()).toMatch(/^40 baris data · 0 baris bermasalah/);
    await screenshot(page, 'impor-preview');

    await page.locator('[data-testid=import-commit]').click();
    await expect.poll(() => phase.getAttribute('data-phase'), { timeout: 30_000 }).toBe('DONE');
    expect(await page.locator('[data-testid=import-counts]').textContent()).toBe('40 baru · 0 diubah · 0 tetap · 0 ditolak');
    await expect.poll(() => page.locator('[data-testid=import-history] tbody tr').first().textContent()).toContain('Daftar Peserta Didik SMA.xlsx');
    await screenshot(page, 'impor-done');

    const first = students()[0]!;
    await page.locator('nav [data-screen=siswa]').click();
    await page.locator('[data-testid=school-select]').selectOption(school.id);
    await page.locator('[data-testid=students-search]').fill(first.name);
    await expect.poll(() => page.locator('.ag-row:not(.ag-row-pinned) .ag-cell[col-id="name"]').first().textContent(), { timeout: 15_000 }).toBe(first.name);
    expect(await page.locator('.ag-row:not(.ag-row-pinned) .ag-cell[col-id="nisn"]').first().textContent()).toBe(first.nisn);
    await screenshot(page, 'impor-siswa');
    expect(browser.errors).toEqual([]);
  }, 120_000);
});
