import { expect, it } from 'vitest';
import type { Row, Write } from '../common/editing.ts';
import { studentWritesDeltaFrom, type StudentWriteFacts, type TallyDelta } from './maintain.ts';

const facts: StudentWriteFacts = {
  schools: [
    { id: 'school-a', officeId: 'office' },
    { id: 'school-b', officeId: 'office' },
  ],
  // Two drives whose dates put the same birthdays on different sides of their cut-offs.
  drives: [
    { id: 'pilkada', officeId: 'office', electionDate: '2024-11-27', startDate: '2024-09-01' },
    { id: 'pemilu', officeId: 'office', electionDate: '2029-02-14', startDate: '2028-10-01' },
  ],
  outcomes: [
    { studentId: 's3', driveId: 'pilkada', status: 'RECORDED', recordedAt: '2024-10-02T03:00:00.000Z', printedAt: '2024-10-03T03:00:00.000Z', ikdActivatedAt: null },
    { studentId: 's4', driveId: 'pemilu', status: 'ABSENT', recordedAt: null, printedAt: null, ikdActivatedAt: null },
  ],
};

const student = (id: string, schoolId: string, birthDate: string, married = false) => ({ id, schoolId, birthDate, married }) as unknown as Row;

/** Creates, edits (birth date, marriage, school), deletes, with and without outcomes; birthdays shared between students. */
const writes: Write[] = [
  { before: null, after: student('s1', 'school-a', '2007-10-15') },
  { before: null, after: student('s2', 'school-a', '2007-10-15', true) },
  { before: null, after: student('s5', 'school-b', '2007-10-15') },
  { before: null, after: student('s6', 'school-b', '2011-01-20') },
  { before: student('s3', 'school-a', '2006-01-01'), after: student('s3', 'school-b', '2006-01-01') },
  { before: student('s4', 'school-b', '2008-12-01'), after: student('s4', 'school-b', '2007-10-15', true) },
  { before: student('s7', 'school-a', '2007-10-15'), after: null },
  { before: student('s8', 'school-a', '2006-05-05', true), after: student('s8', 'school-a', '2006-05-05') },
];

const counters = (delta: TallyDelta) => ({ cells: Object.fromEntries(delta.cells), days: Object.fromEntries(delta.days) });

function sum(deltas: TallyDelta[]) {
  const total: { cells: Record<string, Record<string, number | string>>; days: Record<string, Record<string, number | string>> } = { cells: {}, days: {} };
  for (const delta of deltas) {
    for (const [table, map] of [['cells', delta.cells], ['days', delta.days]] as const) {
      for (const [key, counts] of map as Map<string, Record<string, number | string>>) {
        const into = (total[table][key] ??= { ...counts, ...Object.fromEntries(Object.entries(counts).filter(([, v]) => typeof v === 'number').map(([k]) => [k, 0])) });
        for (const [k, v] of Object.entries(counts)) if (typeof v === 'number') (into[k] as number) += v;
      }
    }
  }
  return total;
}

it('counts a batch of student writes exactly as the sum of its writes counted one by one', () => {
  const oneByOne = sum(writes.map((w) => studentWritesDeltaFrom([w], facts)));
  const together = counters(studentWritesDeltaFrom(writes, facts));
  expect(together).toEqual(oneByOne);
  // The case is not empty: both drives, both schools, a recorded and printed day are in it.
  expect(Object.keys(together.cells).some((k) => k.startsWith('pemilu|school-b'))).toBe(true);
  expect(Object.keys(together.cells).some((k) => k.startsWith('pilkada|school-a'))).toBe(true);
  expect(Object.values(together.days).some((d) => d.printed === 1)).toBe(true);
});

it('counts the same writes the same in any order, and twice as much when each is counted twice', () => {
  const forward = counters(studentWritesDeltaFrom(writes, facts));
  expect(counters(studentWritesDeltaFrom([...writes].reverse(), facts))).toEqual(forward);
  const twice = counters(studentWritesDeltaFrom([...writes, ...writes], facts));
  for (const [key, cell] of Object.entries(forward.cells)) {
    for (const [k, v] of Object.entries(cell)) if (typeof v === 'number') expect(twice.cells[key]?.[k as keyof typeof cell]).toBe(2 * v);
  }
});
