// A grid's "Ekspor CSV" reads its filtered view page by page through the grid's own connection
// (students, schools, …) with `export: true`. The first page of such a read writes ONE audit
// event EXPORT: which view (filter, sort, quick search) and how many rows it holds. NIKs are
// never in it: a NIK filter or a digit search is masked like a NIK on screen.
import { maskNik } from '@jemput/core';
import type { Context } from '../schema/builder.ts';

export const EXPORT_ARG_DESCRIPTION = 'This read is a CSV export of the view: its first page (offset 0) writes an EXPORT audit event with the view and its row count.';

type ExportArgs = { export?: boolean | null; offset?: number | null; after?: string | null; filter?: unknown; sort?: unknown; search?: string | null };

/** Digit runs long enough to be (part of) a NIK keep their first 4 digits only. */
const maskDigits = (text: string) => text.replace(/\d{5,}/g, (digits) => (digits.length === 16 ? maskNik(digits) : digits.slice(0, 4) + '•'.repeat(digits.length - 4)));

/** A copy of a filter with every value under a `nik` key masked. */
function maskFilter(value: unknown, underNik = false): unknown {
  if (typeof value === 'string') return underNik ? maskDigits(value) : value;
  if (Array.isArray(value)) return value.map((v) => maskFilter(v, underNik));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskFilter(v, underNik || k === 'nik')]));
  return value;
}

/** The audit detail of an export of a view (exported for tests). */
export function exportDetail(args: ExportArgs, rows: number): Record<string, unknown> {
  return {
    format: 'csv',
    rows,
    ...(args.filter && Object.keys(args.filter).length ? { filter: maskFilter(args.filter) } : {}),
    ...(Array.isArray(args.sort) && args.sort.length ? { sort: args.sort } : {}),
    ...(args.search ? { search: maskDigits(args.search) } : {}),
  };
}

/** Writes the EXPORT event when this read is the first page of a grid's CSV export. */
export async function auditGridExport(ctx: Context, entity: string, args: ExportArgs, count: () => Promise<number>): Promise<void> {
  if (!args.export || (args.offset ?? 0) > 0 || args.after) return;
  const detail = exportDetail(args, await count());
  await ctx.db.auditEvent.create({ data: { officeId: ctx.officeId, userId: ctx.userId, ip: ctx.ip, action: 'EXPORT', entity, detail: JSON.stringify(detail) } });
}
