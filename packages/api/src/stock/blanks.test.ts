// Printing uses blank cards: one USED movement per print in the print's transaction, refusal at
// zero stock, exactly one winner when two prints race for the last blank; the stock ledger.
import { beforeAll, expect, it } from 'vitest';
import { loadRegions } from '../regions/load-regions.ts';
import { describeOnEachDatabase, TEST_TODAY, type TestApi } from '../test/databases.ts';

const UPDATE_OUTCOME = /* GraphQL */ `
  mutation ($id: ID!, $version: Int!, $patch: OutcomeInput!) {
    updateOutcome(id: $id, version: $version, patch: $patch) {
      __typename
      ... on MutationUpdateOutcomeSuccess { data { id version printedAt } }
      ... on ValidationError { problems { field code message } }
    }
  }`;

const UPSERT_OUTCOMES = /* GraphQL */ `
  mutation ($rows: [OutcomeRowInput!]!) {
    upsertOutcomes(rows: $rows) { updated rejected rows { status problems { field code } } }
  }`;

const MOVE = /* GraphQL */ `
  mutation ($input: StockMovementInput!) { createStockMovement(input: $input) { __typename } }`;

const STOCK = /* GraphQL */ `
  { blankStock { balance threshold usedLast7Days runwayDays electionDate daysToElection alerts { code message }
      ledger { id date kind quantity delta prints balance notes } } }`;

