// What a visit found for a student, and which changes to that finding are allowed.
// Recording puts biometrics in the national database and printing uses up a blank card
// (the scarce resource), so both are facts that cannot be undone by editing a row.

import type { IsoDate } from './dates.ts';
import type { EligibilityResult } from './eligibility.ts';
import type { MessageParams, OutcomeIssueCode, Severity } from './messages.ts';

/**
 * RECORDED: recorded at this visit. ALREADY_RECORDED: recorded before, elsewhere. ABSENT,
 * REFUSED, FAILED (biometric or technical failure): not recorded this time, may be retried.
 * NOT_ELIGIBLE: the officer found the student cannot be recorded (e.g. not a resident).
 */
export const OUTCOME_STATUSES = ['RECORDED', 'ALREADY_RECORDED', 'ABSENT', 'REFUSED', 'FAILED', 'NOT_ELIGIBLE'] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

/** Statuses meaning the student's biometrics are in the database. */
export const RECORDED_STATUSES = ['RECORDED', 'ALREADY_RECORDED'] as const satisfies readonly OutcomeStatus[];
export type RecordedStatus = (typeof RECORDED_STATUSES)[number];

/** A student's outcome for a drive. `status: null` means no visit has recorded anything yet. */
export type OutcomeState = { status: OutcomeStatus | null; printedAt: string | null; ikdActivatedAt: string | null };
export const NO_OUTCOME: Readonly<OutcomeState> = Object.freeze({ status: null, printedAt: null, ikdActivatedAt: null });

export type OutcomeIssue = { code: OutcomeIssueCode; severity: Severity; params?: MessageParams };

/** The parts of `eligibility()`'s result that the outcome rules need. */
export type OutcomeContext = Pick<EligibilityResult, 'recordableNow' | 'printableNow'> & {
  seventeenthBirthday?: IsoDate | null;
};

export function isOutcomeStatus(value: unknown): value is OutcomeStatus {
  return typeof value === 'string' && (OUTCOME_STATUSES as readonly string[]).includes(value);
}

export function isRecordedStatus(status: OutcomeStatus | null | undefined): status is RecordedStatus {
  return status === 'RECORDED' || status === 'ALREADY_RECORDED';
}

/**
 * Checks a change of outcome. Returns errors (empty list = allowed):
 * - once recorded, the status may only move between RECORDED and ALREADY_RECORDED;
 * - setting RECORDED needs `recordableNow` (NOT_ELIGIBLE and the other findings need nothing);
 * - printing needs a recorded status and `printableNow`; a print mark cannot be removed;
 * - IKD activation needs a recorded status and `printableNow` (17 or married, like printing).
 * Age checks apply only when something is newly set, so correcting an old row still works.
 */
export function checkOutcomeChange(current: OutcomeState, next: OutcomeState, ctx: OutcomeContext): OutcomeIssue[] {
  return [...statusChangeIssues(current, next, ctx), ...printIssues(current, next, ctx), ...ikdIssues(current, next, ctx)];
}

function error(code: OutcomeIssueCode, params?: MessageParams): OutcomeIssue {
  return params ? { code, severity: 'error', params } : { code, severity: 'error' };
}

function seventeenParams(ctx: OutcomeContext): MessageParams | undefined {
  return ctx.seventeenthBirthday ? { seventeenOn: ctx.seventeenthBirthday } : undefined;
}

function statusChangeIssues(current: OutcomeState, next: OutcomeState, ctx: OutcomeContext): OutcomeIssue[] {
  if (current.status === next.status) return [];
  if (isRecordedStatus(current.status) && !isRecordedStatus(next.status)) {
    return [error('OUTCOME_TRANSITION', { from: current.status, to: next.status ?? '' })];
  }
  if (next.status === 'RECORDED' && !ctx.recordableNow) return [error('OUTCOME_NOT_RECORDABLE')];
  return [];
}

function printIssues(current: OutcomeState, next: OutcomeState, ctx: OutcomeContext): OutcomeIssue[] {
  if (current.printedAt !== null && next.printedAt === null) return [error('OUTCOME_UNPRINT')];
  if (next.printedAt === null) return [];
  if (!isRecordedStatus(next.status)) return [error('OUTCOME_PRINT_NOT_RECORDED')];
  const newlyPrinted = current.printedAt === null;
  if (newlyPrinted && !ctx.printableNow) return [error('OUTCOME_PRINT_TOO_YOUNG', seventeenParams(ctx))];
  return [];
}

function ikdIssues(current: OutcomeState, next: OutcomeState, ctx: OutcomeContext): OutcomeIssue[] {
  if (next.ikdActivatedAt === null) return [];
  if (!isRecordedStatus(next.status)) return [error('OUTCOME_IKD_NOT_RECORDED')];
  const newlyActivated = current.ikdActivatedAt === null;
  // IKD needs a wajib-KTP person: 17 or married, which is exactly `printableNow`.
  if (newlyActivated && !ctx.printableNow) return [error('OUTCOME_IKD_TOO_YOUNG', seventeenParams(ctx))];
  return [];
}

/**
 * Statuses a status picker may offer after `current` (including `current` itself). With a
 * context, RECORDED is left out while the student is not recordable. Clearing the status
 * (back to null) is allowed exactly when `current` is not a recorded status.
 */
export function allowedNextStatuses(
  current: OutcomeStatus | null,
  ctx?: Pick<OutcomeContext, 'recordableNow'>,
): OutcomeStatus[] {
  const candidates: readonly OutcomeStatus[] = isRecordedStatus(current) ? RECORDED_STATUSES : OUTCOME_STATUSES;
  const recordingBlocked = ctx !== undefined && !ctx.recordableNow;
  return candidates.filter((status) => !(status === 'RECORDED' && current !== 'RECORDED' && recordingBlocked));
}
