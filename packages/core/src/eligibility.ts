// Who can vote, who can be recorded now, whose card can be printed now. Computed from the
// birth date and the married flag, never typed in. "today" is always a parameter.

import { addYears, ageOn, isLeapYear, parseIsoDate, toIsoDate } from './dates.ts';
import type { IsoDate } from './dates.ts';
import type { Message } from './messages.ts';
import { isRecordedStatus } from './outcomes.ts';
import type { OutcomeState } from './outcomes.ts';

/** Recording may start at 16 (the card is handed over at 17). */
export const RECORDING_MIN_AGE = 16;
/** Voters are 17 on election day, or married (UU 24/2013 art. 63: wajib KTP). */
export const VOTING_AGE = 17;

export type EligibilityInput = { birthDate: IsoDate | null; married: boolean };

export type EligibilityResult = {
  /** Can vote at this election: 17 on election day, or married. */
  eligible: boolean;
  /** Can be recorded today: eligible, and 16 today or married. */
  recordableNow: boolean;
  /** The card can be handed over today: 17 today or married. */
  printableNow: boolean;
  ageOnElection: number | null;
  ageToday: number | null;
  /** The day the student turns 17 (29 February births: 1 March in non-leap years). */
  seventeenthBirthday: IsoDate | null;
  reason: Message;
};

export const RECORDING_PHASES = [
  'NOT_YET_RECORDABLE',
  'RECORDABLE',
  'RECORDED',
  'PRINTABLE',
  'PRINTED',
  'IKD_ACTIVATED',
  'NOT_ELIGIBLE',
] as const;
export type RecordingPhase = (typeof RECORDING_PHASES)[number];

/**
 * The latest birth date that is a full 17 on election day: 2024-11-27 -> 2007-11-27.
 * For an election on 29 February the cutoff is 28 February (someone born 1 March is not 17 yet).
 */
export function voterCutoffDate(electionDate: IsoDate): IsoDate {
  const election = parseIsoDate(electionDate);
  if (!election) throw new RangeError(`electionDate is not a valid YYYY-MM-DD date: ${electionDate}`);
  const year = election.year - VOTING_AGE;
  const isMissingLeapDay = election.month === 2 && election.day === 29 && !isLeapYear(year);
  return toIsoDate({ year, month: election.month, day: isMissingLeapDay ? 28 : election.day });
}

export function eligibility(student: EligibilityInput, electionDate: IsoDate, today: IsoDate): EligibilityResult {
  requireDate(electionDate, 'electionDate');
  requireDate(today, 'today');
  const { birthDate, married } = student;
  if (!birthDate) return withoutBirthDate(married, 'ELIG_NO_BIRTHDATE');
  if (!parseIsoDate(birthDate)) return withoutBirthDate(married, 'ELIG_INVALID_BIRTHDATE');

  const ageOnElection = ageOn(birthDate, electionDate);
  const ageToday = ageOn(birthDate, today);
  const seventeenthBirthday = addYears(birthDate, VOTING_AGE);
  const oldEnoughToVote = ageOnElection >= VOTING_AGE;
  const eligible = oldEnoughToVote || married;

  return {
    eligible,
    recordableNow: eligible && (ageToday >= RECORDING_MIN_AGE || married),
    printableNow: ageToday >= VOTING_AGE || married,
    ageOnElection,
    ageToday,
    seventeenthBirthday,
    reason: eligibilityReason({ oldEnoughToVote, married, ageOnElection, electionDate, seventeenthBirthday }),
  };
}

function eligibilityReason(facts: {
  oldEnoughToVote: boolean;
  married: boolean;
  ageOnElection: number;
  electionDate: IsoDate;
  seventeenthBirthday: IsoDate;
}): Message {
  // Age first when it suffices: it is a fact from the birth date, the married flag is a claim.
  if (facts.oldEnoughToVote) return { code: 'ELIG_AGE', params: { age: facts.ageOnElection, date: facts.electionDate } };
  if (facts.married) return { code: 'ELIG_MARRIED' };
  return {
    code: 'ELIG_TOO_YOUNG',
    params: { age: facts.ageOnElection, date: facts.electionDate, seventeenOn: facts.seventeenthBirthday },
  };
}

/** Without a usable birth date only marriage makes a student wajib KTP. */
function withoutBirthDate(married: boolean, missingReason: string): EligibilityResult {
  return {
    eligible: married,
    recordableNow: married,
    printableNow: married,
    ageOnElection: null,
    ageToday: null,
    seventeenthBirthday: null,
    reason: married ? { code: 'ELIG_MARRIED' } : { code: missingReason },
  };
}

function requireDate(iso: IsoDate, name: string): void {
  if (!parseIsoDate(iso)) throw new RangeError(`${name} is not a valid YYYY-MM-DD date: ${iso}`);
}

/**
 * Where a student stands for a drive. A recorded status wins over computed eligibility (the
 * recording happened); an officer's NOT_ELIGIBLE finding wins over the computed `eligible`.
 */
export function recordingPhase(elig: EligibilityResult, outcome?: OutcomeState | null): RecordingPhase {
  const status = outcome?.status ?? null;
  if (outcome && isRecordedStatus(status)) {
    if (outcome.ikdActivatedAt) return 'IKD_ACTIVATED';
    if (outcome.printedAt) return 'PRINTED';
    return elig.printableNow ? 'PRINTABLE' : 'RECORDED';
  }
  if (status === 'NOT_ELIGIBLE' || !elig.eligible) return 'NOT_ELIGIBLE';
  return elig.recordableNow ? 'RECORDABLE' : 'NOT_YET_RECORDABLE';
}
