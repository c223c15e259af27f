// Fuzzing the real Yoga handler on real databases with operations generated from the real schema:
// valid-looking queries and mutations with hostile values, wrong types, deep nesting, alias
// floods, fragment cycles, directive piles, and broken HTTP (bad JSON, wrong content types,
// batches, truncated bodies). Nothing may answer 5xx or an unexpected (masked) error, nothing may
// reject unhandled, the API must still answer afterwards, and the heap must not grow.
// Reproduce a failure with JEMPUT_FUZZ_SEED=<the printed seed>.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
} from 'graphql';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadRegions } from '../regions/load-regions.ts';
import { getSchema } from '../schema/index.ts';
import { describeOnEachDatabase } from '../test/databases.ts';
import { CSRF_HEADER, LIMITS } from './hardening.ts';

const SEED = Number(process.env.JEMPUT_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const OPERATIONS = Number(process.env.JEMPUT_FUZZ_OPERATIONS ?? 1000);
/** Yoga keeps the last 1,000 parsed and validated documents; the warm-up fills that cache. */
const WARM_UP = 1100;
/**
 * Heap growth allowed over the measured rounds. Caches (parsed documents, Prisma's query plans)
 * take ~2,500 distinct requests to fill and then hold ~30 MB (seen: +32 MB after 2,500, then
 * −4 MB over 2,500 more); a leak of more than ~15 KB per request breaks this margin.
 */
const HEAP_MARGIN_BYTES = 48 * 1024 * 1024;

/** mulberry32: small, fast and seedable, so a failing run can be replayed exactly. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  return { next, int, chance: (p: number) => next() < p, pick: <T>(items: readonly T[]): T => items[int(items.length)]! };
}
type Random = ReturnType<typeof random>;

const HOSTILE_STRINGS = [
  "' OR 1=1 --",
  '" OR ""="',
  "'; DROP TABLE \"Student\"; --",
  '%',
  '_',
  '%_%',
  '\\',
  '\\%',
  '*',
  '$where',
  '{"$gt": ""}',
  '<script>alert(1)</script>',
  '${7*7}',
  '../../etc/passwd',
  '3573014501070001',
  '0'.repeat(16),
  '٣٥٧٣',
  'Ｓｉｓｗａ',
  '🇮🇩👩‍👩‍👧',
  '\u202eRTL',
  'e\u0301',
  '\ud800',
  '\u0000',
  ' ',
  '',
  'NULL',
  'null',
  'undefined',
  '-1',
  '1e309',
  '2024-02-30',
  '31/12/2007',
  'x'.repeat(LIMITS.stringChars + 1),
  'Nama '.repeat(500),
];

function hostileString(r: Random): string {
  if (r.chance(0.15)) return Array.from({ length: r.int(40) }, () => String.fromCodePoint(r.int(0x2ffff))).join('');
  if (r.chance(0.1)) return 'a'.repeat(r.int(20_000));
  return r.pick(HOSTILE_STRINGS);
}

function randomScalar(r: Random, name: string): unknown {
  // Sometimes the right type, often not.
  switch (r.int(8)) {
    case 0:
      return hostileString(r);
    case 1:
      return r.pick([0, -1, 1, 2 ** 31, -(2 ** 31) - 1, 1.5, Number.MAX_SAFE_INTEGER, 500, 501, 5001]);
    case 2:
      return r.chance(0.5);
    case 3:
      return null;
    case 4:
      return [hostileString(r)];
    case 5:
      return { nested: hostileString(r) };
    default:
      if (name === 'Int') return r.pick([0, 1, 5, 100, 500, -5, 100_000]);
      if (name === 'Boolean') return r.chance(0.5);
      if (name === 'Date') return r.pick(['2007-05-17', '2024-10-01', '1900-01-01', '9999-12-31', '2007-13-01']);
      if (name === 'DateTime') return r.pick(['2024-10-01T08:00:00+07:00', 'yesterday', '2024-10-01']);
      if (name === 'ID') return r.pick(['x', 'sch_0001', 'clzzzzzzzzzzzzzzzzzzzzzzz', hostileString(r)]);
      return hostileString(r);
  }
}

function randomInput(r: Random, type: GraphQLInputType, depth = 0): unknown {
  if (isNonNullType(type)) return r.chance(0.05) ? null : randomInput(r, type.ofType, depth);
  if (r.chance(0.05)) return null;
  if (isListType(type)) return Array.from({ length: r.chance(0.05) ? 300 : r.int(4) }, () => randomInput(r, type.ofType, depth + 1));
  if (isEnumType(type)) return r.chance(0.85) ? r.pick(type.getValues()).name : hostileString(r);
  if (isInputObjectType(type)) {
    if (depth > 4 || r.chance(0.05)) return hostileString(r);
    const out: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) if (isNonNullType(field.type) || r.chance(0.4)) out[field.name] = randomInput(r, field.type, depth + 1);
    if (r.chance(0.05)) out.notAField = hostileString(r);
    return out;
  }
  return randomScalar(r, (type as GraphQLNamedType).name);
}

function typeString(type: GraphQLInputType): string {
  return type.toString();
}

type Built = { query: string; variables: Record<string, unknown> };

/** A random selection of an output type; `budget` bounds its size. */
function selection(r: Random, type: GraphQLNamedType, depth: number, maxDepth: number, fragments: string[]): string {
  if (isScalarType(type) || isEnumType(type)) return '';
  if (depth >= maxDepth) return '{ __typename }';
  if (isUnionType(type) || isInterfaceType(type)) {
    const members = isUnionType(type) ? type.getTypes() : getSchema().getPossibleTypes(type);
    const chosen = members.filter(() => r.chance(0.6));
    return `{ __typename ${chosen.map((m) => `... on ${m.name} ${selection(r, m, depth + 1, maxDepth, fragments)}`).join(' ')} }`;
  }
  const object = type as GraphQLObjectType;
  const fields = Object.values(object.getFields());
  const parts: string[] = ['__typename'];
  for (const field of fields) {
    if (!r.chance(depth === 0 ? 0.7 : 0.35)) continue;
    if (field.args.some((a) => isNonNullType(a.type))) continue;
    const named = getNamedType(field.type);
    parts.push(`${field.name}${selection(r, named, depth + 1, maxDepth, fragments)}`);
  }
  if (r.chance(0.05) && fragments.length) parts.push(`...${r.pick(fragments)}`);
  if (r.chance(0.03)) parts.push(`__typename @skip(if: false) @include(if: true)`);
  return `{ ${parts.join(' ')} }`;
}

function operation(r: Random, kind: 'query' | 'mutation'): Built {
  const schema = getSchema();
  const root = kind === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
  const fields = Object.values(root.getFields());
  const variables: Record<string, unknown> = {};
  const declarations: string[] = [];
  const fragments: string[] = [];
  const fragmentDefs: string[] = [];
  // Sometimes a fragment cycle (invalid) or a fragment bomb.
  if (r.chance(0.05)) {
    fragmentDefs.push('fragment A on Query { ...B __typename }', 'fragment B on Query { ...A }');
    fragments.push('A');
  }
  const rootFields: string[] = [];
  const count = r.chance(0.05) ? LIMITS.aliases + 5 : 1 + r.int(3);
  for (let i = 0; i < count; i++) {
    const field: GraphQLField<unknown, unknown> = r.pick(fields);
    const args = field.args.map((arg) => {
      if (!isNonNullType(arg.type) && r.chance(0.5)) return '';
      const value = randomInput(r, arg.type);
      if (r.chance(0.7)) {
        const name = `v${declarations.length}`;
        // Usually declared with the right type; sometimes with a wrong one.
        declarations.push(`$${name}: ${r.chance(0.9) ? typeString(arg.type) : r.pick(['Int', 'String!', '[ID]', 'Boolean'])}`);
        variables[name] = value;
        return `${arg.name}: $${name}`;
      }
      return `${arg.name}: ${JSON.stringify(value)?.replace(/"([A-Za-z_][A-Za-z0-9_]*)":/g, '$1:') ?? 'null'}`;
    });
    const argText = args.filter(Boolean).join(', ');
    const maxDepth = r.chance(0.1) ? 14 : 1 + r.int(6);
    rootFields.push(`f${i}: ${field.name}${argText ? `(${argText})` : ''} ${selection(r, getNamedType(field.type), 1, maxDepth, fragments)}`);
  }
  const header = `${kind}${declarations.length ? `(${declarations.join(', ')})` : ''}`;
  return { query: `${header} { ${rootFields.join(' ')} } ${kind === 'query' ? fragmentDefs.join(' ') : ''}`, variables };
}

/** Deep nesting as raw text: a parser stress, whatever the schema says. */
function deepText(r: Random): string {
  const depth = 50 + r.int(3000);
  return `{ ${'students { edges { node { school { '.repeat(Math.ceil(depth / 4))}id${' }'.repeat(depth)} }`;
}

type Attempt = { label: string; init: RequestInit; url?: string };

function attempt(r: Random): Attempt {
  const json = { 'content-type': 'application/json', ...(r.chance(0.5) ? { 'accept-language': 'en' } : {}) };
  const roll = r.next();
  if (roll < 0.55) {
    const op = operation(r, 'query');
    return { label: 'query', init: { method: 'POST', headers: json, body: JSON.stringify(op) } };
  }
  if (roll < 0.75) {
    const op = operation(r, 'mutation');
    return { label: 'mutation', init: { method: 'POST', headers: json, body: JSON.stringify(op) } };
  }
  if (roll < 0.8) return { label: 'deep text', init: { method: 'POST', headers: json, body: JSON.stringify({ query: deepText(r) }) } };
  if (roll < 0.85) {
    const op = operation(r, 'query');
    const params = new URLSearchParams({ query: op.query, variables: JSON.stringify(op.variables) });
    return { label: 'GET', url: `http://fuzz/graphql?${params}`, init: { method: 'GET', headers: r.chance(0.8) ? { [CSRF_HEADER]: '1' } : {} } };
  }
  if (roll < 0.9) {
    const body = JSON.stringify(operation(r, r.chance(0.5) ? 'query' : 'mutation'));
    return { label: 'truncated JSON', init: { method: 'POST', headers: json, body: body.slice(0, r.int(body.length)) } };
  }
  if (roll < 0.93) {
    const ops = Array.from({ length: 2 + r.int(30) }, () => operation(r, 'query'));
    return { label: 'batch', init: { method: 'POST', headers: json, body: JSON.stringify(ops) } };
  }
  if (roll < 0.96) {
    const type = r.pick(['text/plain', 'application/xml', 'application/graphql', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/json; charset=latin1', '']);
    return { label: `content-type ${type}`, init: { method: 'POST', headers: { 'content-type': type, [CSRF_HEADER]: '1' }, body: JSON.stringify(operation(r, 'query')) } };
  }
  const bytes = Uint8Array.from({ length: r.int(4000) }, () => r.int(256));
  return { label: 'random bytes', init: { method: 'POST', headers: json, body: bytes } };
}

function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

describeOnEachDatabase('fuzzing the API', (api) => {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => void rejections.push(reason);
  const unexpected: string[] = [];
  const originalError = console.error;

  beforeAll(async () => {
    console.log(`fuzz seed ${SEED} (replay: JEMPUT_FUZZ_SEED=${SEED}), ${WARM_UP} + ${OPERATIONS} operations`);
    await loadRegions(api().db, '35.73');
    await api().data(
      `mutation ($input: SchoolInput!) { createSchool(input: $input) { __typename } }`,
      { input: { npsn: '20533001', name: 'SMA Negeri 1 Malang', level: 'SMA', status: 'NEGERI', districtCode: '357301' } },
    );
    process.on('unhandledRejection', onRejection);
    console.error = (...args: unknown[]) => {
      const line = args.map(String).join(' ');
      if (/unexpected error/.test(line)) unexpected.push(line.slice(0, 2000));
    };
  });
  afterAll(() => {
    process.off('unhandledRejection', onRejection);
    console.error = originalError;
  });

  async function round(r: Random, count: number, failures: string[]) {
    for (let i = 0; i < count; i++) {
      const { label, init, url } = attempt(r);
      const response = await api().fetch(url ?? 'http://fuzz/graphql', init);
      const text = await response.text();
      // The test database records every SQL statement (for N+1 checks); not wanted here.
      api().queries.length = 0;
      const where = `seed ${SEED}, ${label} #${i}: ${String(init.body ?? url).slice(0, 300)}`;
      if (response.status >= 500) failures.push(`HTTP ${response.status} — ${where} → ${text.slice(0, 300)}`);
      if (/\n\s+at |"stack"|originalError/.test(text)) failures.push(`stack leaked — ${where}`);
      if (/INTERNAL_SERVER_ERROR/.test(text)) failures.push(`unexpected error — ${where} → ${text.slice(0, 300)}`);
    }
  }

  it('answers thousands of hostile requests with data or a 4xx, never a 5xx, a crash or a leak', async () => {
    const r = random(SEED);
    const failures: string[] = [];
    // Caches (parsed documents, Prisma's query plans…) fill up during the first rounds; after
    // that, a leak shows as steady growth from one round to the next.
    await round(r, WARM_UP, failures);
    const start = heapAfterGc();
    await round(r, OPERATIONS / 2, failures);
    const middle = heapAfterGc();
    await round(r, OPERATIONS / 2, failures);
    await api().feed.settled();
    const end = heapAfterGc();
    const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
    console.log(`fuzz seed ${SEED}: heap ${mb(start)} → ${mb(middle)} → ${mb(end)}`);

    // What the server logged for them, one line per distinct error, to point at the fix.
    expect([...new Set(unexpected.map((line) => line.split('\n').slice(0, 2).join(' | ')))].slice(0, 10), `seed ${SEED}`).toEqual([]);
    expect(failures.slice(0, 10), `seed ${SEED}`).toEqual([]);
    expect(rejections, `seed ${SEED}`).toEqual([]);
    expect(end - start, `seed ${SEED}: heap grew ${mb(end - start)} over ${OPERATIONS} requests`).toBeLessThan(HEAP_MARGIN_BYTES);
    // Still serving normally (with a fresh session: the fuzz may have sent `logout` with the default one).
    const schools = await (await api().as({ role: 'ADMIN' })).data('{ schools(first: 5) { totalCount edges { node { name } } } }');
    expect(schools.schools.edges.some((e: any) => e.node.name === 'SMA Negeri 1 Malang')).toBe(true);
  }, 120_000);
});
