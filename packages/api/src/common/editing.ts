// How every editable entity is written: create, update with the version the caller read,
// delete, and the batch upsert behind a grid paste. One engine, so that validation,
// optimistic concurrency and the audit log behave the same for schools, students, drives,
// visits and outcomes. Each domain folder describes its entity with an EditableSpec.
import { randomUUID } from 'node:crypto';
import { formatMessage, type FieldIssue } from '@jemput/core';
import type { Db } from '../db/client.ts';
import type { Context } from '../schema/builder.ts';
import { describeIssue, type FieldProblem } from './errors.ts';
import { authorizeRows, editScope, findByIds } from '../auth/scope.ts';
import { insertMany, sortableId, stampedColumns, updateVersioned } from './bulk.ts';
import { writeTransaction } from './transaction.ts';

export const MAX_BATCH_ROWS = 5000;
/** Rows written per transaction in a batch (set-based: 1,000 rows hold SQLite's writer lock ~0.1 s). */
const WRITE_CHUNK = 1000;
/**
 * A write waits up to 30 s for a pooled connection (Prisma's default is 2 s): at a burst of
 * writes (a team syncing after a dead zone) waiting is better than refusing.
 */
const TRANSACTION_OPTIONS = { timeout: 60_000, maxWait: 30_000 };

export type Row = { id: string; version: number } & Record<string, unknown>;
export type Patch = Record<string, unknown>;

export type Candidate = {
  index: number;
  id: string | null;
  expectedVersion: number | null;
  existing: Row | null;
  patch: Patch;
  /** The row as it will be stored: existing values overlaid with the patch. */
  merged: Patch;
  issues: FieldIssue[];
};

export type EditableSpec = {
  /** GraphQL and audit name, e.g. "Student". */
  entity: string;
  /** The Prisma model (its table), when it is not named like the entity. */
  model?: string;
  delegate(db: Db): any;
  /** Fields a caller may set; anything else in a patch is ignored. */
  fields: readonly string[];
  /** Trims and canonicalizes input (digits of a NIK, dotted region codes). */
  normalize?(patch: Patch): Patch;
  /** The domain rules from @jemput/core for one merged row. */
  validate(merged: Patch, mode: 'create' | 'update', ctx: Context): FieldIssue[];
  /** Checks that need the database (references exist, unique values free), for all rows at once. */
  checkAgainstDb?(candidates: Candidate[], ctx: Context): Promise<void>;
  /** Columns derived from the row, e.g. normalized search text. */
  derived?(merged: Patch, ctx: Context, mode: 'create' | 'update'): Patch;
  /** How a value appears in the audit log (personal identifiers masked). */
  auditValue?(field: string, value: unknown): string | null;
  /** Extra writes in the same transaction (outcome history, tally counters); `after` is null for a delete. */
  afterWrite?(tx: Db, writes: Write[], ctx: Context): Promise<void>;
  /** Runs in the delete's transaction before the row goes (and anything that cascades with it). */
  beforeDelete?(tx: Db, row: Row, ctx: Context): Promise<void>;
  /** A ledger: rows are only ever added (no update or delete is offered); mistakes are fixed by new rows. */
  appendOnly?: boolean;
  /** Called once the writes are committed, e.g. to push new tallies to dashboards. */
  committed?(writes: Write[], ctx: Context): void | Promise<void>;
};

export type Write = { before: Row | null; after: Row | null };

export type RowStatus = 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'REJECTED' | 'CONFLICT' | 'DELETED';

export type RowResult = {
  index: number;
  id: string | null;
  status: RowStatus;
  problems: FieldProblem[];
  /** The stored row after the write, or the current row on a conflict. */
  row: Row | null;
};

export type BatchResult = {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  conflicts: number;
  rows: RowResult[];
};

export type RowInput = Patch & { id?: string | null; version?: number | null };

/**
 * Thrown inside a write's transaction (e.g. by afterWrite) when a rule that needs the locked,
 * current state refuses the row — printing with no blank card left. The transaction rolls back
 * and the row comes back REJECTED with this issue; the other rows of a batch are retried alone.
 */
export class RefusedWrite extends Error {
  constructor(readonly issue: FieldIssue) {
    super(issue.code);
  }
}

export const hasErrors = (issues: FieldIssue[]) => issues.some((i) => i.severity === 'error');

