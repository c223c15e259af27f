import { describe, expect, it } from 'vitest';
import { RECORDING_MIN_AGE, VOTING_AGE, eligibility, recordingPhase, voterCutoffDate } from './eligibility.ts';
import { formatMessage } from './messages.ts';
import type { OutcomeState } from './outcomes.ts';

const PILKADA_2024 = '2024-11-27';
const PEMILU_2024 = '2024-02-14';

describe('constants', () => {
  it('records from 16, votes at 17', () => {
    expect(RECORDING_MIN_AGE).toBe(16);
    expect(VOTING_AGE).toBe(17);
  });
});

describe('voterCutoffDate', () => {
  it('gives the latest birth date that is 17 on election day', () => {
    expect(voterCutoffDate(PILKADA_2024)).toBe('2007-11-27');
    expect(voterCutoffDate(PEMILU_2024)).toBe('2007-02-14');
  });

  it('uses 28 February for an election on 29 February with no such day 17 years before', () => {
    expect(voterCutoffDate('2024-02-29')).toBe('2007-02-28');
    expect(voterCutoffDate('2025-02-28')).toBe('2008-02-28');
  });

  it('throws on an invalid election date', () => {
    expect(() => voterCutoffDate('2024-02-30')).toThrow(RangeError);
  });
});

describe('eligibility', () => {
  const today = '2024-09-01';

  it('is eligible when born on the cutoff day itself', () => {
    const result = eligibility({ birthDate: '2007-11-27', married: false }, PILKADA_2024, today);
    expect(result).toMatchObject({ eligible: true, recordableNow: true, printableNow: false, ageOnElection: 17 });
    expect(formatMessage(result.reason)).toBe('17 tahun pada 27/11/2024');
    expect(formatMessage(result.reason, 'en')).toBe('17 years old on 27/11/2024');
  });

  it('is not eligible when born the day after the cutoff', () => {
    const result = eligibility({ birthDate: '2007-11-28', married: false }, PILKADA_2024, today);
    expect(result).toMatchObject({ eligible: false, recordableNow: false, ageOnElection: 16, seventeenthBirthday: '2024-11-28' });
    expect(formatMessage(result.reason)).toBe('Baru 16 tahun pada 27/11/2024 (17 tahun pada 28/11/2024)');
  });

  it('explains a young student with the date they turn 17', () => {
    const result = eligibility({ birthDate: '2008-01-03', married: false }, PILKADA_2024, today);
    expect(result.eligible).toBe(false);
    expect(formatMessage(result.reason)).toBe('Baru 16 tahun pada 27/11/2024 (17 tahun pada 03/01/2025)');
    expect(formatMessage(result.reason, 'en')).toBe('Only 16 on 27/11/2024 (turns 17 on 03/01/2025)');
  });

  it('counts a 29 February birth as 17 only from 1 March in a non-leap year', () => {
    const student = { birthDate: '2008-02-29', married: false };
    expect(eligibility(student, '2025-02-28', '2025-01-01').eligible).toBe(false);
    expect(eligibility(student, '2025-03-01', '2025-01-01').eligible).toBe(true);
    expect(eligibility(student, '2025-02-28', '2025-01-01').seventeenthBirthday).toBe('2025-03-01');
    // Printable from 1 March 2025, not 28 February.
    expect(eligibility(student, '2025-03-01', '2025-02-28').printableNow).toBe(false);
    expect(eligibility(student, '2025-03-01', '2025-03-01').printableNow).toBe(true);
  });

  it('makes a married student under 17 eligible, recordable and printable', () => {
    const result = eligibility({ birthDate: '2009-06-01', married: true }, PILKADA_2024, today);
    expect(result).toMatchObject({ eligible: true, recordableNow: true, printableNow: true, ageOnElection: 15 });
    expect(formatMessage(result.reason)).toBe('Sudah menikah');
    expect(formatMessage(result.reason, 'en')).toBe('Married');
  });

  it('prefers the age as reason when age alone suffices', () => {
    const result = eligibility({ birthDate: '2005-01-01', married: true }, PILKADA_2024, today);
    expect(result.reason).toEqual({ code: 'ELIG_AGE', params: { age: 19, date: PILKADA_2024 } });
  });

  it('separates eligible-but-not-yet-16 from recordable', () => {
    // 17 on election day 2025-07-01, only 15 on 2024-03-01, 16 from 2024-06-01.
    const student = { birthDate: '2008-06-01', married: false };
    expect(eligibility(student, '2025-07-01', '2024-03-01')).toMatchObject({ eligible: true, recordableNow: false });
    expect(eligibility(student, '2025-07-01', '2024-05-31')).toMatchObject({ recordableNow: false });
    expect(eligibility(student, '2025-07-01', '2024-06-01')).toMatchObject({ recordableNow: true, printableNow: false });
    expect(eligibility(student, '2025-07-01', '2025-06-01')).toMatchObject({ recordableNow: true, printableNow: true });
  });

  it('handles a missing birth date', () => {
    const result = eligibility({ birthDate: null, married: false }, PILKADA_2024, today);
    expect(result).toMatchObject({ eligible: false, recordableNow: false, printableNow: false, ageOnElection: null });
    expect(formatMessage(result.reason)).toBe('Tanggal lahir belum diisi');
    expect(formatMessage(result.reason, 'en')).toBe('Birth date not filled in');
    expect(eligibility({ birthDate: null, married: true }, PILKADA_2024, today).eligible).toBe(true);
  });

  it('treats an invalid birth date like a missing one, with its own reason', () => {
    const result = eligibility({ birthDate: '2007-02-30', married: false }, PILKADA_2024, today);
    expect(result.eligible).toBe(false);
    expect(result.reason.code).toBe('ELIG_INVALID_BIRTHDATE');
  });

  it('throws on an invalid election date or today', () => {
    expect(() => eligibility({ birthDate: '2007-01-01', married: false }, '27/11/2024', today)).toThrow(RangeError);
    expect(() => eligibility({ birthDate: null, married: false }, PILKADA_2024, '')).toThrow(RangeError);
  });
});

