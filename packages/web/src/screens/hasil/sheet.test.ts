import { describe, expect, it } from 'vitest';
import { blanksLeft, checkChange, sheetRows, withServerOutcome, type Sheet } from './sheet.ts';
import type { QueuedWrite } from './queue.ts';

const sheet: Sheet = {
  visit: { id: 'v1', date: '2024-10-01', team: 'Tim 1', school: { id: 'sch', name: 'SMA Negeri 3 Malang' }, drive: { id: 'd1', name: 'Pilkada', electionDate: '2024-11-27' } },
  students: [
    { id: 'adult', name: 'Ani', className: 'XII IPA 1', nikMasked: '3573••••••••0001', birthDate: '2006-05-01', married: false, outcome: null },
    { id: 'young', name: 'Budi', className: 'XII IPS 2', nikMasked: null, birthDate: '2007-11-27', married: false, outcome: { id: 'o1', version: 2, status: 'RECORDED', printedAt: null, ikdActivatedAt: null, notes: null } },
  ],
  blankBalance: 1,
  savedAt: '2024-10-01T01:00:00Z',
};
const w = (studentId: string, set: QueuedWrite['set'], baseVersion: number | null = null): QueuedWrite => ({ clientMutationId: `${studentId}-${JSON.stringify(set)}`, driveId: 'd1', studentId, visitId: 'v1', baseVersion, set, at: '2024-10-01T02:00:00Z' });
const ctx = { electionDate: '2024-11-27', today: '2024-10-01', blanksLeft: 1, locale: 'id' as const };

describe('sheetRows', () => {
  it('shows the server state with the queued changes on top, and what waits or conflicts', () => {
    const rows = sheetRows(sheet, [w('adult', { status: 'RECORDED' }), w('adult', { printed: true })], [], []);
    expect(rows[0]).toMatchObject({ no: 1, status: 'RECORDED', printed: true, sync: 'pending', baseVersion: null });
    expect(rows[1]).toMatchObject({ no: 2, status: 'RECORDED', printed: false, sync: 'synced', baseVersion: 2, nikMasked: '' });
    const conflict = { key: 'd1|young', driveId: 'd1', studentId: 'young', visitId: 'v1', mine: { status: 'ALREADY_RECORDED' as const }, theirs: null, clientMutationIds: [], message: 'bentrok' };
    expect(sheetRows(sheet, [], [conflict], [])[1]).toMatchObject({ sync: 'conflict', message: 'bentrok' });
  });
});

describe('checkChange', () => {
  const rows = sheetRows(sheet, [], [], []);
  it('refuses what core refuses, in the chosen language', () => {
    expect(checkChange(rows[0]!, { printed: true }, ctx)).toEqual({ ok: false, message: 'KTP-el belum bisa dicetak: siswa belum terekam' });
    const young = checkChange(rows[1]!, { printed: true }, { ...ctx, locale: 'en' });
    expect(young.ok === false && young.message).toMatch(/turns 17 on 27\/11\/2024/);
    expect(checkChange(rows[1]!, { status: 'ABSENT' }, ctx).ok).toBe(false);
    expect(checkChange(rows[0]!, { status: 'RECORDED' }, ctx)).toEqual({ ok: true });
  });

  it('refuses printing when no blank card is left, counting the prints still queued', () => {
    const recorded = sheetRows(withServerOutcome(sheet, 'adult', { id: 'o2', version: 1, status: 'RECORDED', printedAt: null, ikdActivatedAt: null, notes: null }), [], [], [])[0]!;
    expect(checkChange(recorded, { printed: true }, ctx)).toEqual({ ok: true });
    const left = blanksLeft(sheet, [w('other', { printed: true })]);
    expect(left).toBe(0);
    const refused = checkChange(recorded, { printed: true }, { ...ctx, blanksLeft: left });
    expect(refused.ok === false && refused.message).toMatch(/Blangko KTP-el habis/);
  });
});
