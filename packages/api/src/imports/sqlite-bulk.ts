// The SQLite write path of a student import: each batch is one IMMEDIATE transaction on a second,
// raw better-sqlite3 connection to the same database file, with prepared statements (lookups,
// inserts, versioned updates, audit, tally counters, the job's position). Through Prisma the
// same batch costs a query-compiler round per statement; here the whole batch runs without
// leaving the thread. The rules are the same functions the Prisma path uses (students.ts).
//
// A batch is written slice by slice (SLICE_ROWS), each slice synchronous, with a turn of the event
// loop between slices, so the app keeps answering while a large batch is written: its reads go to
// its own connection (WAL: they see the data as of the last commit); its writes wait for the lock
// asynchronously. The transaction only starts when it can take the write lock at once (busy
// timeout 0): while another transaction of the app is open across awaits, it waits
// asynchronously and tries again, up to a limit, instead of blocking the thread that transaction
// needs to finish.
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Db } from '../db/client.ts';
import { whileBusy } from '../db/sqlite-lock.ts';
import type { Write } from '../common/editing.ts';
import { studentWritesDeltaFrom, studentWritesKeys, type StudentWriteFacts } from '../tallies/maintain.ts';
import { applyTallyDeltaSqlite } from './tally-bulk.ts';
import {
  applyStudentUpdatesSync,
  matchStudentsSync,
  planStudentBatch,
  STUDENT_COLUMNS,
  type BatchOutcome,
  type ImportAudit,
  type StudentCandidate,
  type StudentLookup,
  type StudentRow,
} from './students.ts';

/** How long a batch waits for the write lock held by another transaction before the import stops (resumable). */
const LOCK_WAIT_MS = 30_000;
/**
 * Rows per transaction (the job's batch on this path). Every commit writes each page the batch
 * changed to the WAL, and new rows change pages all over the student indexes (NIK, NISN and
 * names come in no useful order): at 5,000 rows a commit rewrote most of the indexes, about a
 * third of a 100,000-row import's write time. At 20,000 rows, a quarter of those commits.
 */
export const SQLITE_BATCH_ROWS = 20_000;
/** Rows matched, planned and written between two turns of the event loop (~0.15 s for 5,000 rows into 100,000 students). */
export const SLICE_ROWS = 5000;
/** WAL pages this connection lets accumulate before it checkpoints (see open). */
const WAL_PAGES = 10_000;

/** DateTime as Prisma's SQLite adapter writes it (ISO 8601 with an explicit offset), so both read alike. */
const timestamp = (d: Date) => d.toISOString().replace('Z', '+00:00');

const inJson = '(SELECT value FROM json_each(?))';

export class SqliteBulkWriter {
  private readonly statements: ReturnType<typeof prepare>;

  private constructor(private readonly db: Database.Database) {
    this.statements = prepare(db);
  }

  /**
   * A second connection to the file the app's client has open (its path asked from SQLite
   * itself); null for a database without a file (in memory), which keeps the Prisma path.
   */
  static async open(prisma: Db): Promise<SqliteBulkWriter | null> {
    const [main] = await prisma.$queryRawUnsafe<{ file: string }[]>(`SELECT file FROM pragma_database_list WHERE name = 'main'`);
    if (!main?.file) return null;
    const db = new Database(main.file, { fileMustExist: true, timeout: 0 });
    db.pragma('journal_mode = WAL');
    // NORMAL, and no WAL sync per batch (the app's connection syncs before it answers, db/wal-sync.ts).
    // A power cut can then lose the last batches, but never half of one, and each batch carries the
    // job's committedRows: the job resumes exactly there. The job's DONE is written by the app's
    // connection, whose WAL sync (the same WAL file) makes every batch before it durable.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // 64 MB of page cache (SQLite's default is 2 MB): the student table's six indexes outgrow
    // 2 MB within a few tens of thousands of rows, and every insert then rereads index pages; and
    // a 20,000-row transaction's changed pages must all stay in the cache until its commit (at
    // 32 MB they spilled to the WAL mid-transaction and inserts got slower).
    db.pragma('cache_size = -64000');
    // Every batch dirties pages all over the student indexes (NIK, NISN, names are in no useful
    // order), and at SQLite's default (a checkpoint once the WAL holds 1,000 pages) nearly every
    // commit copied most of the table back into the database file again: the import's cost grew
    // with the table. This connection lets the WAL grow to 10,000 pages (~40 MB) before it
    // checkpoints, so a page changed by many batches is copied back once; close() checkpoints
    // what is left and trims the WAL file back to that size.
    db.pragma(`wal_autocheckpoint = ${WAL_PAGES}`);
    db.pragma(`journal_size_limit = ${WAL_PAGES * 4096}`);
    return new SqliteBulkWriter(db);
  }

