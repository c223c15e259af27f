// The dashboard's numbers: the tallies query (office, districts, schools), the per-day
// recordings, and how pushed updates (tallyUpdates: only the rows that changed) merge into what
// is shown. Kept apart from the view so the merge and the chart's scale are unit tested.
import { addDays, compareIsoDate, type IsoDate } from '@jemput/core';
import { request } from '../api/client.ts';

export type Forecast = { daysLeft: number; neededPerDay: number; pacePerDay: number; onTrack: boolean };
export type TallyRow = {
  scope: 'OFFICE' | 'DISTRICT' | 'SCHOOL' | 'VISIT';
  key: string;
  name: string;
  districtCode: string | null;
  eligible: number;
  recorded: number;
  remaining: number;
  notEligible: number;
  printable: number;
  printed: number;
  awaitingBlanks: number;
  ikdActivated: number;
  percentDone: number;
  recordedToday: number;
  recordedLast7Days: number;
  forecast: Forecast;
};
export type BlankStock = { balance: number; usedLast7Days: number; runwayDays: number | null };
export type TallyReport = { driveId: string; asOf: string; today: IsoDate; electionDate: IsoDate; blankStock: BlankStock; rows: TallyRow[] };
export type RecordingDay = { date: IsoDate; recorded: number; printed: number };

const ROW = 'scope key name districtCode eligible recorded remaining notEligible printable printed awaitingBlanks ikdActivated percentDone recordedToday recordedLast7Days forecast { daysLeft neededPerDay pacePerDay onTrack }';
const REPORT = `driveId asOf today electionDate blankStock { balance usedLast7Days runwayDays } rows { ${ROW} }`;

export const TALLY_UPDATES = /* GraphQL */ `subscription TallyUpdates($d: ID!) { tallyUpdates(driveId: $d) { ${REPORT} } }`;

export async function fetchDashboard(driveId: string): Promise<{ report: TallyReport | null; days: RecordingDay[] }> {
  const data = await request<{ tallies: TallyReport | null; recordingDays: RecordingDay[] }>(
    `query Dashboard($d: ID!) { tallies(driveId: $d, groupBy: [OFFICE, DISTRICT, SCHOOL]) { ${REPORT} } recordingDays(driveId: $d) { date recorded printed } }`,
    { d: driveId },
  );
  return { report: data.tallies, days: data.recordingDays };
}

export async function fetchRecordingDays(driveId: string): Promise<RecordingDay[]> {
  return (await request<{ recordingDays: RecordingDay[] }>(`query Days($d: ID!) { recordingDays(driveId: $d) { date recorded printed } }`, { d: driveId })).recordingDays;
}

/**
 * Merges a pushed update into the report shown: rows that changed replace theirs (a row read
 * earlier than the one shown is ignored), the stock and dates follow the newest push.
 */
export function mergeReport(current: TallyReport | null, update: TallyReport): TallyReport {
  if (!current || current.driveId !== update.driveId) return { ...update, rows: update.rows.filter((r) => r.scope !== 'VISIT') };
  if (update.asOf < current.asOf) return current;
  const rows = new Map(current.rows.map((r) => [`${r.scope}|${r.key}`, r]));
  for (const row of update.rows) if (row.scope !== 'VISIT') rows.set(`${row.scope}|${row.key}`, row);
  return { ...update, rows: [...rows.values()] };
}

/** Every day from the first recording (or the drive's start) to today, zero where nothing was recorded. */
export function dailySeries(days: readonly RecordingDay[], from: IsoDate, today: IsoDate): RecordingDay[] {
  const byDate = new Map(days.map((d) => [d.date, d]));
  const first = days.length && compareIsoDate(days[0]!.date, from) < 0 ? days[0]!.date : from;
  const series: RecordingDay[] = [];
  for (let date = first; compareIsoDate(date, today) <= 0 && series.length < 400; date = addDays(date, 1)) series.push(byDate.get(date) ?? { date, recorded: 0, printed: 0 });
  return series;
}

/** A round top for the chart's axis (1, 2 or 5 × 10ⁿ) at or above the highest value. */
export function niceMax(value: number): number {
  if (value <= 0) return 10;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}
