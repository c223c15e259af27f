// The stock screen's numbers: the ledger with a running balance, the runway at the recent pace,
// the alerts, and the office's alert threshold. Prints are one USED movement each; the ledger
// shows them as one line per day ("37 cards printed"), other movements one line each.
import { blankStockAlerts, blankStockSummary, daysBetween, formatMessage, runningBalances, stockDelta, type IsoDate, type StockAlert } from '@jemput/core';
import { builder, type Context } from '../schema/builder.ts';
import { describeIssue, ValidationError } from '../common/errors.ts';
import { blankBalance, blanksUsedLast7Days } from './blanks.ts';
import { StockMovementKindEnum } from './schema.ts';
import { ADMIN_ONLY } from '../auth/rules.ts';

export const MAX_THRESHOLD = 1_000_000;

type LedgerLine = { id: string; date: IsoDate; kind: 'RECEIVED' | 'USED' | 'SPOILED' | 'CORRECTION'; quantity: number; delta: number; notes: string | null; prints: number | null; createdAt: Date; balance: number };
type BlankStock = {
  officeId: string;
  balance: number;
  threshold: number;
  usedLast7Days: number;
  runwayDays: number | null;
  electionDate: IsoDate | null;
  daysToElection: number | null;
  alerts: (StockAlert & { message: string })[];
};

