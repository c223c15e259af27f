// Growing tables are trimmed: old replay guards and ended sessions go, current ones stay.
import { expect, it } from 'vitest';
import { describeOnEachDatabase, type TestApi } from '../test/databases.ts';
import { APPLIED_MUTATION_KEEP_MS, pruneStaleRows } from './housekeeping.ts';
import { SESSION_IDLE_MS } from '../auth/sessions.ts';

describeOnEachDatabase('housekeeping', (api: () => TestApi) => {
  it('removes replay guards older than the keep period and ended sessions, and nothing else', async () => {
    const { db } = api();
    const now = new Date('2026-11-22T10:00:00Z');
    const ago = (ms: number) => new Date(now.getTime() - ms);
    await db.appliedMutation.createMany({
      data: [
        { id: 'old-write', kind: 'syncOutcomes', appliedAt: ago(APPLIED_MUTATION_KEEP_MS + 1000) },
        { id: 'recent-write', kind: 'syncOutcomes', appliedAt: ago(APPLIED_MUTATION_KEEP_MS - 60_000) },
      ],
    });
    const user = await db.user.findFirstOrThrow();
    const session = (id: string, lastSeenAt: Date, expiresAt: Date) => ({ id, userId: user.id, createdAt: ago(SESSION_IDLE_MS * 2), lastSeenAt, expiresAt });
    await db.session.createMany({
      data: [
        session('expired', ago(1000), ago(1)),
        session('idle', ago(SESSION_IDLE_MS + 1000), new Date(now.getTime() + 1000)),
        session('live', ago(1000), new Date(now.getTime() + 1000)),
      ],
    });
    expect(await pruneStaleRows(db, now)).toEqual({ appliedMutations: 1, sessions: 2 });
    expect((await db.appliedMutation.findMany({ where: { id: { in: ['old-write', 'recent-write'] } } })).map((m) => m.id)).toEqual(['recent-write']);
    expect((await db.session.findMany({ where: { id: { in: ['expired', 'idle', 'live'] } } })).map((s) => s.id)).toEqual(['live']);
  });
});
