// Prisma 6's client engine compiles every query into a query plan in its WebAssembly query
// compiler, and keeps nothing: under load that compile was about a quarter of the server's CPU
// (Prisma 7 caches plans, but cannot be installed here; see shared/STACK.md). A plan is a pure
// function of the compiler's schema and the query's JSON text, values included (Prisma 6 cannot
// compile placeholders for most values, so the cache is by exact text); values made at run time
// (now(), cuid()) are generator calls inside the plan, evaluated anew each time it runs. So the
// same text may reuse the plan: a roster page that officers page through again, a school's count,
// the reads of an edit, the live feed's queries are compiled once.
//
// The interpreter may write into objects it got from a plan (mapRecord, join), so each use gets
// its own copy (a few microseconds against the compile's hundreds). A plan is
// kept once its text has come twice: one-off queries would only fill the cache.
// Raw queries are not kept: their parameters are part of the text and rarely repeat. Reads, alone
// or in a batch, are kept by shape: the text values of their where clause and cursor become
// placeholders (plan-params.ts), bound around the plan when it runs.
import * as sqliteRuntime from '@prisma/client/runtime/query_compiler_bg.sqlite.mjs';
import * as postgresRuntime from '@prisma/client/runtime/query_compiler_bg.postgresql.mjs';
import { parameterizeBatch, parameterizeRead } from './plan-params.ts';

/** Plans kept per compiler (one per PrismaClient), least recently used dropped first. */
const MAX_PLANS = 1000;
/**
 * Query texts seen once, per compiler: a plan is kept only when its text comes a second time, so
 * one-off queries (a paste's 50 new ids) do not fill the cache and grow the heap.
 */
const MAX_SEEN = 2000;
/** Longer query texts (big IN lists, batches) are compiled every time: they rarely repeat. */
const MAX_KEY_LENGTH = 16_384;

export type PlanCacheCounts = { hits: number; misses: number; skipped: number };
/** Process-wide counts, for tests and the bench. */
export const planCacheCounts: PlanCacheCounts = { hits: 0, misses: 0, skipped: 0 };

const RAW = /^\{(?:"modelName":"[^"]*",)?"action":"(?:queryRaw|executeRaw|runCommandRaw)"/;

type Compiler = { compile(query: string): unknown; compileBatch(request: string): unknown };
type CompilerClass = { prototype: Compiler & { __jemputPlanCache?: true } };

const caches = new WeakMap<object, { plans: Map<string, unknown>; seen: Set<string> }>();

function cached(compiler: object, key: string, compile: () => unknown): unknown {
  if (key.length > MAX_KEY_LENGTH || RAW.test(key)) {
    planCacheCounts.skipped++;
    return compile();
  }
  let cache = caches.get(compiler);
  if (!cache) caches.set(compiler, (cache = { plans: new Map(), seen: new Set() }));
  const { plans, seen } = cache;
  const plan = plans.get(key);
  if (plan !== undefined) {
    planCacheCounts.hits++;
    plans.delete(key); // most recently used last
    plans.set(key, plan);
    return copyPlan(plan);
  }
  planCacheCounts.misses++;
  const fresh = compile();
  if (seen.delete(key)) {
    if (plans.size >= MAX_PLANS) plans.delete(plans.keys().next().value as string);
    plans.set(key, copyPlan(fresh));
  } else {
    if (seen.size >= MAX_SEEN) seen.delete(seen.values().next().value as string);
    seen.add(key);
  }
  return fresh;
}

/**
 * A deep copy of a plan. Plans are JSON-shaped (objects, arrays, text, numbers); a walk over them
 * costs about a seventh of structuredClone's, which remains for anything else they may hold.
 */
function copyPlan(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyPlan);
  if (Object.getPrototypeOf(value) !== Object.prototype) return structuredClone(value);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = copyPlan((value as Record<string, unknown>)[key]);
  return copy;
}

/** A plan made with placeholders, run with `values`: the interpreter reads a placeholder from the scope its plan runs in, and `let` puts them there. */
function bound(plan: unknown, values: string[]): unknown {
  return values.length ? { type: 'let', args: { bindings: values.map((value, i) => ({ name: `%${i + 1}`, expr: { type: 'value', args: value } })), expr: plan } } : plan;
}

function patch(runtime: unknown): void {
  const Compiler = (runtime as { QueryCompiler?: CompilerClass }).QueryCompiler;
  if (!Compiler || Compiler.prototype.__jemputPlanCache) return;
  const { compile, compileBatch } = Compiler.prototype;
  Compiler.prototype.compile = function (this: Compiler, query: string) {
    const read = query.length <= MAX_KEY_LENGTH ? parameterizeRead(query) : null;
    if (!read) return cached(this, query, () => compile.call(this, query));
    return bound(cached(this, read.query, () => compile.call(this, read.query)), read.values);
  };
  Compiler.prototype.compileBatch = function (this: Compiler, request: string) {
    const reads = request.length <= MAX_KEY_LENGTH ? parameterizeBatch(request) : null;
    if (!reads) return cached(this, `batch:${request}`, () => compileBatch.call(this, request));
    const batch = cached(this, `batch:${reads.request}`, () => compileBatch.call(this, reads.request)) as { type: string; plans?: unknown[] };
    // One plan per query ("multi") is what such a batch compiles to; anything else is compiled as sent.
    if (batch.type !== 'multi' || !batch.plans) return compileBatch.call(this, request);
    return { ...batch, plans: batch.plans.map((plan, i) => bound(plan, reads.values[i]!)) };
  };
  Compiler.prototype.__jemputPlanCache = true;
}

/** Makes every PrismaClient of this process (SQLite and PostgreSQL) reuse its compiled plans. */
export function installPlanCache(): void {
  patch(sqliteRuntime);
  patch(postgresRuntime);
}
