// The last line of defence for personal data in logs: whatever code logs (an error quoting a
// Prisma call, a message with user input), a NIK never reaches the log file unmasked.
import { describe, expect, it } from 'vitest';
import { createLogger, scrubNiks } from './observability.ts';

describe('logs', () => {
  it('mask every 16-digit run, in messages, fields and errors, and nothing shorter or longer', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (line) => lines.push(line) });
    logger.error({ err: new Error('Invalid `prisma.student.create()` invocation: { nik: "3573015505070001" }'), nik: '3573014101080002' }, 'could not save 3573010101070003');
    const text = lines.join('');
    expect(text).not.toMatch(/3573015505070001|3573014101080002|3573010101070003/);
    expect(text).toContain('3573••••••••0001');
    expect(JSON.parse(text)).toMatchObject({ level: 'error', msg: 'could not save 3573••••••••0003' });
    expect(scrubNiks('npsn 20533101, nisn 0071234567, phone 628123456789012, ms 1732291200000')).toBe('npsn 20533101, nisn 0071234567, phone 628123456789012, ms 1732291200000');
    expect(scrubNiks('12345678901234567')).toBe('12345678901234567');
  });
});
