// Growing tables are trimmed: old replay guards and ended sessions go, current ones stay.
import { expect, it } from 'vitest';
import { describeOnEachDatabase, sqlitePlansOf, type TestApi } from '../test/databases.ts';
import { APPLIED_MUTATION_KEEP_MS, pruneStaleRows } from './housekeeping.ts';
import { SESSION_IDLE_MS } from '../auth/sessions.ts';
import { loadRegions } from '../regions/load-regions.ts';

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
    expect(await pruneStaleRows(db, api().provider, now)).toEqual({ appliedMutations: 1, sessions: 2 });
    expect((await db.appliedMutation.findMany({ where: { id: { in: ['old-write', 'recent-write'] } } })).map((m) => m.id)).toEqual(['recent-write']);
    expect((await db.session.findMany({ where: { id: { in: ['expired', 'idle', 'live'] } } })).map((s) => s.id)).toEqual(['live']);
  });

  it('gives SQLite planner statistics for the roster, so a page reads the (name, id) index instead of sorting everyone', async () => {
    const { db, provider, officeId } = api();
    if (provider !== 'sqlite') return;
    await loadRegions(db, '35.73');
    const school = await db.school.create({ data: { officeId, npsn: '20533177', name: 'SMA Negeri 7 Malang', nameSearch: 'sma negeri 7 malang', level: 'SMA', status: 'NEGERI', districtCode: '35.73.02' } });
    const schoolId = school.id;
    await db.student.createMany({ data: Array.from({ length: 2000 }, (_, i) => ({ schoolId, name: `Siswa ${i}`, nameSearch: `siswa ${String(i).padStart(4, '0')}`, sex: i % 2 ? 'L' : 'P', birthDate: '2008-05-01' })) });
    await pruneStaleRows(db, provider);
    const stats = await db.$queryRawUnsafe<{ idx: string }[]>(`SELECT idx FROM sqlite_stat1 WHERE tbl = 'Student'`);
    expect(stats.map((s) => s.idx)).toContain('Student_nameSearch_id_idx');
    // The page as Prisma sends it: an index holding schoolId and id would cover a stand-in that
    // selects only the id, but not the real statement, which reads every column.
    const plans = await sqlitePlansOf(api(), /^SELECT `main`.`Student`.`id`, .* FROM `main`.`Student`/, () => api().data('{ students(first: 100) { edges { node { id name } } } }'));
    for (const plan of plans) expect(plan).toMatch(/Student_nameSearch_id_idx/);
  });
});
