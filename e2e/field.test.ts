// Field mode as a recording team lives it: the Hasil sheet of a visit opened online, the network
// cut, 30 outcomes recorded, the page closed and reopened offline, the network back — exactly 30
// outcomes on the server, still 30 after the same queue is replayed. Then a conflict between two
// officers, and printing refused at zero blank cards. Real server on SQLite with the demo office,
// Debian's Chromium. Screenshots in e2e/artifacts/field-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { eligibility } from '../packages/core/src/eligibility.ts';
import { buildWebIfStale, chromiumAvailable, gql, openBrowser, screenshot, startApp, type Browser, type RunningApp } from './harness.ts';

const cell = (page: Page, row: number, col: string) => page.locator(`.hasil-grid .ag-row[row-index="${row}"] .ag-cell[col-id="${col}"]`).first();
const banner = (page: Page) => page.locator('[data-testid=field-banner]');

async function waitForSheet(page: Page) {
  await page.waitForSelector('.hasil-grid .ag-row .ag-cell[col-id="className"]', { timeout: 30_000 });
}

/** Clicks a cell and waits until the grid has focused it. */
async function focusCell(page: Page, row: number, col: string) {
  await cell(page, row, col).click();
  await expect.poll(() => cell(page, row, col).getAttribute('class')).toMatch(/ag-cell-focus/);
}

type Visit = { id: string; date: string; school: { id: string; name: string }; drive: { id: string; electionDate: string } };
type SheetStudent = { id: string; name: string; birthDate: string; married: boolean };

/** The eligible students of a visit's school in the sheet's order (class, then name). */
async function sheetStudents(base: string, visit: Visit): Promise<SheetStudent[]> {
  const data = await gql<{ students: { edges: { node: SheetStudent }[] } }>(
    base,
    `query ($s: ID!, $e: Date!) { students(first: 500, filter: { schoolId: { equals: $s }, eligibleOn: $e }, sort: [{ field: CLASS_NAME }, { field: NAME }]) { edges { node { id name birthDate married } } } }`,
    { s: visit.school.id, e: visit.drive.electionDate },
  );
  return data.students.edges.map((e) => e.node);
}

async function outcomesOfSchool(base: string, driveId: string, schoolId: string) {
  const data = await gql<{ outcomes: { totalCount: number; edges: { node: { studentId: string; status: string; printedAt: string | null } }[] } }>(
    base,
    `query ($d: ID!, $s: ID!) { outcomes(first: 500, filter: { driveId: { equals: $d }, schoolId: { equals: $s } }) { totalCount edges { node { studentId status printedAt } } } }`,
    { d: driveId, s: schoolId },
  );
  return data.outcomes;
}

