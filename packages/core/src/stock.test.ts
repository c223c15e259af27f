import { describe, expect, it } from 'vitest';
import { blankStockAlerts, movementsBelowZero, runningBalances } from './stock.ts';
import { blankStockSummary } from './tallies.ts';
import { formatMessage } from './messages.ts';

describe('blankStockAlerts', () => {
  it('says nothing while the stock is above the threshold and outlasts the election', () => {
    expect(blankStockAlerts(blankStockSummary(1200, 70), 500, 30)).toEqual([]);
  });

  it('warns below the threshold, and says empty (not low) at zero or below', () => {
    expect(blankStockAlerts(blankStockSummary(499, 0), 500, 30).map((a) => a.code)).toEqual(['STOCK_LOW']);
    expect(blankStockAlerts(blankStockSummary(0, 0), 500, 30).map((a) => a.code)).toEqual(['STOCK_EMPTY']);
    expect(blankStockAlerts(blankStockSummary(-3, 0), 0, 30).map((a) => a.code)).toEqual(['STOCK_EMPTY']);
  });

  it('warns when the runway at the recent pace ends before election day', () => {
    // 1,200 left, 700 used in 7 days = 100 a day: 12 days of runway, election in 30.
    const alerts = blankStockAlerts(blankStockSummary(1200, 700), 500, 30);
    expect(alerts).toEqual([{ code: 'STOCK_RUNWAY_SHORT', params: { runwayDays: 12, daysToElection: 30 } }]);
    expect(formatMessage(alerts[0]!)).toMatch(/habis dalam 12 hari.*30 hari lagi/);
    expect(formatMessage(alerts[0]!, 'en')).toMatch(/run out in 12 days/);
    expect(blankStockAlerts(blankStockSummary(1200, 700), 500, 12)).toEqual([]);
    expect(blankStockAlerts(blankStockSummary(1200, 700), 500, null)).toEqual([]);
  });
});

describe('runningBalances', () => {
  it('adds signed movements in order', () => {
    expect(runningBalances([{ delta: 100 }, { delta: -1 }, { delta: -4 }, { delta: 10 }]).map((m) => m.balance)).toEqual([100, 99, 95, 105]);
    expect(runningBalances([{ delta: -1 }], 5)[0]!.balance).toBe(4);
  });
});

describe('movementsBelowZero', () => {
  it('refuses what would spoil or use cards that are not in stock, in order, and never refuses an addition', () => {
    const moves = [
      { kind: 'SPOILED', quantity: 3 },
      { kind: 'SPOILED', quantity: 5 },
      { kind: 'RECEIVED', quantity: 10 },
      { kind: 'CORRECTION', quantity: -12 },
      { kind: 'USED', quantity: 2 },
    ];
    expect(movementsBelowZero(4, moves)).toEqual([
      { movement: moves[1], balance: 1 },
      { movement: moves[3], balance: 11 },
    ]);
    expect(movementsBelowZero(0, [{ kind: 'CORRECTION', quantity: 5 }])).toEqual([]);
    expect(movementsBelowZero(2, [{ kind: 'USED', quantity: 2 }])).toEqual([]);
  });
});
