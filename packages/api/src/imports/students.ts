// Student lists: what one row becomes, which stored student it is, and the batch write.
// Kept apart from the job runner so `pnpm bench:import` can time each step.
import { maskNik, normalizeName } from '@jemput/core';
import type { Db, DbProvider } from '../db/client.ts';
import type { Row, Write } from '../common/editing.ts';
import { sortableId } from '../common/bulk.ts';
import { studentWritesDelta } from '../tallies/maintain.ts';
import { applyTallyDelta } from './tally-bulk.ts';
import type { DataRow } from './read.ts';
import { hasErrors, type CheckedLine, type SchoolDirectory, type StudentCandidate } from './student-check.ts';

export { checkedLine, checkStudentRow, hasErrors, type CheckedLine, type SchoolDirectory, type StudentCandidate } from './student-check.ts';

export async function loadSchoolDirectory(db: Db, officeId: string | null, fixedSchoolId: string | null): Promise<SchoolDirectory> {
  const schools = await db.school.findMany({ where: officeId ? { officeId } : {}, select: { id: true, npsn: true, name: true } });
  return { byNpsn: new Map(schools.map((s) => [s.npsn.toUpperCase(), { id: s.id, name: s.name }])), fixedSchoolId };
}

/** Runs an `in (...)` query in slices: SQLite through the driver adapter refuses more than ~1,000 bound parameters. */
export async function findIn<T>(values: string[], find: (slice: string[]) => Promise<T[]>, size = 500): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < values.length; i += size) out.push(...(await find(values.slice(i, i + size))));
  return out;
}

/** The candidate a checked line stands for, or null for a rejected row. */
export function candidateOfLine(line: CheckedLine): StudentCandidate | null {
  if (line.length === 2) return null;
  const [index, rowNumber, schoolId, name, nisn, nik, sex, birthPlace, birthDate, className] = line;
  return { index, rowNumber, cells: [], schoolId, issues: [], row: { name, nisn, nik, sex, birthPlace, birthDate, className, npsn: null, familyCardNumber: null } };
}

export type StudentRow = { id: string; schoolId: string; nisn: string | null; nik: string | null; name: string; nameSearch: string; sex: string; birthPlace: string | null; birthDate: string; className: string | null; married: boolean; version: number; createdAt: Date; updatedAt: Date };

export const STUDENT_COLUMNS = ['id', 'schoolId', 'nisn', 'nik', 'name', 'nameSearch', 'sex', 'birthPlace', 'birthDate', 'className', 'married', 'version', 'createdAt', 'updatedAt'] as const;

/** `IN (…)` over a list sent as one JSON parameter: one bound value however long the list. */
function jsonList(provider: DbProvider, index: number): string {
  return provider === 'postgresql' ? `(SELECT json_array_elements_text(CAST($${index} AS json)))` : `(SELECT value FROM json_each(?))`;
}

/**
 * Students whose `column` is one of `values`, read with plain SQL and the list as one JSON
 * parameter: Prisma's query building for a 500-value IN list costs more than the query, and an
 * import runs hundreds of them.
 */
export async function studentsWhereIn(db: Db, provider: DbProvider, column: 'nisn' | 'nik' | 'nameSearch', values: string[], schoolIds?: string[]): Promise<StudentRow[]> {
  if (!values.length) return [];
  const schoolFilter = schoolIds ? ` AND "schoolId" IN ${jsonList(provider, 2)}` : '';
  const rows = await db.$queryRawUnsafe<StudentRow[]>(
    `SELECT ${STUDENT_COLUMNS.map((c) => `"${c}"`).join(', ')} FROM "Student" WHERE "${column}" IN ${jsonList(provider, 1)}${schoolFilter}`,
    JSON.stringify(values),
    ...(schoolIds ? [JSON.stringify(schoolIds)] : []),
  );
  // SQLite has no boolean type: 0/1 come back.
  for (const row of rows) row.married = Boolean(row.married);
  return rows;
}

const nameKey = (schoolId: string, nameSearch: string, birthDate: string) => `${schoolId}|${nameSearch}|${birthDate}`;

/** One lookup of stored students: by NISN, by NIK, or by (school, normalized name) pairs. */
export type StudentLookup = { column: 'nisn' | 'nik'; values: string[] } | { column: 'name'; pairs: [schoolId: string, nameSearch: string][] };