const LedgerLineRef = builder.objectRef<LedgerLine>('StockLedgerLine').implement({
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The movement, or "printed:<date>:<run>" for a run of prints.' }),
    date: t.expose('date', { type: 'Date' }),
    kind: t.expose('kind', { type: StockMovementKindEnum }),
    quantity: t.exposeInt('quantity'),
    delta: t.exposeInt('delta', { description: 'Signed change of the balance.' }),
    notes: t.exposeString('notes', { nullable: true }),
    prints: t.exposeInt('prints', { nullable: true, description: 'Cards printed that day (a line that sums prints); null for other movements.' }),
    balance: t.exposeInt('balance', { description: 'Balance after this line.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const StockAlertRef = builder.objectRef<StockAlert & { message: string }>('StockAlert').implement({
  fields: (t) => ({ code: t.exposeString('code'), message: t.exposeString('message') }),
});

const BlankStockRef = builder.objectRef<BlankStock>('BlankStockOverview').implement({
  description: "The office's blank e-KTP cards (blangko).",
  fields: (t) => ({
    balance: t.exposeInt('balance'),
    threshold: t.exposeInt('threshold', { description: 'An alert shows below this balance.' }),
    usedLast7Days: t.exposeInt('usedLast7Days'),
    runwayDays: t.exposeInt('runwayDays', { nullable: true, description: "Days the blanks last at the last 7 days' use; null when none were used." }),
    electionDate: t.expose('electionDate', { type: 'Date', nullable: true, description: 'The next election of the office\'s drives.' }),
    daysToElection: t.exposeInt('daysToElection', { nullable: true }),
    alerts: t.field({ type: [StockAlertRef], resolve: (s) => s.alerts }),
    ledger: t.field({
      type: [LedgerLineRef],
      description: 'Newest first, each with the balance after it.',
      args: { limit: t.arg.int({ defaultValue: 500 }) },
      resolve: async (s, args, ctx) => (await ledger(ctx, s.officeId)).slice(0, Math.max(0, Math.min(args.limit ?? 500, 5000))),
    }),
  }),
});

async function blankStock(ctx: Context, officeId: string): Promise<BlankStock> {
  const [balance, used, office, nextDrive] = await Promise.all([
    blankBalance(ctx.db, officeId),
    blanksUsedLast7Days(ctx.db, officeId, ctx.today),
    ctx.db.office.findUniqueOrThrow({ where: { id: officeId }, select: { blankStockThreshold: true } }),
    ctx.db.drive.findFirst({ where: { officeId, electionDate: { gte: ctx.today } }, orderBy: { electionDate: 'asc' }, select: { electionDate: true } }),
  ]);
  const summary = blankStockSummary(balance, used);
  const daysToElection = nextDrive ? daysBetween(ctx.today, nextDrive.electionDate) : null;
  const alerts = blankStockAlerts(summary, office.blankStockThreshold, daysToElection).map((a) => ({ ...a, message: formatMessage(a, ctx.locale) }));
  return { officeId, ...summary, threshold: office.blankStockThreshold, electionDate: nextDrive?.electionDate ?? null, daysToElection, alerts };
}

/**
 * Ledger lines oldest → newest with running balances, returned newest first. Prints are summed
 * into one line per run: all of a day's prints, or, on a day that also has other movements, the
 * prints between two of them — so every balance shown is one the stock really had.
 * O(days + other movements), plus the prints of days that have other movements.
 */
async function ledger(ctx: Context, officeId: string): Promise<LedgerLine[]> {
  const printed = { officeId, kind: 'USED' as const, outcomeId: { not: null } };
  const [printDays, movements] = await Promise.all([
    ctx.db.blankStockMovement.groupBy({ by: ['date'], where: printed, _sum: { quantity: true }, _count: { _all: true }, _max: { createdAt: true } }),
    ctx.db.blankStockMovement.findMany({ where: { officeId, OR: [{ kind: { not: 'USED' } }, { outcomeId: null }] } }),
  ]);
  type Unbalanced = Omit<LedgerLine, 'balance'>;
  const lines: Unbalanced[] = movements.map((m) => ({ id: m.id, date: m.date, kind: m.kind, quantity: m.quantity, delta: stockDelta(m.kind, m.quantity), notes: m.notes, prints: null, createdAt: m.createdAt }));
  const printRun = (date: string, index: number, quantity: number, count: number, createdAt: Date): Unbalanced => ({
    id: `printed:${date}:${index}`,
    date,
    kind: 'USED',
    quantity,
    delta: -quantity,
    notes: null,
    prints: count,
    createdAt,
  });
  const mixedDays = new Set(movements.map((m) => m.date));
  for (const day of printDays) {
    if (!mixedDays.has(day.date)) lines.push(printRun(day.date, 0, day._sum.quantity ?? 0, day._count._all, day._max.createdAt ?? new Date(0)));
  }
  const mixed = printDays.filter((d) => mixedDays.has(d.date)).map((d) => d.date);
  if (mixed.length) {
    const prints = await ctx.db.blankStockMovement.findMany({ where: { ...printed, date: { in: mixed } }, select: { date: true, quantity: true, createdAt: true }, orderBy: { createdAt: 'asc' } });
    for (const date of mixed) {
      const boundaries = movements.filter((m) => m.date === date).map((m) => m.createdAt.getTime()).sort((a, b) => a - b);
      const runs = new Map<number, { quantity: number; count: number; last: Date }>();
      for (const p of prints.filter((x) => x.date === date)) {
        const run = boundaries.filter((b) => b <= p.createdAt.getTime()).length;
        const r = runs.get(run) ?? { quantity: 0, count: 0, last: p.createdAt };
        runs.set(run, { quantity: r.quantity + p.quantity, count: r.count + 1, last: p.createdAt });
      }
      for (const [run, r] of runs) lines.push(printRun(date, run, r.quantity, r.count, r.last));
    }
  }
  lines.sort((a, b) => a.date.localeCompare(b.date) || a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  return runningBalances(lines).reverse();
}

builder.queryFields((t) => ({
  blankStock: t.field({
    type: BlankStockRef,
    nullable: true,
    description: "The office's blank-card balance, runway, alerts and ledger.",
    resolve: (_root, _args, ctx) => (ctx.officeId ? blankStock(ctx, ctx.officeId) : null),
  }),
}));

builder.mutationFields((t) => ({
  setBlankStockThreshold: t.field({
    authScopes: { roles: ADMIN_ONLY },
    type: BlankStockRef,
    description: 'Sets the balance below which the stock screen and dashboards warn.',
    errors: { types: [ValidationError] },
    args: { threshold: t.arg.int({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const officeId = ctx.officeId;
      if (!officeId) throw new ValidationError(formatMessage({ code: 'NOT_FOUND' }, ctx.locale), []);
      if (args.threshold < 0 || args.threshold > MAX_THRESHOLD) {
        const problem = describeIssue({ field: 'blankStockThreshold', code: 'OUT_OF_RANGE', severity: 'error', params: { min: 0, max: MAX_THRESHOLD } }, ctx.locale);
        throw new ValidationError(problem.message, [problem]);
      }
      await ctx.db.$transaction(async (tx) => {
        const office = await tx.office.findUniqueOrThrow({ where: { id: officeId }, select: { blankStockThreshold: true } });
        if (office.blankStockThreshold === args.threshold) return;
        await tx.office.update({ where: { id: officeId }, data: { blankStockThreshold: args.threshold, version: { increment: 1 } } });
        await tx.auditEvent.create({
          data: { officeId, userId: ctx.userId, action: 'UPDATE', entity: 'Office', entityId: officeId, field: 'blankStockThreshold', oldValue: String(office.blankStockThreshold), newValue: String(args.threshold) },
        });
      });
      ctx.feed.touch({ officeIds: [officeId] });
      return blankStock(ctx, officeId);
    },
  }),
}));
