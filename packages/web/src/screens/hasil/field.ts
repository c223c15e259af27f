// The field app's sync engine, one per page: the IndexedDB outbox, the online state, and the
// counts the banner shows. The queue is sent on app start, when the browser says it is online
// again, after each change (when online), and then again after 1, 2, 5, 10 and every 20 s while something waits.
import { createRoot, createSignal } from 'solid-js';
import { newestWins, newId } from '../../util.ts';
import { sendWrites } from './api.ts';
import { IdbQueueStore, updateCachedOutcome } from './idb-store.ts';
import { resolveConflict, syncQueue, type Conflict, type OutcomeSet, type QueuedWrite, type Refusal, type SyncAnswer } from './queue.ts';

/** Retries while something waits: soon after a failure (the network often needs a moment after "online"), then less often. */
const RETRY_MS = [1_000, 2_000, 5_000, 10_000, 20_000];

export const fieldStore = new IdbQueueStore();

const state = createRoot(() => {
  const [online, setOnline] = createSignal(typeof navigator === 'undefined' ? true : navigator.onLine);
  const [pending, setPending] = createSignal<QueuedWrite[]>([]);
  const [conflicts, setConflicts] = createSignal<Conflict[]>([]);
  const [refusals, setRefusals] = createSignal<Refusal[]>([]);
  const [syncing, setSyncing] = createSignal(false);
  const [lastSync, setLastSync] = createSignal<Date | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [notStored, setNotStored] = createSignal<string | null>(null);
  return { online, setOnline, pending, setPending, conflicts, setConflicts, refusals, setRefusals, syncing, setSyncing, lastSync, setLastSync, error, setError, notStored, setNotStored };
});

export const fieldState = {
  online: state.online,
  pending: state.pending,
  conflicts: state.conflicts,
  refusals: state.refusals,
  syncing: state.syncing,
  lastSync: state.lastSync,
  /** Why the server refused the whole call (e.g. signed out); the queue is kept and retried. */
  error: state.error,
  /** Why the officer's last change could not be stored on this device (storage full or blocked); it is not kept. */
  notStored: state.notStored,
};

const listeners = new Set<(write: QueuedWrite, answer: SyncAnswer) => void>();

/** Called with each server answer (the Hasil screen updates its rows and cache). */
export function onServerOutcome(listener: (write: QueuedWrite, answer: SyncAnswer) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Changes recorded but not yet read back from IndexedDB, by client id. */
const unsaved = new Map<string, QueuedWrite>();

/**
 * Reads the outbox, conflicts and refusals into the screen. A fast typist starts many of these
 * reads; they can finish out of order, and an older one (say 13 changes) must not replace a newer
 * one (30) on screen: the rows it misses would look unrecorded until the next change.
 */
export const refreshField: () => Promise<void> = newestWins(
  () => Promise.all([fieldStore.pending(), fieldStore.conflicts(), fieldStore.refusals()]),
  ([stored, conflicts, refusals]) => {
    // A change stays on screen from the key press on, also while IndexedDB is still storing it.
    const ids = new Set(stored.map((w) => w.clientMutationId));
    for (const id of ids) unsaved.delete(id);
    state.setPending([...stored, ...unsaved.values()]);
    state.setConflicts(conflicts);
    state.setRefusals(refusals);
  },
);

let timer: ReturnType<typeof setTimeout> | undefined;
let failures = 0;

/** Sends what waits; quiet when the server cannot be reached (the banner says offline). */
export async function syncNow(): Promise<void> {
  clearTimeout(timer);
  state.setSyncing(true);
  try {
    const report = await syncQueue(fieldStore, {
      send: sendWrites,
      onOutcome: (write, answer) => {
        // Cached sheets follow the server even when no sheet is open (sync at app start).
        if (answer.status !== 'REJECTED') void updateCachedOutcome(write.driveId, write.studentId, answer.outcome).catch(() => undefined);
        for (const listener of listeners) listener(write, answer);
      },
    });
    state.setOnline(!report.unreachable && navigator.onLine);
    failures = report.unreachable ? failures + 1 : 0;
    if (!report.unreachable) {
      state.setLastSync(new Date());
      state.setError(null);
    }
  } catch (error) {
    // The server answered but refused the call itself: keep the queue, say why, retry later.
    failures += 1;
    state.setError((error as Error).message);
  } finally {
    state.setSyncing(false);
    await refreshField();
    if (state.pending().length > 0) timer = setTimeout(() => void syncNow(), RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]);
  }
}

/** Queues one change made by the officer and, when online, sends it right away. */
export async function recordChange(write: Omit<QueuedWrite, 'clientMutationId' | 'at' | 'seq'> & { set: OutcomeSet }): Promise<void> {
  const queued: QueuedWrite = { ...write, clientMutationId: newId(), at: new Date().toISOString() };
  // Shown at once, so the next key on the same row already sees this change.
  unsaved.set(queued.clientMutationId, queued);
  state.setPending([...state.pending(), queued]);
  try {
    await fieldStore.add(queued);
    state.setNotStored(null);
  } catch (error) {
    // Not stored (storage full or blocked): say so, whatever else waits, rather than show it as waiting.
    unsaved.delete(queued.clientMutationId);
    state.setNotStored((error as Error).message);
  }
  await refreshField();
  if (navigator.onLine) void syncNow();
}

export async function settleConflict(conflict: Conflict, keep: 'mine' | 'theirs'): Promise<void> {
  await resolveConflict(fieldStore, conflict, keep, newId);
  await refreshField();
  if (keep === 'mine' && navigator.onLine) void syncNow();
}

export async function dismissRefusal(clientMutationId: string): Promise<void> {
  await fieldStore.removeRefusal(clientMutationId);
  await refreshField();
}

let started = false;

/** On app start: read the outbox and send it; follow the browser's online/offline events. */
export function startFieldSync(): void {
  if (started || typeof window === 'undefined' || !('indexedDB' in window)) return;
  started = true;
  // Ask the browser not to evict the outbox and cached sheets under storage pressure.
  void navigator.storage?.persist?.().catch(() => false);
  window.addEventListener('online', () => {
    state.setOnline(true);
    failures = 0;
    void syncNow();
  });
  window.addEventListener('offline', () => state.setOnline(false));
  void refreshField().then(() => (navigator.onLine ? syncNow() : undefined));
}