describeOnEachDatabase('blank cards used by printing', (api: () => TestApi) => {
  let driveId: string;
  let schoolId: string;
  let n = 0;

  /** A recorded adult (printable today) and its outcome row. */
  async function recordedAdult() {
    const { db } = api();
    n += 1;
    const s = await db.student.create({ data: { schoolId, name: `adult ${n}`, nameSearch: `adult ${n}`, sex: 'P', birthDate: '2006-05-01' } });
    const rows = [{ driveId, studentId: s.id, status: 'RECORDED' }];
    const result = await api().data(UPSERT_OUTCOMES, { rows });
    expect(result.upsertOutcomes.rows[0].status).toBe('CREATED');
    return db.outcome.findFirstOrThrow({ where: { driveId, studentId: s.id } });
  }

  const balance = async () => (await api().data(STOCK)).blankStock.balance as number;
  const move = (kind: string, quantity: number, notes?: string) => api().data(MOVE, { input: { kind, quantity, date: TEST_TODAY, notes } });
  const print = (o: { id: string; version: number }, headers?: Record<string, string>) =>
    api().data(UPDATE_OUTCOME, { id: o.id, version: o.version, patch: { printedAt: '2024-10-01T03:00:00Z' } }, headers);

  beforeAll(async () => {
    const { db, officeId } = api();
    await loadRegions(db, '35.73');
    schoolId = (await db.school.create({ data: { officeId, npsn: '20533102', name: 'SMA Negeri 4 Malang', nameSearch: 'sma negeri 4 malang', level: 'SMA', status: 'NEGERI', districtCode: '35.73.02' } })).id;
    driveId = (await db.drive.create({ data: { officeId, name: 'Pilkada 2024', electionDate: '2024-11-27', startDate: '2024-09-01', endDate: '2024-11-26' } })).id;
  });

  it('refuses to print with no blank left, says why in Bahasa Indonesia or English, and counts the student as awaiting blanks', async () => {
    expect(await balance()).toBe(0);
    const o = await recordedAdult();
    const id = await print(o);
    expect(id.updateOutcome.problems[0]).toMatchObject({ field: 'printedAt', code: 'STOCK_EMPTY' });
    expect(id.updateOutcome.problems[0].message).toMatch(/Blangko KTP-el habis/);
    const en = await print(o, { 'accept-language': 'en' });
    expect(en.updateOutcome.problems[0].message).toMatch(/No blank e-KTP cards left/);
    expect((await api().db.outcome.findUniqueOrThrow({ where: { id: o.id } })).printedAt).toBeNull();
    await api().feed.settled();
    const tallies = await api().data(`query ($d: ID!) { tallies(driveId: $d, groupBy: [OFFICE]) { rows { printable awaitingBlanks } } }`, { d: driveId });
    expect(tallies.tallies.rows[0]).toMatchObject({ printable: 1, awaitingBlanks: 1 });
  });

  it('takes one blank per print, in the same transaction, linked to the outcome', async () => {
    await move('RECEIVED', 3, 'Kiriman Dukcapil pusat');
    const o = await recordedAdult();
    const result = await print(o);
    expect(result.updateOutcome.__typename).toBe('MutationUpdateOutcomeSuccess');
    expect(await balance()).toBe(2);
    const used = await api().db.blankStockMovement.findMany({ where: { outcomeId: o.id } });
    expect(used).toEqual([expect.objectContaining({ kind: 'USED', quantity: 1, date: '2024-10-01' })]);
  });

  it('prints as many rows of a batch as there are blanks and refuses the rest', async () => {
    const outcomes = [await recordedAdult(), await recordedAdult(), await recordedAdult()];
    const rows = outcomes.map((o) => ({ id: o.id, version: o.version, printedAt: '2024-10-01T04:00:00Z' }));
    const result = (await api().data(UPSERT_OUTCOMES, { rows })).upsertOutcomes;
    expect(result.updated).toBe(2);
    expect(result.rejected).toBe(1);
    expect(result.rows.find((r: { status: string }) => r.status === 'REJECTED').problems[0].code).toBe('STOCK_EMPTY');
    expect(await balance()).toBe(0);
    expect(await api().db.blankStockMovement.count({ where: { kind: 'USED' } })).toBe(3);
  });

  it('lets exactly one of several simultaneous prints take the last blank', async () => {
    await move('CORRECTION', 1, 'Hitung ulang gudang');
    const racers = [];
    for (let i = 0; i < 6; i++) racers.push(await recordedAdult());
    const results = await Promise.all(racers.map((o) => print(o)));
    const won = results.filter((r) => r.updateOutcome.__typename === 'MutationUpdateOutcomeSuccess');
    const refused = results.filter((r) => r.updateOutcome.problems?.[0]?.code === 'STOCK_EMPTY');
    expect([won.length, refused.length]).toEqual([1, 5]);
    expect(await balance()).toBe(0);
    const printed = await api().db.outcome.count({ where: { id: { in: racers.map((o) => o.id) }, printedAt: { not: null } } });
    expect(printed).toBe(1);
  });

  it('shows the ledger with running balances, prints summed per day, and the alerts', async () => {
    await move('RECEIVED', 10);
    await move('SPOILED', 1, 'Rusak saat dicetak');
    const stock = (await api().data(STOCK)).blankStock;
    expect(stock.balance).toBe(9);
    // Newest first, prints summed per run between the other movements of the day.
    expect(stock.ledger.map((l: { kind: string; delta: number; prints: number | null; balance: number }) => [l.kind, l.delta, l.prints, l.balance])).toEqual([
      ['SPOILED', -1, null, 9],
      ['RECEIVED', 10, null, 10],
      ['USED', -1, 1, 0],
      ['CORRECTION', 1, null, 1],
      ['USED', -3, 3, 0],
      ['RECEIVED', 3, null, 3],
    ]);
    expect(stock.ledger[2]).toMatchObject({ id: 'printed:2024-10-01:2', date: '2024-10-01' });
    expect(stock).toMatchObject({ threshold: 500, usedLast7Days: 4, electionDate: '2024-11-27', daysToElection: 57 });
    // 9 blanks at 4 a week: runway 15 days, election in 57.
    expect(stock.runwayDays).toBe(15);
    expect(stock.alerts.map((a: { code: string }) => a.code)).toEqual(['STOCK_LOW', 'STOCK_RUNWAY_SHORT']);
    expect(stock.alerts[0].message).toBe('Sisa blangko 9 lembar, di bawah batas 500 lembar');
  });

  it('never lets the balance go below zero: a spoil of more cards than are left is refused with the balance, also when spoils race', async () => {
    const before = await balance();
    const tooMany = await api().data(`mutation ($input: StockMovementInput!) { createStockMovement(input: $input) { __typename ... on ValidationError { problems { field code message } } } }`, {
      input: { kind: 'SPOILED', quantity: before + 1, date: TEST_TODAY },
    });
    expect(tooMany.createStockMovement.problems[0]).toMatchObject({ field: 'quantity', code: 'STOCK_BELOW_ZERO' });
    expect(tooMany.createStockMovement.problems[0].message).toContain(`tinggal ${before} lembar`);
    // In one batch, the rows are taken in order: the second spoil no longer fits.
    const batch = (await api().data(`mutation ($rows: [StockMovementRowInput!]!) { upsertStockMovements(rows: $rows) { created rejected rows { status problems { code } } } }`, {
      rows: [{ kind: 'SPOILED', quantity: before - 1, date: TEST_TODAY }, { kind: 'CORRECTION', quantity: -2, date: TEST_TODAY }],
    })).upsertStockMovements;
    expect([batch.created, batch.rejected, batch.rows[1].problems[0].code]).toEqual([1, 1, 'STOCK_BELOW_ZERO']);
    expect(await balance()).toBe(1);
    // Three spoils of the last card at once: exactly one is taken.
    const racing = await Promise.all([1, 2, 3].map(() => move('SPOILED', 1)));
    expect(racing.filter((r) => r.createStockMovement.__typename === 'MutationCreateStockMovementSuccess')).toHaveLength(1);
    expect(await balance()).toBe(0);
    await move('RECEIVED', before);
  });

  it('keeps the ledger append-only: no update or delete operation, and an upsert of a stored row is refused', async () => {
    const fields = await api().data(`{ __schema { mutationType { fields { name } } } }`);
    const names = fields.__schema.mutationType.fields.map((f: { name: string }) => f.name);
    expect(names).toContain('createStockMovement');
    expect(names.filter((n: string) => /^(update|delete)StockMovement$/.test(n))).toEqual([]);
    const stored = await api().db.blankStockMovement.findFirstOrThrow({ where: { kind: 'RECEIVED' } });
    const result = (await api().data(`mutation ($rows: [StockMovementRowInput!]!) { upsertStockMovements(rows: $rows) { rejected rows { problems { code message } } } }`, {
      rows: [{ id: stored.id, version: 1, quantity: 99999 }],
    })).upsertStockMovements;
    expect(result.rows[0].problems[0]).toMatchObject({ code: 'STOCK_LEDGER_APPEND_ONLY' });
    expect(result.rows[0].problems[0].message).toMatch(/Koreksi/);
    expect((await api().db.blankStockMovement.findUniqueOrThrow({ where: { id: stored.id } })).quantity).toBe(stored.quantity);
  });

  it('changes the alert threshold, refuses a bad one, and logs the change', async () => {
    const SET = `mutation ($t: Int!) { setBlankStockThreshold(threshold: $t) { __typename
      ... on MutationSetBlankStockThresholdSuccess { data { threshold alerts { code } } }
      ... on ValidationError { problems { field code message } } } }`;
    const ok = await api().data(SET, { t: 5 });
    expect(ok.setBlankStockThreshold.data).toEqual({ threshold: 5, alerts: [{ code: 'STOCK_RUNWAY_SHORT' }] });
    const bad = await api().data(SET, { t: -1 });
    expect(bad.setBlankStockThreshold.problems[0]).toMatchObject({ field: 'blankStockThreshold', code: 'OUT_OF_RANGE' });
    expect(bad.setBlankStockThreshold.problems[0].message).toMatch(/harus antara 0 dan 1000000/);
    const audit = await api().db.auditEvent.findMany({ where: { entity: 'Office', field: 'blankStockThreshold' } });
    expect(audit.map((a) => [a.oldValue, a.newValue])).toEqual([['500', '5']]);
  });
});
