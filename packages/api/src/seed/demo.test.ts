import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_OUTCOME, addDays, checkNik, checkOutcomeChange, daysBetween, eligibility } from '@jemput/core';
import type { OutcomeStatus } from '@jemput/core';
import type { Db } from '../db/client.ts';
import { deleteAllRows, isDatabaseEmpty, seedDemo } from './demo.ts';
import type { SeedSummary } from './demo.ts';
import { openScratchSqlite } from './scratch-db.ts';
import type { ScratchDb } from './scratch-db.ts';
import { todayInJakarta } from '../common/time.ts';
import { formatSeedSummary } from './summary.ts';
import { isWeekend } from './visits.ts';

// Pilkada 2024 was on 2024-11-27, 75 days after this "today".
const TODAY = '2024-09-13';
const SMALL = { today: TODAY, seed: 7, schools: 5, students: 600 };

/** The calendar day of a moment in Western Indonesia Time. */
function jakartaDate(moment: Date): string {
  return new Date(moment.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

async function studentFingerprint(db: Db): Promise<string[][]> {
  const students = await db.student.findMany({ orderBy: { id: 'asc' } });
  return students.map((s) => [s.name, s.nik ?? '', s.nisn ?? '', s.birthDate, s.sex, s.className ?? '']);
}

describe('seedDemo (small)', () => {
  let scratch: ScratchDb;
  let summary: SeedSummary;

  beforeAll(async () => {
    scratch = await openScratchSqlite();
    expect(await isDatabaseEmpty(scratch.db)).toBe(true);
    summary = await seedDemo(scratch.db, SMALL);
  }, 60_000);
  afterAll(async () => {
    await scratch?.close();
  });

  it('creates the office, its regions, users and the requested counts', async () => {
    const { db } = scratch;
    expect(await isDatabaseEmpty(db)).toBe(false);
    const office = await db.office.findUniqueOrThrow({ where: { regencyCode: '35.73' } });
    expect(office).toMatchObject({
      name: 'Dinas Kependudukan dan Pencatatan Sipil Kota Malang',
      regencyName: 'Kota Malang',
      provinceName: 'Jawa Timur',
      kits: 7,
      blankStockThreshold: 500,
    });
    expect(summary.regions).toEqual({ districts: 5, villages: 57 });
    expect(await db.school.count()).toBe(5);
    expect(await db.student.count()).toBe(600);
    expect(await db.user.findMany({ orderBy: { username: 'asc' }, select: { username: true, role: true } })).toEqual([
      { username: 'admin', role: 'ADMIN' },
      { username: 'operator1', role: 'OPERATOR' },
      { username: 'supervisor', role: 'SUPERVISOR' },
      { username: 'viewer', role: 'VIEWER' },
    ]);
    expect(await db.visit.count()).toBe(summary.visits.total);
    expect(await db.outcome.count()).toBe(summary.outcomes.total);
    expect(await db.outcomeChange.count()).toBe(summary.outcomes.total);
    expect(summary.outcomes.total).toBeGreaterThan(0);
  });

  it('places the drive around today: election in 75 days, started 21 days ago', async () => {
    const drive = await scratch.db.drive.findFirstOrThrow();
    expect(drive).toMatchObject({
      name: 'Pilkada Serentak (demo)',
      electionDate: '2024-11-27',
      startDate: addDays(TODAY, -21),
      endDate: '2024-11-26',
    });
    expect(summary.drive.voterCutoff).toBe('2007-11-27');
  });

  it('gives schools plausible identities inside the regency', async () => {
    const schools = await scratch.db.school.findMany({ include: { district: true, village: true } });
    for (const school of schools) {
      expect(school.npsn).toMatch(/^\d{8}$/);
      expect(school.name).toMatch(/^(SMA|SMK|MA|SLB) .+ \d+ (Kota )?Malang$/);
      expect(school.district.parentCode).toBe('35.73');
      expect(school.village?.parentCode).toBe(school.districtCode);
      expect(school.address).toMatch(/^Jl\. /);
      expect(school.contactPhone).toMatch(/^08\d{8,11}$/);
    }
  });

  it('gives every student a NIK that checkNik accepts, except the few deliberate problems', async () => {
    const students = await scratch.db.student.findMany();
    const withIssues = students.filter((s) => s.nik && checkNik(s.nik, { birthDate: s.birthDate, sex: s.sex }).length > 0);
    expect(summary.students.withDataProblems).toBe(5);
    expect(withIssues).toHaveLength(5);
    const codes = new Set(withIssues.flatMap((s) => checkNik(s.nik ?? '', { birthDate: s.birthDate, sex: s.sex }).map((i) => i.code)));
    expect(codes).toContain('NIK_BIRTHDATE_MISMATCH');
    expect(codes).toContain('NIK_LENGTH');
    expect(students.filter((s) => !s.nik)).toHaveLength(summary.students.withoutNik);
  });

  it('gives students unique 10-digit NISNs, classes X-XII and normalized search names', async () => {
    const students = await scratch.db.student.findMany();
    const nisns = students.map((s) => s.nisn ?? '');
    expect(nisns.every((n) => /^\d{10}$/.test(n))).toBe(true);
    expect(new Set(nisns).size).toBe(students.length);
    expect(nisns.some((n) => n.startsWith('0'))).toBe(true);
    expect(students.every((s) => /^(X|XI|XII) \S+( \d+)?$/.test(s.className ?? ''))).toBe(true);
    expect(students.every((s) => s.nameSearch === s.name.toLowerCase())).toBe(true);
  });

  it('clusters birth dates around the voter cutoff: XII eligible, XI about half, X mostly not', async () => {
    const students = await scratch.db.student.findMany();
    const eligibleShare = (grade: string) => {
      const inGrade = students.filter((s) => s.className?.startsWith(`${grade} `));
      return inGrade.filter((s) => eligibility(s, '2024-11-27', TODAY).eligible).length / inGrade.length;
    };
    expect(eligibleShare('XII')).toBeGreaterThan(0.95);
    expect(eligibleShare('XI')).toBeGreaterThan(0.3);
    expect(eligibleShare('XI')).toBeLessThan(0.7);
    expect(eligibleShare('X')).toBeLessThan(0.1);
  });

  it('plans 1-2 visits per school, at most 3 schools a day, on school days, DONE only in the past', async () => {
    const visits = await scratch.db.visit.findMany();
    const perSchool = new Map<string, number>();
    const perDay = new Map<string, number>();
    for (const visit of visits) {
      if (visit.status !== 'CANCELLED' && visit.status !== 'RESCHEDULED') perSchool.set(visit.schoolId, (perSchool.get(visit.schoolId) ?? 0) + 1);
      perDay.set(visit.date, (perDay.get(visit.date) ?? 0) + 1);
      expect(isWeekend(visit.date)).toBe(false);
      expect(visit.date >= addDays(TODAY, -21) && visit.date <= addDays(TODAY, 40)).toBe(true);
      const wasMovedOrCalledOff = visit.status === 'RESCHEDULED' || visit.status === 'CANCELLED';
      if (visit.date < TODAY && !wasMovedOrCalledOff) expect(visit.status).toBe('DONE');
      if (visit.status === 'DONE') expect(visit.date < TODAY).toBe(true);
      if (visit.status === 'CONFIRMED' || visit.status === 'PLANNED') expect(visit.date >= TODAY).toBe(true);
      expect(visit.kits).toBeGreaterThanOrEqual(2);
      expect(visit.kits).toBeLessThanOrEqual(3);
      expect(visit.team).toMatch(/^Tim [1-3]$/);
    }
    expect(perSchool.size).toBe(5);
    expect([...perSchool.values()].every((n) => n >= 1 && n <= 2)).toBe(true);
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(3);
  });

  it('records outcomes only for students eligible on the visit date, within core rules', async () => {
    const drive = await scratch.db.drive.findFirstOrThrow();
    const outcomes = await scratch.db.outcome.findMany({ include: { student: true, visit: true, changes: true } });
    const statuses = new Set<OutcomeStatus>();
    for (const outcome of outcomes) {
      const visit = outcome.visit;
      expect(visit?.status).toBe('DONE');
      if (!visit) continue;
      const elig = eligibility(outcome.student, drive.electionDate, visit.date);
      expect(elig.eligible).toBe(true);
      if (outcome.status === 'RECORDED') {
        expect(elig.recordableNow).toBe(true);
        expect(jakartaDate(outcome.recordedAt as Date)).toBe(visit.date);
      }
      const next = {
        status: outcome.status,
        printedAt: outcome.printedAt?.toISOString() ?? null,
        ikdActivatedAt: outcome.ikdActivatedAt?.toISOString() ?? null,
      };
      expect(checkOutcomeChange(NO_OUTCOME, next, elig)).toEqual([]);
      if (outcome.printedAt) expect(jakartaDate(outcome.printedAt) < TODAY).toBe(true);
      expect(outcome.changes).toHaveLength(1);
      expect(outcome.changes[0]).toMatchObject({ fromStatus: null, toStatus: outcome.status, visitId: visit.id, printed: outcome.printedAt !== null });
      statuses.add(outcome.status);
    }
    expect(statuses).toContain('RECORDED');
    expect(outcomes.some((o) => o.printedAt)).toBe(true);
  });

  it('keeps the blank stock positive and matches USED to the cards printed each day', async () => {
    const movements = await scratch.db.blankStockMovement.findMany({ orderBy: [{ date: 'asc' }, { id: 'asc' }] });
    let balance = 0;
    for (const m of movements) {
      balance += m.kind === 'RECEIVED' ? m.quantity : -m.quantity;
      expect(balance).toBeGreaterThanOrEqual(0);
    }
    expect(balance).toBe(summary.blankStock.balance);
    expect(movements.filter((m) => m.kind === 'SPOILED').map((m) => m.quantity)).toEqual([3]);

    const printed = await scratch.db.outcome.findMany({ where: { printedAt: { not: null } } });
    const printedPerDay = new Map<string, number>();
    for (const o of printed) printedPerDay.set(jakartaDate(o.printedAt as Date), (printedPerDay.get(jakartaDate(o.printedAt as Date)) ?? 0) + 1);
    const usedPerDay = new Map(movements.filter((m) => m.kind === 'USED').map((m) => [m.date, m.quantity]));
    expect(usedPerDay).toEqual(printedPerDay);
  });

  it('produces identical students for the same (seed, today), also after deleting everything', async () => {
    const other = await openScratchSqlite();
    try {
      await seedDemo(other.db, SMALL);
      expect(await studentFingerprint(other.db)).toEqual(await studentFingerprint(scratch.db));
      // Users too, password hashes included (the demo passwords are public; their salt is fixed).
      const users = (db: Db) => db.user.findMany({ orderBy: { id: 'asc' }, select: { id: true, username: true, passwordHash: true, team: true, districts: { select: { districtCode: true } } } });
      expect(await users(other.db)).toEqual(await users(scratch.db));

      await deleteAllRows(other.db);
      expect(await isDatabaseEmpty(other.db)).toBe(true);
      expect(await other.db.region.count()).toBe(0);
      await seedDemo(other.db, { ...SMALL, seed: 8 });
      expect(await studentFingerprint(other.db)).not.toEqual(await studentFingerprint(scratch.db));
    } finally {
      await other.close();
    }
  }, 60_000);

  it('gives the demo users their documented passwords, and the operator team "Tim 1" and the two districts it visits most', async () => {
    const { verifyPassword } = await import('../auth/passwords.ts');
    const { DEMO_USERS } = await import('./names.ts');
    for (const demo of DEMO_USERS) {
      const user = await scratch.db.user.findUniqueOrThrow({ where: { username: demo.username }, include: { districts: true } });
      expect(await verifyPassword(user.passwordHash, demo.password), demo.username).toBe(true);
      expect(user.mustChangePassword).toBe(false);
    }
    const operator = await scratch.db.user.findUniqueOrThrow({ where: { username: 'operator1' }, include: { districts: true } });
    expect(operator.team).toBe('Tim 1');
    const districts = operator.districts.map((d) => d.districtCode);
    expect(districts).toHaveLength(2);
    const visits = await scratch.db.visit.findMany({ where: { team: 'Tim 1' }, select: { school: { select: { districtCode: true } } } });
    const counts = new Map<string, number>();
    for (const v of visits) counts.set(v.school.districtCode, (counts.get(v.school.districtCode) ?? 0) + 1);
    const least = Math.min(...districts.map((d) => counts.get(d) ?? 0));
    expect([...counts].filter(([code, n]) => !districts.includes(code) && n > least)).toEqual([]);
    expect(summary.users.find((u) => u.username === 'operator1')?.districtCodes).toEqual(districts);
  });

  it('refuses to seed an office that already exists', async () => {
    await expect(seedDemo(scratch.db, SMALL)).rejects.toThrow(/already exists/);
  });
});

describe('seedDemo (full size)', () => {
  it('seeds 50 schools and 12,000 students in well under 20 s on SQLite', async () => {
    const scratch = await openScratchSqlite();
    try {
      const started = performance.now();
      const summary = await seedDemo(scratch.db, { today: TODAY });
      const seconds = (performance.now() - started) / 1000;
      console.log(`${formatSeedSummary(summary)}\n(seedDemo: ${seconds.toFixed(1)} s)`);

      expect(seconds).toBeLessThan(20);
      expect(summary.schools).toBe(50);
      expect(summary.students.total).toBe(12000);
      expect(await scratch.db.student.count()).toBe(12000);
      expect(summary.students.eligible / summary.students.total).toBeGreaterThan(0.4);
      expect(summary.students.eligible / summary.students.total).toBeLessThan(0.6);
      expect(summary.students.married).toBeGreaterThan(0);
      expect(summary.students.withoutNik / summary.students.total).toBeLessThan(0.02);
      expect(summary.visits.byStatus.CANCELLED + summary.visits.byStatus.RESCHEDULED).toBeGreaterThanOrEqual(1);
      expect(summary.blankStock.balance).toBeGreaterThanOrEqual(0);
    } finally {
      await scratch.close();
    }
  }, 60_000);
});

describe('todayInJakarta', () => {
  it('uses the date in UTC+7, not UTC', () => {
    expect(todayInJakarta(new Date('2024-11-26T17:30:00Z'))).toBe('2024-11-27');
    expect(todayInJakarta(new Date('2024-11-26T16:59:00Z'))).toBe('2024-11-26');
    expect(daysBetween(todayInJakarta(), todayInJakarta(new Date(Date.now() + 86_400_000)))).toBe(1);
  });
});
