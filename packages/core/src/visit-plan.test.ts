import { describe, expect, it } from 'vitest';
import { formatMessage } from './messages.ts';
import { visitPlanWarnings, type PlannedVisit } from './visit-plan.ts';

const visit = (id: string, date: string, kits: number, team: string | null, extra: Partial<PlannedVisit> = {}): PlannedVisit => ({ id, date, kits, team, schoolId: `s-${id}`, ...extra });

describe('visitPlanWarnings', () => {
  it('warns on every visit of a day that needs more kits than the office owns, and only that day', () => {
    const report = visitPlanWarnings(
      [visit('a', '2024-10-01', 3, 'Tim 1'), visit('b', '2024-10-01', 3, 'Tim 2'), visit('c', '2024-10-01', 2, 'Tim 3'), visit('d', '2024-10-02', 7, 'Tim 1')],
      7,
    );
    expect(report.days).toEqual([
      { date: '2024-10-01', kits: 8, visits: 3, overKits: true },
      { date: '2024-10-02', kits: 7, visits: 1, overKits: false },
    ]);
    expect([...report.byVisit.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(report.summary).toHaveLength(1);
    expect(formatMessage(report.summary[0]!)).toBe('01/10/2024: butuh 8 alat rekam, kantor hanya punya 7');
    expect(formatMessage(report.summary[0]!, 'en')).toBe('01/10/2024: needs 8 recording kits, the office owns 7');
  });

  it('warns when a team has more than 3 schools in a day; spelling of the team and a second visit to one school do not count twice', () => {
    const report = visitPlanWarnings(
      [
        visit('a', '2024-10-01', 1, 'Tim 1'),
        visit('b', '2024-10-01', 1, 'tim  1'),
        visit('c', '2024-10-01', 1, ' TIM 1'),
        visit('c2', '2024-10-01', 1, 'Tim 1', { schoolId: 's-c' }),
        visit('e', '2024-10-02', 1, 'Tim 1'),
      ],
      50,
    );
    expect(report.byVisit.size).toBe(0);
    const four = visitPlanWarnings([...['a', 'b', 'c', 'd'].map((id) => visit(id, '2024-10-01', 1, 'Tim 1')), visit('x', '2024-10-01', 1, 'Tim 2')], 50);
    expect([...four.byVisit.keys()].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(four.teamDays).toContainEqual({ date: '2024-10-01', team: 'Tim 1', schools: 4, overSchools: true });
    expect(formatMessage(four.summary[0]!)).toBe('01/10/2024: Tim 1 dijadwalkan ke 4 sekolah (maks. 3 sehari)');
  });

  it('leaves cancelled and rescheduled visits, and visits without a date or team, out of the count', () => {
    const report = visitPlanWarnings(
      [
        visit('a', '2024-10-01', 5, 'Tim 1'),
        visit('b', '2024-10-01', 5, 'Tim 1', { status: 'CANCELLED' }),
        visit('c', '2024-10-01', 5, 'Tim 1', { status: 'RESCHEDULED' }),
        { id: 'd', date: null, kits: 5, team: 'Tim 1' },
        visit('e', '2024-10-01', 2, null),
      ],
      7,
    );
    expect(report.days).toEqual([{ date: '2024-10-01', kits: 7, visits: 2, overKits: false }]);
    expect(report.byVisit.size).toBe(0);
    expect(report.summary).toEqual([]);
  });

  it('lists both kinds of warning for a visit that has both, sorted by date', () => {
    const visits = [...['a', 'b', 'c', 'd'].map((id) => visit(id, '2024-10-03', 2, 'Tim 1')), visit('z', '2024-10-02', 9, 'Tim 2')];
    const report = visitPlanWarnings(visits, 7);
    expect(report.byVisit.get('a')!.map((w) => w.kind)).toEqual(['DAY_KITS', 'TEAM_SCHOOLS']);
    expect(report.summary.map((w) => `${w.date} ${w.kind}`)).toEqual(['2024-10-02 DAY_KITS', '2024-10-03 DAY_KITS', '2024-10-03 TEAM_SCHOOLS']);
  });
});
