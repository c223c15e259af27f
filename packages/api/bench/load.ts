// pnpm bench:load — an office at the peak of a drive, against the real server process:
// 200 officers (each a keep-alive connection of Node's HTTP client) scrolling the Siswa grid, editing cells, recording
// outcomes on the Hasil screen and pasting batches (new students until the office holds 20,000, then
// over rows pasted before), plus 200 dashboards subscribed to live tallies (SSE), for 10 minutes.
// Officers send the web app's own GraphQL documents (packages/web: students-documents.ts, hasil/documents.ts).
// Prints p50/p95/p99 per kind beside an unloaded baseline (each kind alone on one connection,
// measured first in the same run), errors, the server's RSS at start/middle/end, and finally
// checks that every outcome the server acknowledged is stored and the tallies recount clean.
// Options: --quick (40 s), --duration=SECONDS, --pg (PostgreSQL + Redis, two API instances;
//   default: SQLite, one instance), --officers=200, --dashboards=200, --rate=1 (requests per
//   second per officer: a busy officer acts about once a second; --rate=0 sends back-to-back,
//   a stress test rather than an office), --server-prof=DIR (a V8 CPU profile of each server
//   process, written when it stops), --skip=KIND,… (leave kinds out, to see what one costs),
//   --server-log=FILE (keep the servers' JSON-line logs and stderr there), --server-heap=DIR (a V8
//   heap snapshot of each server at a third, two thirds and the end of the load, to diff what stays
//   alive; each snapshot stops the server for seconds, so that run's latencies don't count).
import { closeSync, createWriteStream, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import pg from 'pg';
import { composeNik, eligibility } from '@jemput/core';
import { migrateDeploy, postgresScratchUrls } from '@jemput/prisma/migrations';
import { openDb, type Db } from '../src/db/client.ts';
import { seedDemo } from '../src/seed/demo.ts';
import { todayInJakarta } from '../src/common/time.ts';
import { verifyDriveTallies } from '../src/tallies/verify.ts';
import { BACKSTOP_PAGES } from '../src/db/checkpointer.ts';
import { onCleanup, runCleanup } from './tallies/cleanup.ts';
import { redisAnswers, startServer, type ServerProcess } from './tallies/server.ts';
import { loginOverHttp } from '../src/server/process.ts';
import { createSubscriberAgent, subscribeMany, type Subscriber } from './tallies/sse.ts';
import { int, mib, ms, ratio, secs, sleep, table } from './tallies/stats.ts';
import { PAGE, PAGE_ROWS, UPDATE, UPSERT } from '../../web/src/screens/students-documents.ts';
import { SYNC } from '../../web/src/screens/hasil/documents.ts';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = flag('quick');
const onPostgres = flag('pg');
const DURATION_S = Number(option('duration') ?? (quick ? 40 : 600));
const BASELINE_S = quick ? 3 : 10;
const OFFICERS = Number(option('officers') ?? 200);
const DASHBOARDS = Number(option('dashboards') ?? 200);
const RATE = Number(option('rate') ?? 1);
const SERVER_PROF = option('server-prof');
const SERVER_LOG = option('server-log');
const SERVER_HEAP = option('server-heap');
const SKIP = new Set((option('skip') ?? '').split(',').filter(Boolean));
// How an office's officers split their work at the peak.
const MIX = { roster: 0.4, edit: 0.25, outcome: 0.25, paste: 0.1 } as const;
type Kind = keyof typeof MIX;
const KINDS = (Object.keys(MIX) as Kind[]).filter((k) => !SKIP.has(k));
const PASTE_ROWS = 50;
/**
 * The largest office DOMAIN.md designs for. Pastes add new students until the office holds this
 * many; after that an officer pastes over rows pasted before (a corrected sheet, sent with the
 * versions it was read at), as an office whose list is complete does. Without the cap 20 pastes a
 * second grew the office past 300,000 students in 10 minutes, and the run measured that office.
 */
const OFFICE_MAX_STUDENTS = 20_000;
const runTag = `${process.pid.toString(36)}${Date.now().toString(36)}`;

/** Rows per block of the Siswa grid (DataGrid's cacheBlockSize). */
const GRID_BLOCK = 100;

type Sample = { kind: Kind; phase: 'baseline' | 'load' };
type Fixture = {
  driveId: string;
  schoolIds: string[];
  editable: { id: string; version: number }[];
  /** Students in the office when the load starts. */
  students: number;
  candidates: { id: string; recordable: boolean; visitId: string | null }[];
};

const latencies = { baseline: new Map<Kind, number[]>(), load: new Map<Kind, number[]>() };
/** Requests under load slower than this are kept with their start time, to line stalls up with the server's timeline. */
const SLOW_MS = 1000;
const slowRequests: { kind: Kind; sentAt: number; took: number }[] = [];
const failures = new Map<Kind, string[]>(); // GraphQL-level failures (HTTP 200 with an error or a refusal)
const acknowledged = new Map<string, { status: string; version: number }>(); // outcome id → last acknowledged state
const maybe = new Map<string, string>(); // outcome id → status of an update sent but not answered
let pastedRows = 0;
let repastedRows = 0;
/** New students sent in pastes so far (answered or not): they count towards OFFICE_MAX_STUDENTS. */
let pastedSent = 0;
type PastedRow = Record<string, unknown> & { id: string; version: number };
/** Batches of pasted rows, with the versions their last paste answered, waiting to be pasted over. */
const pastedBatches: { rows: PastedRow[]; round: number }[] = [];
/** The class a paste of round `round` gives its rows: consecutive rounds differ, so each paste over changes the rows. */
const pastedClass = (round: number) => `XII IPS ${(round % 9) + 1}`;
let candidateIndex = 0;
let editIndex = 0;
let pasteCounter = 0;
let writeCounter = 0;
/** Session cookie of the demo administrator: writes need a logged-in officer. */
let sessionCookie = '';

function fail(kind: Kind, what: string): void {
  const list = failures.get(kind) ?? [];
  if (list.length < 1000) list.push(what.slice(0, 300));
  failures.set(kind, list);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

function newPasteRows(schoolIds: string[]): Record<string, unknown>[] {
  return Array.from({ length: PASTE_ROWS }, () => {
    const c = pasteCounter++;
    // Unique NIKs that agree with birth date and sex; serials 9000+ stay clear of the demo's.
    const day = new Date(Date.UTC(2007, 0, 1) + Math.floor(c / 1000) * 86_400_000).toISOString().slice(0, 10);
    const sex = c % 2 ? 'P' : 'L';
    return {
      id: `load_s_${runTag}_${c}`,
      schoolId: schoolIds[c % schoolIds.length],
      name: `Siswa Tempel ${c}`,
      sex,
      birthDate: day,
      className: pastedClass(0),
      nik: composeNik({ districtCode: '35.73.03', birthDate: day as never, sex, serial: 9000 + (c % 1000) }),
    };
  });
}

/** `connections` officers of one kind working against one server for `seconds`. */
function officers(kind: Kind, endpoint: string, connections: number, seconds: number, phase: Sample['phase'], fixture: Fixture): Promise<RunResult> {
  const samples = latencies[phase].get(kind) ?? [];
  latencies[phase].set(kind, samples);
  const gqlBody = (query: string, variables: object) => JSON.stringify({ query, variables });
  type Ctx = Record<string, any>;

  const setupRequest = (req: any, context: Ctx) => {
    context.sentAt = performance.now();
    switch (kind) {
      case 'roster': {
        // The Siswa grid scrolled through one school: the first block with the view's row count,
        // the blocks after it without (as DataGrid asks), then another school.
        if (!context.school || context.offset >= context.total) {
          context.school = fixture.schoolIds[Math.floor(Math.random() * fixture.schoolIds.length)];
          context.offset = 0;
          context.total = Number.POSITIVE_INFINITY;
        }
        return {
          ...req,
          body: gqlBody(context.offset === 0 ? PAGE : PAGE_ROWS, { first: GRID_BLOCK, offset: context.offset, filter: { schoolId: { equals: context.school } }, sort: [], search: null, export: null }),
        };
      }
      case 'edit': {
        context.student ??= fixture.editable[editIndex++ % fixture.editable.length];
        context.n = (context.n ?? 0) + 1;
        return { ...req, body: gqlBody(UPDATE, { id: context.student.id, version: context.student.version, patch: { className: `XII IPA ${(context.n % 9) + 1}` } }) };
      }
      case 'outcome': {
        // The Hasil screen's queue: a student recorded absent, then (on the next request)
        // recorded — or, with no student left, a note on the connection's last outcome. One
        // write per call, as an officer online sends each one.
        const write = (w: object) => ({ ...req, body: gqlBody(SYNC, { writes: [{ clientMutationId: `load_w_${runTag}_${writeCounter++}`, driveId: fixture.driveId, at: new Date().toISOString(), ...w }] }) });
        if (context.advance) {
          const { id, studentId, visitId, version, recordable } = context.advance;
          const status = recordable ? 'RECORDED' : 'REFUSED';
          context.sent = { type: 'advance', id, studentId };
          maybe.set(id, status);
          return write({ studentId, visitId, baseVersion: version, status });
        }
        const candidate = fixture.candidates[candidateIndex++];
        if (!candidate && context.last) {
          context.sent = { type: 'note', id: context.last.id, studentId: context.last.studentId };
          maybe.set(context.last.id, context.last.status);
          return write({ studentId: context.last.studentId, visitId: context.last.visitId, baseVersion: context.last.version, notes: `catatan ${Date.now()}` });
        }
        context.sent = { type: 'create', recordable: candidate?.recordable ?? false, studentId: candidate?.id };
        return write({ studentId: candidate?.id ?? 'none-left', visitId: candidate?.visitId ?? null, baseVersion: null, status: 'ABSENT' });
      }
      case 'paste': {
        // A batch being pasted over is held by one officer until answered, so pastes never conflict.
        const again = fixture.students + pastedSent + PASTE_ROWS > OFFICE_MAX_STUDENTS ? pastedBatches.shift() : undefined;
        if (again) {
          const round = again.round + 1;
          context.sent = { type: 'update', round, rows: again.rows.map((r) => ({ ...r, className: pastedClass(round) })) };
        } else {
          pastedSent += PASTE_ROWS;
          context.sent = { type: 'create', round: 0, rows: newPasteRows(fixture.schoolIds) };
        }
        return { ...req, body: gqlBody(UPSERT, { rows: context.sent.rows }) };
      }
    }
  };

  const onResponse = (status: number, body: string, context: Ctx) => {
    const took = performance.now() - context.sentAt;
    samples.push(took);
    if (phase === 'load' && took > SLOW_MS) slowRequests.push({ kind, sentAt: context.sentAt, took });
    let parsed: any;
    try {
      parsed = JSON.parse(body);
    } catch {
      return fail(kind, `HTTP ${status}: ${body.slice(0, 200)}`);
    }
    if (status !== 200 || parsed.errors) return fail(kind, `HTTP ${status}: ${JSON.stringify(parsed.errors ?? parsed).slice(0, 200)}`);
    const data = parsed.data;
    switch (kind) {
      case 'roster': {
        const { totalCount, edges } = data.students;
        if (typeof totalCount === 'number') context.total = totalCount;
        context.offset += edges.length;
        if (edges.length === 0) context.total = 0; // the school is done
        return;
      }
      case 'edit': {
        const answer = data.updateStudent;
        if (answer.__typename === 'MutationUpdateStudentSuccess') return void (context.student.version = answer.data.version);
        // A conflict counts once; like the grid, the officer goes on from the row as it is now (an
        // edit whose answer timed out was applied, and would otherwise make every later one stale).
        if (answer.__typename === 'StudentConflictError' && answer.current) context.student.version = answer.current.version;
        return fail(kind, JSON.stringify(answer));
      }
      case 'outcome': {
        const sent = context.sent;
        const answer = data.syncOutcomes[0];
        if (sent.type !== 'create') context.advance = null;
        if (answer.status !== 'APPLIED' || !answer.outcome) return fail(kind, `${sent.type}: ${answer.status} ${JSON.stringify(answer.problems)}`);
        const outcome = answer.outcome;
        if (sent.type !== 'create') maybe.delete(sent.id);
        acknowledged.set(outcome.id, { status: outcome.status, version: outcome.version });
        context.last = { id: outcome.id, version: outcome.version, status: outcome.status, studentId: sent.studentId, visitId: outcome.visitId };
        if (sent.type === 'create') context.advance = { id: outcome.id, studentId: context.last.studentId, visitId: outcome.visitId, version: outcome.version, recordable: sent.recordable };
        return;
      }
      case 'paste': {
        const sent = context.sent as { type: 'create' | 'update'; round: number; rows: Record<string, unknown>[] };
        const expected = sent.type === 'create' ? 'CREATED' : 'UPDATED';
        const rows = data.upsertStudents.rows as { index: number; status: string; row: { version: number } | null }[];
        const refused = rows.filter((r) => r.status !== expected);
        if (refused.length) return fail(kind, `paste: ${refused.length} rows not ${expected.toLowerCase()}, first: ${JSON.stringify(refused[0])}`);
        if (sent.type === 'create') pastedRows += rows.length;
        else repastedRows += rows.length;
        pastedBatches.push({ round: sent.round, rows: rows.map((r) => ({ ...(sent.rows[r.index] as PastedRow), version: r.row?.version ?? 0 })) });
        return;
      }
    }
  };

  // Each officer keeps its own state (roster cursor, the student it edits, the outcome it
  // advances) across requests, and acts at most RATE times a second: when an answer comes later
  // than that, the next request follows at once.
  const periodMs = RATE > 0 && phase === 'load' ? 1000 / RATE : 0;
  const until = performance.now() + seconds * 1000;
  const result: RunResult = { errors: 0, timeouts: 0, non2xx: 0 };
  const officer = async (context: Ctx) => {
    if (periodMs) await sleep(Math.random() * periodMs); // officers do not all start on the same tick
    while (performance.now() < until) {
      const body = setupRequest({}, context).body as string;
      const answer = await post(endpoint, body);
      if (answer.kind === 'answer') {
        if (answer.status < 200 || answer.status >= 300) result.non2xx++;
        onResponse(answer.status, answer.text, context);
      } else if (answer.kind === 'timeout') result.timeouts++;
      else result.errors++;
      const wait = context.sentAt + periodMs - performance.now();
      if (wait > 0) await sleep(Math.min(wait, until - performance.now()));
    }
  };
  return Promise.all(Array.from({ length: connections }, () => officer({}))).then(() => result);
}

type RunResult = { errors: number; timeouts: number; non2xx: number };

/** Keep-alive connections, one per officer at a time (Node's own HTTP client). */
const officerAgent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const REQUEST_TIMEOUT_MS = 30_000;

/** Socket errors seen by the officers, by code: a reset or refused connection says more than a count. */
const transportErrorCodes = new Map<string, number>();
/** The first socket errors in detail: when, and how long the socket had been idle and in use. */
const transportErrorDetails: string[] = [];
type TrackedSocket = import('node:net').Socket & { requests?: number; openedAt?: number; lastAnswerAt?: number };
function transportError(where: string, error: NodeJS.ErrnoException, socket?: TrackedSocket): { kind: 'error' } {
  const key = `${where} ${error.code ?? error.message}`;
  transportErrorCodes.set(key, (transportErrorCodes.get(key) ?? 0) + 1);
  if (socket && transportErrorDetails.length < 10) {
    const now = performance.now();
    transportErrorDetails.push(
      `${key} at ${(now / 1000).toFixed(1)} s: socket open ${((now - (socket.openedAt ?? now)) / 1000).toFixed(1)} s, ${socket.requests ?? 0} requests, idle ${(now - (socket.lastAnswerAt ?? now)).toFixed(0)} ms before this one`,
    );
  }
  return { kind: 'error' };
}

function post(endpoint: string, body: string): Promise<{ kind: 'answer'; status: number; text: string } | { kind: 'timeout' | 'error' }> {
  return new Promise((resolve) => {
    const req = http.request(
      endpoint,
      { method: 'POST', agent: officerAgent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), cookie: sessionCookie } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => void (text += chunk));
        res.on('end', () => {
          const socket = req.socket as TrackedSocket | null;
          if (socket) socket.lastAnswerAt = performance.now();
          resolve({ kind: 'answer', status: res.statusCode ?? 0, text });
        });
        res.on('error', (error) => resolve(transportError('response', error, req.socket ?? undefined)));
      },
    );
    req.once('socket', (socket: TrackedSocket) => {
      socket.openedAt ??= performance.now();
      socket.requests = (socket.requests ?? 0) + 1;
    });
    let timedOut = false;
    req.setTimeout(REQUEST_TIMEOUT_MS, () => {
      timedOut = true; // destroy() below ends in an error of its own, not counted again
      req.destroy();
      resolve({ kind: 'timeout' });
    });
    req.on('error', (error) => timedOut || resolve(transportError(req.reusedSocket ? 'request on a reused socket' : 'request on a new socket', error, (req.socket as TrackedSocket | null) ?? undefined)));
    req.end(body);
  });
}

