// Replay-safe outcome writes for the field app's offline queue. Every write carries the id the
// client gave it; the result of its first application is stored in AppliedMutation in the same
// transaction as the outcome, so a queue replayed twice (lost response, restart, a second tab)
// stores each outcome once and gets the first answer again. Writes carry the version of the
// outcome the client last saw: if someone else changed it meanwhile the write is not applied and
// the answer is a CONFLICT with the stored row — never last-write-wins. Writes of one call take
// effect in the order given (the client sends its queue in the order recorded).
import { formatMessage, isRecordedStatus, type FieldIssue, type OutcomeStatus } from '@jemput/core';
import { GraphQLError } from 'graphql';
import type { Outcome } from '../generated/sqlite/client.ts';
import { builder, type Context } from '../schema/builder.ts';
import { hasErrors, prepare, RefusedWrite, rejected, uniqueViolation, writeChunk, type RowInput, type RowResult, type Write } from '../common/editing.ts';
import { describeIssue, FieldProblemRef, type FieldProblem } from '../common/errors.ts';
import type { Db } from '../db/client.ts';
import { writeTransaction } from '../common/transaction.ts';
import { OutcomeRef, OutcomeStatusEnum, outcomeSpec } from './schema.ts';
import { WRITE } from '../auth/rules.ts';

export const MAX_SYNC_WRITES = 500;
const KIND = 'outcome';

export type OutcomeWrite = {
  clientMutationId: string;
  driveId: string;
  studentId: string;
  visitId?: string | null;
  baseVersion?: number | null;
  status?: OutcomeStatus | null;
  printed?: boolean | null;
  ikdActivated?: boolean | null;
  notes?: string | null;
  at?: Date | null;
};

type Mine = { status: OutcomeStatus | null; printed: boolean | null; ikdActivated: boolean | null; notes: string | null };
export type SyncStatus = 'APPLIED' | 'UNCHANGED' | 'CONFLICT' | 'REJECTED';
export type SyncResult = { clientMutationId: string; status: SyncStatus; replayed: boolean; outcome: Outcome | null; mine: Mine; problems: FieldProblem[] };

const SyncStatusEnum = builder.enumType('OutcomeSyncStatus', {
  values: {
    APPLIED: { description: 'Stored (created or changed).' },
    UNCHANGED: { description: 'The outcome already had these values.' },
    CONFLICT: { description: 'Someone else changed the outcome since `baseVersion`; nothing was written. `outcome` is what is stored now, `mine` what this write wanted.' },
    REJECTED: { description: 'Refused by a rule (see `problems`), e.g. printing with no blank card left.' },
  } as const,
});

const OutcomeWriteInput = builder.inputType('OutcomeWriteInput', {
  description: 'One queued change of a student\'s outcome. Only the fields given change.',
  fields: (t) => ({
    clientMutationId: t.id({ required: true, description: 'Made by the client, unique per write: a replay of the same id is answered from the first result.' }),
    driveId: t.id({ required: true }),
    studentId: t.id({ required: true }),
    visitId: t.id(),
    baseVersion: t.int({ description: 'Version of the outcome the client last saw; null when it saw none.' }),
    status: t.field({ type: OutcomeStatusEnum }),
    printed: t.boolean({ description: 'Card printed (uses one blank; cannot be undone).' }),
    ikdActivated: t.boolean(),
    notes: t.string(),
    at: t.field({ type: 'DateTime', description: 'When the officer made the change (it may reach the server hours later); never later than now.' }),
  }),
});

const MineRef = builder.objectRef<Mine>('OutcomeSyncValues').implement({
  description: 'The values a queued write asked for.',
  fields: (t) => ({
    status: t.expose('status', { type: OutcomeStatusEnum, nullable: true }),
    printed: t.exposeBoolean('printed', { nullable: true }),
    ikdActivated: t.exposeBoolean('ikdActivated', { nullable: true }),
    notes: t.exposeString('notes', { nullable: true }),
  }),
});

