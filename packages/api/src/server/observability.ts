// What an office's admin (or Prometheus) sees of a running server:
//   - one JSON line per GraphQL request (pino): request id, operation, duration, user, status —
//     never variables or results, and any 16-digit run (a NIK) is masked before a line is written;
//   - Prometheus metrics (prom-client): requests and latency per operation, open subscriptions,
//     SQLite file sizes or the PostgreSQL pool, process metrics and the live heap (live-heap.ts);
//   - /readyz: the database answers and every committed migration is applied.
import { randomUUID } from 'node:crypto';
import { statSync, existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getOperationAST, Kind, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { pino, type Logger } from 'pino';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { maskNik } from '@jemput/core';
import { listCommittedMigrations } from '../db/migrations-list.ts';
import { registerLiveHeapGauge } from './live-heap.ts';
import { postgresPoolOf, sqliteFilePath, type Db, type DbProvider } from '../db/client.ts';

export type { Logger };

/** A NIK is 16 digits; nothing else the server logs is (timestamps have 13, ids are not all digits). */
const NIK_LIKE = /(?<!\d)\d{16}(?!\d)/g;

export function scrubNiks(text: string): string {
  return text.replace(NIK_LIKE, (nik) => maskNik(nik));
}

/** JSON lines on stdout (or `write`), NIKs masked at the last step so no code path can leak one. */
export function createLogger(options: { level?: string; write?: (line: string) => void } = {}): Logger {
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      base: { service: 'jemput', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    { write: (line: string) => write(scrubNiks(line)) },
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });

type RequestState = {
  id: string;
  started: number;
  operation: string;
  operationName: string | null;
  type: string;
  userId: string | null;
  errors: number;
  errorCodes: string[];
};

/** Root fields of the executed operation, e.g. "students" or "upsertOutcomes": bounded by the schema, unlike client-chosen operation names. */
function rootFields(document: DocumentNode, operationName?: string | null): { label: string; type: string; name: string | null } {
  const operation = getOperationAST(document, operationName);
  if (!operation) return { label: '(unknown)', type: 'unknown', name: null };
  const names = operation.selectionSet.selections
    .filter((s) => s.kind === Kind.FIELD && s.name.value !== '__typename')
    .map((s) => (s.kind === Kind.FIELD ? s.name.value : ''));
  const sorted = [...new Set(names)].sort();
  return { label: sorted.length ? sorted.slice(0, 4).join(',') + (sorted.length > 4 ? ',…' : '') : '(none)', type: operation.operation, name: operation.name?.value ?? null };
}

export type Observability = ReturnType<typeof createObservability>;

export function createObservability(options: { db: Db; provider: DbProvider; databaseUrl?: string; logger?: Logger }) {
  const logger = options.logger ?? silentLogger;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerLiveHeapGauge(registry);

  const labelNames = ['operation', 'type'] as const;
  const requests = new Counter({
    name: 'jemput_graphql_requests_total',
    help: 'GraphQL requests by root field(s), operation type and outcome (ok: no GraphQL errors)',
    labelNames: [...labelNames, 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'jemput_graphql_request_duration_seconds',
    help: 'Time from request to response headers, by root field(s) and operation type',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
    registers: [registry],
  });
  const inFlight = new Gauge({ name: 'jemput_graphql_requests_in_flight', help: 'GraphQL requests received and not yet answered', registers: [registry] });
  const subscriptions = new Gauge({ name: 'jemput_subscriptions_open', help: 'Open GraphQL subscriptions (SSE streams)', registers: [registry] });

  if (options.provider === 'sqlite' && options.databaseUrl) {
    const file = sqliteFilePath(options.databaseUrl);
    new Gauge({
      name: 'jemput_sqlite_file_bytes',
      help: 'Size of the SQLite database file and its write-ahead log',
      labelNames: ['file'] as const,
      registers: [registry],
      collect() {
        for (const [label, path] of [['database', file], ['wal', `${file}-wal`]] as const) {
          this.set({ file: label }, existsSync(path) ? statSync(path).size : 0);
        }
      },
    });
  }
  const pool = postgresPoolOf(options.db);
  if (pool) {
    new Gauge({
      name: 'jemput_db_pool_connections',
      help: 'PostgreSQL pool connections: total, idle, and requests waiting for one',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }

  const states = new WeakMap<Request, RequestState>();
  const stateOf = (context: unknown): RequestState | undefined => {
    const request = (context as { request?: Request } | undefined)?.request;
    return request ? states.get(request) : undefined;
  };
  const describe = (state: RequestState | undefined, args: { document: DocumentNode; operationName?: string | null; contextValue: unknown }) => {
    if (!state) return;
    const { label, type, name } = rootFields(args.document, args.operationName);
    state.operation = label;
    state.type = type;
    state.operationName = name;
    state.userId = (args.contextValue as { userId?: string | null }).userId ?? null;
  };
  const noteErrors = (state: RequestState | undefined, result: ExecutionResult) => {
    if (!state || !result.errors?.length) return;
    state.errors += result.errors.length;
    // Codes only: a message may quote what the user typed.
    for (const e of result.errors) state.errorCodes.push(String(e.extensions?.code ?? 'ERROR'));
  };

  const plugin: Plugin = {
    onRequest({ request }) {
      inFlight.inc();
      const given = request.headers.get('x-request-id');
      states.set(request, {
        id: given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID(),
        started: performance.now(),
        operation: '(unparsed)',
        operationName: null,
        type: 'unknown',
        userId: null,
        errors: 0,
        errorCodes: [],
      });
    },
    onExecute({ args }) {
      const state = stateOf(args.contextValue);
      describe(state, args);
    },
    onResultProcess({ request, result }) {
      // Every result the client gets, including parse and validation failures that never execute.
      if (!Array.isArray(result) && !(Symbol.asyncIterator in result)) noteErrors(states.get(request), result as ExecutionResult);
    },
    onSubscribe({ args }) {
      const state = stateOf(args.contextValue);
      describe(state, args);
      return {
        onSubscribeResult({ result }) {
          if (!(Symbol.asyncIterator in result)) return;
          subscriptions.inc();
          const opened = performance.now();
          return {
            onEnd() {
              subscriptions.dec();
              logger.info({ reqId: state?.id, operation: state?.operation, type: 'subscription', userId: state?.userId ?? null, openMs: Math.round(performance.now() - opened) }, 'subscription closed');
            },
          };
        },
      };
    },
    onResponse({ request, response }) {
      const state = states.get(request);
      if (!state) return;
      inFlight.dec();
      const seconds = (performance.now() - state.started) / 1000;
      const ok = response.status < 400 && state.errors === 0;
      requests.inc({ operation: state.operation, type: state.type, status: ok ? 'ok' : 'error' });
      latency.observe({ operation: state.operation, type: state.type }, seconds);
      response.headers.set('x-request-id', state.id);
      logger.info(
        {
          reqId: state.id,
          operation: state.operation,
          operationName: state.operationName,
          type: state.type,
          userId: state.userId,
          status: response.status,
          errors: state.errors || undefined,
          errorCodes: state.errorCodes.length ? [...new Set(state.errorCodes)] : undefined,
          durationMs: Math.round(seconds * 10_000) / 10,
        },
        state.type === 'subscription' && ok ? 'subscription opened' : 'graphql',
      );
    },
  };

  let draining = false;
  const committedMigrations = listCommittedMigrations(options.provider);

  async function readiness(): Promise<{ ready: boolean; body: Record<string, unknown> }> {
    if (draining) return { ready: false, body: { status: 'draining' } };
    try {
      const rows = await options.db.$queryRawUnsafe<{ migration_name: string }[]>(
        'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
      );
      const applied = new Set(rows.map((r) => r.migration_name));
      const missing = committedMigrations.filter((m) => !applied.has(m));
      const unknown = [...applied].filter((m) => !committedMigrations.includes(m));
      const ready = missing.length === 0;
      return { ready, body: { status: ready ? 'ready' : 'migrations pending', database: 'ok', migrations: { applied: applied.size, committed: committedMigrations.length, missing, unknown } } };
    } catch (error) {
      return { ready: false, body: { status: 'database unreachable', database: firstLine((error as Error).message) } };
    }
  }

  /** Serves /readyz and /metrics; false for any other path. */
  function handle(req: IncomingMessage, res: ServerResponse): boolean {
    const path = req.url?.split('?')[0];
    if (path === '/readyz') {
      void readiness().then(({ ready, body }) => {
        res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(body));
      });
      return true;
    }
    if (path === '/metrics') {
      registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(text);
        },
        (error: Error) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(firstLine(error.message));
        },
      );
      return true;
    }
    return false;
  }

  return {
    logger,
    registry,
    plugin,
    readiness,
    handle,
    /** From now on /readyz answers 503, so a load balancer stops sending new work. */
    startDraining: () => void (draining = true),
  };
}

function firstLine(text: string): string {
  return scrubNiks(text.split('\n').find((l) => l.trim()) ?? text).slice(0, 300);
}