async function prepareFixture(db: Db): Promise<{ fixture: Fixture; summary: Awaited<ReturnType<typeof seedDemo>> }> {
  const today = todayInJakarta();
  const started = performance.now();
  const summary = await seedDemo(db, { today });
  console.log(`demo office: ${summary.schools} schools, ${int(summary.students.total)} students, ${int(summary.outcomes.total)} outcomes — seeded in ${secs(performance.now() - started)}`);
  const students = await db.student.findMany({ select: { id: true, schoolId: true, version: true, birthDate: true, married: true, outcomes: { select: { id: true } } } });
  // The Hasil screen records against a visit of the student's school, when the drive has one.
  const visitOfSchool = new Map((await db.visit.findMany({ where: { driveId: summary.drive.id }, select: { id: true, schoolId: true } })).map((v) => [v.schoolId, v.id]));
  const free = students.filter((s) => s.outcomes.length === 0);
  const candidates = free
    .map((s) => ({ id: s.id, schoolId: s.schoolId, e: eligibility(s, summary.drive.electionDate, today) }))
    .filter((c) => c.e.eligible)
    .map((c) => ({ id: c.id, recordable: c.e.recordableNow, visitId: visitOfSchool.get(c.schoolId) ?? null }));
  // Officers edit students that nobody records an outcome for, one student per connection.
  const candidateIds = new Set(candidates.map((c) => c.id));
  const editable = students.filter((s) => !candidateIds.has(s.id)).slice(0, 2000).map((s) => ({ id: s.id, version: s.version }));
  const schoolIds = (await db.school.findMany({ select: { id: true } })).map((s) => s.id);
  return { fixture: { driveId: summary.drive.id, schoolIds, editable, candidates, students: students.length }, summary };
}

