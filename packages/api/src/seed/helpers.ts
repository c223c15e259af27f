// Small helpers shared by the demo generators.
import type { IsoDate } from '@jemput/core';
import type { Prisma } from '../generated/sqlite/client.ts';

// Rows as createMany takes them, with the id we generate ourselves (so later rows can
// reference earlier ones without reading them back).
export type OfficeRow = Prisma.OfficeCreateManyInput & { id: string };
export type UserRow = Prisma.UserCreateManyInput & { id: string };
export type SchoolRow = Prisma.SchoolCreateManyInput & { id: string; districtCode: string };
export type StudentRow = Prisma.StudentCreateManyInput & { id: string; schoolId: string; birthDate: IsoDate; married: boolean };
export type DriveRow = Prisma.DriveCreateManyInput & { id: string };
export type VisitRow = Prisma.VisitCreateManyInput & {
  id: string;
  schoolId: string;
  date: IsoDate;
  startTime: string;
  endTime: string;
  status: NonNullable<Prisma.VisitCreateManyInput['status']>;
};
export type OutcomeRow = Prisma.OutcomeCreateManyInput & { id: string };
export type OutcomeChangeRow = Prisma.OutcomeChangeCreateManyInput & { id: string };
export type StockMovementRow = Prisma.BlankStockMovementCreateManyInput & { id: string };

/** Readable, deterministic ids: `stu_000123`. */
export function seedId(prefix: string, n: number, width = 6): string {
  return `${prefix}_${String(n).padStart(width, '0')}`;
}

/**
 * Splits `total` into whole parts proportional to `weights` (largest remainder), so the parts
 * add up exactly to `total`.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum > 0 ? (total * w) / sum : 0));
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => ({ i, remainder: x - Math.floor(x) })).sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    left--;
  }
  return parts;
}

/** A moment on a calendar day in Western Indonesia Time (UTC+7), where Malang is. */
export function jakartaMoment(date: IsoDate, minutesAfterMidnight: number): Date {
  const hh = String(Math.floor(minutesAfterMidnight / 60)).padStart(2, '0');
  const mm = String(minutesAfterMidnight % 60).padStart(2, '0');
  return new Date(`${date}T${hh}:${mm}:00+07:00`);
}

/** "08:30" -> 510. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Short city name for school names: "Kota Malang" -> "Malang", "Kabupaten Malang" -> "Malang". */
export function shortRegencyName(regencyName: string): string {
  return regencyName.replace(/^(Kota|Kabupaten|Kab\.)\s+/i, '');
}