/**
 * Finds the stored student of each row: by NISN, then NIK, then name + birth date + school.
 * A NIK or name match is taken only when it does not contradict an identifier the row has
 * (two students never merge because they share a name and birthday). Written as a generator
 * that asks for each lookup in turn (only for rows still unmatched), so the same rules run
 * with Prisma (async, PostgreSQL) and inside the SQLite bulk writer's synchronous transaction.
 * A lookup may answer with more students than asked for; only exact keys match.
 */
function* matching(candidates: StudentCandidate[]): Generator<StudentLookup, Map<StudentCandidate, StudentRow>, StudentRow[]> {
  const matches = new Map<StudentCandidate, StudentRow>();
  const nisns = [...new Set(candidates.map((c) => c.row.nisn).filter((v): v is string => !!v))];
  const byNisn = new Map<string, StudentRow>();
  if (nisns.length) for (const s of yield { column: 'nisn', values: nisns }) byNisn.set(s.nisn as string, s);
  const rest: StudentCandidate[] = [];
  for (const c of candidates) {
    const found = c.row.nisn ? byNisn.get(c.row.nisn) : undefined;
    if (found) matches.set(c, found);
    else rest.push(c);
  }
  const compatible = (c: StudentCandidate, s: StudentRow, byName: boolean) =>
    (!c.row.nisn || !s.nisn || c.row.nisn === s.nisn) && (!byName || !c.row.nik || !s.nik || c.row.nik === s.nik);
  const niks = [...new Set(rest.map((c) => c.row.nik).filter((v): v is string => !!v))];
  if (niks.length) {
    const byNik = new Map<string, StudentRow[]>();
    for (const s of yield { column: 'nik', values: niks }) byNik.set(s.nik as string, [...(byNik.get(s.nik as string) ?? []), s]);
    for (const c of rest) {
      const options = (c.row.nik ? byNik.get(c.row.nik) : undefined)?.filter((s) => compatible(c, s, false)) ?? [];
      const found = options.find((s) => s.schoolId === c.schoolId) ?? options[0];
      if (found) matches.set(c, found);
    }
  }
  const unmatched = rest.filter((c) => !matches.has(c) && c.schoolId);
  if (unmatched.length) {
    const pairs = new Map<string, [string, string]>();
    const names = unmatched.map((c) => normalizeName(c.row.name ?? ''));
    unmatched.forEach((c, i) => pairs.set(`${c.schoolId}|${names[i]}`, [c.schoolId as string, names[i] as string]));
    const byName = new Map<string, StudentRow>();
    for (const s of yield { column: 'name', pairs: [...pairs.values()] }) byName.set(nameKey(s.schoolId, s.nameSearch, s.birthDate), s);
    // Nothing stored under these names (a new school's list): no row can match.
    if (byName.size) {
      unmatched.forEach((c, i) => {
        const found = byName.get(nameKey(c.schoolId as string, names[i] as string, c.row.birthDate ?? ''));
        if (found && compatible(c, found, true)) matches.set(c, found);
      });
    }
  }
  return matches;
}

/** `matching` with synchronous lookups (the SQLite bulk writer's prepared statements). */
export function matchStudentsSync(candidates: StudentCandidate[], find: (lookup: StudentLookup) => StudentRow[]): Map<StudentCandidate, StudentRow> {
  const steps = matching(candidates);
  for (let step = steps.next(); ; ) {
    if (step.done) return step.value;
    step = steps.next(find(step.value));
  }
}

/** `matching` with the lookups done through the Prisma client (one raw query each). */
export async function matchStudents(db: Db, provider: DbProvider, candidates: StudentCandidate[]): Promise<Map<StudentCandidate, StudentRow>> {
  const steps = matching(candidates);
  for (let step = steps.next(); ; ) {
    if (step.done) return step.value;
    const lookup = step.value;
    const found =
      lookup.column === 'name'
        ? // Names IN … and schools IN …: a superset of the pairs, narrowed by the exact keys.
          await studentsWhereIn(db, provider, 'nameSearch', [...new Set(lookup.pairs.map((p) => p[1]))], [...new Set(lookup.pairs.map((p) => p[0]))])
        : await studentsWhereIn(db, provider, lookup.column, lookup.values);
    step = steps.next(found);
  }
}

const WRITTEN_FIELDS = ['name', 'nisn', 'nik', 'sex', 'birthPlace', 'birthDate', 'className', 'schoolId'] as const;