function rssLine(servers: ServerProcess[]): number[] {
  return servers.map((s) => s.rssKib());
}

type MetricSample = {
  heapUsed: number;
  /** The old generation after the server's last full garbage collection (server/live-heap.ts). */
  heapLive: number;
  at: number;
  /** The event loop's longest delay since the sample before (prom-client resets it on each scrape). */
  loopMaxMs: number;
  /** Garbage collection time so far, all kinds. */
  gcMs: number;
};

/** V8 heap in use and live, event-loop delay and GC time, from the server's /metrics. */
async function metricsOf(server: ServerProcess): Promise<MetricSample | null> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN);
    const gcSeconds = [...text.matchAll(/^nodejs_gc_duration_seconds_sum\{[^}]*\} (\S+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
    return {
      heapUsed: value(/^nodejs_heap_size_used_bytes (\S+)/m),
      heapLive: value(/^jemput_heap_live_bytes (\S+)/m),
      at: performance.now(),
      loopMaxMs: value(/^nodejs_eventloop_lag_max_seconds (\S+)/m) * 1000,
      gcMs: gcSeconds * 1000,
    };
  } catch {
    return null;
  }
}

/**
 * Heap growth between the middle and the last third of the run, from the lowest live heap (what a
 * full collection left) seen in each: a leak raises it, a busy heap does not. The heap in use
 * counts garbage not collected yet and moved by ±20% with the timing of collections.
 */
