import { describe, expect, it } from 'vitest';
import { eligibility } from './eligibility.ts';
import {
  NO_OUTCOME,
  OUTCOME_STATUSES,
  RECORDED_STATUSES,
  allowedNextStatuses,
  checkOutcomeChange,
  isOutcomeStatus,
  isRecordedStatus,
} from './outcomes.ts';
import type { OutcomeIssue, OutcomeState, OutcomeStatus } from './outcomes.ts';

const codes = (issues: OutcomeIssue[]) => issues.map((i) => i.code);
const state = (status: OutcomeStatus | null, printedAt: string | null = null, ikdActivatedAt: string | null = null): OutcomeState => ({
  status,
  printedAt,
  ikdActivatedAt,
});

const ELECTION = '2024-11-27';
const adult = eligibility({ birthDate: '2006-05-05', married: false }, ELECTION, '2024-09-01');
const sixteen = eligibility({ birthDate: '2007-10-10', married: false }, ELECTION, '2024-09-01');
const tooYoung = eligibility({ birthDate: '2008-01-03', married: false }, ELECTION, '2024-09-01');
const marriedFifteen = eligibility({ birthDate: '2009-06-01', married: true }, ELECTION, '2024-09-01');

describe('statuses', () => {
  it('lists statuses and the recorded ones', () => {
    expect(OUTCOME_STATUSES).toEqual(['RECORDED', 'ALREADY_RECORDED', 'ABSENT', 'REFUSED', 'FAILED', 'NOT_ELIGIBLE']);
    expect(RECORDED_STATUSES).toEqual(['RECORDED', 'ALREADY_RECORDED']);
    expect(isRecordedStatus('ALREADY_RECORDED')).toBe(true);
    expect(isRecordedStatus(null)).toBe(false);
    expect(isOutcomeStatus('ABSENT')).toBe(true);
    expect(isOutcomeStatus('absent')).toBe(false);
  });
});

describe('checkOutcomeChange: status transitions table', () => {
  const all: (OutcomeStatus | null)[] = [null, ...OUTCOME_STATUSES];
  for (const from of all) {
    for (const to of all) {
      const allowed = !isRecordedStatus(from) || isRecordedStatus(to);
      it(`${from ?? 'null'} -> ${to ?? 'null'}: ${allowed ? 'allowed' : 'refused'}`, () => {
        const issues = checkOutcomeChange(state(from), state(to), adult);
        if (allowed) expect(issues).toEqual([]);
        else expect(issues).toEqual([{ code: 'OUTCOME_TRANSITION', severity: 'error', params: { from, to: to ?? '' } }]);
      });
    }
  }
});

describe('checkOutcomeChange: recording', () => {
  it('records a 16-year-old who will be 17 on election day', () => {
    expect(checkOutcomeChange(NO_OUTCOME, state('RECORDED'), sixteen)).toEqual([]);
  });

  it('refuses to record a student who is not recordable now', () => {
    expect(codes(checkOutcomeChange(NO_OUTCOME, state('RECORDED'), tooYoung))).toEqual(['OUTCOME_NOT_RECORDABLE']);
    expect(codes(checkOutcomeChange(state('ALREADY_RECORDED'), state('RECORDED'), tooYoung))).toEqual(['OUTCOME_NOT_RECORDABLE']);
  });

  it('accepts the other findings for anyone, including NOT_ELIGIBLE', () => {
    for (const status of ['ABSENT', 'REFUSED', 'FAILED', 'NOT_ELIGIBLE', 'ALREADY_RECORDED'] as const) {
      expect(checkOutcomeChange(NO_OUTCOME, state(status), tooYoung), status).toEqual([]);
    }
  });

  it('records a married student under 16', () => {
    expect(checkOutcomeChange(state('ABSENT'), state('RECORDED'), marriedFifteen)).toEqual([]);
  });

  it('does not re-check recordability when the status is unchanged', () => {
    expect(checkOutcomeChange(state('RECORDED'), state('RECORDED'), tooYoung)).toEqual([]);
  });
});

