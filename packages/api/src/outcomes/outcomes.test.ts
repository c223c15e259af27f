import { beforeAll, expect, it } from 'vitest';
import { loadRegions } from '../regions/load-regions.ts';
import { describeOnEachDatabase, TEST_TODAY, type TestApi } from '../test/databases.ts';

const UPSERT_OUTCOMES = /* GraphQL */ `
  mutation ($rows: [OutcomeRowInput!]!) {
    upsertOutcomes(rows: $rows) {
      created updated rejected conflicts
      rows { index status problems { field code message } row { id version status printedAt } }
    }
  }`;

const UPDATE_OUTCOME = /* GraphQL */ `
  mutation ($id: ID!, $version: Int!, $patch: OutcomeInput!) {
    updateOutcome(id: $id, version: $version, patch: $patch) {
      __typename
      ... on MutationUpdateOutcomeSuccess { data { id version status printedAt history { fromStatus toStatus printed } } }
      ... on ValidationError { problems { field code message } }
    }
  }`;

describeOnEachDatabase('outcomes API', (api: () => TestApi) => {
  let driveId: string;
  let visitId: string;
  const student: Record<string, string> = {};

  beforeAll(async () => {
    const { db, officeId } = api();
    await loadRegions(db, '35.73');
    const school = await db.school.create({
      data: { officeId, npsn: '20533101', name: 'SMA Negeri 3 Malang', nameSearch: 'sma negeri 3 malang', level: 'SMA', status: 'NEGERI', districtCode: '35.73.02' },
    });
    // TEST_TODAY is 2024-10-01; the election 2024-11-27 (voter cutoff: born on or before 2007-11-27).
    const people = {
      adult: '2006-05-01', // 18 today: recordable and printable
      turns17: '2007-11-27', // 16 today, 17 on election day: recordable, not printable yet
      tooYoung: '2007-11-28', // 16 on election day: not a voter
      child: '2009-01-01', // 15 today
    };
    for (const [key, birthDate] of Object.entries(people)) {
      const s = await db.student.create({ data: { schoolId: school.id, name: key, nameSearch: key, sex: 'L', birthDate } });
      student[key] = s.id;
    }
    const drive = await db.drive.create({ data: { officeId, name: 'Pilkada 2024', electionDate: '2024-11-27', startDate: '2024-09-01', endDate: '2024-11-26' } });
    driveId = drive.id;
    visitId = (await db.visit.create({ data: { driveId, schoolId: school.id, date: TEST_TODAY, kits: 2 } })).id;
    // Printing takes a blank card from the office's stock.
    await db.blankStockMovement.create({ data: { officeId, kind: 'RECEIVED', quantity: 10, date: TEST_TODAY } });
  });

  it('records eligible students and refuses those core rules say cannot be recorded', async () => {
    const rows = ['adult', 'turns17', 'tooYoung', 'child'].map((key) => ({ driveId, visitId, studentId: student[key], status: 'RECORDED' }));
    rows.push({ driveId, visitId, studentId: student.child as string, status: 'NOT_ELIGIBLE' });
    const result = (await api().data(UPSERT_OUTCOMES, { rows })).upsertOutcomes;
    expect(result.rows.map((r: { status: string }) => r.status)).toEqual(['CREATED', 'CREATED', 'REJECTED', 'REJECTED', 'CREATED']);
    expect(result.rows[2].problems[0]).toMatchObject({ field: 'status', code: 'OUTCOME_NOT_RECORDABLE' });
    const stored = await api().db.outcome.findMany({ where: { driveId }, include: { changes: true } });
    expect(stored).toHaveLength(3);
    expect(stored.every((o) => o.changes.length === 1 && o.visitId === visitId)).toBe(true);
    expect(stored.find((o) => o.studentId === student.adult)?.recordedAt).toBeInstanceOf(Date);
  });

  it('refuses a second outcome for the same student in the same drive', async () => {
    const result = (await api().data(UPSERT_OUTCOMES, { rows: [{ driveId, studentId: student.adult, status: 'ABSENT' }] })).upsertOutcomes;
    expect(result.rows[0].problems[0]).toMatchObject({ field: 'studentId', code: 'DUPLICATE' });
  });

  it('prints only printable students, never un-prints, and keeps the history', async () => {
    const adult = await api().db.outcome.findFirstOrThrow({ where: { driveId, studentId: student.adult } });
    const printed = await api().data(UPDATE_OUTCOME, { id: adult.id, version: adult.version, patch: { printedAt: '2024-10-01T04:00:00Z' } });
    expect(printed.updateOutcome.__typename).toBe('MutationUpdateOutcomeSuccess');
    expect(printed.updateOutcome.data.history.map((h: { printed: boolean }) => h.printed)).toEqual([false, true]);
    // Each change says who made it, when, and at which visit, as written.
    const changes = await api().db.outcomeChange.findMany({ where: { outcomeId: adult.id }, orderBy: { at: 'asc' } });
    expect(changes.map((c) => [c.fromStatus, c.toStatus, c.printed, c.ikdActivated, c.visitId, c.byUserId])).toEqual([
      [null, adult.status, false, false, adult.visitId, adult.updatedById],
      [adult.status, adult.status, true, false, adult.visitId, api().user!.id],
    ]);
    expect(changes[1]!.at.getTime()).toBeGreaterThanOrEqual(changes[0]!.at.getTime());
    expect(Date.now() - changes[1]!.at.getTime()).toBeLessThan(60_000);

    const unprint = await api().data(UPDATE_OUTCOME, { id: adult.id, version: adult.version + 1, patch: { printedAt: null } });
    expect(unprint.updateOutcome.problems[0]).toMatchObject({ field: 'printedAt', code: 'OUTCOME_UNPRINT' });

    const young = await api().db.outcome.findFirstOrThrow({ where: { driveId, studentId: student.turns17 } });
    const tooEarly = await api().data(UPDATE_OUTCOME, { id: young.id, version: young.version, patch: { printedAt: '2024-10-01T04:00:00Z' } });
    expect(tooEarly.updateOutcome.problems[0]).toMatchObject({ field: 'printedAt', code: 'OUTCOME_PRINT_TOO_YOUNG' });
    expect(tooEarly.updateOutcome.problems[0].message).toMatch(/27\/11\/2024/);
  });

  it('does not let a recorded student fall back to absent', async () => {
    const adult = await api().db.outcome.findFirstOrThrow({ where: { driveId, studentId: student.adult } });
    const result = await api().data(UPDATE_OUTCOME, { id: adult.id, version: adult.version, patch: { status: 'ABSENT' } });
    expect(result.updateOutcome.problems[0]).toMatchObject({ field: 'status', code: 'OUTCOME_TRANSITION' });
  });

  it('lists the outcomes of a visit with the student, and eligibility for the drive', async () => {
    const data = await api().data(
      `query ($visitId: ID!) { outcomes(first: 50, filter: { visitId: { equals: $visitId } }, sort: [{ field: STUDENT_NAME }]) {
         totalCount edges { node { status student { name eligibility(electionDate: "2024-11-27") { eligible recordableNow printableNow reason } } } } } }`,
      { visitId },
    );
    expect(data.outcomes.totalCount).toBe(3);
    const adult = data.outcomes.edges.find((e: { node: { student: { name: string } } }) => e.node.student.name === 'adult').node;
    expect(adult.student.eligibility).toMatchObject({ eligible: true, recordableNow: true, printableNow: true });
    expect(adult.student.eligibility.reason).toMatch(/tahun/);
  });
});
