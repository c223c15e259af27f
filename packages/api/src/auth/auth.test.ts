// Accounts end to end through the real Yoga handler: login and its cookie, lockout per
// account and per address, session expiry, logout, password change and reset, NIK masking
// and reveal, district-scoped totalCount, the operator's team rule, and the audit log.
import { composeNik, maskNik } from '@jemput/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRegions } from '../regions/load-regions.ts';
import { describeOnEachDatabase, type TestApi } from '../test/databases.ts';
import { ensureOfficeAdmin } from './first-admin.ts';
import { verifyPassword } from './passwords.ts';
import { LOCK_MS, MAX_FAILED_LOGINS } from './schema.ts';
import { hashToken, SESSION_ABSOLUTE_MS, SESSION_COOKIE, SESSION_IDLE_MS } from './sessions.ts';

const LOGIN = `mutation ($u: String!, $p: String!) {
  login(username: $u, password: $p) {
    __typename
    ... on MutationLoginSuccess { data { username role mustChangePassword } }
    ... on LoginError { code message retryAt }
  } }`;
const ME = '{ me { username role districtCodes team mustChangePassword seesFullNik } }';
const CHANGE = `mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) {
  __typename ... on ValidationError { problems { field code message } } } }`;

const cookieOf = (response: Response) => response.headers.get('set-cookie')?.split(';')[0] ?? null;