/** The outbox as stored in IndexedDB by the app. */
function readQueue(page: Page): Promise<Record<string, unknown>[]> {
  return page.evaluate(
    () =>
      new Promise<Record<string, unknown>[]>((resolve, reject) => {
        const open = indexedDB.open('jemput-field');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('queue').objectStore('queue').getAll();
          request.onsuccess = () => (open.result.close(), resolve(request.result));
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

/** Puts writes back into the outbox, as a restored backup or a second tab with an old copy would. */
function injectQueue(page: Page, writes: Record<string, unknown>[]): Promise<void> {
  return page.evaluate(
    (entries) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('jemput-field');
        open.onsuccess = () => {
          const tx = open.result.transaction('queue', 'readwrite');
          for (const { seq: _seq, ...entry } of entries) tx.objectStore('queue').add(entry);
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
    writes,
  );
}

describe.skipIf(!chromiumAvailable)('field mode in Chromium: offline recording, sync, conflicts, blank stock', () => {
  let app: RunningApp;
  let officer: Browser;
  let colleague: Browser;
  let visit: Visit;
  let students: SheetStudent[];

  beforeAll(async () => {
    buildWebIfStale();
    app = await startApp();
    // A planned visit to a school where nothing has been recorded yet in the drive.
    const data = await gql<{ visits: { edges: { node: Visit }[] } }>(
      app.base,
      `{ visits(first: 200, filter: { status: { in: [PLANNED, CONFIRMED] } }, sort: [{ field: DATE }]) { edges { node { id date school { id name } drive { id electionDate } } } } }`,
    );
    for (const { node } of data.visits.edges) {
      if ((await outcomesOfSchool(app.base, node.drive.id, node.school.id)).totalCount > 0) continue;
      const list = await sheetStudents(app.base, { ...node });
      if (list.length < 40) continue;
      visit = node;
      students = list;
      break;
    }
    if (!visit) throw new Error('the demo office has no untouched visit with 40 students');
    officer = await openBrowser();
    colleague = await openBrowser();
  }, 240_000);

  afterAll(async () => {
    await officer?.close();
    await colleague?.close();
    await app?.stop();
  });

  it('records 30 outcomes offline, keeps them through closing the page, and syncs each exactly once', async () => {
    let page = officer.page;
    // Pick the drive and the visit, as an officer does; the sheet gets its own address.
    await page.goto(`${app.base}/hasil`);
    await page.waitForSelector(`[data-testid=hasil-visit] option[value="${visit.id}"]`, { state: 'attached', timeout: 20_000 });
    await screenshot(page, 'field-0-pick-visit');
    await page.selectOption('[data-testid=hasil-visit]', visit.id);
    await waitForSheet(page);
    expect(new URL(page.url()).pathname).toBe(`/hasil/${visit.id}`);
    // The app shell is precached and the page is controlled by the service worker: it can reopen offline.
    await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => banner(page).textContent()).toContain('Semua perubahan tersinkron');
    expect(await page.locator('[data-testid=hasil-legend]').textContent()).toMatch(/R.*Terekam.*A.*Tidak hadir.*T.*Menolak.*G.*Gagal/);
    await screenshot(page, 'field-1-sheet-online');

    await officer.context.setOffline(true);
    await expect.poll(() => banner(page).getAttribute('data-online')).toBe('no');
    await focusCell(page, 0, 'status');
    for (let i = 0; i < 30; i++) await page.keyboard.press('r');
    // Each key moved down one row; Enter moves down without changing anything.
    const focusedCell = () => page.evaluate(() => Array.from(document.querySelectorAll('.hasil-grid .ag-cell-focus')).map((c) => `${c.closest('.ag-row')?.getAttribute('row-index')}/${c.getAttribute('col-id')}`).join(','));
    await expect.poll(focusedCell).toBe('30/status');
    await page.keyboard.press('Enter');
    await expect.poll(focusedCell).toBe('31/status');
    await expect.poll(() => banner(page).textContent()).toContain('Offline — 30 perubahan menunggu sinkron');
    await screenshot(page, 'field-2-offline-30-waiting');
    expect(await cell(page, 29, 'status').textContent()).toBe('Terekam');
    expect(await cell(page, 30, 'status').textContent()).toBe('');
    expect(await cell(page, 0, 'sync').textContent()).toBe('menunggu');
    await screenshot(page, 'field-2-offline-30-waiting');
    expect((await outcomesOfSchool(app.base, visit.drive.id, visit.school.id)).totalCount).toBe(0);

    // Close the page and open the sheet again, still offline: the service worker serves the app,
    // IndexedDB the sheet and the outbox.
    await page.close();
    page = await officer.context.newPage();
    await page.goto(`${app.base}/hasil/${visit.id}`);
    await waitForSheet(page);
    await expect.poll(() => banner(page).textContent()).toContain('Offline — 30 perubahan menunggu sinkron');
    expect(await cell(page, 29, 'status').textContent()).toBe('Terekam');
    const stored = await readQueue(page);
    expect(stored).toHaveLength(30);
    expect(new Set(stored.map((w) => w.clientMutationId)).size).toBe(30);
    await screenshot(page, 'field-3-reopened-offline');

    await officer.context.setOffline(false);
    await expect.poll(() => banner(page).textContent(), { timeout: 20_000 }).toContain('Semua perubahan tersinkron');
    const onServer = await outcomesOfSchool(app.base, visit.drive.id, visit.school.id);
    expect(onServer.totalCount).toBe(30);
    expect(new Set(onServer.edges.map((e) => e.node.studentId))).toEqual(new Set(students.slice(0, 30).map((s) => s.id)));
    expect(onServer.edges.every((e) => e.node.status === 'RECORDED')).toBe(true);
    expect(await cell(page, 0, 'sync').textContent()).toBe('');
    await screenshot(page, 'field-4-synced');

    // The same queue again, twice: put back into the outbox and synced by the app, then sent straight to the API.
    await injectQueue(page, stored);
    await page.reload();
    await waitForSheet(page);
    await expect.poll(() => banner(page).textContent(), { timeout: 20_000 }).toContain('Semua perubahan tersinkron');
    expect(await readQueue(page)).toHaveLength(0);
    expect(await page.locator('[data-testid=conflict]').count()).toBe(0);
    const replay = await gql<{ syncOutcomes: { status: string; replayed: boolean }[] }>(
      app.base,
      `mutation ($w: [OutcomeWriteInput!]!) { syncOutcomes(writes: $w) { status replayed } }`,
      { w: stored.map(({ seq: _s, set, ...w }) => ({ ...w, ...(set as object) })) },
    );
    expect(replay.syncOutcomes.every((r) => r.replayed && r.status === 'APPLIED')).toBe(true);
    expect((await outcomesOfSchool(app.base, visit.drive.id, visit.school.id)).totalCount).toBe(30);
    expect(officer.errors).toEqual([]);
    officer.page = page;
  }, 120_000);

  it('shows a conflict between two officers with both values, and the officer chooses', async () => {
    const page = officer.page;
    const other = colleague.page;
    await other.goto(`${app.base}/hasil/${visit.id}`);
    await waitForSheet(other);
    const row = 30;
    const student = students[row]!;

    await officer.context.setOffline(true);
    await focusCell(page, row, 'status');
    await page.keyboard.press('t'); // refused, recorded offline
    await expect.poll(() => banner(page).textContent()).toContain('Offline — 1 perubahan menunggu sinkron');

    await focusCell(other, row, 'status');
    await other.keyboard.press('g'); // failed, by the colleague, online
    const status = async () => (await outcomesOfSchool(app.base, visit.drive.id, visit.school.id)).edges.find((e) => e.node.studentId === student.id)?.node.status;
    await expect.poll(status, { timeout: 20_000 }).toBe('FAILED');
    await expect.poll(() => banner(other).textContent(), { timeout: 20_000 }).toContain('Semua perubahan tersinkron');

    await officer.context.setOffline(false);
    const card = page.locator('[data-testid=conflict]');
    await card.waitFor({ timeout: 20_000 });
    expect(await card.textContent()).toContain(student.name);
    expect(await card.locator('[data-testid=conflict-mine]').textContent()).toBe('Menolak');
    expect(await card.locator('[data-testid=conflict-theirs]').textContent()).toBe('Gagal (biometrik/teknis)');
    expect(await cell(page, row, 'sync').textContent()).toBe('bentrok');
    await screenshot(page, 'field-5-conflict');
    expect(await status()).toBe('FAILED'); // nothing overwritten yet

    await card.locator('[data-testid=keep-mine]').click();
    await expect.poll(status, { timeout: 20_000 }).toBe('REFUSED');
    await expect.poll(() => page.locator('[data-testid=conflict]').count()).toBe(0);
    await expect.poll(() => cell(page, row, 'status').textContent()).toBe('Menolak');
    // The colleague's open sheet follows live (rowChanges), without a reload.
    await expect.poll(() => cell(other, row, 'status').textContent(), { timeout: 10_000 }).toBe('Menolak');
    expect([...officer.errors, ...colleague.errors]).toEqual([]);
  });

  it('sends an offline chain of changes to one student (recorded, printed, IKD, a note) without conflicting with itself', async () => {
    const page = officer.page;
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date());
    const row = students.findIndex((s, i) => i > 31 && eligibility(s, visit.drive.electionDate, today).printableNow);
    expect(row).toBeGreaterThan(31);
    const usedBefore = await gql<{ blankStock: { balance: number } }>(app.base, '{ blankStock { balance } }');
    await officer.context.setOffline(true);
    await focusCell(page, row, 'status');
    await page.keyboard.press('r');
    await focusCell(page, row, 'printed');
    await page.keyboard.press(' ');
    await focusCell(page, row, 'ikd');
    await page.keyboard.press(' ');
    await cell(page, row, 'notes').dblclick();
    const input = page.locator('.ag-cell-inline-editing input');
    await input.waitFor();
    await input.fill('IKD lewat HP orang tua');
    await input.press('Enter');
    await expect.poll(() => banner(page).textContent()).toContain('Offline — 4 perubahan menunggu sinkron');
    expect(await cell(page, row, 'printed').textContent()).toBe('✓');
    expect(await cell(page, row, 'ikd').textContent()).toBe('✓');
    await officer.context.setOffline(false);
    await expect.poll(() => banner(page).textContent(), { timeout: 20_000 }).toContain('Semua perubahan tersinkron');
    expect(await page.locator('[data-testid=conflict]').count()).toBe(0);
    const outcome = (await gql<{ student: { outcome: { status: string; version: number; printedAt: string | null; ikdActivatedAt: string | null; notes: string | null } } }>(
      app.base,
      `query ($id: ID!, $d: ID!) { student(id: $id) { outcome(driveId: $d) { status version printedAt ikdActivatedAt notes } } }`,
      { id: students[row]!.id, d: visit.drive.id },
    )).student.outcome;
    expect(outcome).toMatchObject({ status: 'RECORDED', version: 4, notes: 'IKD lewat HP orang tua' });
    expect(outcome?.printedAt).not.toBeNull();
    expect(outcome?.ikdActivatedAt).not.toBeNull();
    const usedAfter = await gql<{ blankStock: { balance: number } }>(app.base, '{ blankStock { balance } }');
    expect(usedAfter.blankStock.balance).toBe(usedBefore.blankStock.balance - 1);
    expect(officer.errors).toEqual([]);
  });

  it('refuses printing when the blank cards are at zero, on the cell, and the Stok screen says so', async () => {
    const page = officer.page;
    const stock = await gql<{ blankStock: { balance: number } }>(app.base, '{ blankStock { balance } }');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date());
    await gql(app.base, `mutation ($i: StockMovementInput!) { createStockMovement(input: $i) { __typename } }`, {
      i: { kind: 'CORRECTION', quantity: -stock.blankStock.balance, date: today, notes: 'Stok opname: blangko habis' },
    });
    await page.reload();
    await waitForSheet(page);
    // The cached sheet shows first, then the server's, with the new balance.
    await expect.poll(() => page.locator('[data-testid=hasil-blanks]').textContent(), { timeout: 15_000 }).toBe('Blangko: 0');
    // A recorded student who is 17 today, so only the missing blank stands in the way.
    const row = students.slice(0, 30).findIndex((s) => eligibility(s, visit.drive.electionDate, today).printableNow);
    expect(row).toBeGreaterThanOrEqual(0);
    await focusCell(page, row, 'printed');
    await page.keyboard.press(' ');
    await expect.poll(() => page.locator('[data-testid=hasil-message]').textContent()).toContain('Blangko KTP-el habis');
    expect(await cell(page, row, 'printed').getAttribute('class')).toMatch(/jg-error/);
    expect(await cell(page, row, 'printed').textContent()).toBe('');
    await screenshot(page, 'field-6-print-refused');
    expect(await readQueue(page)).toHaveLength(0);
    // The server refuses it too, whoever asks.
    const direct = await gql<{ syncOutcomes: { status: string; problems: { code: string }[] }[] }>(
      app.base,
      `mutation ($w: [OutcomeWriteInput!]!) { syncOutcomes(writes: $w) { status problems { code } } }`,
      { w: [{ clientMutationId: `e2e-print-${Date.now()}`, driveId: visit.drive.id, studentId: students[row]!.id, baseVersion: 1, printed: true }] },
    );
    expect(direct.syncOutcomes[0]).toMatchObject({ status: 'REJECTED', problems: [{ code: 'STOCK_EMPTY' }] });

    await page.goto(`${app.base}/stok`);
    await expect.poll(() => page.locator('[data-testid=stock-balance]').textContent()).toBe('0');
    expect(await page.locator('[data-testid=stock-alerts]').textContent()).toContain('Blangko KTP-el habis');
    expect(await page.locator('[data-testid=stock-ledger] tbody tr').first().textContent()).toContain('Stok opname: blangko habis');
    // Cards that are not in stock can't be spoiled: said on the form, nothing is written.
    await page.locator('[data-testid=stock-kind]').selectOption('SPOILED');
    await page.locator('[data-testid=stock-quantity]').fill('3');
    await page.locator('[data-testid=stock-save]').click();
    await expect.poll(() => page.locator('[data-testid=stock-message]').textContent()).toContain('Stok blangko tinggal 0 lembar; pengurangan 3 lembar');
    expect(await page.locator('[data-testid=stock-ledger] tbody tr').first().textContent()).toContain('Stok opname: blangko habis');
    await page.locator('[data-testid=stock-kind]').selectOption('RECEIVED');
    await page.locator('[data-testid=stock-quantity]').fill('250');
    await page.locator('[data-testid=stock-notes]').fill('Kiriman Ditjen Dukcapil');
    await page.locator('[data-testid=stock-save]').click();
    await expect.poll(() => page.locator('[data-testid=stock-balance]').textContent()).toBe('250');
    await screenshot(page, 'field-7-stok');
    expect(officer.errors).toEqual([]);
  });

  it('says so at once when the device cannot store a change (storage full), even with nothing else waiting', async () => {
    const page = officer.page;
    await page.goto(`${app.base}/hasil/${visit.id}`);
    await waitForSheet(page);
    expect(await cell(page, 31, 'status').textContent()).toBe('');
    await officer.context.setOffline(true);
    await expect.poll(() => banner(page).textContent()).toContain('Offline — perubahan disimpan di perangkat ini');
    // The browser refuses every write to IndexedDB, as it does when the disk or its quota is full.
    await page.evaluate(() => {
      const store = IDBObjectStore.prototype as IDBObjectStore & { realAdd?: IDBObjectStore['add'] };
      store.realAdd = store.add;
      store.add = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
    await focusCell(page, 31, 'status');
    await page.keyboard.press('a');
    await expect.poll(() => page.locator('[data-testid=field-not-stored]').textContent()).toContain('TIDAK tersimpan di perangkat ini');
    expect(await banner(page).getAttribute('class')).toMatch(/tone-error/);
    await expect.poll(() => cell(page, 31, 'status').textContent()).toBe('');
    expect(await readQueue(page)).toHaveLength(0);
    await screenshot(page, 'field-8-not-stored');

    // Storage freed: the same key is stored and synced, and the warning goes.
    await page.evaluate(() => {
      const store = IDBObjectStore.prototype as IDBObjectStore & { realAdd?: IDBObjectStore['add'] };
      if (store.realAdd) store.add = store.realAdd;
    });
    await focusCell(page, 31, 'status');
    await page.keyboard.press('a');
    await expect.poll(() => banner(page).textContent()).toContain('Offline — 1 perubahan menunggu sinkron');
    await expect.poll(() => page.locator('[data-testid=field-not-stored]').count()).toBe(0);
    await officer.context.setOffline(false);
    await expect.poll(() => banner(page).textContent(), { timeout: 20_000 }).toContain('Semua perubahan tersinkron');
    const onServer = await outcomesOfSchool(app.base, visit.drive.id, visit.school.id);
    expect(onServer.edges.find((e) => e.node.studentId === students[31]!.id)?.node.status).toBe('ABSENT');
    expect(officer.errors).toEqual([]);
  });
});
