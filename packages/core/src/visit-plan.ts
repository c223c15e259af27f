// Warnings on a visit plan, computed from the plan itself: a day that needs more recording kits
// than the office owns, and a team sent to more schools in one day than a team can reach (the
// Malang office reaches up to 3 nearby schools a day). Cancelled and rescheduled visits don't
// count: their kits and team are free that day.
import type { IsoDate } from './dates.ts';
import type { Message } from './messages.ts';

/** Most schools one team can cover in a day. */
export const MAX_SCHOOLS_PER_TEAM_DAY = 3;

export type PlannedVisit = { id: string; date: IsoDate | null; kits: number | null; team: string | null; status?: string | null; schoolId?: string | null };

export type DayLoad = { date: IsoDate; kits: number; visits: number; overKits: boolean };
export type TeamDay = { date: IsoDate; team: string; schools: number; overSchools: boolean };
export type VisitPlanWarning = Message & { kind: 'DAY_KITS' | 'TEAM_SCHOOLS'; date: IsoDate; team?: string };

export type VisitPlanReport = {
  days: DayLoad[];
  teamDays: TeamDay[];
  /** The warnings of each visit (only visits with at least one). */
  byVisit: Map<string, VisitPlanWarning[]>;
  /** One warning per day or team-day concerned, in date order. */
  summary: VisitPlanWarning[];
};

const INACTIVE = new Set(['CANCELLED', 'RESCHEDULED']);

/** Team names compared the way people type them: "Tim 1", "tim  1" and " TIM 1" are one team. */
const teamKey = (team: string) => team.trim().replace(/\s+/g, ' ').toLowerCase();

export function visitPlanWarnings(visits: readonly PlannedVisit[], officeKits: number, maxSchoolsPerTeam = MAX_SCHOOLS_PER_TEAM_DAY): VisitPlanReport {
  const active = visits.filter((v) => v.date && !INACTIVE.has(v.status ?? ''));
  const days = new Map<IsoDate, { kits: number; ids: string[] }>();
  const teams = new Map<string, { date: IsoDate; team: string; schools: Set<string>; ids: string[] }>();
  for (const v of active) {
    const date = v.date as IsoDate;
    const day = days.get(date) ?? { kits: 0, ids: [] };
    day.kits += Math.max(0, v.kits ?? 0);
    day.ids.push(v.id);
    days.set(date, day);
    if (v.team && v.team.trim()) {
      const k = `${date}|${teamKey(v.team)}`;
      const entry = teams.get(k) ?? { date, team: v.team.trim(), schools: new Set<string>(), ids: [] };
      // Two visits of one team to the same school on a day (morning and afternoon) are one school.
      entry.schools.add(v.schoolId ?? v.id);
      entry.ids.push(v.id);
      teams.set(k, entry);
    }
  }
  const byVisit = new Map<string, VisitPlanWarning[]>();
  const summary: VisitPlanWarning[] = [];
  const add = (ids: string[], warning: VisitPlanWarning) => {
    summary.push(warning);
    for (const id of ids) byVisit.set(id, [...(byVisit.get(id) ?? []), warning]);
  };
  const dayLoads: DayLoad[] = [];
  for (const [date, day] of [...days].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const overKits = day.kits > officeKits;
    dayLoads.push({ date, kits: day.kits, visits: day.ids.length, overKits });
    if (overKits) add(day.ids, { kind: 'DAY_KITS', date, code: 'VISIT_DAY_OVER_KITS', params: { date, kits: day.kits, owned: officeKits } });
  }
  const teamDays: TeamDay[] = [];
  for (const entry of [...teams.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.team.localeCompare(b.team)))) {
    const overSchools = entry.schools.size > maxSchoolsPerTeam;
    teamDays.push({ date: entry.date, team: entry.team, schools: entry.schools.size, overSchools });
    if (overSchools) add(entry.ids, { kind: 'TEAM_SCHOOLS', date: entry.date, team: entry.team, code: 'VISIT_TEAM_OVER_SCHOOLS', params: { date: entry.date, team: entry.team, schools: entry.schools.size, max: maxSchoolsPerTeam } });
  }
  summary.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { days: dayLoads, teamDays, byVisit, summary };
}