  close(): void {
    try {
      // PASSIVE: copies what no reader still needs, never waits for one.
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Only housekeeping: every batch is committed already, and the app's connection checkpoints later.
    }
    this.db.close();
  }

  /** Runs `work` in one IMMEDIATE transaction, waiting (asynchronously) for the write lock. */
  async transaction<T>(work: () => T | Promise<T>): Promise<T> {
    await whileBusy(() => this.db.exec('BEGIN IMMEDIATE'), { waitMs: LOCK_WAIT_MS, maxDelayMs: 50 });
    try {
      const result = await work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /**
   * One batch of an import, atomically: the valid rows upserted (students.ts rules), audit,
   * tallies, and the job moved past `nextIndex` with its counters. Written in slices of
   * SLICE_ROWS rows, each matched against what the slices before it wrote (as separate batches
   * would be), with a turn of the event loop between them.
   */
  async writeStudents(valid: StudentCandidate[], job: { id: string; nextIndex: number; rejected: number }, audit: ImportAudit): Promise<BatchOutcome> {
    return this.transaction(async () => {
      const total: BatchOutcome = { created: 0, updated: 0, unchanged: 0, rejected: 0, conflicts: 0, schoolIds: new Set() };
      for (let start = 0; start < valid.length; start += SLICE_ROWS) {
        if (start > 0) await new Promise((resolve) => setImmediate(resolve));
        const counts = this.writeSlice(valid.slice(start, start + SLICE_ROWS), audit);
        for (const key of ['created', 'updated', 'unchanged', 'rejected', 'conflicts'] as const) total[key] += counts[key];
        for (const id of counts.schoolIds) total.schoolIds.add(id);
      }
      this.statements.advanceJob.run(job.nextIndex, total.created, total.updated, total.unchanged, job.rejected + total.conflicts, timestamp(new Date()), job.id);
      return total;
    });
  }

  /** One slice of a batch, inside its transaction: matched, planned, written, audited and tallied. */
  private writeSlice(valid: StudentCandidate[], audit: ImportAudit): BatchOutcome {
    const s = this.statements;
    const matches = matchStudentsSync(valid, (lookup) => this.find(lookup));
    const plan = planStudentBatch(valid, matches);
    const { counts, now } = plan;
    const at = timestamp(now);
    for (const row of plan.creates) {
      s.insertStudent.run(row.id, row.schoolId, row.nisn, row.nik, row.name, row.nameSearch, row.sex, row.birthPlace, row.birthDate, row.className, row.married ? 1 : 0, row.version, at, at);
    }
    const { writes, auditRows } = applyStudentUpdatesSync(plan, audit, ({ before, after }) => {
      const { changes } = s.updateStudent.run(after.schoolId, after.nisn, after.nik, after.name, after.nameSearch, after.sex, after.birthPlace, after.birthDate, after.className, at, before.id, before.version);
      return changes > 0;
    });
    for (const a of auditRows) s.insertAudit.run(randomUUID(), at, a.officeId, a.userId, a.action, a.entity, a.entityId, a.field, a.oldValue, a.newValue, a.detail);
    if (writes.length) applyTallyDeltaSqlite(this.db, studentWritesDeltaFrom(writes, this.facts(writes)));
    return counts;
  }

  /** Stored students for one lookup of `matchStudentsSync`. */
  find(lookup: StudentLookup): StudentRow[] {
    const s = this.statements;
    if (lookup.column !== 'name') return students((lookup.column === 'nisn' ? s.byNisn : s.byNik).all(JSON.stringify(lookup.values)));
    // One statement per school, its names as a plain JSON list: a batch names a few schools, and
    // taking each (school, name) pair apart with json_extract cost more than the index probes.
    const namesBySchool = new Map<string, string[]>();
    for (const [schoolId, name] of lookup.pairs) {
      const names = namesBySchool.get(schoolId);
      if (names) names.push(name);
      else namesBySchool.set(schoolId, [name]);
    }
    const found: unknown[] = [];
    for (const [schoolId, names] of namesBySchool) found.push(...s.byName.all(schoolId, JSON.stringify(names)));
    return students(found);
  }

  private facts(writes: Write[]): StudentWriteFacts {
    const { schoolIds, studentIds } = studentWritesKeys(writes);
    const schools = this.statements.schools.all(JSON.stringify(schoolIds)) as StudentWriteFacts['schools'];
    const drives = this.statements.drives.all(JSON.stringify([...new Set(schools.map((x) => x.officeId))])) as StudentWriteFacts['drives'];
    const outcomes = studentIds.length ? (this.statements.outcomes.all(JSON.stringify(studentIds)) as StudentWriteFacts['outcomes']) : [];
    return { schools, drives, outcomes };
  }
}

function prepare(db: Database.Database) {
  const columns = STUDENT_COLUMNS.map((c) => `"${c}"`).join(', ');
  const select = (where: string) => db.prepare(`SELECT ${columns} FROM "Student" WHERE ${where}`);
  return {
    byNisn: select(`"nisn" IN ${inJson}`),
    byNik: select(`"nik" IN ${inJson}`),
    // One school's names: "name IN … AND school IN …" over several schools would probe every combination.
    byName: select(`"schoolId" = ? AND "nameSearch" IN ${inJson}`),
    insertStudent: db.prepare(`INSERT INTO "Student" (${columns}) VALUES (${STUDENT_COLUMNS.map(() => '?').join(', ')})`),
    updateStudent: db.prepare(
      `UPDATE "Student" SET "schoolId" = ?, "nisn" = ?, "nik" = ?, "name" = ?, "nameSearch" = ?, "sex" = ?, "birthPlace" = ?, "birthDate" = ?, "className" = ?, "updatedAt" = ?, "version" = "version" + 1 WHERE "id" = ? AND "version" = ?`,
    ),
    insertAudit: db.prepare(`INSERT INTO "AuditEvent" ("id", "at", "officeId", "userId", "action", "entity", "entityId", "field", "oldValue", "newValue", "detail") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    schools: db.prepare(`SELECT "id", "officeId" FROM "School" WHERE "id" IN ${inJson}`),
    drives: db.prepare(`SELECT "id", "officeId", "electionDate", "startDate" FROM "Drive" WHERE "officeId" IN ${inJson}`),
    outcomes: db.prepare(`SELECT "studentId", "driveId", "status", "recordedAt", "printedAt", "ikdActivatedAt" FROM "Outcome" WHERE "studentId" IN ${inJson}`),
    advanceJob: db.prepare(
      `UPDATE "ImportJob" SET "committedRows" = ?, "created" = "created" + ?, "updated" = "updated" + ?, "unchanged" = "unchanged" + ?, "rejected" = "rejected" + ?, "updatedAt" = ? WHERE "id" = ?`,
    ),
  };
}

/** Raw rows as the Prisma path sees them: SQLite has no boolean type (0/1 come back). */
function students(rows: unknown[]): StudentRow[] {
  for (const row of rows as StudentRow[]) row.married = Boolean(row.married);
  return rows as StudentRow[];
}
