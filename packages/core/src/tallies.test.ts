import { describe, expect, it } from 'vitest';
import { addToCells, blankStockSummary, forecast, stockDelta, summarizeCells, tallyContribution, type TallyCell } from './tallies.ts';

const drive = { electionDate: '2024-11-27', startDate: '2024-09-01' };
const none = null;
const recorded = { status: 'RECORDED' as const, printedAt: null, ikdActivatedAt: null };
const printed = { status: 'RECORDED' as const, printedAt: '2024-10-01T03:00:00Z', ikdActivatedAt: null };

describe('tallyContribution', () => {
  it('counts only students who are 17 on election day or married', () => {
    expect(tallyContribution({ birthDate: '2007-11-27', married: false }, none, drive)).not.toBeNull();
    expect(tallyContribution({ birthDate: '2007-11-28', married: false }, none, drive)).toBeNull();
    expect(tallyContribution({ birthDate: '2009-01-01', married: true }, none, drive)?.printableFrom).toBe('');
  });

  it('keys a cell by the day the student turns 17 when that is inside the drive', () => {
    expect(tallyContribution({ birthDate: '2007-10-15', married: false }, none, drive)?.printableFrom).toBe('2024-10-15');
    expect(tallyContribution({ birthDate: '2007-09-01', married: false }, none, drive)?.printableFrom).toBe('');
    expect(tallyContribution({ birthDate: '2006-01-01', married: false }, none, drive)?.printableFrom).toBe('');
  });

  it('maps outcomes to counts', () => {
    const cell = tallyContribution({ birthDate: '2006-01-01', married: false }, { status: 'ALREADY_RECORDED', printedAt: null, ikdActivatedAt: '2024-10-02T00:00:00Z' }, drive);
    expect(cell).toMatchObject({ eligible: 1, recorded: 1, ikdActivated: 1, printed: 0, absent: 0 });
    expect(tallyContribution({ birthDate: '2006-01-01', married: false }, { status: 'ABSENT', printedAt: null, ikdActivatedAt: null }, drive)).toMatchObject({ absent: 1, recorded: 0 });
  });
});

describe('summarizeCells', () => {
  const cells = new Map<string, TallyCell>();
  addToCells(cells, '', tallyContribution({ birthDate: '2006-01-01', married: false }, printed, drive), 1);
  addToCells(cells, '', tallyContribution({ birthDate: '2006-02-01', married: false }, recorded, drive), 1);
  addToCells(cells, '2024-10-15', tallyContribution({ birthDate: '2007-10-15', married: false }, recorded, drive), 1);
  addToCells(cells, '', tallyContribution({ birthDate: '2006-03-01', married: false }, { status: 'NOT_ELIGIBLE', printedAt: null, ikdActivatedAt: null }, drive), 1);
  addToCells(cells, '', tallyContribution({ birthDate: '2006-04-01', married: false }, none, drive), 1);

  it('sums counts, remaining and percentage done', () => {
    const t = summarizeCells(cells.values(), '2024-10-01', 100);
    expect(t).toMatchObject({ eligible: 5, recorded: 3, notEligible: 1, printed: 1, remaining: 1, percentDone: 75 });
  });

  it('counts as printable only students who are 17 today and not yet printed', () => {
    expect(summarizeCells(cells.values(), '2024-10-14', 100).printable).toBe(1);
    expect(summarizeCells(cells.values(), '2024-10-15', 100).printable).toBe(2);
  });

  it('puts printable students awaiting blanks when the stock is empty', () => {
    expect(summarizeCells(cells.values(), '2024-10-15', 0).awaitingBlanks).toBe(2);
    expect(summarizeCells(cells.values(), '2024-10-15', 5).awaitingBlanks).toBe(0);
  });

  it('removing a contribution restores the cell', () => {
    const copy = new Map([...cells].map(([k, v]) => [k, { ...v }]));
    const c = tallyContribution({ birthDate: '2006-04-01', married: false }, none, drive);
    addToCells(copy, '', c, 1);
    addToCells(copy, '', c, -1);
    expect(copy).toEqual(cells);
  });

  it('counts students as recordable from their 16th birthday', () => {
    const young = new Map<string, TallyCell>();
    const farDrive = { electionDate: '2026-01-10', startDate: '2024-09-01' };
    addToCells(young, '2025-01-10', tallyContribution({ birthDate: '2008-01-10', married: false }, none, farDrive), 1);
    expect(summarizeCells(young.values(), '2024-01-09', 1).recordableNow).toBe(0);
    expect(summarizeCells(young.values(), '2024-01-10', 1).recordableNow).toBe(1);
  });
});

describe('forecast and stock', () => {
  it('compares the pace needed to finish with the last 7 days', () => {
    expect(forecast(100, 70, '2024-11-17', '2024-11-27')).toEqual({ daysLeft: 10, neededPerDay: 10, pacePerDay: 10, onTrack: true });
    expect(forecast(100, 35, '2024-11-17', '2024-11-27').onTrack).toBe(false);
    expect(forecast(0, 0, '2024-11-28', '2024-11-27')).toMatchObject({ daysLeft: 0, neededPerDay: 0, onTrack: true });
  });

  it('computes the blank-card runway at the recent pace', () => {
    expect(blankStockSummary(1200, 140)).toEqual({ balance: 1200, usedLast7Days: 140, runwayDays: 60 });
    expect(blankStockSummary(1200, 0).runwayDays).toBeNull();
    expect(stockDelta('USED', 3)).toBe(-3);
    expect(stockDelta('CORRECTION', -2)).toBe(-2);
  });
});
