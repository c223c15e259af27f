// Tallies: the dashboard numbers of a drive, by office, district, school or visit, and the
// subscription that pushes the rows that changed.
import { GraphQLError } from 'graphql';
import { builder } from '../schema/builder.ts';
import { selectRows, TALLY_SCOPES, type TallyReport, type TallyRow } from './report.ts';
import type { BlankStockSummary, Forecast } from '@jemput/core';
import type { Context } from '../schema/builder.ts';
import { districtLimit, scoped, scopeWhere } from '../auth/scope.ts';

/** A user limited to districts sees the office row and the rows of its districts only. */
function inScope(report: TallyReport, ctx: Context): TallyReport {
  const districts = districtLimit(ctx);
  if (!districts) return report;
  const rows = report.rows.filter((r) => r.scope === 'OFFICE' || (r.scope === 'DISTRICT' ? districts.includes(r.key) : r.districtCode != null && districts.includes(r.districtCode)));
  return { ...report, rows };
}

const driveInScope = async (ctx: Context, driveId: string) => (await ctx.db.drive.count({ where: scoped('Drive', ctx, { id: driveId }) })) > 0;

const TallyScopeEnum = builder.enumType('TallyScope', { values: TALLY_SCOPES });

const ForecastRef = builder.objectRef<Forecast>('Forecast').implement({
  description: 'Recordings per day needed to finish by election day, against the pace of the last 7 days.',
  fields: (t) => ({
    daysLeft: t.exposeInt('daysLeft'),
    neededPerDay: t.exposeInt('neededPerDay'),
    pacePerDay: t.exposeFloat('pacePerDay'),
    onTrack: t.exposeBoolean('onTrack'),
  }),
});

const BlankStockRef = builder.objectRef<BlankStockSummary>('BlankStock').implement({
  description: "The office's blank e-KTP cards.",
  fields: (t) => ({
    balance: t.exposeInt('balance'),
    usedLast7Days: t.exposeInt('usedLast7Days'),
    runwayDays: t.exposeInt('runwayDays', { nullable: true, description: 'Days the blanks last at the last 7 days’ use; null when none were used.' }),
  }),
});

const TallyRowRef = builder.objectRef<TallyRow>('TallyRow').implement({
  description: 'Numbers of eligible students (17 on election day, or married); definitions in packages/core/src/tallies.ts.',
  fields: (t) => ({
    scope: t.expose('scope', { type: TallyScopeEnum }),
    key: t.exposeString('key', { description: 'Office id, district code, school id or visit id.' }),
    name: t.exposeString('name'),
    districtCode: t.exposeString('districtCode', { nullable: true }),
    schoolId: t.exposeID('schoolId', { nullable: true }),
    eligible: t.exposeInt('eligible'),
    recordableNow: t.exposeInt('recordableNow'),
    recorded: t.exposeInt('recorded'),
    remaining: t.exposeInt('remaining'),
    absent: t.exposeInt('absent'),
    refused: t.exposeInt('refused'),
    failed: t.exposeInt('failed'),
    notEligible: t.exposeInt('notEligible'),
    printable: t.exposeInt('printable'),
    printed: t.exposeInt('printed'),
    awaitingBlanks: t.exposeInt('awaitingBlanks'),
    ikdActivated: t.exposeInt('ikdActivated'),
    percentDone: t.exposeFloat('percentDone'),
    recordedToday: t.exposeInt('recordedToday'),
    printedToday: t.exposeInt('printedToday'),
    recordedLast7Days: t.exposeInt('recordedLast7Days'),
    forecast: t.field({ type: ForecastRef, resolve: (r) => r.forecast }),
  }),
});

const TallyReportRef = builder.objectRef<TallyReport>('TallyReport').implement({
  fields: (t) => ({
    driveId: t.exposeID('driveId'),
    asOf: t.exposeString('asOf', { description: 'When the numbers were read (ISO). Keep the newest per row.' }),
    today: t.expose('today', { type: 'Date' }),
    electionDate: t.expose('electionDate', { type: 'Date' }),
    blankStock: t.field({ type: BlankStockRef, resolve: (r) => r.blankStock }),
    rows: t.field({ type: [TallyRowRef], resolve: (r) => r.rows }),
  }),
});

type RecordingDay = { date: string; recorded: number; printed: number };

const RecordingDayRef = builder.objectRef<RecordingDay>('RecordingDay').implement({
  description: 'Recordings and prints of a drive on one day (from the tally counters).',
  fields: (t) => ({
    date: t.expose('date', { type: 'Date' }),
    recorded: t.exposeInt('recorded'),
    printed: t.exposeInt('printed'),
  }),
});

builder.queryFields((t) => ({
  recordingDays: t.field({
    type: [RecordingDayRef],
    description: 'Recordings and prints per day of a drive, oldest first: the dashboard chart. One grouped query over the day counters.',
    args: { driveId: t.arg.id({ required: true }), schoolId: t.arg.id() },
    resolve: async (_root, args, ctx) => {
      const groups = await ctx.db.tallyDay.groupBy({
        by: ['date'],
        // Days of the schools the caller may see (its office, its districts).
        where: { driveId: String(args.driveId), ...(args.schoolId ? { schoolId: String(args.schoolId) } : {}), school: scopeWhere('School', ctx) },
        _sum: { recorded: true, printed: true },
        orderBy: { date: 'asc' },
      });
      return groups
        .map((g) => ({ date: g.date, recorded: g._sum.recorded ?? 0, printed: g._sum.printed ?? 0 }))
        .filter((d) => d.recorded !== 0 || d.printed !== 0);
    },
  }),
  tallies: t.field({
    type: TallyReportRef,
    nullable: true,
    args: {
      driveId: t.arg.id({ required: true }),
      groupBy: t.arg({ type: [TallyScopeEnum], required: true }),
      districtCode: t.arg.string(),
      schoolId: t.arg.id(),
      visitId: t.arg.id(),
      visitDate: t.arg({ type: 'Date', description: 'VISIT rows for this day (default today).' }),
    },
    resolve: async (_root, args, ctx) => {
      if (!(await driveInScope(ctx, String(args.driveId)))) return null;
      const report = await ctx.feed.report(String(args.driveId), ctx.today);
      return (
        report &&
        inScope(await selectRows(ctx.db, report, {
          scopes: args.groupBy,
          districtCode: args.districtCode ?? null,
          schoolIds: args.schoolId ? [String(args.schoolId)] : null,
          visitIds: args.visitId ? [String(args.visitId)] : null,
          visitDate: args.visitDate ?? ctx.today,
        }), ctx)
      );
    },
  }),
}));

builder.subscriptionFields((t) => ({
  tallyUpdates: t.field({
    type: TallyReportRef,
    description:
      'Pushes the tally rows that changed (office, districts, schools, visits) after each burst of writes. The stream is not the source of truth: after a reconnect, query `tallies` again.',
    args: { driveId: t.arg.id({ required: true }) },
    subscribe: async (_root, args, ctx) => {
      if (!(await driveInScope(ctx, String(args.driveId)))) throw new GraphQLError('Drive tidak ditemukan', { extensions: { code: 'NOT_FOUND' } });
      return ctx.feed.subscribe(String(args.driveId));
    },
    resolve: (report, _args, ctx) => inScope(report, ctx),
  }),
}));