describeOnEachDatabase('accounts and sessions', (api: () => TestApi) => {
  let n = 0;
  const password = 'kata-sandi-yang-panjang';
  const newUser = async (role: 'ADMIN' | 'OPERATOR' | 'VIEWER' = 'OPERATOR', extra: { mustChangePassword?: boolean } = {}) => {
    const username = `pengguna${++n}`;
    await api().createUser({ role, username, password, ...extra });
    return username;
  };
  /** Logs in as an anonymous client from `ip`; returns the GraphQL result, the raw Set-Cookie and a client with that session. */
  const login = async (username: string, pass: string, ip = '10.1.0.1', headers: Record<string, string> = {}) => {
    const anonymous = api().client(null, { ip });
    const response = await anonymous.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: LOGIN, variables: { u: username, p: pass } }) });
    const setCookie = response.headers.get('set-cookie');
    const result = (await response.json()) as any;
    const cookie = cookieOf(response);
    return { result: result.data.login, setCookie, client: api().client(cookie, { ip }), cookie };
  };

  it('logs in with username and password, sets an HttpOnly SameSite cookie and stores only its hash', async () => {
    const username = await newUser();
    const { result, setCookie, client, cookie } = await login(username, password);
    expect(result).toEqual({ __typename: 'MutationLoginSuccess', data: { username, role: 'OPERATOR', mustChangePassword: false } });
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[\\w-]{40,}; Path=/; HttpOnly; SameSite=Lax; Max-Age=604800$`));
    const token = cookie!.split('=')[1]!;
    const sessions = await api().db.session.findMany({ where: { user: { username } } });
    expect(sessions.map((s) => s.id)).toEqual([hashToken(token)]);
    expect(sessions[0]!.id).not.toContain(token);
    expect((await client.data(ME)).me).toMatchObject({ username, role: 'OPERATOR' });
    const user = await api().db.user.findUniqueOrThrow({ where: { username } });
    expect(user.lastLoginAt).not.toBeNull();
    expect(await api().db.auditEvent.count({ where: { action: 'LOGIN', userId: user.id, ip: '10.1.0.1', officeId: api().officeId } })).toBe(1);
  });

  it('marks the cookie Secure when the request came over https', async () => {
    const username = await newUser();
    const response = await api().client(null).fetch('https://jemput.example/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: LOGIN, variables: { u: username, p: password } }) });
    expect(response.headers.get('set-cookie')).toMatch(/; Secure$/);
  });

  it('refuses a wrong password and an unknown user with the same message, in Indonesian or English', async () => {
    const username = await newUser();
    const wrong = await login(username, 'salah-salah-salah');
    const unknown = await login('tidak-ada-orangnya', password);
    expect(wrong.result).toMatchObject({ __typename: 'LoginError', code: 'LOGIN_FAILED', message: 'Nama pengguna atau kata sandi salah' });
    expect(unknown.result).toEqual(wrong.result);
    expect(wrong.setCookie).toBeNull();
    const en = await login(username, 'salah-salah-salah', '10.1.0.1', { 'accept-language': 'en' });
    expect(en.result.message).toBe('Wrong username or password');
    expect(await api().db.auditEvent.count({ where: { action: 'LOGIN_FAILED', entityId: (await api().db.user.findUniqueOrThrow({ where: { username } })).id } })).toBe(2);
  });

  it('logs an unknown username by its first two characters only, even when they are emoji (found by the fuzz test)', async () => {
    const unknown = await login('😀😀😀 rahasia', password, '10.1.0.9');
    expect(unknown.result.code).toBe('LOGIN_FAILED');
    const logged = await api().db.auditEvent.findFirstOrThrow({ where: { action: 'LOGIN_FAILED', entityId: null }, orderBy: { at: 'desc' } });
    expect(logged.detail).toBe('unknown username "😀😀…" (11 characters)');
  });

  it(`locks an account after ${MAX_FAILED_LOGINS} failures and says when to retry, even with the right password`, async () => {
    const username = await newUser();
    for (let i = 1; i < MAX_FAILED_LOGINS; i++) expect((await login(username, `salah-${i}-xxxxxx`, `10.2.0.${i}`)).result.code).toBe('LOGIN_FAILED');
    const locked = await login(username, 'salah-lagi-xxxxxx', '10.2.1.1');
    expect(locked.result.code).toBe('LOGIN_LOCKED');
    expect(locked.result.message).toMatch(/^Terlalu banyak percobaan masuk yang gagal\. Akun dikunci sementara; coba lagi pukul \d{2}\.\d{2} WIB \(15 menit lagi\)$/);
    const retryAt = new Date(locked.result.retryAt).getTime();
    expect(retryAt - Date.now()).toBeGreaterThan(LOCK_MS - 60_000);
    const right = await login(username, password, '10.2.1.2');
    expect(right.result.code).toBe('LOGIN_LOCKED');
    expect(right.setCookie).toBeNull();
    // When the lock has passed, the right password works and the counter starts again.
    await api().db.user.update({ where: { username }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    expect((await login(username, password, '10.2.1.3')).result.__typename).toBe('MutationLoginSuccess');
    expect((await api().db.user.findUniqueOrThrow({ where: { username } })).failedLogins).toBe(0);
  });

  it('blocks an address that fails too often, whatever the accounts, and still lets other addresses in', async () => {
    const username = await newUser();
    let last: any;
    for (let i = 0; i < 31; i++) last = (await login(`tidak-ada-${i}`, 'salah-salah-salah', '10.3.0.1')).result;
    expect(last.code).toBe('LOGIN_IP_LIMITED');
    expect(last.message).toMatch(/dari alamat ini; coba lagi pukul \d{2}\.\d{2} WIB/);
    expect((await login(username, password, '10.3.0.1')).result.code).toBe('LOGIN_IP_LIMITED');
    expect((await login(username, password, '10.3.0.2')).result.__typename).toBe('MutationLoginSuccess');
  });

  it('ends a session after 12 hours idle or 7 days in all, and on logout', async () => {
    const username = await newUser();
    const idle = await login(username, password);
    const absolute = await login(username, password);
    const out = await login(username, password);
    expect((await idle.client.data(ME)).me.username).toBe(username);
    await api().db.session.update({ where: { id: hashToken(idle.cookie!.split('=')[1]!) }, data: { lastSeenAt: new Date(Date.now() - SESSION_IDLE_MS - 1000) } });
    await api().db.session.update({ where: { id: hashToken(absolute.cookie!.split('=')[1]!) }, data: { createdAt: new Date(Date.now() - SESSION_ABSOLUTE_MS - 1000) } });
    for (const client of [idle.client, absolute.client]) {
      expect((await client.data(ME)).me).toBeNull();
      const denied = await client.gql('{ schools { totalCount } }');
      expect(denied.errors?.[0]).toMatchObject({ message: 'Silakan masuk terlebih dahulu (sesi tidak ada atau sudah berakhir)', extensions: { code: 'UNAUTHENTICATED' } });
    }
    const response = await out.client.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'mutation { logout }' }) });
    expect(response.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=; .*Max-Age=0`));
    expect(((await response.json()) as any).data.logout).toBe(true);
    expect((await out.client.data(ME)).me).toBeNull();
    expect(await api().db.session.count({ where: { user: { username } } })).toBe(0);
    expect(await api().db.auditEvent.count({ where: { action: 'LOGOUT', entityId: (await api().db.user.findUniqueOrThrow({ where: { username } })).id } })).toBe(1);
  });

  it('makes a user with mustChangePassword change it before anything else, then ends the other sessions', async () => {
    const username = await newUser('OPERATOR', { mustChangePassword: true });
    const first = await login(username, password);
    const second = await login(username, password);
    expect(first.result.data.mustChangePassword).toBe(true);
    const blocked = await first.client.gql('{ students { totalCount } }');
    expect(blocked.errors?.[0]?.extensions?.code).toBe('MUST_CHANGE_PASSWORD');
    expect((await first.client.data(CHANGE, { c: 'bukan-sandinya', n: 'sandi-baru-yang-kuat' })).changePassword.problems[0].code).toBe('PASSWORD_WRONG');
    expect((await first.client.data(CHANGE, { c: password, n: 'pendek' })).changePassword.problems[0]).toMatchObject({ code: 'PASSWORD_TOO_SHORT', message: 'Kata sandi minimal 10 karakter' });
    expect((await first.client.data(CHANGE, { c: password, n: `x-${username}-x` })).changePassword.problems[0].code).toBe('PASSWORD_HAS_USERNAME');
    expect((await first.client.data(CHANGE, { c: password, n: 'sandi-baru-yang-kuat' })).changePassword.__typename).toBe('MutationChangePasswordSuccess');
    expect((await first.client.data('{ students { totalCount } }')).students.totalCount).toBeGreaterThanOrEqual(0);
    expect((await second.client.data(ME)).me).toBeNull();
    expect((await login(username, password)).result.code).toBe('LOGIN_FAILED');
    expect((await login(username, 'sandi-baru-yang-kuat')).result.__typename).toBe('MutationLoginSuccess');
  });

  it('lets an ADMIN reset a password: a one-time password, sessions ended, unlocked, change required', async () => {
    const username = await newUser();
    const session = await login(username, password);
    const user = await api().db.user.update({ where: { username }, data: { failedLogins: 9, lockedUntil: new Date(Date.now() + LOCK_MS) } });
    const reset = await api().data(`mutation ($id: ID!) { resetPassword(userId: $id) { __typename ... on MutationResetPasswordSuccess { data { temporaryPassword user { username mustChangePassword lockedUntil } } } } }`, { id: user.id });
    const grant = reset.resetPassword.data;
    expect(grant.user).toEqual({ username, mustChangePassword: true, lockedUntil: null });
    expect(grant.temporaryPassword).toMatch(/^[a-zA-Z2-9]{14}$/);
    expect(await verifyPassword((await api().db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash, grant.temporaryPassword)).toBe(true);
    expect((await session.client.data(ME)).me).toBeNull();
    expect((await login(username, grant.temporaryPassword)).result.data.mustChangePassword).toBe(true);
    expect(await api().db.auditEvent.count({ where: { action: 'PASSWORD_RESET', entityId: user.id, userId: api().user!.id } })).toBe(1);
  });

  it('lets an ADMIN add users with a one-time password and change their role, districts and access, logged field by field', async () => {
    await loadRegions(api().db, '35.73');
    const created = await api().data(
      `mutation ($i: UserInput!) { createUser(input: $i) { __typename
        ... on MutationCreateUserSuccess { data { temporaryPassword user { id username role team districtCodes mustChangePassword } } }
        ... on ValidationError { problems { field code message } } } }`,
      { i: { username: 'Petugas.Baru', displayName: 'Petugas Baru', role: 'OPERATOR', team: 'Tim 3', districtCodes: ['35.73.02', '35.73.01'] } },
    );
    const grant = created.createUser.data;
    expect(grant.user).toMatchObject({ username: 'petugas.baru', role: 'OPERATOR', team: 'Tim 3', districtCodes: ['35.73.01', '35.73.02'], mustChangePassword: true });
    expect((await login('petugas.baru', grant.temporaryPassword)).result.data.mustChangePassword).toBe(true);

    const bad = await api().data(`mutation ($i: UserInput!) { createUser(input: $i) { __typename ... on ValidationError { problems { field code message } } } }`, {
      i: { username: 'petugas.baru', displayName: 'Lagi', role: 'VIEWER', districtCodes: ['35.07.01'] },
    });
    expect(bad.createUser.problems.map((p: any) => [p.field, p.code])).toEqual([['username', 'DUPLICATE'], ['districtCodes', 'NOT_FOUND']]);
    expect(bad.createUser.problems[0].message).toBe('Nama pengguna petugas.baru sudah terdaftar');

    const session = await login('petugas.baru', grant.temporaryPassword);
    const update = `mutation ($id: ID!, $v: Int!, $p: UserInput!) { updateUser(id: $id, version: $v, patch: $p) { __typename
      ... on MutationUpdateUserSuccess { data { role active districtCodes } } ... on ValidationError { problems { field code } } } }`;
    const changed = await api().data(update, { id: grant.user.id, v: 1, p: { role: 'VIEWER', districtCodes: ['35.73.03'], active: false } });
    expect(changed.updateUser.data).toEqual({ role: 'VIEWER', active: false, districtCodes: ['35.73.03'] });
    expect((await session.client.data(ME)).me).toBeNull();
    expect((await login('petugas.baru', grant.temporaryPassword)).result.code).toBe('LOGIN_FAILED');
    const stale = await api().data(update, { id: grant.user.id, v: 1, p: { active: true } });
    expect(stale.updateUser.problems).toEqual([{ field: 'version', code: 'VERSION_CONFLICT' }]);
    const fields = await api().db.auditEvent.findMany({ where: { entity: 'User', entityId: grant.user.id, action: 'UPDATE' }, orderBy: { field: 'asc' } });
    expect(fields.map((e) => [e.field, e.oldValue, e.newValue])).toEqual([
      ['active', 'true', 'false'],
      ['districtCodes', '35.73.01 35.73.02', '35.73.03'],
      ['role', 'OPERATOR', 'VIEWER'],
    ]);

    // The office keeps an active ADMIN: its only admin cannot demote itself.
    const self = await api().db.user.findUniqueOrThrow({ where: { id: api().user!.id } });
    const otherAdmins = await api().db.user.count({ where: { officeId: api().officeId, role: 'ADMIN', active: true, id: { not: self.id } } });
    expect(otherAdmins).toBe(0);
    const lastAdmin = await api().data(update, { id: self.id, v: self.version, p: { role: 'SUPERVISOR' } });
    expect(lastAdmin.updateUser.problems).toEqual([{ field: 'role', code: 'LAST_ADMIN' }]);
  });

  it('creates the first admin of an office once, with a printed one-time password or the one from the environment', async () => {
    const office = await api().db.office.create({ data: { regencyCode: '35.09', name: 'Dinas Dukcapil Kabupaten Jember', regencyName: 'Kabupaten Jember', provinceName: 'Jawa Timur' } });
    const created = await ensureOfficeAdmin(api().db, office.id, {});
    expect(created?.username).toMatch(/^admin(-\d+)?$/);
    expect(created?.password).toMatch(/^[a-zA-Z2-9]{14}$/);
    expect(await ensureOfficeAdmin(api().db, office.id, {})).toBeNull();
    const stored = await api().db.user.findUniqueOrThrow({ where: { username: created!.username } });
    expect(stored).toMatchObject({ role: 'ADMIN', mustChangePassword: true, officeId: office.id });
    expect((await login(created!.username, created!.password!)).result.data).toMatchObject({ role: 'ADMIN', mustChangePassword: true });

    const other = await api().db.office.create({ data: { regencyCode: '35.10', name: 'Dinas Dukcapil Kabupaten Banyuwangi', regencyName: 'Kabupaten Banyuwangi', provinceName: 'Jawa Timur' } });
    const fromEnv = await ensureOfficeAdmin(api().db, other.id, { JEMPUT_ADMIN_PASSWORD: 'dari-lingkungan-123' });
    expect(fromEnv?.password).toBeNull();
    expect((await login(fromEnv!.username, 'dari-lingkungan-123')).result.__typename).toBe('MutationLoginSuccess');
  });
});