function pickFields(spec: EditableSpec, input: Patch): Patch {
  const patch: Patch = {};
  for (const field of spec.fields) if (input[field] !== undefined) patch[field] = input[field];
  return spec.normalize ? spec.normalize(patch) : patch;
}

function changedFields(existing: Row, patch: Patch): string[] {
  return Object.keys(patch).filter((field) => !sameValue(existing[field], patch[field]));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return String(a && new Date(a as Date).getTime()) === String(b && new Date(b as Date).getTime());
  return (a ?? null) === (b ?? null);
}

function auditText(spec: EditableSpec, field: string, value: unknown): string | null {
  if (spec.auditValue) return spec.auditValue(field, value);
  if (value == null) return null;
  return value instanceof Date ? value.toISOString() : String(value);
}

type AuditRow = { officeId: string | null; userId: string | null; ip: string | null; action: string; entity: string; entityId: string; field: string | null; oldValue: string | null; newValue: string | null };

/**
 * Audit rows for one write: an update logs each changed field (old → new); a create or a
 * delete logs one event whose value holds the row's fields as JSON.
 */
function auditEvents(spec: EditableSpec, ctx: Context, action: 'CREATE' | 'UPDATE' | 'DELETE', id: string, before: Patch | null, after: Patch | null): AuditRow[] {
  const base = { officeId: ctx.officeId, userId: ctx.userId, ip: ctx.ip, action, entity: spec.entity, entityId: id };
  if (action !== 'UPDATE') {
    const row = (action === 'CREATE' ? after : before) ?? {};
    const values = Object.fromEntries(spec.fields.filter((f) => row[f] != null).map((f) => [f, auditText(spec, f, row[f])]));
    const json = JSON.stringify(values);
    return [{ ...base, field: null, oldValue: action === 'DELETE' ? json : null, newValue: action === 'CREATE' ? json : null }];
  }
  return changedFields(before as Row, after ?? {})
    .filter((field) => spec.fields.includes(field))
    .map((field) => ({ ...base, field, oldValue: auditText(spec, field, (before as Patch)[field]), newValue: auditText(spec, field, (after as Patch)[field]) }));
}

/** Builds and validates candidates for a set of row inputs, reading existing rows in one query. */
export async function prepare(spec: EditableSpec, inputs: RowInput[], ctx: Context): Promise<Candidate[]> {
  const ids = inputs.map((r) => r.id).filter((id): id is string => typeof id === 'string' && id !== '');
  // Rows outside the caller's scope are not read, so they look exactly like missing rows.
  const scope = editScope(spec.entity, ctx);
  const existingRows: Row[] = await findByIds(ids, (chunk) => spec.delegate(ctx.db).findMany({ where: { AND: [scope, { id: { in: chunk } }] } }));
  const existingById = new Map(existingRows.map((row) => [row.id, row]));
  const candidates = inputs.map((input, index): Candidate => {
    const id = input.id || null;
    const existing = id ? (existingById.get(id) ?? null) : null;
    const patch = pickFields(spec, input);
    const merged = existing ? { ...existing, ...patch } : patch;
    const issues = spec.validate(existing ? merged : patch, existing ? 'update' : 'create', ctx);
    const expectedVersion = input.version ?? null;
    if (existing && expectedVersion == null) issues.push({ field: 'version', code: 'REQUIRED', severity: 'error' });
    if (!existing && expectedVersion != null && id) issues.push({ field: 'id', code: 'NOT_FOUND', severity: 'error' });
    return { index, id, expectedVersion, existing, patch, merged, issues };
  });
  await authorizeRows(spec.entity, candidates.filter((c) => !hasErrors(c.issues)), ctx);
  if (spec.checkAgainstDb) await spec.checkAgainstDb(candidates.filter((c) => !hasErrors(c.issues)), ctx);
  return candidates;
}

/**
 * Writes valid candidates inside one transaction: new rows with one INSERT (read back once),
 * updates set-based
 * (one statement per set of changed columns, each row only where it still has the version
 * read), and their audit events with one INSERT. Returns a result per row (CONFLICT when a row
 * changed since it was read).
 */
