// Blank-card (blangko) stock alerts: the stock screen and the dashboard warn before printing stops.
import type { BlankStockSummary } from './tallies.ts';
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
