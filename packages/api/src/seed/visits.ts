// Demo visit plan: every school gets one or two visits on school days between the drive's
// start and today + 40 days, neighbouring schools (same district) on the same day, at most
// three schools a day (Malang: 7 kits, 2-3 per school).
import { addDays, compareIsoDate, daysBetween, formatDateId } from '@jemput/core';
import type { IsoDate } from '@jemput/core';
import { seedId } from './helpers.ts';
import type { DriveRow, VisitRow } from './helpers.ts';
import { VISIT_TIME_WINDOWS } from './names.ts';
import type { Random } from './random.ts';
import type { DemoSchool } from './schools.ts';

const MAX_SCHOOLS_PER_DAY = 3;
/** Visits are planned up to this many days ahead. */
const PLANNING_HORIZON_DAYS = 40;
/** Visits this close are confirmed with the school; later ones are still plans. */
const CONFIRMED_WITHIN_DAYS = 7;
const SECOND_VISIT_SHARE = 0.4;
const SECOND_VISIT_GAP_DAYS = { min: 10, max: 24 };
const RESCHEDULE_DELAY_DAYS = 7;

type PlannedVisit = { schoolId: string; dayIndex: number; status: VisitRow['status']; notes: string | null };

export function planVisits(rng: Random, input: { schools: readonly DemoSchool[]; drive: DriveRow; today: IsoDate }): VisitRow[] {
  const days = schoolDays(input.drive.startDate, input.drive.endDate);
  const horizon = addDays(input.today, PLANNING_HORIZON_DAYS);
  const lastPreferredDay = Math.max(0, days.filter((d) => d <= horizon).length - 1);
  const load = days.map(() => 0);

  /** The first school day at or after `from` with room for one more school. */
  const takeDay = (from: number): number | null => {
    for (let i = Math.max(0, from); i < days.length; i++) {
      if ((load[i] ?? 0) < MAX_SCHOOLS_PER_DAY) {
        load[i] = (load[i] ?? 0) + 1;
        return i;
      }
    }
    return null;
  };

  const planned: PlannedVisit[] = [];
  const groups = sameDayGroups(rng, input.schools);
  groups.forEach((group, g) => {
    const preferred = Math.floor((g * (lastPreferredDay + 1)) / groups.length);
    for (const school of group) {
      const dayIndex = takeDay(preferred);
      if (dayIndex === null) throw new Error(`Too many schools for the drive: no school day left for ${school.row.name}`);
      planned.push({ schoolId: school.row.id, dayIndex, status: 'PLANNED', notes: null });
    }
  });

  for (const first of [...planned]) {
    if (!rng.chance(SECOND_VISIT_SHARE)) continue;
    const target = addDays(days[first.dayIndex] as IsoDate, rng.int(SECOND_VISIT_GAP_DAYS.min, SECOND_VISIT_GAP_DAYS.max));
    const dayIndex = takeDay(firstDayIndexFrom(days, target));
    if (dayIndex === null) continue;
    if (dayIndex > lastPreferredDay) load[dayIndex] = (load[dayIndex] ?? 0) - 1; // beyond the horizon: not planned yet
    else planned.push({ schoolId: first.schoolId, dayIndex, status: 'PLANNED', notes: null });
  }

  for (const visit of planned) visit.status = statusOn(days[visit.dayIndex] as IsoDate, input.today);
  rescheduleOnePastVisit(rng, planned, days, input.today, takeDay);
  cancelOneLaterVisit(rng, planned, days, input.today);

  return toVisitRows(rng, planned, days, input.drive.id);
}

/** Monday to Friday between two dates, both included. */
export function schoolDays(from: IsoDate, to: IsoDate): IsoDate[] {
  const days: IsoDate[] = [];
  for (let d = from; compareIsoDate(d, to) <= 0; d = addDays(d, 1)) {
    if (!isWeekend(d)) days.push(d);
  }
  return days;
}

export function isWeekend(iso: IsoDate): boolean {
  const weekday = dayOfWeek(iso);
  return weekday === 0 || weekday === 6;
}

/** 0 = Sunday ... 6 = Saturday (1970-01-04 was a Sunday). */
export function dayOfWeek(iso: IsoDate): number {
  return (((daysBetween('1970-01-04', iso) % 7) + 7) % 7);
}

function firstDayIndexFrom(days: readonly IsoDate[], date: IsoDate): number {
  const i = days.findIndex((d) => d >= date);
  return i === -1 ? days.length : i;
}

