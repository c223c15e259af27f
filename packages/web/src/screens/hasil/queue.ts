// The field app's outbox: outcome changes made at a school, kept in a persistent store until the
// server has them. Pure logic over a small store interface (IndexedDB in the browser, see
// idb-store.ts; in memory in tests). Guarantees:
// - every write has a client-made id, so a replay (lost answer, restart, second tab) is applied
//   once by the server (`syncOutcomes` remembers ids);
// - writes leave in the order they were made, one call at a time, never two writes of the same
//   student in one call: a write names the version its predecessor produced (rebasing), so the
//   officer's own chain of changes never conflicts with itself;
// - a change someone else made meanwhile comes back as a conflict the officer settles (both
//   values kept); a refusal (e.g. no blank cards) is kept and shown; nothing is dropped silently.
// Not urql's offlineExchange: it replays in parallel and unordered (see STACK.md).
import type { OutcomeStatus } from '@jemput/core';

/** What one write changes; absent fields stay as they are. */
export type OutcomeSet = { status?: OutcomeStatus; printed?: boolean; ikdActivated?: boolean; notes?: string };

export type QueuedWrite = {
  clientMutationId: string;
  driveId: string;
  studentId: string;
  visitId: string | null;
  /** Version of the student's outcome this write builds on; null = no outcome yet. */
  baseVersion: number | null;
  set: OutcomeSet;
  /** When the officer made the change (ISO). */
  at: string;
  /** Order of recording; assigned by the store. */
  seq?: number;
};

/** The outcome as the server stores it. */
export type ServerOutcome = {
  id: string;
  version: number;
  status: OutcomeStatus;
  printedAt: string | null;
  ikdActivatedAt: string | null;
  notes: string | null;
  recordedAt?: string | null;
  visitId?: string | null;
};

export type Problem = { field: string; code: string; message: string };

export type SyncAnswer = {
  clientMutationId: string;
  status: 'APPLIED' | 'UNCHANGED' | 'CONFLICT' | 'REJECTED';
  replayed: boolean;
  outcome: ServerOutcome | null;
  problems: Problem[];
};

/** A change someone else overtook: the officer chooses between `mine` and `theirs`. */
export type Conflict = { key: string; driveId: string; studentId: string; visitId: string | null; mine: OutcomeSet; theirs: ServerOutcome | null; clientMutationIds: string[]; message: string };

/** A write the server refused (kept until the officer has seen it). */
export type Refusal = { clientMutationId: string; driveId: string; studentId: string; visitId: string | null; set: OutcomeSet; problems: Problem[]; at: string };

export interface QueueStore {
  /** Queued writes, oldest first. */
  pending(): Promise<QueuedWrite[]>;
  add(write: QueuedWrite): Promise<void>;
  remove(clientMutationId: string): Promise<void>;
  /** Queued writes of this student that build on `from` build on `to` instead. */
  rebase(driveId: string, studentId: string, from: number | null, to: number): Promise<void>;
  conflicts(): Promise<Conflict[]>;
  putConflict(conflict: Conflict): Promise<void>;
  removeConflict(key: string): Promise<void>;
  refusals(): Promise<Refusal[]>;
  putRefusal(refusal: Refusal): Promise<void>;
  removeRefusal(clientMutationId: string): Promise<void>;
}

export const studentKey = (driveId: string, studentId: string) => `${driveId}|${studentId}`;

/** Thrown by a transport when the server could not be reached (offline, 5xx): the queue waits. */
export class Unreachable extends Error {}

export type SyncReport = { applied: number; conflicts: number; refused: number; unreachable: boolean; remaining: number };

export type SyncOptions = {
  send(writes: QueuedWrite[]): Promise<SyncAnswer[]>;
  /** The server's row after a write (applied, unchanged, or theirs in a conflict), for the screen. */
  onOutcome?(write: QueuedWrite, answer: SyncAnswer): void;
  /** Writes per call. */
  batchSize?: number;
};

/** The longest prefix of `pending` with at most one write per student (a later one must wait for its predecessor's version). */
export function nextBatch(pending: readonly QueuedWrite[], batchSize: number): QueuedWrite[] {
  const batch: QueuedWrite[] = [];
  const students = new Set<string>();
  for (const write of pending) {
    const key = studentKey(write.driveId, write.studentId);
    if (students.has(key) || batch.length >= batchSize) break;
    students.add(key);
    batch.push(write);
  }
  return batch;
}

/** Folds a later change into an earlier one (the later value of each field wins). */
export function mergeSets(earlier: OutcomeSet, later: OutcomeSet): OutcomeSet {
  return { ...earlier, ...later };
}

let running: Promise<SyncReport> | null = null;

/** Sends the queue, oldest first, until it is empty or the server is unreachable. One run at a time. */
export function syncQueue(store: QueueStore, options: SyncOptions): Promise<SyncReport> {
  running ??= runSync(store, options).finally(() => (running = null));
  return running;
}

