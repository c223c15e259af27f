// Blank cards used by printing: marking an outcome printed takes one blank from its office's
// stock in the same transaction, as a USED movement pointing at the outcome. The office row is
// locked first, so two prints racing for the last blank cannot both see it: exactly one wins.
import { paceWindowStart, stockDelta, type IsoDate } from '@jemput/core';
import type { Db } from '../db/client.ts';
import { RefusedWrite, type Candidate, type Row, type Write } from '../common/editing.ts';
import { jakartaDate } from '../common/time.ts';

/** The office's balance: received − used − spoiled ± corrections. */
export async function blankBalance(db: Db, officeId: string): Promise<number> {
  const sums = await db.blankStockMovement.groupBy({ by: ['kind'], where: { officeId }, _sum: { quantity: true } });
  return sums.reduce((sum, s) => sum + stockDelta(s.kind, s._sum.quantity ?? 0), 0);
}

/** Blanks used by printing in the 7 days ending today (the pace behind the runway). */
export async function blanksUsedLast7Days(db: Db, officeId: string, today: IsoDate): Promise<number> {
  const used = await db.blankStockMovement.aggregate({ where: { officeId, kind: 'USED', date: { gte: paceWindowStart(today), lte: today } }, _sum: { quantity: true } });
  return used._sum.quantity ?? 0;
}

/**
 * Takes the office's stock lock for the rest of the transaction. A no-op UPDATE of the office
 * row: PostgreSQL holds its row lock until commit (a second printer waits, then reads the new
 * balance), and on SQLite the write transaction is already exclusive.
 */
export async function lockOfficeStock(tx: Db, officeId: string): Promise<void> {
  await tx.$executeRaw`UPDATE "Office" SET "blankStockThreshold" = "blankStockThreshold" WHERE "id" = ${officeId}`;
}

const newlyPrinted = (w: Write): w is { before: Row | null; after: Row } => !!w.after?.printedAt && !w.before?.printedAt;

const STOCK_EMPTY = { field: 'printedAt', code: 'STOCK_EMPTY', severity: 'error' } as const;

/**
 * Before the transaction: refuses prints when the office has no blank left, so a batch at zero
 * stock is answered without failing its transaction. The transaction checks again under the lock.
 */
export async function refusePrintsWithoutStock(db: Db, candidates: Candidate[], officeOfDrive: Map<string, string>): Promise<void> {
  const printing = candidates.filter((c) => c.merged.printedAt != null && !c.existing?.printedAt);
  const offices = [...new Set(printing.map((c) => officeOfDrive.get(c.merged.driveId as string)).filter((id): id is string => !!id))];
  for (const officeId of offices) {
    if ((await blankBalance(db, officeId)) > 0) continue;
    for (const c of printing) if (officeOfDrive.get(c.merged.driveId as string) === officeId) c.issues.push({ ...STOCK_EMPTY });
  }
}

/**
 * In the outcome write's transaction: one USED movement per newly printed outcome. Throws
 * RefusedWrite (the transaction rolls back) when the office has fewer blanks than prints.
 */
export async function useBlanksForPrints(tx: Db, writes: Write[], userId: string | null): Promise<void> {
  const prints = writes.filter(newlyPrinted);
  if (prints.length === 0) return;
  const drives = await tx.drive.findMany({ where: { id: { in: [...new Set(prints.map((w) => w.after.driveId as string))] } }, select: { id: true, officeId: true } });
  const officeOf = new Map(drives.map((d) => [d.id, d.officeId]));
  const byOffice = new Map<string, Row[]>();
  for (const { after } of prints) {
    const officeId = officeOf.get(after.driveId as string) as string;
    byOffice.set(officeId, [...(byOffice.get(officeId) ?? []), after]);
  }
  // One office after the other in id order, so two transactions never wait on each other in a cycle.
  for (const officeId of [...byOffice.keys()].sort()) {
    const outcomes = byOffice.get(officeId) as Row[];
    await lockOfficeStock(tx, officeId);
    if ((await blankBalance(tx, officeId)) < outcomes.length) throw new RefusedWrite({ ...STOCK_EMPTY });
    await tx.blankStockMovement.createMany({
      data: outcomes.map((o) => ({ officeId, kind: 'USED' as const, quantity: 1, date: jakartaDate(o.printedAt as Date), outcomeId: o.id, createdById: userId })),
    });
  }
}
