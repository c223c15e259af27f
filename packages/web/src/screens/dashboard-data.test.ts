import { describe, expect, it } from 'vitest';
import { dailySeries, mergeReport, niceMax, type TallyReport, type TallyRow } from './dashboard-data.ts';

const row = (scope: TallyRow['scope'], key: string, recorded: number): TallyRow => ({
  scope,
  key,
  name: key,
  districtCode: null,
  eligible: 100,
  recorded,
  remaining: 100 - recorded,
  notEligible: 0,
  printable: 0,
  printed: 0,
  awaitingBlanks: 0,
  ikdActivated: 0,
  percentDone: recorded,
  recordedToday: 0,
  recordedLast7Days: 0,
  forecast: { daysLeft: 10, neededPerDay: 1, pacePerDay: 1, onTrack: true },
});
const report = (asOf: string, rows: TallyRow[], balance = 100): TallyReport => ({
  driveId: 'd1',
  asOf,
  today: '2024-10-01',
  electionDate: '2024-11-27',
  blankStock: { balance, usedLast7Days: 0, runwayDays: null },
  rows,
});

describe('mergeReport', () => {
  it('replaces the rows that changed and keeps the others; visit rows stay out', () => {
    const shown = report('2024-10-01T01:00:00Z', [row('OFFICE', 'o', 10), row('SCHOOL', 'a', 5), row('SCHOOL', 'b', 5)]);
    const merged = mergeReport(shown, report('2024-10-01T01:00:05Z', [row('OFFICE', 'o', 11), row('SCHOOL', 'a', 6), row('VISIT', 'v', 1)], 99));
    expect(merged.rows.map((r) => `${r.key}:${r.recorded}`)).toEqual(['o:11', 'a:6', 'b:5']);
    expect(merged.blankStock.balance).toBe(99);
  });

  it('ignores an update read before what is shown', () => {
    const shown = report('2024-10-01T01:00:05Z', [row('OFFICE', 'o', 11)]);
    expect(mergeReport(shown, report('2024-10-01T01:00:00Z', [row('OFFICE', 'o', 10)]))).toBe(shown);
  });
});

describe('chart helpers', () => {
  it('fills the days without recordings with zero, from the drive start to today', () => {
    expect(dailySeries([{ date: '2024-09-02', recorded: 5, printed: 1 }], '2024-09-01', '2024-09-03').map((d) => `${d.date}:${d.recorded}`)).toEqual([
      '2024-09-01:0',
      '2024-09-02:5',
      '2024-09-03:0',
    ]);
  });

  it('rounds the axis top up to 1, 2, 2.5 or 5 × 10ⁿ', () => {
    expect([0, 7, 11, 180, 240, 260, 999].map(niceMax)).toEqual([10, 10, 20, 200, 250, 500, 1000]);
  });
});
