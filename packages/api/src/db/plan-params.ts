// Reads that differ only in the ids they look for (the student of an outcome, the row an officer
// edits, a page's cursor row) would each be compiled anew by an exact-text plan cache. Prisma 6's
// compiler takes a placeholder ({"$type":"Param"}) where a where clause compares a text column
// with one value, and its interpreter fills placeholders from the scope a plan runs in. So for
// reads, each such value of the where clause becomes a placeholder: one plan per query shape,
// run with the request's values (plan-cache.ts binds them around the plan).
//
// Only what was checked to compile is replaced: equals/gt/gte/lt/lte (or the shorthand) of a
// String column, through AND/OR/NOT and relation filters; `in` with a single value is the same
// filter as `equals` and is read as one; `in`/`notIn` lists of text become lists of placeholders
// (a paste's 50 ids). Anything else (patterns, case-insensitive modes, other types, null) stays a
// literal part of the query text.
import { getDatamodel } from '../generated/pothos-types.ts';

type Field = { kind: string; type: string; isList: boolean };
const models = new Map<string, Map<string, Field>>(
  Object.entries(getDatamodel().datamodel.models).map(([name, model]) => [name, new Map(model.fields.map((f) => [f.name, { kind: f.kind, type: f.type, isList: f.isList }]))]),
);

/** Longer lists stay literal: they rarely come again at the same length. */
const MAX_LIST_PARAMS = 500;
const READS = new Set(['findMany', 'findFirst', 'findFirstOrThrow', 'findUnique', 'findUniqueOrThrow', 'aggregate']);
const COMPARISONS = new Set(['equals', 'gt', 'gte', 'lt', 'lte']);
const RELATION_FILTERS = new Set(['is', 'isNot', 'some', 'every', 'none']);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export type Parameterized = { query: string; values: string[] };

/** The query with its where clause's text values as placeholders %1, %2…, or null when none applies. */
export function parameterizeRead(query: string): Parameterized | null {
  if (!query.startsWith('{"modelName":')) return null;
  const parsed = JSON.parse(query) as { modelName?: string; action?: string; query?: { arguments?: Json } };
  const args = parsed.query?.arguments;
  if (!parsed.modelName || !READS.has(parsed.action ?? '') || !args) return null;
  const values: string[] = [];
  const param = (value: string) => {
    values.push(value);
    return { $type: 'Param', value: `%${values.length}` };
  };
  if (isObject(args.where)) args.where = whereOf(parsed.modelName, args.where, param);
  // A page's cursor names its row by unique text values: the next page of a roster is the same query with another id.
  if (isObject(args.cursor)) args.cursor = whereOf(parsed.modelName, args.cursor, param);
  return values.length ? { query: JSON.stringify(parsed), values } : null;
}

type Param = (value: string) => object;

function whereOf(model: string, where: Json, param: Param): Json {
  const fields = models.get(model);
  if (!fields || '$type' in where) return where;
  const out: Json = {};
  for (const [key, value] of Object.entries(where)) {
    const field = fields.get(key);
    if (key === 'AND' || key === 'OR' || key === 'NOT') out[key] = Array.isArray(value) ? value.map((w) => (isObject(w) ? whereOf(model, w, param) : w)) : isObject(value) ? whereOf(model, value, param) : value;
    else if (field?.kind === 'scalar' && field.type === 'String' && !field.isList) out[key] = textFilter(value, param);
    else if (field?.kind === 'object' && isObject(value)) out[key] = relationFilter(field.type, value, param);
    else out[key] = value;
  }
  return out;
}

function textFilter(filter: unknown, param: Param): unknown {
  if (typeof filter === 'string') return param(filter);
  if (!isObject(filter) || '$type' in filter || 'mode' in filter) return filter;
  const out: Json = {};
  for (const [op, value] of Object.entries(filter)) {
    if (COMPARISONS.has(op) && typeof value === 'string') out[op] = param(value);
    else if (op === 'in' && Array.isArray(value) && value.length === 1 && typeof value[0] === 'string' && !('equals' in filter)) out.equals = param(value[0]);
    // A list cannot be one placeholder, but each of its values can: one plan per list length.
    else if ((op === 'in' || op === 'notIn') && Array.isArray(value) && value.length > 0 && value.length <= MAX_LIST_PARAMS && value.every((v) => typeof v === 'string')) out[op] = value.map(param);
    else out[op] = value;
  }
  return out;
}

function relationFilter(model: string, filter: Json, param: Param): Json {
  const keys = Object.keys(filter);
  if (keys.length && keys.every((k) => RELATION_FILTERS.has(k))) {
    return Object.fromEntries(keys.map((k) => [k, isObject(filter[k]) ? whereOf(model, filter[k] as Json, param) : filter[k]]));
  }
  return whereOf(model, filter, param);
}

/**
 * Reads sent together (Promise.all inside a transaction) arrive as one batch, compiled into one
 * plan per query: each query is parameterized as alone, with its own placeholders. Only batches
 * of findMany/findFirst/aggregate: Prisma merges a batch of findUnique into one query
 * ("compacted"), whose plan is split by the values themselves.
 */
export function parameterizeBatch(request: string): { request: string; values: string[][] } | null {
  const parsed = JSON.parse(request) as { batch?: unknown[] };
  if (!Array.isArray(parsed.batch) || parsed.batch.length === 0) return null;
  const values: string[][] = [];
  const batch: unknown[] = [];
  for (const query of parsed.batch) {
    const action = isObject(query) ? query.action : undefined;
    if (typeof action !== 'string' || action.startsWith('findUnique')) return null;
    const read = parameterizeRead(JSON.stringify(query));
    if (read) {
      batch.push(JSON.parse(read.query));
      values.push(read.values);
    } else {
      batch.push(query);
      values.push([]);
    }
  }
  return values.some((v) => v.length) ? { request: JSON.stringify({ ...parsed, batch }), values } : null;
}
