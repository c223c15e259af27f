import { describe, expect, it } from 'vitest';
import { newestWins, newId, todayInJakarta } from './util.ts';

describe('util', () => {
  it('counts today in Asia/Jakarta (UTC+7)', () => {
    expect(todayInJakarta(new Date('2024-10-01T16:59:00Z'))).toBe('2024-10-01');
    expect(todayInJakarta(new Date('2024-10-01T17:00:00Z'))).toBe('2024-10-02');
  });

  it('makes distinct v4-shaped ids', () => {
    const a = newId();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newId()).not.toBe(a);
  });

  it('applies only the newest read when the answers of side-by-side reads arrive out of order', async () => {
    const answers: ((value: number) => void)[] = [];
    const shown: number[] = [];
    const refresh = newestWins(() => new Promise<number>((resolve) => answers.push(resolve)), (value) => shown.push(value));
    const first = refresh();
    const second = refresh();
    const third = refresh();
    answers[1]!(2);
    await second;
    answers[0]!(1); // an older snapshot, answered late
    await first;
    answers[2]!(3);
    await third;
    expect(shown).toEqual([2, 3]);
  });
});