const SyncResultRef = builder.objectRef<SyncResult>('OutcomeSyncResult').implement({
  fields: (t) => ({
    clientMutationId: t.exposeID('clientMutationId'),
    status: t.expose('status', { type: SyncStatusEnum }),
    replayed: t.exposeBoolean('replayed', { description: 'True when this id was applied before and this is the stored first answer.' }),
    outcome: t.field({ type: OutcomeRef, nullable: true, resolve: (r) => r.outcome as never }),
    mine: t.field({ type: MineRef, resolve: (r) => r.mine }),
    problems: t.field({ type: [FieldProblemRef], resolve: (r) => r.problems }),
  }),
});

builder.mutationFields((t) => ({
  syncOutcomes: t.field({
    authScopes: { roles: WRITE.outcome.save },
    type: [SyncResultRef],
    description: `Applies queued outcome writes in order (at most ${MAX_SYNC_WRITES} per call), each once, whatever how often it is sent.`,
    args: { writes: t.arg({ type: [OutcomeWriteInput], required: true }) },
    resolve: async (_root, args, ctx) => {
      if (args.writes.length > MAX_SYNC_WRITES) {
        throw new GraphQLError(formatMessage({ code: 'BATCH_TOO_LARGE', params: { count: args.writes.length, max: MAX_SYNC_WRITES } }, ctx.locale), {
          extensions: { code: 'BATCH_TOO_LARGE', http: { status: 400 } },
        });
      }
      return syncOutcomeWrites(args.writes as OutcomeWrite[], ctx);
    },
  }),
}));

const pairKey = (w: { driveId: string; studentId: string }) => `${w.driveId}|${w.studentId}`;

/**
 * Applies writes in order, each exactly once. Consecutive writes of different students (and ids
 * not repeated) form a segment that is checked with one set of queries and written in one
 * transaction — what keeps a queue of hundreds of writes quick on SQLite, where every commit
 * waits for the disk. A segment whose transaction fails (a print past the last blank, two
 * officers creating the same outcome at once) is redone one write per transaction, in order.
 */
export async function syncOutcomeWrites(writes: OutcomeWrite[], ctx: Context): Promise<SyncResult[]> {
  const results: SyncResult[] = [];
  for (let start = 0; start < writes.length; ) {
    const pairs = new Set<string>();
    const ids = new Set<string>();
    let end = start;
    while (end < writes.length && !pairs.has(pairKey(writes[end]!)) && !ids.has(writes[end]!.clientMutationId)) {
      pairs.add(pairKey(writes[end]!));
      ids.add(writes[end]!.clientMutationId);
      end += 1;
    }
    results.push(...(await syncSegment(writes.slice(start, end), ctx)));
    start = end;
  }
  return results;
}

type Planned = { write: OutcomeWrite; answer: (s: SyncStatus, o: Outcome | null, p?: FieldProblem[]) => SyncResult; current: Outcome | null; input: RowInput };

function plan(write: OutcomeWrite, current: Outcome | null): Planned {
  const mine: Mine = { status: write.status ?? null, printed: write.printed ?? null, ikdActivated: write.ikdActivated ?? null, notes: write.notes ?? null };
  const answer = (status: SyncStatus, outcome: Outcome | null, problems: FieldProblem[] = []): SyncResult => ({ clientMutationId: write.clientMutationId, status, replayed: false, outcome, mine, problems });
  const now = new Date();
  const at = write.at && write.at < now ? write.at : now;
  const patch: Record<string, unknown> = {};
  if (write.status) patch.status = write.status;
  if (write.status && isRecordedStatus(write.status) && !isRecordedStatus(current?.status)) patch.recordedAt = at;
  if (write.printed != null) patch.printedAt = write.printed ? (current?.printedAt ?? at) : null;
  if (write.ikdActivated != null) patch.ikdActivatedAt = write.ikdActivated ? (current?.ikdActivatedAt ?? at) : null;
  if (write.notes !== undefined && write.notes !== null) patch.notes = write.notes === '' ? null : write.notes;
  // The visit is where the finding was made: a later print or IKD mark does not move it.
  if (write.visitId && (!current || (write.status && write.status !== current.status))) patch.visitId = write.visitId;
  // A new outcome gets its id when it is written (editing.ts): with none here, the engine does not
  // look up an id that nobody can have yet.
  const input: RowInput = current ? { ...patch, id: current.id, version: current.version } : { ...patch, driveId: write.driveId, studentId: write.studentId };
  return { write, answer, current, input };
}