function heapGrowth(samples: MetricSample[]): { middle: number; end: number; growth: number } {
  const third = Math.floor(samples.length / 3);
  const low = (part: MetricSample[]) => Math.min(...part.map((s) => s.heapLive).filter(Number.isFinite));
  const middle = low(samples.slice(third, 2 * third));
  const end = low(samples.slice(2 * third));
  return { middle, end, growth: (end - middle) / middle };
}

/**
 * Frames in an SQLite database's WAL now, from the wal-index header in its -shm file (mxFrame, at
 * byte 16 in native byte order: https://sqlite.org/walformat.html). The WAL file's size is no
 * guide: SQLite writes a WAL that starts over from its beginning and never shrinks the file.
 */
function walFrames(sqliteFile: string): number {
  let fd: number | null = null;
  try {
    fd = openSync(`${sqliteFile}-shm`, 'r');
    const header = Buffer.alloc(20);
    readSync(fd, header, 0, 20, 0);
    return header.readUInt32LE(16);
  } catch {
    return 0;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * The server's side of the run, second by second: the event loop's worst delays and GC time, and
 * each stall (requests slower than SLOW_MS, grouped when they started within 2 s of each other)
 * beside what the server and the SQLite WAL did meanwhile — a stall with a long event-loop delay
 * is the server's own work (GC, a synchronous step); one without is waiting (disk, lock, the machine).
 */
function reportStalls(loadStart: number, metricTimeline: MetricSample[][], walTimeline: { at: number; frames: number }[]): void {
  const at = (t: number) => `${((t - loadStart) / 1000).toFixed(0)} s`;
  metricTimeline.forEach((samples, i) => {
    const loaded = samples.filter((s) => s.at >= loadStart);
    if (loaded.length < 2) return;
    const worst = loaded.reduce((a, b) => (b.loopMaxMs > a.loopMaxMs ? b : a));
    const over = loaded.filter((s) => s.loopMaxMs > 100).length;
    const gc = (loaded[loaded.length - 1]!.gcMs - loaded[0]!.gcMs) / (loaded[loaded.length - 1]!.at - loaded[0]!.at);
    console.log(`server ${i + 1} event loop: longest delay ${ms(worst.loopMaxMs)} (second ending at ${at(worst.at)}), ${over} of ${loaded.length} seconds with a delay over 100 ms; GC ${(gc * 100).toFixed(1)}% of the time`);
  });
  const loadedWal = walTimeline.filter((w) => w.at >= loadStart).map((w) => w.frames);
  if (loadedWal.length) {
    const over = loadedWal.filter((f) => f >= BACKSTOP_PAGES).length;
    console.log(`SQLite WAL under load (every 100 ms): at most ${int(Math.max(...loadedWal))} frames, on average ${int(Math.round(loadedWal.reduce((a, b) => a + b, 0) / loadedWal.length))}; ${over} samples at the ${int(BACKSTOP_PAGES)}-page backstop, where the API's own commits copy it back`);
  }
  const sorted = [...slowRequests].sort((a, b) => a.sentAt - b.sentAt);
  const stalls: (typeof slowRequests)[] = [];
  for (const r of sorted) {
    const last = stalls[stalls.length - 1];
    if (last && r.sentAt - last[last.length - 1]!.sentAt < 2000) last.push(r);
    else stalls.push([r]);
  }
  console.log(`stalls (requests over ${SLOW_MS / 1000} s, grouped): ${stalls.length}${stalls.length > 10 ? ', the 10 longest:' : ''}`);
  const longest = [...stalls].sort((a, b) => Math.max(...b.map((r) => r.took)) - Math.max(...a.map((r) => r.took))).slice(0, 10);
  for (const stall of longest.sort((a, b) => a[0]!.sentAt - b[0]!.sentAt)) {
    const from = stall[0]!.sentAt;
    const to = Math.max(...stall.map((r) => r.sentAt + r.took));
    const kinds = new Map<Kind, number>();
    for (const r of stall) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
    const during = (s: { at: number }) => s.at >= from && s.at <= to + 1000;
    const servers = metricTimeline.map((samples) => {
      const inside = samples.filter(during);
      const before = samples.filter((s) => s.at < from).at(-1);
      const gc = inside.length && before ? inside[inside.length - 1]!.gcMs - before.gcMs : Number.NaN;
      return `loop delay ≤ ${ms(Math.max(0, ...inside.map((s) => s.loopMaxMs)))}, GC ${ms(gc)}`;
    });
    const wal = walTimeline.filter(during).map((w) => w.frames);
    console.log(
      `  at ${at(from)}–${at(to)}: ${stall.length} requests (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}), slowest ${ms(Math.max(...stall.map((r) => r.took)))}; ${servers.map((s, i) => `server ${i + 1}: ${s}`).join('; ')}${wal.length ? `; WAL at most ${int(Math.max(...wal))} frames` : ''}`,
    );
  }
}

async function main(): Promise<void> {
  const benchStart = performance.now();
  console.log(
    `bench:load — ${onPostgres ? 'PostgreSQL + Redis, two API instances' : 'SQLite, one API instance'}; ${OFFICERS} officers (${RATE > 0 ? `≤ ${RATE} request/s each` : 'back-to-back'}), ${DASHBOARDS} dashboards, ${DURATION_S} s${quick ? ' (--quick)' : ''}`,
  );
  console.log(`machine: ${(await import('node:os')).cpus().length} cores, load average ${(await import('node:os')).loadavg()[0]?.toFixed(1)} before the run (others' work included)`);
  let databaseUrl: string;
  let sqliteFile: string | null = null;
  if (onPostgres) {
    if (!(await redisAnswers('127.0.0.1', 6379))) throw new Error('--pg needs Redis on 127.0.0.1:6379');
    const { adminUrl, databaseUrl: urlOf } = postgresScratchUrls();
    const name = `jemput_load_${runTag}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    onCleanup(async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    });
    databaseUrl = urlOf(name);
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'jemput-bench-load-'));
    onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    sqliteFile = join(dir, 'load.db');
    databaseUrl = `file:${sqliteFile}`;
  }
  migrateDeploy(databaseUrl);
  const seeding = await openDb(databaseUrl);
  const { fixture } = await prepareFixture(seeding);
  // Closed while the servers start: their migrate step wants the SQLite file to itself.
  await seeding.$disconnect();
  console.log(`${int(fixture.candidates.length)} eligible students without an outcome, ${int(fixture.editable.length)} students to edit`);

  const env: Record<string, string> = { DATABASE_URL: databaseUrl, ...(onPostgres ? { REDIS_URL: 'redis://127.0.0.1:6379' } : {}) };
  const nodeArgs = [
    ...(SERVER_PROF ? ['--cpu-prof', `--cpu-prof-dir=${SERVER_PROF}`] : []),
    ...(SERVER_HEAP ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${SERVER_HEAP}`] : []),
  ];
  const servers = await Promise.all(Array.from({ length: onPostgres ? 2 : 1 }, () => startServer(env, nodeArgs)));
  let logBytes = 0;
  for (const server of servers) {
    onCleanup(() => server.stop());
    // The server logs a JSON line per request, as in production; count it instead of keeping it.
    server.child.stdout?.removeAllListeners('data');
    server.child.stdout?.on('data', (chunk: Buffer) => void (logBytes += chunk.length));
    if (SERVER_LOG) {
      const log = createWriteStream(SERVER_LOG, { flags: 'a' });
      server.child.stdout?.pipe(log);
      server.child.stderr?.pipe(log);
    }
  }
  const endpoints = servers.map((s) => `http://127.0.0.1:${s.port}/graphql`);
  sessionCookie = await loginOverHttp(`http://127.0.0.1:${servers[0]!.port}`);
  const db = await openDb(databaseUrl);
  onCleanup(() => db.$disconnect());

  // Baseline: each kind alone on one connection, nothing else running. The server's CPU time
  // per request says what a kind costs whatever else the machine is doing.
  const cpuPerRequest = new Map<Kind, number>();
  for (const kind of KINDS) {
    const cpuBefore = servers[0]!.cpuMs();
    const before = latencies.baseline.get(kind)?.length ?? 0;
    await officers(kind, endpoints[0] as string, 1, BASELINE_S, 'baseline', fixture);
    cpuPerRequest.set(kind, (servers[0]!.cpuMs() - cpuBefore) / Math.max(1, (latencies.baseline.get(kind)?.length ?? 0) - before));
  }
  failures.clear();

  // Dashboards first, then the officers.
  const agent = createSubscriberAgent();
  const dashboards: Subscriber[] = [];
  for (const [i, endpoint] of endpoints.entries()) {
    const share = Math.floor(DASHBOARDS / endpoints.length) + (i < DASHBOARDS % endpoints.length ? 1 : 0);
    dashboards.push(...(await subscribeMany(endpoint, fixture.driveId, agent, share)));
  }
  onCleanup(() => dashboards.forEach((d) => d.close()));
  let dashboardEvents = 0;
  const drainEvents = () => {
    for (const d of dashboards) {
      dashboardEvents += d.events.length;
      d.events.length = 0;
    }
  };

  const rss = { start: rssLine(servers), middle: [] as number[], end: [] as number[] };
  const rssTimeline: number[][] = [];
  const metricTimeline: MetricSample[][] = servers.map(() => []);
  const heapStart = await Promise.all(servers.map(metricsOf));
  const walTimeline: { at: number; frames: number }[] = [];
  const walSampler = sqliteFile ? setInterval((file: string) => walTimeline.push({ at: performance.now(), frames: walFrames(file) }), 100, sqliteFile) : null;
  const sampler = setInterval(() => {
    rssTimeline.push(rssLine(servers));
    servers.forEach((server, i) => void metricsOf(server).then((m) => m && metricTimeline[i]!.push(m)));
    drainEvents();
  }, 1000);
  const middle = setTimeout(() => void (rss.middle = rssLine(servers)), (DURATION_S * 1000) / 2);
  const snapshot = () => servers.forEach((s) => s.child.kill('SIGUSR2'));
  const snapshots = SERVER_HEAP ? [1, 2].map((third) => setTimeout(snapshot, (DURATION_S * 1000 * third) / 3)) : [];
  const loadStart = performance.now();
  const loadCpuStart = { servers: servers.map((s) => s.cpuMs()), client: process.cpuUsage() };
  const runs: Promise<RunResult>[] = [];
  for (const kind of KINDS) {
    const total = Math.max(1, Math.round(OFFICERS * MIX[kind]));
    endpoints.forEach((endpoint, i) => {
      const share = Math.floor(total / endpoints.length) + (i < total % endpoints.length ? 1 : 0);
      if (share > 0) runs.push(officers(kind, endpoint, share, DURATION_S, 'load', fixture));
    });
  }
  const results = await Promise.all(runs);
  const loadMs = performance.now() - loadStart;
  const loadServerCpuMs = servers.reduce((n, s, i) => n + s.cpuMs() - (loadCpuStart.servers[i] as number), 0);
  const loadClientCpu = process.cpuUsage(loadCpuStart.client);
  clearInterval(sampler);
  if (walSampler) clearInterval(walSampler);
  clearTimeout(middle);
  snapshots.forEach(clearTimeout);
  if (SERVER_HEAP) snapshot();
  rss.end = rssLine(servers);
  await sleep(500); // the last tally events
  drainEvents();
  const dashboardErrors = dashboards.reduce((n, d) => n + d.errors.length, 0);
  for (const d of dashboards) d.close();

  // ── Report ───────────────────────────────────────────────────────────────────────────────
  const transportErrors = results.reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0);
  const rows = [['kind', 'requests', 'req/s', 'p50', 'p95', 'p99', 'max', 'baseline p95', 'p95 vs baseline', 'server CPU/request', 'failures']];
  let worstP95 = 0;
  for (const kind of KINDS) {
    const loaded = [...(latencies.load.get(kind) ?? [])].sort((a, b) => a - b);
    const base = [...(latencies.baseline.get(kind) ?? [])].sort((a, b) => a - b);
    const p95 = percentile(loaded, 0.95);
    worstP95 = Math.max(worstP95, p95);
    rows.push([
      kind,
      int(loaded.length),
      (loaded.length / (loadMs / 1000)).toFixed(0),
      ms(percentile(loaded, 0.5)),
      ms(p95),
      ms(percentile(loaded, 0.99)),
      ms(loaded[loaded.length - 1] ?? Number.NaN),
      ms(percentile(base, 0.95)),
      ratio(p95, percentile(base, 0.95)),
      ms(cpuPerRequest.get(kind) ?? Number.NaN),
      int(failures.get(kind)?.length ?? 0),
    ]);
  }
  console.log('');
  console.log(table(rows));
  console.log('');
  console.log(`dashboards: ${DASHBOARDS} SSE streams, ${int(dashboardEvents)} tally events received (${(dashboardEvents / Math.max(1, DASHBOARDS) / (loadMs / 1000)).toFixed(1)} per stream per second), ${dashboardErrors} stream errors`);
  // Everything the server did under load (requests, tally fan-out, GC) per request answered, and
  // how much of the machine the server(s) and this load generator each took.
  const loadRequests = KINDS.reduce((n, kind) => n + (latencies.load.get(kind)?.length ?? 0), 0);
  console.log(
    `server CPU under load: ${ms(loadServerCpuMs / Math.max(1, loadRequests))} per request answered (all kinds and the dashboards' events), ${((loadServerCpuMs / loadMs) * 100).toFixed(0)}% of one core; load generator: ${(((loadClientCpu.user + loadClientCpu.system) / 1000 / loadMs) * 100).toFixed(0)}% of one core; load average at the end ${(await import('node:os')).loadavg()[0]?.toFixed(1)}`,
  );
  const timeouts = results.reduce((n, r) => n + r.timeouts, 0);
  const codes = [...transportErrorCodes].map(([code, n]) => `${n}× ${code}`);
  if (timeouts) codes.push(`${timeouts}× no answer within ${REQUEST_TIMEOUT_MS / 1000} s`);
  console.log(`transport errors (socket errors, timeouts, non-2xx): ${transportErrors}${codes.length ? ` (${codes.join(', ')})` : ''}; server log: ${(logBytes / 1024 / 1024).toFixed(1)} MiB of JSON lines`);
  for (const detail of transportErrorDetails) console.log(`  ${detail} (bench clock; the load began at ${(loadStart / 1000).toFixed(1)} s)`);
  servers.forEach((_, i) => {
    const line = rssTimeline.map((r) => r[i] as number);
    console.log(`server ${i + 1} RSS: start ${mib(rss.start[i] as number)}, middle ${mib(rss.middle[i] ?? Number.NaN)}, end ${mib(rss.end[i] as number)} (min ${mib(Math.min(...line))}, max ${mib(Math.max(...line))} over the run)`);
    const samples = metricTimeline[i]!;
    const heap = heapGrowth(samples);
    const mid = samples[Math.floor(samples.length / 2)];
    console.log(
      `server ${i + 1} V8 heap in use: start ${mib((heapStart[i]?.heapUsed ?? Number.NaN) / 1024)}, middle ${mib((mid?.heapUsed ?? Number.NaN) / 1024)}, end ${mib((samples[samples.length - 1]?.heapUsed ?? Number.NaN) / 1024)}; live after a full collection: start ${mib((heapStart[i]?.heapLive ?? Number.NaN) / 1024)}, lowest in the middle third ${mib(heap.middle / 1024)}, in the last third ${mib(heap.end / 1024)}`,
    );
  });
  reportStalls(loadStart, metricTimeline, walTimeline);
  for (const [kind, list] of failures) console.log(`  ${kind} failures, first: ${list.slice(0, 3).join(' | ')}`);

  // Every acknowledged outcome is stored (an update nobody heard back from may or may not be).
  const ids = [...acknowledged.keys()];
  const stored = new Map<string, { status: string; version: number }>();
  for (let i = 0; i < ids.length; i += 5000) {
    for (const o of await db.outcome.findMany({ where: { id: { in: ids.slice(i, i + 5000) } }, select: { id: true, status: true, version: true } })) stored.set(o.id, o);
  }
  const missing = ids.filter((id) => {
    const row = stored.get(id);
    const ack = acknowledged.get(id) as { status: string; version: number };
    return !row || row.version < ack.version || (row.status !== ack.status && maybe.get(id) !== row.status);
  });
  // Requests still running when the clients stopped keep committing for a moment; a recount taken
  // meanwhile would compare counters and rows from different moments. Recount once it is quiet.
  let drift = await verifyDriveTallies(db, fixture.driveId);
  for (let attempt = 0; drift.length && attempt < 5; attempt++) {
    await sleep(3000);
    drift = await verifyDriveTallies(db, fixture.driveId);
  }
  for (const d of drift.slice(0, 5)) console.log(`  drift: ${d.table} ${d.key} ${d.field}: stored ${d.stored}, recount ${d.expected}`);
  console.log(`outcomes acknowledged: ${int(ids.length)}, stored as acknowledged: ${int(ids.length - missing.length)}, missing or stale: ${missing.length}; students pasted: ${int(pastedRows)} new, ${int(repastedRows)} over earlier pastes; tally drift after the run: ${drift.length}`);

  const growth = metricTimeline.map((samples) => heapGrowth(samples).growth);
  const failureCount = [...failures.values()].reduce((n, l) => n + l.length, 0);
  const verdicts = [
    [`p95 < 200 ms for every kind (worst ${ms(worstP95)})`, worstP95 < 200],
    [`0 errors (${transportErrors + failureCount + dashboardErrors})`, transportErrors + failureCount + dashboardErrors === 0],
    [`memory flat: live heap's low point, middle → last third, within 10% (${growth.map((g) => `${(g * 100).toFixed(1)}%`).join(', ')})`, growth.every((g) => g < 0.1)],
    ['every acknowledged outcome stored', missing.length === 0 && ids.length > 0],
    ['tallies recount clean', drift.length === 0],
  ] as const;
  console.log('');
  for (const [what, ok] of verdicts) console.log(`${ok ? 'PASS' : 'FAIL'}  ${what}`);
  console.log(`\n(bench took ${secs(performance.now() - benchStart)}; client and server share this machine's ${(await import('node:os')).cpus().length} cores)`);
  if (missing.length || drift.length) process.exitCode = 1;
}

try {
  await main();
} catch (error) {
  console.error(`bench:load failed: ${(error as Error).stack ?? error}`);
  process.exitCode = 1;
} finally {
  await runCleanup();
}
process.exit(process.exitCode ?? 0);