/** The values a row sets: empty cells never clear what is stored (a NIK left out stays as it was). */
function valuesOf(c: StudentCandidate): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of WRITTEN_FIELDS) {
    const value = field === 'schoolId' ? c.schoolId : c.row[field];
    if (typeof value === 'string' && value !== '') values[field] = value;
  }
  return values;
}

export type BatchCounts = { created: number; updated: number; unchanged: number; rejected: number; conflicts: number };
export type BatchOutcome = BatchCounts & { schoolIds: Set<string> };
export type StudentUpdate = { before: StudentRow; after: StudentRow; set: Record<string, string> };
export type BatchPlan = { counts: BatchOutcome; creates: StudentRow[]; updates: StudentUpdate[]; now: Date };

/**
 * What one batch of valid rows does to the stored students: which are new, which change (and
 * which fields), which stay. Rows of the batch that name the same student: the lower row
 * wins, as in the file.
 */
export function planStudentBatch(candidates: StudentCandidate[], matches: Map<StudentCandidate, StudentRow>, now = new Date()): BatchPlan {
  const counts: BatchOutcome = { created: 0, updated: 0, unchanged: 0, rejected: 0, conflicts: 0, schoolIds: new Set() };
  const pending = new Map<string, StudentRow>();
  const creates = new Map<string, StudentRow>();
  const updates = new Map<string, { before: StudentRow; after: StudentRow }>();
  const keyOf = (c: StudentCandidate) => (c.row.nisn ? `nisn:${c.row.nisn}` : c.row.nik ? `nik:${c.row.nik}` : `name:${nameKey(c.schoolId as string, normalizeName(c.row.name ?? ''), c.row.birthDate ?? '')}`);
  for (const c of candidates) {
    const values = valuesOf(c);
    const key = keyOf(c);
    const earlier = pending.get(key);
    const existing = earlier ?? matches.get(c);
    if (!existing) {
      const row: StudentRow = {
        // Time-ordered (cuid-shaped, like the schema's default): new ids land at the end of the
        // primary-key index instead of on random pages of it, a fifth of an import's write CPU.
        id: sortableId(), schoolId: values.schoolId as string, nisn: values.nisn ?? null, nik: values.nik ?? null, name: values.name as string,
        nameSearch: normalizeName(values.name as string), sex: values.sex as string, birthPlace: values.birthPlace ?? null,
        birthDate: values.birthDate as string, className: values.className ?? null, married: false, version: 1, createdAt: now, updatedAt: now,
      };
      creates.set(row.id, row);
      pending.set(key, row);
      counts.created++;
      counts.schoolIds.add(row.schoolId);
      continue;
    }
    const changed = Object.keys(values).filter((f) => (existing as Record<string, unknown>)[f] !== values[f]);
    if (changed.length === 0) {
      counts.unchanged++;
      continue;
    }
    const after: StudentRow = { ...existing, ...values, nameSearch: normalizeName(values.name ?? existing.name), updatedAt: now };
    pending.set(key, after);
    if (creates.has(existing.id)) creates.set(existing.id, after);
    else updates.set(existing.id, { before: updates.get(existing.id)?.before ?? existing, after });
    counts.updated++;
    counts.schoolIds.add(existing.schoolId);
    counts.schoolIds.add(after.schoolId);
  }
  const changes: StudentUpdate[] = [...updates.values()].map(({ before, after }) => ({
    before,
    after,
    set: Object.fromEntries(WRITTEN_FIELDS.filter((f) => before[f] !== after[f]).map((f) => [f, after[f] as string])),
  }));
  return { counts, creates: [...creates.values()], updates: changes, now };
}

export type AuditRow = { userId: string | null; officeId: string | null; action: string; entity: string; entityId: string; field: string; oldValue: string | null; newValue: string | null; detail: string };
export type ImportAudit = { userId: string | null; officeId: string | null; jobId: string };

/** One audit event per changed field of an existing student (NIKs masked); new students are summed up in the job's own event. */
export function updateAuditRows(update: StudentUpdate, audit: ImportAudit): AuditRow[] {
  return Object.keys(update.set).map((field) => {
    const show = (v: unknown) => (v == null ? null : field === 'nik' ? maskNik(String(v)) : String(v));
    return { userId: audit.userId, officeId: audit.officeId, action: 'UPDATE', entity: 'Student', entityId: update.before.id, field, oldValue: show(update.before[field as keyof StudentRow]), newValue: show(update.set[field]), detail: `import:${audit.jobId}` };
  });
}