describe('checkOutcomeChange: printing', () => {
  it('prints a recorded 17-year-old', () => {
    expect(checkOutcomeChange(state('RECORDED'), state('RECORDED', '2024-10-01'), adult)).toEqual([]);
    expect(checkOutcomeChange(NO_OUTCOME, state('RECORDED', '2024-10-01'), adult)).toEqual([]);
  });

  it('refuses printing without a recorded status', () => {
    expect(codes(checkOutcomeChange(state('ABSENT'), state('ABSENT', '2024-10-01'), adult))).toEqual(['OUTCOME_PRINT_NOT_RECORDED']);
  });

  it('refuses printing before 17, naming the birthday', () => {
    expect(checkOutcomeChange(state('RECORDED'), state('RECORDED', '2024-10-01'), sixteen)).toEqual([
      { code: 'OUTCOME_PRINT_TOO_YOUNG', severity: 'error', params: { seventeenOn: '2024-10-10' } },
    ]);
  });

  it('prints for a married student under 17', () => {
    expect(checkOutcomeChange(state('RECORDED'), state('RECORDED', '2024-10-01'), marriedFifteen)).toEqual([]);
  });

  it('refuses un-printing: the blank card is used', () => {
    expect(codes(checkOutcomeChange(state('RECORDED', '2024-10-01'), state('RECORDED'), adult))).toEqual(['OUTCOME_UNPRINT']);
  });

  it('allows correcting the print date', () => {
    expect(checkOutcomeChange(state('RECORDED', '2024-10-01'), state('ALREADY_RECORDED', '2024-10-02'), sixteen)).toEqual([]);
  });
});

describe('checkOutcomeChange: IKD', () => {
  it('activates IKD for a recorded 17-year-old, printed or not', () => {
    expect(checkOutcomeChange(state('RECORDED'), state('RECORDED', null, '2024-10-01'), adult)).toEqual([]);
    expect(checkOutcomeChange(state('RECORDED', '2024-10-01'), state('RECORDED', '2024-10-01', '2024-10-01'), adult)).toEqual([]);
  });

  it('refuses IKD without a recorded status', () => {
    expect(codes(checkOutcomeChange(NO_OUTCOME, state('FAILED', null, '2024-10-01'), adult))).toEqual(['OUTCOME_IKD_NOT_RECORDED']);
  });

  it('refuses IKD before 17 unless married', () => {
    expect(codes(checkOutcomeChange(state('RECORDED'), state('RECORDED', null, '2024-10-01'), sixteen))).toEqual(['OUTCOME_IKD_TOO_YOUNG']);
    expect(checkOutcomeChange(state('RECORDED'), state('RECORDED', null, '2024-10-01'), marriedFifteen)).toEqual([]);
  });

  it('reports every broken rule of one change', () => {
    expect(codes(checkOutcomeChange(state('RECORDED', '2024-10-01'), state('ABSENT', null, '2024-10-01'), adult))).toEqual([
      'OUTCOME_TRANSITION',
      'OUTCOME_UNPRINT',
      'OUTCOME_IKD_NOT_RECORDED',
    ]);
  });
});

describe('allowedNextStatuses', () => {
  it('offers everything before recording, only recorded statuses after', () => {
    expect(allowedNextStatuses(null)).toEqual([...OUTCOME_STATUSES]);
    expect(allowedNextStatuses('ABSENT')).toEqual([...OUTCOME_STATUSES]);
    expect(allowedNextStatuses('RECORDED')).toEqual(['RECORDED', 'ALREADY_RECORDED']);
    expect(allowedNextStatuses('ALREADY_RECORDED')).toEqual(['RECORDED', 'ALREADY_RECORDED']);
  });

  it('leaves out RECORDED while the student is not recordable', () => {
    expect(allowedNextStatuses(null, tooYoung)).toEqual(['ALREADY_RECORDED', 'ABSENT', 'REFUSED', 'FAILED', 'NOT_ELIGIBLE']);
    expect(allowedNextStatuses('ALREADY_RECORDED', tooYoung)).toEqual(['ALREADY_RECORDED']);
    expect(allowedNextStatuses('RECORDED', tooYoung)).toEqual(['RECORDED', 'ALREADY_RECORDED']);
  });

  it('agrees with checkOutcomeChange', () => {
    for (const ctx of [adult, tooYoung]) {
      for (const from of [null, ...OUTCOME_STATUSES]) {
        for (const to of OUTCOME_STATUSES) {
          const offered = allowedNextStatuses(from, ctx).includes(to);
          expect(checkOutcomeChange(state(from), state(to), ctx).length === 0, `${from} -> ${to}`).toBe(offered);
        }
      }
    }
  });
});
