// Blank-card (blangko) stock alerts: the stock screen and the dashboard warn before printing stops.
import { stockDelta, type BlankStockSummary } from './tallies.ts';
import type { MessageParams, StockIssueCode } from './messages.ts';

export type StockAlert = { code: Extract<StockIssueCode, 'STOCK_EMPTY' | 'STOCK_LOW' | 'STOCK_RUNWAY_SHORT'>; params: MessageParams };

/**
 * Alerts for an office's stock: empty (printing is refused), below the office's threshold, or a
 * runway (days left at the last 7 days' use) shorter than the days to the next election.
 * `daysToElection` is null when no election lies ahead.
 */
export function blankStockAlerts(summary: BlankStockSummary, threshold: number, daysToElection: number | null): StockAlert[] {
  const alerts: StockAlert[] = [];
  if (summary.balance <= 0) alerts.push({ code: 'STOCK_EMPTY', params: {} });
  else if (summary.balance < threshold) alerts.push({ code: 'STOCK_LOW', params: { balance: summary.balance, threshold } });
  if (summary.runwayDays !== null && daysToElection !== null && summary.runwayDays < daysToElection) {
    alerts.push({ code: 'STOCK_RUNWAY_SHORT', params: { runwayDays: summary.runwayDays, daysToElection } });
  }
  return alerts;
}

/** Running balance after each movement, oldest first (`delta` is signed: received +, used/spoiled −). */
export function runningBalances<T extends { delta: number }>(movementsOldestFirst: readonly T[], opening = 0): (T & { balance: number })[] {
  let balance = opening;
  return movementsOldestFirst.map((m) => ({ ...m, balance: (balance += m.delta) }));
}

/**
 * Movements that would take the balance below zero, in order: a card can't be spoiled or used
 * before it was received. Movements that add are never refused (they are how a shortfall is fixed).
 */
export function movementsBelowZero<T extends { kind: string; quantity: number }>(balance: number, movements: readonly T[]): { movement: T; balance: number }[] {
  const refused: { movement: T; balance: number }[] = [];
  let running = balance;
  for (const movement of movements) {
    const delta = stockDelta(movement.kind, movement.quantity);
    if (delta < 0 && running + delta < 0) refused.push({ movement, balance: running });
    else running += delta;
  }
  return refused;
}