const stale = (write: OutcomeWrite, current: Outcome | null) => (current?.version ?? null) !== (write.baseVersion ?? null);

/** Writes of different students, ids not repeated: checked together, written in one transaction. */
async function syncSegment(writes: OutcomeWrite[], ctx: Context): Promise<SyncResult[]> {
  const stored = await ctx.db.appliedMutation.findMany({ where: { id: { in: writes.map((w) => w.clientMutationId) } } });
  const storedById = new Map(stored.map((a) => [a.id, a]));
  const fresh = writes.filter((w) => !storedById.has(w.clientMutationId));
  const currents = fresh.length
    ? // Two IN lists, not an OR per pair: SQLite limits the depth of an expression tree.
      await ctx.db.outcome.findMany({ where: { studentId: { in: [...new Set(fresh.map((w) => w.studentId))] }, driveId: { in: [...new Set(fresh.map((w) => w.driveId))] } } })
    : [];
  const currentOf = new Map(currents.map((o) => [pairKey(o), o]));
  const answers = new Map<string, SyncResult>();
  const toWrite: Planned[] = [];
  for (const write of fresh) {
    const p = plan(write, currentOf.get(pairKey(write)) ?? null);
    if (stale(write, p.current)) answers.set(write.clientMutationId, p.answer('CONFLICT', p.current, [conflictProblem(ctx)]));
    else toWrite.push(p);
  }
  const candidates = toWrite.length ? await prepare(outcomeSpec, toWrite.map((p) => p.input), ctx) : [];
  const valid: { planned: Planned; candidate: (typeof candidates)[number] }[] = [];
  candidates.forEach((candidate, i) => {
    const planned = toWrite[i]!;
    if (hasErrors(candidate.issues)) answers.set(planned.write.clientMutationId, planned.answer('REJECTED', planned.current, rejected(candidate, ctx).problems));
    else valid.push({ planned, candidate });
  });
  let rows: RowResult[] = [];
  try {
    rows = await writeTransaction(
      ctx.db,
      async (tx) => {
        const written = valid.length ? await writeChunk(outcomeSpec, tx, ctx, valid.map((v) => v.candidate)) : [];
        const byIndex = new Map(written.map((r) => [r.index, r]));
        for (const { planned, candidate } of valid) answers.set(planned.write.clientMutationId, fromRowResult(byIndex.get(candidate.index) as RowResult, planned.answer, ctx));
        const data = [...answers.values()].map((a) => ({ id: a.clientMutationId, userId: ctx.userId, kind: KIND, result: serialize(a) }));
        if (data.length) await tx.appliedMutation.createMany({ data });
        return written;
      },
      { timeout: 60_000 },
    );
  } catch (error) {
    if (!(error instanceof RefusedWrite) && uniqueViolation(error) === null) throw error;
    const results: SyncResult[] = [];
    for (const write of writes) results.push(await syncOutcomeWrite(write, ctx));
    return results;
  }
  const before = new Map(valid.map((v) => [v.candidate.index, v.candidate.existing]));
  const changed = rows.filter((r) => r.status === 'CREATED' || r.status === 'UPDATED').map((r) => ({ before: before.get(r.index) ?? null, after: r.row }));
  if (changed.length) await afterCommit(changed, ctx);
  return writes.map((w) => {
    const first = storedById.get(w.clientMutationId);
    return first?.result ? revive(first.result) : (answers.get(w.clientMutationId) as SyncResult);
  });
}