describeOnEachDatabase('district scope, NIK masking and the audit log', (api: () => TestApi) => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    await loadRegions(api().db, '35.73');
    const db = api().db;
    const school = (npsn: string, districtCode: string) =>
      db.school.create({ data: { officeId: api().officeId, npsn, name: `SMA ${npsn}`, nameSearch: `sma ${npsn}`, level: 'SMA', status: 'NEGERI', districtCode } });
    const [a, b] = [await school('20530001', '35.73.01'), await school('20530002', '35.73.02')];
    ids.schoolA = a.id;
    ids.schoolB = b.id;
    let serial = 1;
    for (const [schoolId, count] of [[a.id, 3], [b.id, 5]] as const) {
      for (let i = 0; i < count; i++) {
        const birthDate = '2006-08-17';
        const nik = composeNik({ districtCode: '35.73.01', birthDate, sex: 'L', serial: serial++ });
        const s = await db.student.create({ data: { schoolId, name: `Siswa ${serial}`, nameSearch: `siswa ${serial}`, sex: 'L', birthDate, nik } });
        ids[`student${serial}`] = s.id;
        if (serial === 2) ids.studentA = s.id;
      }
    }
    const drive = await db.drive.create({ data: { officeId: api().officeId, name: 'Pilkada', electionDate: '2024-11-27', startDate: '2024-09-01', endDate: '2024-11-26' } });
    ids.drive = drive.id;
    ids.visitOwn = (await db.visit.create({ data: { driveId: drive.id, schoolId: a.id, date: '2024-10-01', team: 'Tim 1' } })).id;
    ids.visitOther = (await db.visit.create({ data: { driveId: drive.id, schoolId: a.id, date: '2024-10-02', team: 'Tim 2' } })).id;
  });

  it('counts only the rows in scope: totalCount of an operator of one district', async () => {
    const operator = await api().as({ role: 'OPERATOR', districts: ['35.73.01'], team: 'Tim 1' });
    const page = await operator.data('{ students(first: 2) { totalCount edges { node { school { districtCode } } } pageInfo { hasNextPage } } schools { totalCount } }');
    expect(page.students.totalCount).toBe(3);
    expect(page.students.edges.every((e: any) => e.node.school.districtCode === '35.73.01')).toBe(true);
    expect(page.students.pageInfo.hasNextPage).toBe(true);
    expect(page.schools.totalCount).toBe(1);
    const filtered = await operator.data('query ($s: ID!) { students(filter: { schoolId: { equals: $s } }) { totalCount } }', { s: ids.schoolB });
    expect(filtered.students.totalCount).toBe(0);
    expect((await api().data('{ students { totalCount } schools { totalCount } }')).students.totalCount).toBe(8);
    const everywhere = await api().as({ role: 'OPERATOR', team: 'Tim 1' });
    expect((await everywhere.data('{ students { totalCount } }')).students.totalCount).toBe(8);
  });

  it('checks the scope of a 1,200-row paste in chunks (SQLite binds at most 999 values per query)', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => ({ id: `bulk-${i}`, schoolId: ids.schoolA!, name: `Massal ${i}`, nameSearch: `massal ${i}`, sex: 'P' as const, birthDate: '2006-01-01' }));
    await api().db.student.createMany({ data: rows });
    const operator = await api().as({ role: 'OPERATOR', districts: ['35.73.01'], team: 'Tim 1' });
    const result = await operator.data('mutation ($r: [StudentRowInput!]!) { upsertStudents(rows: $r) { updated rejected } }', {
      r: rows.map((r) => ({ id: r.id, version: 1, className: 'XII Massal' })),
    });
    expect(result.upsertStudents).toEqual({ updated: 1200, rejected: 0 });
    await api().db.student.deleteMany({ where: { id: { startsWith: 'bulk-' } } });
  });

  it('lets an operator record outcomes only for visits of its own team', async () => {
    const operator = await api().as({ role: 'OPERATOR', districts: ['35.73.01'], team: 'Tim 1' });
    const record = (visitId: string, studentId: string) =>
      operator.data(`mutation ($i: OutcomeInput!) { createOutcome(input: $i) { __typename ... on ValidationError { problems { field code message } } } }`, {
        i: { driveId: ids.drive, studentId, visitId, status: 'ABSENT' },
      });
    const other = await record(ids.visitOther!, ids.studentA!);
    expect(other.createOutcome.__typename).toBe('ValidationError');
    expect(other.createOutcome.problems).toEqual([expect.objectContaining({ field: 'visitId', code: 'FORBIDDEN' })]);
    expect((await record(ids.visitOwn!, ids.studentA!)).createOutcome.__typename).toBe('MutationCreateOutcomeSuccess');
    const teamless = await api().as({ role: 'OPERATOR', districts: ['35.73.01'] });
    const none = await teamless.data(`mutation ($i: OutcomeInput!) { createOutcome(input: $i) { __typename } }`, { i: { driveId: ids.drive, studentId: ids.student3, visitId: ids.visitOwn, status: 'ABSENT' } });
    expect(none.createOutcome.__typename).toBe('ValidationError');
  });

  it('masks NIKs for a VIEWER, hides NIK search from it, and reveals one NIK on request with an audit event', async () => {
    const viewer = await api().as({ role: 'VIEWER' });
    const full = await api().data('query ($id: ID!) { student(id: $id) { nik nikMasked } }', { id: ids.studentA });
    const masked = await viewer.data('query ($id: ID!) { student(id: $id) { nik nikMasked } me { seesFullNik } }', { id: ids.studentA });
    expect(full.student.nik).toMatch(/^\d{16}$/);
    expect(masked.student.nik).toBe(maskNik(full.student.nik));
    expect(masked.student.nikMasked).toBe(maskNik(full.student.nik));
    expect(masked.me.seesFullNik).toBe(false);
    const prefix = full.student.nik.slice(0, 12);
    expect((await api().data('query ($q: String) { students(search: $q) { totalCount } }', { q: prefix })).students.totalCount).toBeGreaterThan(0);
    expect((await viewer.data('query ($q: String) { students(search: $q) { totalCount } }', { q: prefix })).students.totalCount).toBe(0);
    expect((await viewer.data('query ($q: String) { students(filter: { nik: { startsWith: $q } }) { totalCount } }', { q: prefix })).students.totalCount).toBe(8);

    const revealed = await viewer.data('mutation ($id: ID!) { revealNik(studentId: $id) { __typename ... on MutationRevealNikSuccess { data } } }', { id: ids.studentA });
    expect(revealed.revealNik.data).toBe(full.student.nik);
    const events = await api().db.auditEvent.findMany({ where: { action: 'REVEAL_NIK', entityId: ids.studentA } });
    expect(events).toEqual([expect.objectContaining({ userId: viewer.user!.id, officeId: api().officeId, entity: 'Student', ip: '10.0.0.1', detail: maskNik(full.student.nik) })]);
    expect(JSON.stringify(events)).not.toContain(full.student.nik);
  });

  it('lists audit events for an ADMIN with filters, exports them as CSV (logged), and offers no way to change them', async () => {
    const supervisor = await api().as({ role: 'SUPERVISOR' });
    await supervisor.data(`mutation ($id: ID!, $v: Int!) { updateSchool(id: $id, version: $v, patch: { name: "SMA Ganti Nama" }) { __typename } }`, { id: ids.schoolA, v: 1 });
    const list = await api().data(
      `query ($u: ID!) { auditEvents(first: 10, filter: { userId: { equals: $u }, entity: { equals: "School" } }) { totalCount edges { node { action entity entityId field oldValue newValue username ip } } } }`,
      { u: supervisor.user!.id },
    );
    expect(list.auditEvents.totalCount).toBe(1);
    expect(list.auditEvents.edges[0].node).toMatchObject({ action: 'UPDATE', entity: 'School', entityId: ids.schoolA, field: 'name', oldValue: 'SMA 20530001', newValue: 'SMA Ganti Nama', username: supervisor.user!.username, ip: '10.0.0.1' });
    const future = await api().data(`{ auditEvents(filter: { from: "2999-01-01T00:00:00Z" }) { totalCount } }`);
    expect(future.auditEvents.totalCount).toBe(0);

    const csv = await api().fetch(`http://test/export/audit.csv?userId=${supervisor.user!.id}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = await csv.text();
    const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('at,username,action,entity,entityId,field,oldValue,newValue,detail,ip');
    expect(lines).toHaveLength(1 + 1);
    expect(lines[1]).toContain(`${supervisor.user!.username},UPDATE,School,${ids.schoolA},name,SMA 20530001,SMA Ganti Nama`);
    expect(await api().db.auditEvent.count({ where: { action: 'EXPORT', entity: 'AuditEvent', userId: api().user!.id } })).toBe(1);

    expect((await supervisor.fetch('http://test/export/audit.csv')).status).toBe(403);
    expect((await api().client(null).fetch('http://test/export/audit.csv')).status).toBe(401);

    const mutations = Object.keys((await import('../schema/index.ts')).getSchema().getMutationType()!.getFields());
    expect(mutations.filter((m) => /audit/i.test(m))).toEqual([]);
  });
});

describe('demo users', () => {
  it('have the passwords the README documents', async () => {
    const { DEMO_USERS } = await import('../seed/names.ts');
    expect(DEMO_USERS.map((u) => [u.username, u.role, u.password])).toEqual([
      ['admin', 'ADMIN', 'jemput-admin'],
      ['supervisor', 'SUPERVISOR', 'jemput-supervisor'],
      ['operator1', 'OPERATOR', 'jemput-operator1'],
      ['viewer', 'VIEWER', 'jemput-viewer'],
    ]);
  });
});
