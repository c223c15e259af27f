import { describe, expect, it } from 'vitest';
import { MemoryQueueStore, nextBatch, resolveConflict, syncQueue, Unreachable, type QueuedWrite, type ServerOutcome, type SyncAnswer } from './queue.ts';

/** A server with syncOutcomes' rules: ids answered once, versions checked, printing needs blanks. */
class FakeServer {
  outcomes = new Map<string, ServerOutcome>();
  answered = new Map<string, SyncAnswer>();
  calls: QueuedWrite[][] = [];
  reachable = true;
  blanks = 100;

  async send(writes: QueuedWrite[]): Promise<SyncAnswer[]> {
    if (!this.reachable) throw new Unreachable('offline');
    this.calls.push(writes.map((w) => ({ ...w })));
    return writes.map((w) => this.apply(w));
  }

  /** Someone else's change, straight on the server. */
  overtake(studentId: string, status: ServerOutcome['status']) {
    const current = this.outcomes.get(studentId);
    this.outcomes.set(studentId, { id: `o-${studentId}`, version: (current?.version ?? 0) + 1, status, printedAt: current?.printedAt ?? null, ikdActivatedAt: null, notes: null });
  }

  private apply(w: QueuedWrite): SyncAnswer {
    const done = this.answered.get(w.clientMutationId);
    if (done) return { ...done, replayed: true };
    const current = this.outcomes.get(w.studentId) ?? null;
    let answer: SyncAnswer;
    if ((current?.version ?? null) !== w.baseVersion) answer = { clientMutationId: w.clientMutationId, status: 'CONFLICT', replayed: false, outcome: current, problems: [{ field: 'version', code: 'SYNC_CONFLICT', message: 'diubah orang lain' }] };
    else if (w.set.printed && !current?.printedAt && this.blanks <= 0) answer = { clientMutationId: w.clientMutationId, status: 'REJECTED', replayed: false, outcome: current, problems: [{ field: 'printedAt', code: 'STOCK_EMPTY', message: 'Blangko habis' }] };
    else {
      if (w.set.printed && !current?.printedAt) this.blanks -= 1;
      const next: ServerOutcome = {
        id: `o-${w.studentId}`,
        version: (current?.version ?? 0) + 1,
        status: w.set.status ?? (current?.status as ServerOutcome['status']),
        printedAt: w.set.printed ? w.at : (current?.printedAt ?? null),
        ikdActivatedAt: w.set.ikdActivated ? w.at : (current?.ikdActivatedAt ?? null),
        notes: w.set.notes ?? current?.notes ?? null,
      };
      this.outcomes.set(w.studentId, next);
      answer = { clientMutationId: w.clientMutationId, status: 'APPLIED', replayed: false, outcome: next, problems: [] };
    }
    this.answered.set(w.clientMutationId, answer);
    return answer;
  }
}

let n = 0;
const write = (studentId: string, set: QueuedWrite['set'], baseVersion: number | null = null): QueuedWrite => ({
  clientMutationId: `w${++n}`,
  driveId: 'd1',
  studentId,
  visitId: 'v1',
  baseVersion,
  set,
  at: '2024-10-01T03:00:00.000Z',
});

describe('nextBatch', () => {
  it('stops before a second write of the same student and at the batch size', () => {
    const q = [write('a', {}), write('b', {}), write('a', {}), write('c', {})];
    expect(nextBatch(q, 10).map((w) => w.studentId)).toEqual(['a', 'b']);
    expect(nextBatch(q, 1).map((w) => w.studentId)).toEqual(['a']);
  });
});