/** Schools of one district, two or three at a time: a team's day of nearby schools. */
function sameDayGroups(rng: Random, schools: readonly DemoSchool[]): DemoSchool[][] {
  const byDistrict = new Map<string, DemoSchool[]>();
  for (const school of schools) byDistrict.set(school.row.districtCode, [...(byDistrict.get(school.row.districtCode) ?? []), school]);
  const groups: DemoSchool[][] = [];
  for (const code of [...byDistrict.keys()].sort()) {
    const inDistrict = rng.shuffle(byDistrict.get(code) ?? []);
    while (inDistrict.length > 0) groups.push(inDistrict.splice(0, rng.int(2, MAX_SCHOOLS_PER_DAY)));
  }
  return groups;
}

function statusOn(date: IsoDate, today: IsoDate): VisitRow['status'] {
  if (date < today) return 'DONE';
  return daysBetween(today, date) <= CONFIRMED_WITHIN_DAYS ? 'CONFIRMED' : 'PLANNED';
}

/** A school that asked to move its visit (exams): the old visit stays as RESCHEDULED, a new one follows. */
function rescheduleOnePastVisit(
  rng: Random,
  planned: PlannedVisit[],
  days: readonly IsoDate[],
  today: IsoDate,
  takeDay: (from: number) => number | null,
): void {
  const visitsPerSchool = countBy(planned, (v) => v.schoolId);
  const candidates = planned.filter((v) => v.status === 'DONE' && visitsPerSchool.get(v.schoolId) === 1);
  if (candidates.length === 0) return;
  const moved = rng.pick(candidates);
  const newDayIndex = takeDay(firstDayIndexFrom(days, addDays(days[moved.dayIndex] as IsoDate, RESCHEDULE_DELAY_DAYS)));
  if (newDayIndex === null) return;
  const newDate = days[newDayIndex] as IsoDate;
  moved.status = 'RESCHEDULED';
  moved.notes = `Diundur atas permintaan sekolah (ujian tengah semester), pindah ke ${formatDateId(newDate)}`;
  planned.push({ schoolId: moved.schoolId, dayIndex: newDayIndex, status: statusOn(newDate, today), notes: null });
}

/** A later second visit called off (clash with a school event); the school keeps its first visit. */
function cancelOneLaterVisit(rng: Random, planned: PlannedVisit[], days: readonly IsoDate[], today: IsoDate): void {
  const visitsPerSchool = countBy(planned, (v) => v.schoolId);
  const candidates = planned.filter(
    (v) => v.status === 'PLANNED' && visitsPerSchool.get(v.schoolId) === 2 && daysBetween(today, days[v.dayIndex] as IsoDate) > CONFIRMED_WITHIN_DAYS,
  );
  if (candidates.length === 0) return;
  const cancelled = rng.pick(candidates);
  cancelled.status = 'CANCELLED';
  cancelled.notes = 'Dibatalkan: bentrok dengan kegiatan class meeting sekolah';
}

/** Rows in date order, with teams "Tim 1".."Tim 3" per day, kits and a time window. */
function toVisitRows(rng: Random, planned: readonly PlannedVisit[], days: readonly IsoDate[], driveId: string): VisitRow[] {
  const ordered = [...planned].sort((a, b) => a.dayIndex - b.dayIndex || a.schoolId.localeCompare(b.schoolId));
  const visitsPerDay = countBy(ordered, (v) => v.dayIndex);
  let teamOfDay = 0;
  return ordered.map((visit, i) => {
    teamOfDay = i > 0 && ordered[i - 1]?.dayIndex === visit.dayIndex ? teamOfDay + 1 : 0;
    // Three schools a day share the 7 kits as 2 + 2 + 3.
    const kits = visitsPerDay.get(visit.dayIndex) === MAX_SCHOOLS_PER_DAY ? (teamOfDay === 2 ? 3 : 2) : rng.int(2, 3);
    const window = rng.pick(VISIT_TIME_WINDOWS);
    return {
      id: seedId('vis', i + 1, 4),
      driveId,
      schoolId: visit.schoolId,
      date: days[visit.dayIndex] as IsoDate,
      startTime: window.startTime,
      endTime: window.endTime,
      kits,
      team: `Tim ${teamOfDay + 1}`,
      status: visit.status,
      notes: visit.notes,
    };
  });
}

function countBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, number> {
  const counts = new Map<K, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}