/** Applies one queued write exactly once, in its own transaction (see the file comment). */
export async function syncOutcomeWrite(write: OutcomeWrite, ctx: Context): Promise<SyncResult> {
  const stored = await storedResult(ctx.db, write.clientMutationId);
  if (stored) return stored;
  const current = await ctx.db.outcome.findUnique({ where: { driveId_studentId: { driveId: write.driveId, studentId: write.studentId } } });
  const { answer, input } = plan(write, current);
  if (stale(write, current)) return remember(ctx, answer('CONFLICT', current, [conflictProblem(ctx)]));

  const [candidate] = await prepare(outcomeSpec, [input], ctx);
  if (!candidate) throw new Error('no candidate');
  if (hasErrors(candidate.issues)) return remember(ctx, answer('REJECTED', current, rejected(candidate, ctx).problems));

  let row: RowResult;
  try {
    row = await writeTransaction(ctx.db, async (tx) => {
      const [result] = await writeChunk(outcomeSpec, tx, ctx, [candidate]);
      const sync = fromRowResult(result as RowResult, answer, ctx);
      await tx.appliedMutation.create({ data: { id: write.clientMutationId, userId: ctx.userId, kind: KIND, result: serialize(sync) } });
      return result as RowResult;
    });
  } catch (error) {
    if (error instanceof RefusedWrite) return remember(ctx, answer('REJECTED', current, [describeIssue(error.issue, ctx.locale)]));
    const field = uniqueViolation(error);
    if (field === null) throw error;
    // The same id sent twice at once: the other request stored it first.
    const replay = await storedResult(ctx.db, write.clientMutationId);
    if (replay) return replay;
    // Someone else created this student's outcome between our read and our write.
    const now = await ctx.db.outcome.findUnique({ where: { driveId_studentId: { driveId: write.driveId, studentId: write.studentId } } });
    return remember(ctx, answer('CONFLICT', now, [conflictProblem(ctx)]));
  }
  if (row.status === 'CREATED' || row.status === 'UPDATED') await afterCommit([{ before: candidate.existing, after: row.row }], ctx);
  return fromRowResult(row, answer, ctx);
}

/** What the editing engine does after a commit: tallies move, open grids hear of the rows. */
async function afterCommit(writes: Write[], ctx: Context): Promise<void> {
  await outcomeSpec.committed?.(writes, ctx);
  ctx.rows?.publish(outcomeSpec.entity, writes);
}

function fromRowResult(result: RowResult, answer: (s: SyncStatus, o: Outcome | null, p?: FieldProblem[]) => SyncResult, ctx: Context): SyncResult {
  const outcome = result.row as unknown as Outcome | null;
  switch (result.status) {
    case 'CREATED':
    case 'UPDATED':
      return answer('APPLIED', outcome);
    case 'UNCHANGED':
      return answer('UNCHANGED', outcome);
    case 'CONFLICT':
      return answer('CONFLICT', outcome, [conflictProblem(ctx)]);
    default:
      return answer('REJECTED', outcome, result.problems);
  }
}

function conflictProblem(ctx: Context): FieldProblem {
  return describeIssue({ field: 'version', code: 'SYNC_CONFLICT', severity: 'error' } satisfies FieldIssue, ctx.locale);
}

/** Stores an answer that wrote nothing (conflict, refusal), so a replay gets the same answer. */
async function remember(ctx: Context, result: SyncResult): Promise<SyncResult> {
  try {
    await ctx.db.appliedMutation.create({ data: { id: result.clientMutationId, userId: ctx.userId, kind: KIND, result: serialize(result) } });
    return result;
  } catch (error) {
    if (uniqueViolation(error) === null) throw error;
    return (await storedResult(ctx.db, result.clientMutationId)) ?? result;
  }
}

const serialize = (result: SyncResult) => JSON.stringify({ ...result, replayed: undefined });

const DATE_FIELDS = ['recordedAt', 'printedAt', 'ikdActivatedAt', 'createdAt', 'updatedAt'] as const;

async function storedResult(db: Db, clientMutationId: string): Promise<SyncResult | null> {
  const applied = await db.appliedMutation.findUnique({ where: { id: clientMutationId } });
  return applied?.result ? revive(applied.result) : null;
}

/** A stored first answer, as sent again on a replay. */
function revive(json: string): SyncResult {
  const result = JSON.parse(json) as SyncResult;
  if (result.outcome) {
    const outcome = result.outcome as unknown as Record<string, unknown>;
    for (const field of DATE_FIELDS) if (typeof outcome[field] === 'string') outcome[field] = new Date(outcome[field] as string);
  }
  return { ...result, replayed: true };
}
