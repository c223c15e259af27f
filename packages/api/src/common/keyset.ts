// The page after a cursor, asked for by the sort key itself. Prisma turns `cursor` into a
// condition that looks the cursor row up again in a subquery per sort field and ORs three shapes
// of it, which SQLite cannot match to an index: a roster's next page cost about 1.4 ms of SQL
// against 0.2 ms for its first. Here the cursor row's sort values are read once, and "after it"
// becomes a plain where clause over the same fields: the page walks the sort's index from there.
import type { DbProvider } from '../db/client.ts';
import { getDatamodel } from '../generated/pothos-types.ts';

type Direction = 'asc' | 'desc';
type Column = { name: string; kind: string; isRequired: boolean };
const COLUMNS = new Map(
  Object.entries(getDatamodel().datamodel.models).map(([name, model]) => [name, new Map((model.fields as readonly Column[]).map((f) => [f.name, f]))]),
);
type SortField = { name: string; direction: Direction; nullable: boolean };
type Where = Record<string, unknown>;
/** What a Pothos prismaConnection hands its resolver: a cursor page is `cursor` + `skip: 1`. */
export type ConnectionQuery = { cursor?: Record<string, unknown>; skip?: number; take?: number };

/**
 * `query` without its cursor, and the condition for "after the cursor row in `orderBy`" to add to
 * the caller's where clause; `after` is null (and the query unchanged) when Prisma's own cursor
 * must do: paging backwards, a sort through a relation, or a cursor row that no longer exists.
 * `orderBy` must end with a unique field (orderByFor ends with the id).
 */
export async function afterCursor<Q extends ConnectionQuery>(
  model: string,
  query: Q,
  orderBy: object[],
  provider: DbProvider,
  readRow: (id: string, select: Record<string, true>) => Promise<Record<string, unknown> | null>,
): Promise<{ query: Q; after: Where | null }> {
  const unchanged = { query, after: null };
  const id = query.cursor?.id;
  const keys = orderBy.map((entry) => Object.entries(entry));
  if (typeof id !== 'string' || (query.take ?? 0) <= 0 || !keys.every((k) => k.length === 1 && (k[0]![1] === 'asc' || k[0]![1] === 'desc'))) return unchanged;
  const columns = COLUMNS.get(model);
  // Enums are left to Prisma: PostgreSQL orders them by declaration, and Prisma has no gt/lt for them.
  if (!columns || !keys.every((k) => columns.get(k[0]![0])?.kind === 'scalar')) return unchanged;
  const fields = keys.map((k) => ({ name: k[0]![0], direction: k[0]![1] as Direction, nullable: !columns.get(k[0]![0])!.isRequired }));
  const row = await readRow(id, Object.fromEntries(fields.map((f) => [f.name, true])));
  if (!row) return unchanged;
  const { cursor: _cursor, ...rest } = query;
  // Prisma's page starts at the cursor row and skips it; this one starts after it.
  return { query: { ...rest, skip: Math.max(0, (query.skip ?? 0) - 1) } as Q, after: keysetAfter(fields, row, provider) };
}

/**
 * The findMany arguments of a grid's page: the connection's query, paged by key after a cursor
 * (afterCursor), then `offset` rows further (an infinite-scroll grid jumping to any position).
 */
export async function gridPage<Q extends ConnectionQuery>(
  model: string,
  query: Q,
  page: { where: object; orderBy: object[]; offset: number | null | undefined },
  provider: DbProvider,
  readRow: (id: string, select: Record<string, true>) => Promise<Record<string, unknown> | null>,
) {
  const paged = await afterCursor(model, query, page.orderBy, provider, readRow);
  return {
    ...paged.query,
    skip: (paged.query.skip ?? 0) + Math.max(0, page.offset ?? 0),
    where: paged.after ? { AND: [page.where, paged.after] } : page.where,
    orderBy: page.orderBy as never,
  };
}

/** Rows after `row` in the order of `fields`: (f1 after) OR (f1 equal AND f2 after) OR … */
export function keysetAfter(fields: SortField[], row: Record<string, unknown>, provider: DbProvider): Where {
  // SQLite sorts NULL before every value, PostgreSQL after.
  const nullsSmallest = provider === 'sqlite';
  const branches: Where[] = [];
  const equal: Where[] = [];
  for (const field of fields) {
    const value = row[field.name] ?? null;
    const after = beyond(field, value, nullsSmallest);
    if (after) branches.push(equal.length ? { AND: [...equal, after] } : after);
    equal.push({ [field.name]: value });
  }
  const first = fields[0]!;
  const firstValue = row[first.name] ?? null;
  // A bound on the first field alone lets the database start its index walk at the cursor.
  const bound =
    firstValue === null ? null : first.direction === 'asc' && nullsSmallest ? { [first.name]: { gte: firstValue } } : first.direction === 'desc' && !nullsSmallest ? { [first.name]: { lte: firstValue } } : null;
  const or = { OR: branches };
  return bound ? { AND: [bound, or] } : or;
}

/** Values of `name` that sort after `value`, or null when none do. */
function beyond({ name, direction, nullable }: SortField, value: unknown, nullsSmallest: boolean): Where | null {
  const larger = direction === 'asc';
  // NULL comes after every value when it is the largest and the order ascends, or the smallest and it descends.
  const nullComesLast = larger !== nullsSmallest;
  if (value === null) return nullComesLast ? null : { [name]: { not: null } };
  const strictly = { [name]: larger ? { gt: value } : { lt: value } };
  return nullComesLast && nullable ? { OR: [strictly, { [name]: null }] } : strictly;
}
