import { describe, expect, it } from 'vitest';
import { screenOfPath } from './router.ts';

describe('screenOfPath', () => {
  it('maps paths to screens, defaulting to Siswa', () => {
    expect(screenOfPath('/')).toBe('siswa');
    expect(screenOfPath('/dasbor')).toBe('dasbor');
    expect(screenOfPath('/kunjungan/abc')).toBe('kunjungan');
    expect(screenOfPath('/nope')).toBe('siswa');
  });
});