async function runSync(store: QueueStore, options: SyncOptions): Promise<SyncReport> {
  const report: SyncReport = { applied: 0, conflicts: 0, refused: 0, unreachable: false, remaining: 0 };
  for (;;) {
    const pending = await store.pending();
    const batch = nextBatch(pending, options.batchSize ?? 50);
    if (batch.length === 0) break;
    let answers: SyncAnswer[];
    try {
      answers = await options.send(batch);
    } catch (error) {
      if (error instanceof Unreachable) {
        report.unreachable = true;
        break;
      }
      throw error;
    }
    for (const [i, write] of batch.entries()) {
      const answer = answers[i];
      if (!answer || answer.clientMutationId !== write.clientMutationId) throw new Error('sync answers do not match the writes sent');
      await settle(store, write, answer, options, report);
    }
  }
  report.remaining = (await store.pending()).length;
  return report;
}

async function settle(store: QueueStore, write: QueuedWrite, answer: SyncAnswer, options: SyncOptions, report: SyncReport): Promise<void> {
  if (answer.outcome || answer.status === 'CONFLICT') options.onOutcome?.(write, answer);
  if (answer.status === 'APPLIED' || answer.status === 'UNCHANGED') {
    report.applied += 1;
    if (answer.outcome && answer.outcome.version !== write.baseVersion) await store.rebase(write.driveId, write.studentId, write.baseVersion, answer.outcome.version);
    await store.remove(write.clientMutationId);
    return;
  }
  if (answer.status === 'CONFLICT') {
    report.conflicts += 1;
    // This student's later writes built on the same stale version: they join the conflict.
    const key = studentKey(write.driveId, write.studentId);
    const existing = (await store.conflicts()).find((c) => c.key === key);
    const later = (await store.pending()).filter((w) => w.clientMutationId !== write.clientMutationId && studentKey(w.driveId, w.studentId) === key);
    let mine = mergeSets(existing?.mine ?? {}, write.set);
    for (const w of later) mine = mergeSets(mine, w.set);
    await store.putConflict({
      key,
      driveId: write.driveId,
      studentId: write.studentId,
      visitId: write.visitId,
      mine,
      theirs: answer.outcome,
      clientMutationIds: [...(existing?.clientMutationIds ?? []), write.clientMutationId, ...later.map((w) => w.clientMutationId)],
      message: answer.problems[0]?.message ?? '',
    });
    for (const w of [write, ...later]) await store.remove(w.clientMutationId);
    return;
  }
  report.refused += 1;
  await store.putRefusal({ clientMutationId: write.clientMutationId, driveId: write.driveId, studentId: write.studentId, visitId: write.visitId, set: write.set, problems: answer.problems, at: write.at });
  await store.remove(write.clientMutationId);
}

/**
 * The officer settles a conflict. "mine": a new write of my values on top of theirs (a new id:
 * the old ids stay answered as conflicts on the server); "theirs": my values are dropped.
 */
export async function resolveConflict(store: QueueStore, conflict: Conflict, keep: 'mine' | 'theirs', newId: () => string, now = new Date()): Promise<void> {
  if (keep === 'mine') {
    await store.add({
      clientMutationId: newId(),
      driveId: conflict.driveId,
      studentId: conflict.studentId,
      visitId: conflict.visitId,
      baseVersion: conflict.theirs?.version ?? null,
      set: conflict.mine,
      at: now.toISOString(),
    });
  }
  await store.removeConflict(conflict.key);
}

/** A store in memory: for tests, and as the fallback when the browser offers no IndexedDB. */
export class MemoryQueueStore implements QueueStore {
  private seq = 0;
  private writes: QueuedWrite[] = [];
  private conflictMap = new Map<string, Conflict>();
  private refusalMap = new Map<string, Refusal>();

  async pending() {
    return this.writes.map((w) => ({ ...w, set: { ...w.set } }));
  }
  async add(write: QueuedWrite) {
    this.writes.push({ ...write, seq: ++this.seq });
  }
  async remove(id: string) {
    this.writes = this.writes.filter((w) => w.clientMutationId !== id);
  }
  async rebase(driveId: string, studentId: string, from: number | null, to: number) {
    for (const w of this.writes) if (w.driveId === driveId && w.studentId === studentId && w.baseVersion === from) w.baseVersion = to;
  }
  async conflicts() {
    return [...this.conflictMap.values()];
  }
  async putConflict(c: Conflict) {
    this.conflictMap.set(c.key, c);
  }
  async removeConflict(key: string) {
    this.conflictMap.delete(key);
  }
  async refusals() {
    return [...this.refusalMap.values()];
  }
  async putRefusal(r: Refusal) {
    this.refusalMap.set(r.clientMutationId, r);
  }
  async removeRefusal(id: string) {
    this.refusalMap.delete(id);
  }
}