/** What a batch changed: the writes the tally counters move by, and the audit rows of the updates. */
export type BatchWrites = { writes: Write[]; auditRows: AuditRow[] };

/**
 * A batch plan's writes, its updates applied one by one by the caller's versioned UPDATE, which
 * answers whether the student was still at the version read. One that was not (someone changed
 * it meanwhile) is counted as a conflict, not an update, and neither audited nor tallied. The
 * one loop both write paths run (through Prisma, and inside the SQLite bulk writer's synchronous
 * transaction), as a generator that asks for each update in turn, like `matching`.
 */
function* applying(plan: BatchPlan, audit: ImportAudit): Generator<StudentUpdate, BatchWrites, boolean> {
  const writes: Write[] = plan.creates.map((row) => ({ before: null, after: row as unknown as Row }));
  const auditRows: AuditRow[] = [];
  for (const update of plan.updates) {
    const { before, after } = update;
    if (!(yield update)) {
      plan.counts.updated--;
      plan.counts.conflicts++;
      continue;
    }
    writes.push({ before: before as unknown as Row, after: { ...after, version: before.version + 1 } as unknown as Row });
    auditRows.push(...updateAuditRows(update, audit));
  }
  return { writes, auditRows };
}

/** `applying` with a synchronous UPDATE (the SQLite bulk writer's prepared statement). */
export function applyStudentUpdatesSync(plan: BatchPlan, audit: ImportAudit, update: (change: StudentUpdate) => boolean): BatchWrites {
  const steps = applying(plan, audit);
  for (let step = steps.next(); ; ) {
    if (step.done) return step.value;
    step = steps.next(update(step.value));
  }
}

/** `applying` with the UPDATE through the Prisma client. */
export async function applyStudentUpdates(plan: BatchPlan, audit: ImportAudit, update: (change: StudentUpdate) => Promise<boolean>): Promise<BatchWrites> {
  const steps = applying(plan, audit);
  for (let step = steps.next(); ; ) {
    if (step.done) return step.value;
    step = steps.next(await update(step.value));
  }
}

/**
 * Writes one batch of valid rows in the caller's transaction (through Prisma; PostgreSQL):
 * new students with one INSERT, changed ones each with a versioned UPDATE, an audit event per
 * changed field of an existing student, and the tally counters moved through
 * `studentWritesDelta` like any student edit. A row whose student was changed meanwhile by
 * someone else is counted as a conflict, not overwritten. SQLite uses sqlite-bulk.ts, the
 * same plan written through raw prepared statements.
 */
export async function writeStudentBatch(tx: Db, provider: DbProvider, candidates: StudentCandidate[], audit: ImportAudit): Promise<BatchOutcome> {
  const plan = planStudentBatch(candidates, await matchStudents(tx, provider, candidates));
  const { counts, now } = plan;
  if (plan.creates.length) await insertStudents(tx, provider, plan.creates);
  const { writes, auditRows } = await applyStudentUpdates(plan, audit, async ({ before, after, set }) => {
    const { count } = await tx.student.updateMany({ where: { id: before.id, version: before.version }, data: { ...set, nameSearch: after.nameSearch, updatedAt: now, version: { increment: 1 } } });
    return count > 0;
  });
  if (auditRows.length) await tx.auditEvent.createMany({ data: auditRows });
  if (writes.length) await applyTallyDelta(tx, provider, await studentWritesDelta(tx, writes));
  return counts;
}

/**
 * New students with one INSERT per few thousand rows, the rows sent as one JSON parameter and
 * unpacked by the database (json_each / json_populate_recordset): far cheaper than createMany,
 * whose per-value work dominates an import.
 */
export async function insertStudents(tx: Db, provider: DbProvider, rows: StudentRow[]): Promise<void> {
  const columns = STUDENT_COLUMNS.map((c) => `"${c}"`).join(', ');
  const json = JSON.stringify(rows.map((row) => Object.fromEntries(STUDENT_COLUMNS.map((c) => [c, row[c]]))));
  if (provider === 'postgresql') {
    await tx.$executeRawUnsafe(`INSERT INTO "Student" (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::"Student", CAST($1 AS json))`, json);
  } else {
    const values = STUDENT_COLUMNS.map((c) => `json_extract(value, '$.${c}')`).join(', ');
    await tx.$executeRawUnsafe(`INSERT INTO "Student" (${columns}) SELECT ${values} FROM json_each(?)`, json);
  }
}
