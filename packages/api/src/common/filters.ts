// Column filters and sorting shared by every grid connection. Each filter input maps to
// a Prisma where clause; text matching is case-insensitive on both databases.
import type { EnumRef } from '@pothos/core';
import { builder, type Context } from '../schema/builder.ts';
import { normalizeName } from '@jemput/core';

export const SortDirection = builder.enumType('SortDirection', { values: ['ASC', 'DESC'] as const });

export const StringFilter = builder.inputType('StringFilter', {
  description: 'Text column filter. `contains` and `startsWith` ignore case.',
  fields: (t) => ({
    equals: t.string(),
    contains: t.string(),
    startsWith: t.string(),
    in: t.stringList(),
    isNull: t.boolean({ description: 'true: only empty cells; false: only filled ones.' }),
  }),
});

export const DateFilter = builder.inputType('DateFilter', {
  fields: (t) => ({
    equals: t.field({ type: 'Date' }),
    gte: t.field({ type: 'Date' }),
    lte: t.field({ type: 'Date' }),
    in: t.field({ type: ['Date'] }),
  }),
});

export const IntFilter = builder.inputType('IntFilter', {
  fields: (t) => ({ equals: t.int(), gte: t.int(), lte: t.int(), in: t.intList() }),
});

export const IdFilter = builder.inputType('IdFilter', {
  fields: (t) => ({ equals: t.id(), in: t.idList() }),
});

type StringFilterValue = { equals?: string | null; contains?: string | null; startsWith?: string | null; in?: string[] | null; isNull?: boolean | null };
type RangeFilterValue<T> = { equals?: T | null; gte?: T | null; lte?: T | null; in?: T[] | null };
type EnumFilterValue<T> = { equals?: T | null; in?: T[] | null };

/**
 * Text for `contains`/`startsWith`, which Prisma turns into LIKE without escaping: % and _ (and
 * the escape character itself) are escaped, so "10_A" finds exactly "10_A", not "10xA". Both
 * databases read backslash as LIKE's escape character (SQLite through db/client.ts).
 */
export function likeText(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/** Prisma where for a text column. PostgreSQL compares case-sensitively unless told. */
export function stringWhere(filter: StringFilterValue | null | undefined, ctx: Context): object | undefined {
  if (!filter) return undefined;
  const mode = ctx.provider === 'postgresql' ? { mode: 'insensitive' } : {};
  const parts: object[] = [];
  if (filter.equals != null) parts.push({ equals: filter.equals });
  if (filter.contains != null) parts.push({ contains: likeText(filter.contains), ...mode });
  if (filter.startsWith != null) parts.push({ startsWith: likeText(filter.startsWith), ...mode });
  if (filter.in != null) parts.push({ in: filter.in });
  if (filter.isNull === true) parts.push({ equals: null });
  if (filter.isNull === false) parts.push({ not: null });
  return parts.length ? Object.assign({}, ...parts) : undefined;
}

/** Prisma where for a column searched through its normalized `*Search` twin. */
export function normalizedTextWhere(filter: StringFilterValue | null | undefined): object | undefined {
  if (!filter) return undefined;
  const where: Record<string, unknown> = {};
  if (filter.equals != null) where.equals = normalizeName(filter.equals);
  if (filter.contains != null) where.contains = likeText(normalizeName(filter.contains));
  if (filter.startsWith != null) where.startsWith = likeText(normalizeName(filter.startsWith));
  if (filter.in != null) where.in = filter.in.map(normalizeName);
  return Object.keys(where).length ? where : undefined;
}

export function rangeWhere<T>(filter: RangeFilterValue<T> | null | undefined): object | undefined {
  if (!filter) return undefined;
  const where: Record<string, unknown> = {};
  if (filter.equals != null) where.equals = filter.equals;
  if (filter.gte != null) where.gte = filter.gte;
  if (filter.lte != null) where.lte = filter.lte;
  if (filter.in != null) where.in = filter.in;
  return Object.keys(where).length ? where : undefined;
}

export function enumWhere<T>(filter: EnumFilterValue<T> | null | undefined): object | undefined {
  if (!filter) return undefined;
  const where: Record<string, unknown> = {};
  if (filter.equals != null) where.equals = filter.equals;
  if (filter.in != null) where.in = filter.in;
  return Object.keys(where).length ? where : undefined;
}

/** An `{ equals, in }` filter input for one enum, named `<Enum>Filter`. */
export function enumFilterInput<Value extends string>(name: string, enumRef: EnumRef<any, Value>) {
  return builder.inputType(name, {
    fields: (t) => ({ equals: t.field({ type: enumRef }), in: t.field({ type: [enumRef] }) }),
  });
}

/** Prisma where for an IdFilter. */
export function idWhere(filter: { equals?: string | number | null; in?: readonly (string | number)[] | null } | null | undefined): object | undefined {
  if (!filter) return undefined;
  const where = compactWhere({ equals: filter.equals != null ? String(filter.equals) : undefined, in: filter.in?.map(String) ?? undefined });
  return Object.keys(where).length ? where : undefined;
}

/** Drops undefined entries so Prisma sees only the columns actually filtered. */
export function compactWhere(where: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(where).filter(([, value]) => value !== undefined));
}

export type SortInput<F extends string> = { field: F; direction?: 'ASC' | 'DESC' | null };

/**
 * Prisma orderBy for multi-column sort. The id is always last so that cursor paging is
 * stable when sorted values tie.
 */
export function orderByFor<F extends string>(
  sort: readonly SortInput<F>[] | null | undefined,
  columns: Record<F, (direction: 'asc' | 'desc') => object>,
  fallback: object[],
): object[] {
  const order = (sort ?? []).map((s) => columns[s.field](s.direction === 'DESC' ? 'desc' : 'asc'));
  return [...(order.length ? order : fallback), { id: 'asc' }];
}

/** `{ field, direction }` sort input for one grid. */
export function sortInput<F extends string>(name: string, fields: readonly F[]) {
  const fieldEnum = builder.enumType(`${name}Field`, { values: fields });
  return builder.inputType(name, {
    fields: (t) => ({
      field: t.field({ type: fieldEnum, required: true }),
      direction: t.field({ type: SortDirection, defaultValue: 'ASC' }),
    }),
  });
}