describe('recordingPhase', () => {
  const outcome = (status: OutcomeState['status'], printedAt: string | null = null, ikdActivatedAt: string | null = null) => ({
    status,
    printedAt,
    ikdActivatedAt,
  });
  const sixteen = eligibility({ birthDate: '2008-01-03', married: false }, '2025-02-01', '2024-09-01');
  const seventeen = eligibility({ birthDate: '2007-01-03', married: false }, PILKADA_2024, '2024-09-01');
  const fifteen = eligibility({ birthDate: '2009-06-01', married: false }, '2026-07-01', '2024-09-01');
  const tooYoung = eligibility({ birthDate: '2008-01-03', married: false }, PILKADA_2024, '2024-09-01');

  it('follows a student from not yet recordable to IKD', () => {
    expect(recordingPhase(fifteen)).toBe('NOT_YET_RECORDABLE');
    expect(recordingPhase(sixteen, null)).toBe('RECORDABLE');
    expect(recordingPhase(sixteen, outcome('ABSENT'))).toBe('RECORDABLE');
    expect(recordingPhase(sixteen, outcome('RECORDED'))).toBe('RECORDED');
    expect(recordingPhase(seventeen, outcome('RECORDED'))).toBe('PRINTABLE');
    expect(recordingPhase(seventeen, outcome('ALREADY_RECORDED'))).toBe('PRINTABLE');
    expect(recordingPhase(seventeen, outcome('RECORDED', '2024-10-01'))).toBe('PRINTED');
    expect(recordingPhase(seventeen, outcome('RECORDED', '2024-10-01', '2024-10-02'))).toBe('IKD_ACTIVATED');
    expect(recordingPhase(seventeen, outcome('RECORDED', null, '2024-10-02'))).toBe('IKD_ACTIVATED');
  });

  it('is NOT_ELIGIBLE when too young on election day or found not eligible', () => {
    expect(recordingPhase(tooYoung)).toBe('NOT_ELIGIBLE');
    expect(recordingPhase(seventeen, outcome('NOT_ELIGIBLE'))).toBe('NOT_ELIGIBLE');
  });

  it('keeps a recording that happened even if the student is not eligible for this election', () => {
    expect(recordingPhase(tooYoung, outcome('ALREADY_RECORDED'))).toBe('RECORDED');
  });
});
