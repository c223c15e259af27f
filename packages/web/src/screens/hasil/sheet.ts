// The recording sheet of one visit, as pure data: the visit's eligible students with their
// outcome as the server last said it, overlaid with the officer's queued changes; the keys that
// set an outcome; and the checks made before a change is queued (the same core rules the server
// applies, plus "no blank card left"), so a refusal shows on the cell at once, even offline.
import { checkOutcomeChange, eligibility, formatMessage, type IsoDate, type Locale, type OutcomeState, type OutcomeStatus } from '@jemput/core';
import type { Conflict, OutcomeSet, QueuedWrite, Refusal, ServerOutcome } from './queue.ts';
import { studentKey } from './queue.ts';

export type SheetVisit = { id: string; date: IsoDate; team: string | null; school: { id: string; name: string }; drive: { id: string; name: string; electionDate: IsoDate } };
export type SheetStudent = { id: string; name: string; className: string | null; nikMasked: string | null; birthDate: IsoDate; married: boolean; outcome: ServerOutcome | null };
export type Sheet = { visit: SheetVisit; students: SheetStudent[]; blankBalance: number | null; savedAt: string };

/** One-key outcomes (shown in the legend): Rekam, Sudah rekam, Absen, Tolak, Gagal, X = tidak memenuhi syarat. */
export const OUTCOME_KEYS: Record<string, OutcomeStatus> = { r: 'RECORDED', s: 'ALREADY_RECORDED', a: 'ABSENT', t: 'REFUSED', g: 'FAILED', x: 'NOT_ELIGIBLE' };

export type SyncState = 'synced' | 'pending' | 'conflict' | 'refused';

export type SheetRow = {
  id: string;
  no: number;
  name: string;
  className: string;
  nikMasked: string;
  status: OutcomeStatus | null;
  printed: boolean;
  ikd: boolean;
  notes: string;
  /** Server version the next change builds on (null: no outcome seen). */
  baseVersion: number | null;
  sync: SyncState;
  /** Why the last change of this row was refused or conflicts. */
  message: string | null;
  student: SheetStudent;
};

type Local = { status: OutcomeStatus | null; printed: boolean; ikd: boolean; notes: string };

function fromServer(o: ServerOutcome | null): Local {
  return { status: o?.status ?? null, printed: !!o?.printedAt, ikd: !!o?.ikdActivatedAt, notes: o?.notes ?? '' };
}

function overlay(local: Local, set: OutcomeSet): Local {
  return {
    status: set.status ?? local.status,
    printed: set.printed ?? local.printed,
    ikd: set.ikdActivated ?? local.ikd,
    notes: set.notes ?? local.notes,
  };
}

/** The rows of the sheet: server state, then queued writes in order; conflicts and refusals marked. */
export function sheetRows(sheet: Sheet, pending: readonly QueuedWrite[], conflicts: readonly Conflict[], refusals: readonly Refusal[]): SheetRow[] {
  const driveId = sheet.visit.drive.id;
  const queued = new Map<string, QueuedWrite[]>();
  for (const w of pending) if (w.driveId === driveId) queued.set(w.studentId, [...(queued.get(w.studentId) ?? []), w]);
  const conflictOf = new Map(conflicts.map((c) => [c.key, c]));
  const refusalOf = new Map<string, Refusal>();
  for (const r of refusals) if (r.driveId === driveId) refusalOf.set(r.studentId, r);
  return sheet.students.map((student, index) => {
    const writes = queued.get(student.id) ?? [];
    const conflict = conflictOf.get(studentKey(driveId, student.id));
    const refusal = refusalOf.get(student.id);
    const local = writes.reduce((acc, w) => overlay(acc, w.set), fromServer(student.outcome));
    const sync: SyncState = conflict ? 'conflict' : writes.length ? 'pending' : refusal ? 'refused' : 'synced';
    return {
      id: student.id,
      no: index + 1,
      name: student.name,
      className: student.className ?? '',
      nikMasked: student.nikMasked ?? '',
      ...local,
      baseVersion: student.outcome?.version ?? null,
      sync,
      message: conflict?.message ?? (sync === 'refused' ? (refusal?.problems[0]?.message ?? null) : null),
      student,
    };
  });
}

/** Blanks the sheet may still use: the last known balance less the prints queued since. */
export function blanksLeft(sheet: Sheet, pending: readonly QueuedWrite[]): number | null {
  if (sheet.blankBalance === null) return null;
  return sheet.blankBalance - pending.filter((w) => w.driveId === sheet.visit.drive.id && w.set.printed === true).length;
}

export type ChangeCheck = { ok: true } | { ok: false; message: string };

/**
 * Checks a change before it is queued: core's outcome rules with the student's age today, and
 * printing needs a blank card. The server checks again when the change arrives.
 */
export function checkChange(row: SheetRow, set: OutcomeSet, ctx: { electionDate: IsoDate; today: IsoDate; blanksLeft: number | null; locale: Locale }): ChangeCheck {
  const now = new Date().toISOString();
  const current: OutcomeState = { status: row.status, printedAt: row.printed ? now : null, ikdActivatedAt: row.ikd ? now : null };
  const next = overlay({ status: row.status, printed: row.printed, ikd: row.ikd, notes: row.notes }, set);
  const nextState: OutcomeState = { status: next.status, printedAt: next.printed ? now : null, ikdActivatedAt: next.ikd ? now : null };
  const elig = eligibility({ birthDate: row.student.birthDate, married: row.student.married }, ctx.electionDate, ctx.today);
  const issues = checkOutcomeChange(current, nextState, elig);
  if (issues[0]) return { ok: false, message: formatMessage({ code: issues[0].code, ...(issues[0].params ? { params: issues[0].params } : {}) }, ctx.locale) };
  if (set.printed && !row.printed && ctx.blanksLeft !== null && ctx.blanksLeft <= 0) return { ok: false, message: formatMessage({ code: 'STOCK_EMPTY' }, ctx.locale) };
  return { ok: true };
}

/** The server's answer replaces what the sheet knows of one student. */
export function withServerOutcome(sheet: Sheet, studentId: string, outcome: ServerOutcome | null): Sheet {
  return { ...sheet, students: sheet.students.map((s) => (s.id === studentId ? { ...s, outcome } : s)) };
}
