// Accounts in the browser: the login screen (wrong password refused in Bahasa Indonesia), an
// OPERATOR who sees only its districts' schools and students, a VIEWER with masked NIKs, no edit
// controls and a logged "Lihat NIK", the ADMIN's audit screen with its CSV, and logout.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebIfStale, chromiumAvailable, gql, openBrowser, screenshot, startApp, type Browser, type RunningApp } from './harness.ts';

describe.skipIf(!chromiumAvailable)('accounts and roles in Chromium', () => {
  let app: RunningApp;
  const browsers: Browser[] = [];
  const open = async (options: Parameters<typeof openBrowser>[0]) => {
    const browser = await openBrowser({ app, ...options });
    browsers.push(browser);
    return browser;
  };
  const rows = '.ag-row:not(.ag-row-pinned)';

  beforeAll(async () => {
    buildWebIfStale();
    app = await startApp();
  }, 240_000);

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await app?.stop();
  });

  it('asks a visitor to log in, refuses a wrong password, and shows an OPERATOR only its districts', async () => {
    const { page, errors } = await open({ as: null });
    await page.goto(`${app.base}/siswa`);
    const form = page.locator('[data-testid=login-form]');
    await form.waitFor();
    expect(await page.locator('nav a').count()).toBe(0);
    await screenshot(page, 'masuk');
    await form.locator('input[name=username]').fill('operator1');
    await form.locator('input[name=password]').fill('bukan-kata-sandinya');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => page.locator('[data-testid=login-error]').textContent()).toBe('Nama pengguna atau kata sandi salah');
    await form.locator('input[name=password]').fill('jemput-operator1');
    await form.locator('button[type=submit]').click();
    await page.waitForSelector(`${rows} .ag-cell[col-id="nisn"]:not(:empty)`, { timeout: 20_000 });
    expect(await page.locator('[data-testid=user-role]').textContent()).toBe('Operator · Tim 1');

    const mine = await gql(app.base, '{ me { districtCodes } students { totalCount } schools(first: 500) { totalCount edges { node { id districtCode } } } }', {}, 'operator1');
    expect(mine.me.districtCodes).toHaveLength(2);
    expect(mine.students.totalCount).toBeLessThan(12_000);
    expect(mine.schools.edges.every((e: any) => mine.me.districtCodes.includes(e.node.districtCode))).toBe(true);
    await expect.poll(() => page.locator('[data-testid=students-count]').textContent()).toBe(`${mine.students.totalCount.toLocaleString('id-ID')} siswa`);
    // The school picker lists only the operator's schools (plus "Semua sekolah").
    expect(await page.locator('[data-testid=school-select] option').count()).toBe(mine.schools.totalCount + 1);
    expect(await page.locator('nav a[data-screen=audit]').count()).toBe(0);
    await screenshot(page, 'siswa-operator');

    await page.locator('[data-testid=logout]').click();
    await form.waitFor();
    await page.reload();
    await form.waitFor();
    expect(errors).toEqual([]);
  });

  it('shows a VIEWER masked NIKs, no edit controls, and reveals one NIK on request (logged)', async () => {
    const { page, errors } = await open({ as: 'viewer' });
    await page.goto(`${app.base}/siswa`);
    await page.waitForSelector(`${rows} .ag-cell[col-id="nik"]:not(:empty)`, { timeout: 20_000 });
    const niks = await page.locator(`${rows} .ag-cell[col-id="nik"]`).allTextContents();
    expect(niks.filter(Boolean).length).toBeGreaterThan(5);
    for (const nik of niks.filter(Boolean)) expect(nik).toMatch(/^\d{4}•{8}\d{4}$/);
    expect(await page.locator('[data-testid=grid-status]').textContent()).toMatch(/^Hanya baca/);
    expect(await page.locator('[data-testid=user-role]').textContent()).toBe('Pemantau');

    // No cell opens an editor, and Delete only says the grid is read-only.
    await page.locator(`${rows} .ag-cell[col-id="name"]`).first().dblclick();
    await page.waitForTimeout(300);
    expect(await page.locator('.ag-cell-inline-editing').count()).toBe(0);
    await page.keyboard.press('Delete');
    await expect.poll(() => page.locator('[data-testid=grid-status]').textContent()).toBe('Hanya baca: peran Anda tidak dapat mengubah data');
    await screenshot(page, 'siswa-pemantau');

    const firstRow = page.locator(rows).first();
    const id = await firstRow.getAttribute('row-id');
    const name = await firstRow.locator('.ag-cell[col-id="name"]').textContent();
    await firstRow.locator('.ag-cell[col-id="revealNik"]').click();
    const full = (await gql(app.base, 'query ($id: ID!) { student(id: $id) { nik } }', { id })).student.nik;
    await expect.poll(() => page.locator('[data-testid=nik-revealed]').textContent()).toBe(`NIK ${name}: ${full} — tercatat di log audit`);
    const audit = await gql(app.base, 'query ($id: String!) { auditEvents(filter: { action: { equals: "REVEAL_NIK" }, entityId: { equals: $id } }) { edges { node { username } } } }', { id });
    expect(audit.auditEvents.edges.map((e: any) => e.node.username)).toEqual(['viewer']);
    expect(errors).toEqual([]);
  });

  it('gives the ADMIN an audit screen with filters and a CSV download', async () => {
    const { page, errors } = await open({});
    await page.goto(`${app.base}/audit`);
    await page.waitForSelector(`${rows} .ag-cell[col-id="action"]:not(:empty)`, { timeout: 20_000 });
    await expect.poll(() => page.locator('[data-testid=audit-count]').textContent()).toMatch(/^\d+ kejadian$/);
    await page.locator('[data-testid=audit-action]').selectOption('REVEAL_NIK');
    await expect.poll(() => page.locator('[data-testid=audit-count]').textContent()).toBe('1 kejadian');
    expect(await page.locator(`${rows} .ag-cell[col-id="username"]`).first().textContent()).toBe('viewer');
    await screenshot(page, 'audit');

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=audit-download]').click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('at,username,action,entity,entityId,field,oldValue,newValue,detail,ip');
    expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual(['REVEAL_NIK']);
    expect(errors).toEqual([]);
  });

  it('lets the ADMIN add a user, who must change the one-time password at first login', async () => {
    const admin = await open({});
    await admin.page.goto(`${app.base}/pengguna`);
    const form = admin.page.locator('[data-testid=user-form]');
    await form.waitFor();
    await form.locator('input[name=username]').fill('operator2');
    await form.locator('input[name=displayName]').fill('Rina Lestari');
    await form.locator('select[name=role]').selectOption('OPERATOR');
    await form.locator('input[name=team]').fill('Tim 2');
    await form.locator('button[type=submit]').click();
    const notice = admin.page.locator('[data-testid=users-notice]');
    await expect.poll(() => notice.textContent()).toMatch(/^Pengguna operator2 dibuat\. Kata sandi sementara: [a-zA-Z2-9]{14} /);
    const temporary = /sementara: (\S+)/.exec((await notice.textContent())!)![1]!;
    await admin.page.locator('[data-testid=users-table] tr[data-username=operator2]').waitFor();
    await screenshot(admin.page, 'pengguna');

    const { page, errors } = await open({ as: null });
    await page.goto(`${app.base}/`);
    const login = page.locator('[data-testid=login-form]');
    await login.locator('input[name=username]').fill('operator2');
    await login.locator('input[name=password]').fill(temporary);
    await login.locator('button[type=submit]').click();
    const change = page.locator('[data-testid=change-password-form]');
    await change.waitFor();
    await change.locator('input[name=current]').fill(temporary);
    await change.locator('input[name=new]').fill('sandi-rina-baru-1');
    // Two different new passwords are refused on the form, before anything is sent.
    await change.locator('input[name=repeat]').fill('sandi-rina-baru-2');
    await change.locator('button[type=submit]').click();
    await expect.poll(() => change.locator('[role=alert]').textContent()).toBe('Kedua kata sandi baru tidak sama');
    await change.locator('input[name=repeat]').fill('sandi-rina-baru-1');
    await change.locator('button[type=submit]').click();
    await page.waitForSelector(`${rows} .ag-cell[col-id="nisn"]:not(:empty)`, { timeout: 20_000 });
    expect(await page.locator('[data-testid=user-role]').textContent()).toBe('Operator · Tim 2');
    expect(errors).toEqual([]);
    expect(admin.errors).toEqual([]);
  });
});