export async function writeChunk(spec: EditableSpec, tx: Db, ctx: Context, chunk: Candidate[]): Promise<RowResult[]> {
  const model = spec.delegate(tx);
  const table = spec.model ?? spec.entity;
  const now = new Date();
  const results: RowResult[] = [];
  const audit: AuditRow[] = [];
  const writes: Write[] = [];
  const warnings = (c: Candidate) => c.issues.map((i) => describeIssue(i, ctx.locale));

  const creates = chunk.filter((c) => !c.existing);
  if (creates.length) {
    const data = creates.map((c) => ({ ...c.patch, ...spec.derived?.(c.merged, ctx, 'create'), id: c.id ?? randomUUID() }));
    await insertCreated(tx, ctx, table, data, now);
    // Read back: the columns the database fills (version, defaults) come as Prisma types.
    const rows: Row[] = await findByIds(data.map((d) => d.id), (ids) => model.findMany({ where: { id: { in: ids } } }));
    const byId = new Map(rows.map((row) => [row.id, row]));
    creates.forEach((c, i) => {
      const row = byId.get(data[i]!.id) as Row;
      audit.push(...auditEvents(spec, ctx, 'CREATE', row.id, null, row));
      writes.push({ before: null, after: row });
      results.push({ index: c.index, id: row.id, status: 'CREATED', problems: warnings(c), row });
    });
  }

  // Updates to send, grouped by the columns they set (a paste sets the same ones on every row).
  const groups = new Map<string, { fields: string[]; rows: { c: Candidate; set: Patch }[] }>();
  const stale: Candidate[] = [];
  const sending = new Set<string>();
  for (const c of chunk.filter((c) => c.existing)) {
    const existing = c.existing as Row;
    if (existing.version !== c.expectedVersion) {
      results.push(conflict(c, ctx));
      continue;
    }
    const changes = changedFields(existing, c.patch);
    if (changes.length === 0) {
      results.push({ index: c.index, id: existing.id, status: 'UNCHANGED', problems: warnings(c), row: existing });
      continue;
    }
    // The same row twice in one batch: the first write wins, the second finds it changed.
    if (sending.has(existing.id)) {
      stale.push(c);
      continue;
    }
    sending.add(existing.id);
    // Derived columns only when their value changes: rewriting an indexed column with the same
    // value still rewrites its index entries (a class edit rewrote both name indexes). updatedAt is
    // set here (not by Prisma) so the row returned without a re-read is exact.
    const derived = Object.entries(spec.derived?.(c.merged, ctx, 'update') ?? {}).filter(([f, v]) => !sameValue(existing[f], v));
    const set: Patch = { ...Object.fromEntries(changes.map((f) => [f, c.patch[f]])), ...Object.fromEntries(derived), ...('updatedAt' in existing ? { updatedAt: now } : {}) };
    const fields = Object.keys(set).sort();
    const key = fields.join(',');
    const group = groups.get(key) ?? { fields, rows: [] };
    group.rows.push({ c, set });
    groups.set(key, group);
  }
  for (const { fields, rows } of groups.values()) {
    // The version in the where clause makes the check and the write one atomic step.
    const updates = rows.map(({ c, set }) => ({ id: c.existing!.id, version: c.expectedVersion as number, values: fields.map((f) => set[f]) }));
    const written = await updateVersioned(tx, ctx.provider, table, fields, updates);
    for (const { c, set } of rows) {
      const existing = c.existing as Row;
      if (!written.has(existing.id)) {
        stale.push(c);
        continue;
      }
      const row = { ...existing, ...set, version: existing.version + 1 } as Row;
      audit.push(...auditEvents(spec, ctx, 'UPDATE', row.id, existing, row));
      writes.push({ before: existing, after: row });
      results.push({ index: c.index, id: row.id, status: 'UPDATED', problems: warnings(c), row });
    }
  }
  if (stale.length) {
    // Changed by someone else between the read and the write: the conflict shows the row as it is now.
    const current = new Map<string, Row>((await model.findMany({ where: { id: { in: [...new Set(stale.map((c) => c.existing!.id))] } } })).map((r: Row) => [r.id, r]));
    for (const c of stale) results.push(conflict({ ...c, existing: current.get(c.existing!.id) ?? null }, ctx));
  }

  if (audit.length) await insertAudit(tx, ctx, audit, now);
  if (writes.length && spec.afterWrite) await spec.afterWrite(tx, writes, ctx);
  return results;
}

/**
 * New rows, one INSERT per set of columns given (a column left out gets its database default),
 * with the timestamps Prisma would fill set to the write's time.
 */
