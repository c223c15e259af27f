// The offline queue's server side: each write applied once however often it is replayed, in
// order, conflicts returned with both values instead of last-write-wins.
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { loadRegions } from '../regions/load-regions.ts';
import { describeOnEachDatabase, TEST_TODAY, type TestApi } from '../test/databases.ts';
import { subscribe } from '../test/sse.ts';

const SYNC = /* GraphQL */ `
  mutation ($writes: [OutcomeWriteInput!]!) {
    syncOutcomes(writes: $writes) {
      clientMutationId status replayed
      outcome { id version status recordedAt printedAt ikdActivatedAt notes visitId }
      mine { status printed ikdActivated notes }
      problems { field code message }
    }
  }`;

type Write = { clientMutationId: string; driveId: string; studentId: string; baseVersion: number | null; status?: string; printed?: boolean; ikdActivated?: boolean; notes?: string; visitId?: string; at?: string };

describeOnEachDatabase('syncOutcomes: the offline queue replayed', (api: () => TestApi) => {
  let driveId: string;
  let visitId: string;
  const students: string[] = [];

  const sync = async (writes: Write[], headers?: Record<string, string>) => (await api().data(SYNC, { writes }, headers)).syncOutcomes as any[];
  const write = (studentId: string, baseVersion: number | null, set: Partial<Write>): Write => ({ clientMutationId: randomUUID(), driveId, studentId, visitId, baseVersion, ...set });

  beforeAll(async () => {
    const { db, officeId } = api();
    await loadRegions(db, '35.73');
    const school = await db.school.create({ data: { officeId, npsn: '20533103', name: 'SMK Negeri 2 Malang', nameSearch: 'smk negeri 2 malang', level: 'SMK', status: 'NEGERI', districtCode: '35.73.02' } });
    for (let i = 0; i < 40; i++) {
      const s = await db.student.create({ data: { schoolId: school.id, name: `Siswa ${i}`, nameSearch: `siswa ${i}`, sex: 'L', birthDate: '2006-05-01' } });
      students.push(s.id);
    }
    driveId = (await db.drive.create({ data: { officeId, name: 'Pilkada 2024', electionDate: '2024-11-27', startDate: '2024-09-01', endDate: '2024-11-26' } })).id;
    visitId = (await db.visit.create({ data: { driveId, schoolId: school.id, date: TEST_TODAY, kits: 2 } })).id;
    await db.blankStockMovement.create({ data: { officeId, kind: 'RECEIVED', quantity: 5, date: TEST_TODAY } });
  });

  it('stores a queue of 30 outcomes once, however often it is replayed, and answers a replay with the first result', async () => {
    const queue = students.slice(0, 30).map((s, i) => write(s, null, { status: i % 3 === 0 ? 'ABSENT' : 'RECORDED', at: '2024-10-01T02:15:00Z' }));
    const first = await sync(queue);
    expect(first.map((r) => r.status)).toEqual(queue.map(() => 'APPLIED'));
    expect(first.every((r) => r.replayed === false)).toBe(true);
    // The time the officer recorded it offline, not the time it reached the server.
    expect(first[1].outcome.recordedAt).toBe('2024-10-01T02:15:00.000Z');
    expect(await api().db.outcome.count({ where: { driveId } })).toBe(30);

    const again = await sync(queue);
    expect(again.every((r) => r.replayed === true)).toBe(true);
    expect(again.map((r) => ({ ...r, replayed: false }))).toEqual(first);
    // Replayed concurrently too (two tabs syncing the same queue): still one of each.
    await Promise.all([sync(queue.slice(0, 10)), sync(queue.slice(0, 10)), sync(queue.slice(5, 15))]);
    expect(await api().db.outcome.count({ where: { driveId } })).toBe(30);
    expect(await api().db.appliedMutation.count({ where: { id: { in: queue.map((w) => w.clientMutationId) } } })).toBe(30);
    expect(await api().db.outcomeChange.count({ where: { outcome: { driveId } } })).toBe(30);
  });

  it('creates an outcome without looking up an id nobody can have yet', async () => {
    const { schoolId } = await api().db.student.findUniqueOrThrow({ where: { id: students[0] } });
    const newcomer = (await api().db.student.create({ data: { schoolId, name: 'Siswa Baru', nameSearch: 'siswa baru', sex: 'P', birthDate: '2006-07-01' } })).id;
    const from = api().queries.length;
    const [answer] = await sync([write(newcomer, null, { status: 'ABSENT' })]);
    expect(answer.status).toBe('APPLIED');
    const sent = api().queries.slice(from);
    const inserted = sent.findIndex((sql) => /^INSERT INTO "Outcome"/.test(sql));
    expect(inserted).toBeGreaterThan(0);
    expect(sent.slice(0, inserted).filter((sql) => /[`"]Outcome[`"]\.[`"]id[`"] (=|IN)/.test(sql))).toEqual([]);
    expect(await api().db.outcome.findUniqueOrThrow({ where: { id: answer.outcome.id } })).toMatchObject({ studentId: newcomer, status: 'ABSENT', version: 1 });
  });

  it('moves the tally counters last in its transaction: other writes of the school wait on those rows until the commit', async () => {
    const from = api().queries.length;
    const [answer] = await sync([write(students[37] as string, null, { status: 'RECORDED' })]);
    expect(answer.status).toBe('APPLIED');
    const sent = api().queries.slice(from);
    const counters = sent.findIndex((sql) => /^INSERT INTO "TallyCell"/.test(sql));
    // The audit, the change log and the replay record are written before; only the commit after.
    expect(sent.slice(counters).map((sql) => sql.split(' ').slice(0, 3).join(' '))).toEqual(['INSERT INTO "TallyCell"', 'INSERT INTO "TallyDay"', 'COMMIT']);
  });

  it('applies a chain of writes to one student in order when each names the version the previous one produced', async () => {
    const studentId = students[30] as string;
    const [recorded] = await sync([write(studentId, null, { status: 'RECORDED' })]);
    const [printed] = await sync([write(studentId, recorded.outcome.version, { printed: true })]);
    const [ikd] = await sync([write(studentId, printed.outcome.version, { ikdActivated: true, notes: 'IKD via HP orang tua' })]);
    expect(ikd.status).toBe('APPLIED');
    expect(ikd.outcome).toMatchObject({ status: 'RECORDED', version: 3, notes: 'IKD via HP orang tua', visitId });
    // Printed later at another visit: the recording stays with the visit that made it.
    const otherVisit = await api().db.visit.create({ data: { driveId, schoolId: (await api().db.visit.findUniqueOrThrow({ where: { id: visitId } })).schoolId, date: '2024-10-02' } });
    const [later] = await sync([{ ...write(studentId, ikd.outcome.version, { notes: 'kartu diambil' }), visitId: otherVisit.id }]);
    expect(later.outcome).toMatchObject({ visitId, notes: 'kartu diambil' });
    expect(ikd.outcome.printedAt).not.toBeNull();
    expect(await api().db.blankStockMovement.count({ where: { kind: 'USED', outcomeId: ikd.outcome.id } })).toBe(1);
  });

  it('returns a conflict with both values when someone else changed the outcome since the base version, and overwrites nothing', async () => {
    const studentId = students[31] as string;
    const [mine] = await sync([write(studentId, null, { status: 'ABSENT' })]);
    // Another officer records the student meanwhile.
    const [theirs] = await sync([write(studentId, mine.outcome.version, { status: 'RECORDED', notes: 'datang siang' })]);
    const conflict = await sync([write(studentId, mine.outcome.version, { status: 'REFUSED', notes: 'menolak difoto' })]);
    expect(conflict[0]).toMatchObject({ status: 'CONFLICT', mine: { status: 'REFUSED', notes: 'menolak difoto' }, outcome: { status: 'RECORDED', notes: 'datang siang', version: theirs.outcome.version } });
    expect(conflict[0].problems[0].message).toMatch(/diubah orang lain selagi Anda offline/);
    expect((await api().db.outcome.findFirstOrThrow({ where: { driveId, studentId } })).status).toBe('RECORDED');
    // Two officers who both saw "no outcome" and record at once: one creates, the other conflicts.
    const fresh = students[32] as string;
    const both = await Promise.all([sync([write(fresh, null, { status: 'ABSENT' })]), sync([write(fresh, null, { status: 'FAILED' })])]);
    expect(both.map((r) => r[0].status).sort()).toEqual(['APPLIED', 'CONFLICT']);
    expect(await api().db.outcome.count({ where: { driveId, studentId: fresh } })).toBe(1);
  });

  it('refuses what the rules refuse, in the caller\'s language, and answers a replay the same way', async () => {
    const studentId = students[33] as string;
    const refused = write(studentId, null, { status: 'ABSENT', printed: true });
    const [first] = await sync([refused], { 'accept-language': 'en' });
    expect(first).toMatchObject({ status: 'REJECTED', problems: [{ field: 'printedAt', code: 'OUTCOME_PRINT_NOT_RECORDED' }] });
    expect(first.problems[0].message).toMatch(/cannot be printed/);
    expect((await sync([refused]))[0]).toMatchObject({ status: 'REJECTED', replayed: true });
    expect(await api().db.outcome.count({ where: { driveId, studentId } })).toBe(0);
  });

  it('prints as many of one call\'s writes as there are blanks, in order, and refuses the rest', async () => {
    const { db, officeId } = api();
    const balance = async () => (await api().data('{ blankStock { balance } }')).blankStock.balance as number;
    const three = [students[35], students[36], students[37]] as string[];
    const recorded = await sync(three.map((s) => write(s, null, { status: 'RECORDED' })));
    await db.blankStockMovement.create({ data: { officeId, kind: 'CORRECTION', quantity: 2 - (await balance()), date: TEST_TODAY } });
    const prints = await sync(three.map((s, i) => write(s, recorded[i].outcome.version, { printed: true })));
    expect(prints.map((r) => r.status)).toEqual(['APPLIED', 'APPLIED', 'REJECTED']);
    expect(prints[2].problems[0].code).toBe('STOCK_EMPTY');
    expect(await balance()).toBe(0);
    expect(await db.outcome.count({ where: { studentId: { in: three }, printedAt: { not: null } } })).toBe(2);
  });

  it('refuses printing when the blanks ran out while the officer was offline', async () => {
    const { db, officeId } = api();
    const balance = async () => (await api().data('{ blankStock { balance } }')).blankStock.balance as number;
    await db.blankStockMovement.create({ data: { officeId, kind: 'CORRECTION', quantity: -(await balance()), date: TEST_TODAY, notes: 'stok opname' } });
    const studentId = students[34] as string;
    const [recorded, print] = [write(studentId, null, { status: 'RECORDED' }), write(studentId, 1, { printed: true })];
    const results = await sync([recorded, print]);
    expect(results.map((r) => r.status)).toEqual(['APPLIED', 'REJECTED']);
    expect(results[1].problems[0]).toMatchObject({ field: 'printedAt', code: 'STOCK_EMPTY' });
    expect(results[1].problems[0].message).toMatch(/Blangko KTP-el habis/);
  });

  it('tells open sheets and grids (rowChanges) which outcomes a synced queue wrote', async () => {
    type Event = { rowChanges: { entity: string; id: string; version: number }[] };
    const sub = await subscribe<Event>(api().fetch, 'http://test/graphql', `subscription ($d: ID) { rowChanges(entity: OUTCOME, driveId: $d) { entity id version } }`, { d: driveId });
    try {
      const results = await sync([write(students[38] as string, null, { status: 'ABSENT' }), write(students[39] as string, null, { status: 'FAILED' })]);
      const ids = results.map((r) => r.outcome.id).sort();
      const event = await sub.next((e) => e.rowChanges.length === 2);
      expect(event.rowChanges.map((c) => c.id).sort()).toEqual(ids);
    } finally {
      sub.close();
    }
  });

  it('refuses more than 500 writes in one call with a clear message', async () => {
    const result = await api().gql(SYNC, { writes: Array.from({ length: 501 }, () => write(students[0] as string, null, { status: 'ABSENT' })) });
    expect(result.errors?.[0]?.message).toMatch(/Terlalu banyak baris sekaligus \(501\)/);
  });
});