describe('syncQueue', () => {
  it('keeps everything while the server is unreachable, then sends it in order, and a replayed queue changes nothing', async () => {
    const store = new MemoryQueueStore();
    const server = new FakeServer();
    const queue = Array.from({ length: 30 }, (_, i) => write(`s${i}`, { status: i % 5 ? 'RECORDED' : 'ABSENT' }));
    for (const w of queue) await store.add(w);
    server.reachable = false;
    const offline = await syncQueue(store, { send: (w) => server.send(w), batchSize: 8 });
    expect(offline).toMatchObject({ unreachable: true, remaining: 30, applied: 0 });

    server.reachable = true;
    const seen: string[] = [];
    const online = await syncQueue(store, { send: (w) => server.send(w), batchSize: 8, onOutcome: (w) => seen.push(w.studentId) });
    expect(online).toMatchObject({ unreachable: false, remaining: 0, applied: 30, conflicts: 0 });
    expect(server.calls.flat().map((w) => w.clientMutationId)).toEqual(queue.map((w) => w.clientMutationId));
    expect(server.calls.map((c) => c.length)).toEqual([8, 8, 8, 6]);
    expect(seen).toEqual(queue.map((w) => w.studentId));
    expect(server.outcomes.size).toBe(30);

    // The same queue again (restored from a backup, a second tab): answered from the first results.
    for (const w of queue) await store.add(w);
    const replay = await syncQueue(store, { send: (w) => server.send(w) });
    expect(replay).toMatchObject({ applied: 30, conflicts: 0, remaining: 0 });
    expect([...server.outcomes.values()].every((o) => o.version === 1)).toBe(true);
  });

  it('sends an officer\'s chain of changes to one student one after the other, each on the version the last produced', async () => {
    const store = new MemoryQueueStore();
    const server = new FakeServer();
    await store.add(write('a', { status: 'RECORDED' }));
    await store.add(write('b', { status: 'ABSENT' }));
    await store.add(write('a', { printed: true }));
    await store.add(write('a', { ikdActivated: true, notes: 'IKD aktif' }));
    const report = await syncQueue(store, { send: (w) => server.send(w) });
    expect(report).toMatchObject({ applied: 4, conflicts: 0 });
    expect(server.calls.map((c) => c.map((w) => `${w.studentId}@${w.baseVersion}`))).toEqual([['a@null', 'b@null'], ['a@1'], ['a@2']]);
    expect(server.outcomes.get('a')).toMatchObject({ version: 3, status: 'RECORDED', notes: 'IKD aktif' });
  });

  it('rebases a write queued while an earlier write of the same student was on its way', async () => {
    const store = new MemoryQueueStore();
    const server = new FakeServer();
    await store.add(write('a', { status: 'RECORDED' }));
    let queuedLate = false;
    const report = await syncQueue(store, {
      send: async (writes) => {
        if (!queuedLate) {
          queuedLate = true;
          await store.add(write('a', { printed: true })); // the officer pressed Space meanwhile
        }
        return server.send(writes);
      },
    });
    expect(report).toMatchObject({ applied: 2, conflicts: 0, remaining: 0 });
    expect(server.outcomes.get('a')?.version).toBe(2);
  });

  it('turns a change overtaken by someone else into one conflict with both values, and the officer chooses', async () => {
    const store = new MemoryQueueStore();
    const server = new FakeServer();
    server.overtake('a', 'ABSENT'); // v1, seen by the officer before going offline
    await store.add(write('a', { status: 'REFUSED' }, 1));
    await store.add(write('a', { notes: 'menolak difoto' }, 1));
    server.overtake('a', 'RECORDED'); // v2, by a colleague meanwhile
    const report = await syncQueue(store, { send: (w) => server.send(w) });
    expect(report).toMatchObject({ applied: 0, conflicts: 1, remaining: 0 });
    const [conflict] = await store.conflicts();
    expect(conflict).toMatchObject({ studentId: 'a', mine: { status: 'REFUSED', notes: 'menolak difoto' }, theirs: { status: 'RECORDED', version: 2 } });
    expect(server.outcomes.get('a')?.status).toBe('RECORDED');

    await resolveConflict(store, conflict!, 'mine', () => 'resolution-1');
    expect(await store.conflicts()).toEqual([]);
    expect(await syncQueue(store, { send: (w) => server.send(w) })).toMatchObject({ applied: 1, conflicts: 0 });
    expect(server.outcomes.get('a')).toMatchObject({ status: 'REFUSED', notes: 'menolak difoto', version: 3 });
  });

  it('keeps "theirs" by dropping my values, and keeps refusals for the officer to see', async () => {
    const store = new MemoryQueueStore();
    const server = new FakeServer();
    server.blanks = 0;
    await store.add(write('a', { status: 'RECORDED' }));
    await store.add(write('a', { printed: true }));
    const report = await syncQueue(store, { send: (w) => server.send(w) });
    expect(report).toMatchObject({ applied: 1, refused: 1 });
    expect((await store.refusals())[0]).toMatchObject({ studentId: 'a', set: { printed: true }, problems: [{ code: 'STOCK_EMPTY' }] });

    server.overtake('b', 'ABSENT');
    await store.add(write('b', { status: 'FAILED' }, null));
    await syncQueue(store, { send: (w) => server.send(w) });
    const [conflict] = await store.conflicts();
    await resolveConflict(store, conflict!, 'theirs', () => 'unused');
    expect(await store.pending()).toEqual([]);
    expect(await store.conflicts()).toEqual([]);
    expect(server.outcomes.get('b')?.status).toBe('ABSENT');
  });
});