async function insertCreated(tx: Db, ctx: Context, table: string, data: Patch[], now: Date): Promise<void> {
  const stamps = Object.fromEntries(stampedColumns(table).map((f) => [f, now]));
  const groups = new Map<string, { fields: string[]; rows: Patch[] }>();
  for (const given of data) {
    const row: Patch = { ...stamps, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) };
    const fields = Object.keys(row).sort();
    const key = fields.join(',');
    const group = groups.get(key) ?? { fields, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  for (const { fields, rows } of groups.values()) await insertMany(tx, ctx.provider, table, fields, rows.map((row) => fields.map((f) => row[f])));
}

const AUDIT_COLUMNS = ['id', 'entityId', 'field', 'oldValue', 'newValue'] as const;

/** A write's audit events, one INSERT per action (Prisma's createMany costs more than the rows it logs). */
async function insertAudit(tx: Db, ctx: Context, events: AuditRow[], at: Date): Promise<void> {
  const byAction = new Map<string, AuditRow[]>();
  for (const e of events) {
    const group = byAction.get(e.action);
    if (group) group.push(e);
    else byAction.set(e.action, [e]);
  }
  for (const [action, group] of byAction) {
    const first = group[0] as AuditRow;
    // Who, when and what are the same for every event of the group: bound once per statement.
    const shared = { at, officeId: first.officeId, userId: first.userId, ip: first.ip, action, entity: first.entity };
    const rows = group.map((e) => [sortableId(), e.entityId, e.field, e.oldValue, e.newValue]);
    await insertMany(tx, ctx.provider, 'AuditEvent', AUDIT_COLUMNS, rows, shared);
  }
}

function writesOf(results: RowResult[], candidates: Candidate[]): Write[] {
  const before = new Map(candidates.map((c) => [c.index, c.existing]));
  return results
    .filter((r) => r.status === 'CREATED' || r.status === 'UPDATED')
    .map((r) => ({ before: before.get(r.index) ?? null, after: r.row }));
}

export function conflict(c: Candidate, ctx: Context): RowResult {
  const message = formatMessage({ code: 'VERSION_CONFLICT', params: {} }, ctx.locale);
  return {
    index: c.index,
    id: c.id,
    status: 'CONFLICT',
    problems: [{ field: 'version', code: 'VERSION_CONFLICT', severity: 'ERROR', message }],
    row: c.existing,
  };
}

export function rejected(c: Candidate, ctx: Context): RowResult {
  return { index: c.index, id: c.id, status: 'REJECTED', problems: c.issues.map((i) => describeIssue(i, ctx.locale)), row: null };
}

/**
 * The batch upsert behind a paste: valid rows are saved, invalid ones come back with their
 * problems. Each row is atomic. Rows are written in chunks, one transaction per chunk; if a
 * chunk fails on something validation could not foresee (a concurrent unique value), its
 * rows are retried one transaction each, so one bad row never costs the others.
 */
export async function upsertRows(spec: EditableSpec, inputs: RowInput[], ctx: Context): Promise<BatchResult> {
  const candidates = await prepare(spec, inputs, ctx);
  const results: RowResult[] = [];
  const valid: Candidate[] = [];
  for (const c of candidates) (hasErrors(c.issues) ? results.push(rejected(c, ctx)) : valid.push(c));
  for (let start = 0; start < valid.length; start += WRITE_CHUNK) {
    const chunk = valid.slice(start, start + WRITE_CHUNK);
    let written: RowResult[];
    try {
      written = await writeTransaction(ctx.db, (tx) => writeChunk(spec, tx, ctx, chunk), TRANSACTION_OPTIONS);
    } catch {
      written = [];
      for (const c of chunk) written.push(await writeOne(spec, c, ctx));
    }
    results.push(...written);
    const writes = writesOf(written, chunk);
    await spec.committed?.(writes, ctx);
    ctx.rows?.publish(spec.entity, writes);
  }
  results.sort((a, b) => a.index - b.index);
  const count = (status: RowStatus) => results.filter((r) => r.status === status).length;
  return { created: count('CREATED'), updated: count('UPDATED'), unchanged: count('UNCHANGED'), rejected: count('REJECTED'), conflicts: count('CONFLICT'), rows: results };
}

async function writeOne(spec: EditableSpec, c: Candidate, ctx: Context): Promise<RowResult> {
  try {
    return (await writeTransaction(ctx.db, (tx) => writeChunk(spec, tx, ctx, [c]), TRANSACTION_OPTIONS))[0] as RowResult;
  } catch (error) {
    if (error instanceof RefusedWrite) return rejected({ ...c, issues: [error.issue] }, ctx);
    if (!uniqueViolation(error)) console.error(`Jemput: writing a ${spec.entity} failed: ${(error as Error).message}`);
    const code = uniqueViolation(error) ? 'DUPLICATE' : 'WRITE_FAILED';
    const issue: FieldIssue = { field: uniqueViolation(error) ?? 'id', code, severity: 'error', params: { value: '' } };
    return { ...rejected({ ...c, issues: [issue] }, ctx) };
  }
}

/**
 * The field of a unique-constraint violation, if that is what the error is: Prisma's P2002, or
 * (from the set-based statements of common/bulk.ts) a raw query's P2010 whose driver error is one,
 * or SQLite's own error when such a statement ran on the connection directly (db/raw.ts).
 */
export function uniqueViolation(error: unknown): string | null {
  type Constraint = { fields?: string[]; index?: string };
  const e = error as { code?: string; message?: string; meta?: { target?: string[] | string; driverAdapterError?: { cause?: { kind?: string; constraint?: Constraint } } } };
  if (e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    // "UNIQUE constraint failed: Student.nisn", read as the SQLite driver adapter reads it.
    return e.message?.split('constraint failed: ').at(1)?.split(', ')[0]?.split('.').pop() ?? 'id';
  }
  const cause = e?.meta?.driverAdapterError?.cause;
  if (e?.code !== 'P2002' && !(e?.code === 'P2010' && cause?.kind === 'UniqueConstraintViolation')) return null;
  // An index name such as "Student_nisn_key" names its column between the model and "_key".
  const fromIndex = cause?.constraint?.index?.match(/^[A-Za-z]+_(\w+?)_key$/)?.[1];
  const target = e.meta?.target ?? cause?.constraint?.fields ?? fromIndex;
  return (Array.isArray(target) ? target[0] : target)?.replace(/"/g, '') ?? 'id';
}

class StaleDelete extends Error {}

/** Deletes a row the caller read at `version`; refuses when it changed or other rows depend on it. */
export async function deleteRow(spec: EditableSpec, id: string, version: number, ctx: Context): Promise<RowResult> {
  const model = spec.delegate(ctx.db);
  const existing: Row | null = await model.findFirst({ where: { AND: [editScope(spec.entity, ctx), { id }] } });
  if (!existing) return { index: 0, id, status: 'REJECTED', problems: [describeIssue({ field: 'id', code: 'NOT_FOUND', severity: 'error' }, ctx.locale)], row: null };
  const candidate: Candidate = { index: 0, id, expectedVersion: version, existing, patch: {}, merged: existing, issues: [] };
  if (existing.version !== version) return conflict(candidate, ctx);
  try {
    const result: RowResult = await writeTransaction(ctx.db, async (tx) => {
      await spec.beforeDelete?.(tx, existing, ctx);
      const { count } = await spec.delegate(tx).deleteMany({ where: { id, version } });
      if (count === 0) throw new StaleDelete();
      await insertAudit(tx, ctx, auditEvents(spec, ctx, 'DELETE', id, existing, null), new Date());
      await spec.afterWrite?.(tx, [{ before: existing, after: null }], ctx);
      return { index: 0, id, status: 'DELETED' as const, problems: [], row: existing };
    }, TRANSACTION_OPTIONS);
    if (result.status === 'DELETED') {
      await spec.committed?.([{ before: existing, after: null }], ctx);
      ctx.rows?.publish(spec.entity, [{ before: existing, after: null }]);
    }
    return result;
  } catch (error) {
    // A stale delete rolls back what beforeDelete did.
    if (error instanceof StaleDelete) return conflict({ ...candidate, existing: await model.findUnique({ where: { id } }) }, ctx);
    if ((error as { code?: string }).code !== 'P2003') throw error;
    return { index: 0, id, status: 'REJECTED', problems: [describeIssue({ field: 'id', code: 'IN_USE', severity: 'error' }, ctx.locale)], row: null };
  }
}
