// Set-based writes for the edit engine's batches. Prisma sends one UPDATE per row when each row
// gets different values, its createMany spends ~0.3 ms of JavaScript per row, and even its raw
// queries take microseconds per bound value: a 1,000-row paste with 6,000 audit rows took
// seconds. Here a batch is one statement with its rows in ONE bound JSON array, unpacked by the
// database (SQLite 3.38+: json_each and ->>; PostgreSQL: json_array_elements and ->>). Tables
// and columns are the model's names (the schema maps none), checked against Prisma's datamodel.
import type { Db, DbProvider } from '../db/client.ts';
import { executeRaw, queryRaw } from '../db/raw.ts';
import { getDatamodel } from '../generated/pothos-types.ts';

type Column = { name: string; type: string; kind: string; stamped: boolean };
const models = new Map<string, Map<string, Column>>();
for (const [name, model] of Object.entries(getDatamodel().datamodel.models)) {
  const columns = model.fields.filter((f) => f.kind !== 'object');
  // DateTime columns Prisma fills itself on create: @updatedAt and @default(now()) (the only
  // DateTime default of the schema; the migrations' CURRENT_TIMESTAMP would be another format).
  const stamped = (f: (typeof columns)[number]) => f.type === 'DateTime' && (f.isUpdatedAt || f.hasDefaultValue);
  models.set(name, new Map(columns.map((f) => [f.name, { name: f.name, type: f.type, kind: f.kind, stamped: stamped(f) }])));
}

/** The DateTime columns a new row of `model` gets "now" in when not given (createdAt, updatedAt…). */
export function stampedColumns(model: string): string[] {
  return [...(models.get(model)?.values() ?? [])].filter((c) => c.stamped).map((c) => c.name);
}

function columnsOf(model: string, fields: readonly string[]): Column[] {
  const columns = models.get(model);
  if (!columns) throw new Error(`bulk: unknown model ${model}`);
  return fields.map((field) => {
    const column = columns.get(field);
    if (!column) throw new Error(`bulk: ${model} has no column ${field}`);
    return column;
  });
}

const quote = (name: string) => `"${name}"`;

const PG_TYPES: Record<string, string> = { String: 'text', Int: 'integer', Boolean: 'boolean', DateTime: 'timestamp(3)', Float: 'double precision', BigInt: 'bigint' };
const pgType = (c: Column) => (c.kind === 'enum' ? quote(c.type) : (PG_TYPES[c.type] ?? 'text'));

/**
 * A value as it goes into the JSON array. Dates are written as the driver adapters write them:
 * on SQLite the text Prisma stores ("…T…+00:00", compared as text by date filters), on
 * PostgreSQL ISO text cast to timestamp(3) (UTC, as Prisma stores it).
 */
function encode(provider: DbProvider, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return provider === 'sqlite' ? value.toISOString().replace('Z', '+00:00') : value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** The SQL reading element `index` of the current JSON row, typed for its column. */
function element(provider: DbProvider, column: Column, index: number): string {
  // SQLite's ->> gives JSON numbers as integers/reals and true/false as 1/0: what its columns hold.
  return provider === 'sqlite' ? `j.value->>${index}` : `(j.value->>${index})::${pgType(column)}`;
}

/** The FROM source yielding one row `j` per element of a bound JSON array. */
const jsonRows = (provider: DbProvider, placeholder: string) => (provider === 'sqlite' ? `json_each(${placeholder}) AS j` : `json_array_elements(${placeholder}::json) AS j`);

/** Placeholder number `n` (1-based). */
const param = (provider: DbProvider, n: number, column?: Column) => (provider === 'sqlite' ? '?' : column ? `$${n}::${pgType(column)}` : `$${n}`);

const asJson = (provider: DbProvider, rows: readonly unknown[][]) => JSON.stringify(rows.map((row) => row.map((v) => encode(provider, v))));

/**
 * INSERT of many rows with the same columns. Values are Prisma's JS types (Date, boolean,
 * string, number). `shared` values (the same on every row: who, when) are bound once.
 */
export async function insertMany(tx: Db, provider: DbProvider, model: string, fields: readonly string[], rows: readonly unknown[][], shared: Record<string, unknown> = {}): Promise<void> {
  if (!rows.length) return;
  const sharedFields = Object.keys(shared);
  const sharedColumns = columnsOf(model, sharedFields);
  const columns = columnsOf(model, fields);
  const select = [...sharedColumns.map((c, i) => param(provider, i + 1, c)), ...columns.map((c, i) => element(provider, c, i))];
  const sql = `INSERT INTO ${quote(model)} (${[...sharedFields, ...fields].map(quote).join(', ')}) SELECT ${select.join(', ')} FROM ${jsonRows(provider, param(provider, sharedFields.length + 1))}`;
  await executeRaw(tx, sql, [...Object.values(shared), asJson(provider, rows)]);
}

export type VersionedUpdate = { id: string; version: number; values: unknown[] };

/**
 * Sets `fields` of each row to its `values` and bumps its version, only where the row still has
 * the version given (optimistic concurrency, checked by the same statement that writes). Returns
 * the ids written; a row missing from it changed since it was read (or is gone). Ids must be
 * distinct within one call.
 */
export async function updateVersioned(tx: Db, provider: DbProvider, model: string, fields: readonly string[], rows: readonly VersionedUpdate[]): Promise<Set<string>> {
  if (!rows.length) return new Set();
  const [id, version, ...columns] = columnsOf(model, ['id', 'version', ...fields]) as [Column, Column, ...Column[]];
  const table = quote(model);
  const set = columns.map((c, i) => `${quote(c.name)} = ${element(provider, c, i + 2)}`).join(', ');
  const sql =
    `UPDATE ${table} SET ${set}, "version" = ${table}."version" + 1 FROM ${jsonRows(provider, param(provider, 1))} ` +
    `WHERE ${table}."id" = ${element(provider, id, 0)} AND ${table}."version" = ${element(provider, version, 1)} RETURNING ${table}."id"`;
  const returned = await queryRaw<{ id: string }>(tx, sql, [asJson(provider, rows.map((r) => [r.id, r.version, ...r.values]))]);
  return new Set(returned.map((r) => r.id));
}

let lastTime = 0;
let counter = 0;

/**
 * A new id shaped like Prisma's cuid (c, time, counter, random; 25 characters), so it sorts by
 * creation time among them: lists sorted by (at, id) keep the order of one millisecond's events.
 * Not a secret (Math.random; crypto's took longer than the INSERT of a batch's audit rows).
 */
export function sortableId(): string {
  const now = Date.now();
  counter = now === lastTime ? counter + 1 : 0;
  lastTime = now;
  return `c${now.toString(36).padStart(8, '0')}${(counter % 36 ** 4).toString(36).padStart(4, '0')}${Math.random().toString(36).slice(2, 14).padEnd(12, '0')}`;
}
