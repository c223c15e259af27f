// The stock screen's numbers: the ledger with a running balance, the runway at the recent pace,
// the alerts, and the office's alert threshold. Prints are one USED movement each; the ledger
// shows them as one line per day ("37 cards printed"), other movements one line each.
import { blankStockAlerts, blankStockSummary, daysBetween, formatMessage, runningBalances, stockDelta, type IsoDate, type StockAlert } from '@jemput/core';
import { builder, type Context } from '../schema/builder.ts';
import { describeIssue, ValidationError } from '../common/errors.ts';
import { blankBalance, blanksUsedLast7Days } from './blanks.ts';
import { StockMovementKindEnum } from './schema.ts';

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
    id: t.exposeID('id', { description: 'The movement, or "printed:<date>" for a day of prints.' }),
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

/** Ledger lines oldest → newest with running balances, returned newest first. O(days + manual movements). */
async function ledger(ctx: Context, officeId: string): Promise<LedgerLine[]> {
  const [printDays, movements] = await Promise.all([
    ctx.db.blankStockMovement.groupBy({ by: ['date'], where: { officeId, kind: 'USED', outcomeId: { not: null } }, _sum: { quantity: true }, _count: { _all: true }, _max: { createdAt: true } }),
    ctx.db.blankStockMovement.findMany({ where: { officeId, OR: [{ kind: { not: 'USED' } }, { outcomeId: null }] } }),
  ]);
  const lines: Omit<LedgerLine, 'balance'>[] = [
    ...movements.map((m) => ({ id: m.id, date: m.date, kind: m.kind, quantity: m.quantity, delta: stockDelta(m.kind, m.quantity), notes: m.notes, prints: null, createdAt: m.createdAt })),
    ...printDays.map((d) => {
      const quantity = d._sum.quantity ?? 0;
      return { id: `printed:${d.date}`, date: d.date, kind: 'USED' as const, quantity, delta: -quantity, notes: null, prints: d._count._all, createdAt: d._max.createdAt ?? new Date(0) };
    }),
  ];
  // A day's prints come after the day's other movements: blanks received in the morning are printed on.
  lines.sort((a, b) => a.date.localeCompare(b.date) || (a.prints === null ? 0 : 1) - (b.prints === null ? 0 : 1) || a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
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
