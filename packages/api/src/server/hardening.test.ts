// The hardened API through the real Yoga handler on real databases: CSRF, masked errors, limits
// sized so the grid still works (a 5,000-row paste, a 500-row page, a 100-row delete), body sizes,
// introspection/GraphiQL by NODE_ENV, bad input answered 4xx, and the HTTP security headers.
import { type AddressInfo } from 'node:net';
import { composeNik } from '@jemput/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegions } from '../regions/load-regions.ts';
import { createTestApi, describeOnEachDatabase, type TestApi } from '../test/databases.ts';
import { createApp, createYogaApp } from './app.ts';
import { APP_CSP, CSRF_HEADER, LIMITS, scrubNiks } from './hardening.ts';

const URL_ = 'http://test/graphql';
// A function, not a shared object: whatwg-node's fetch writes content-length into the headers object it is given.
const json = () => ({ 'content-type': 'application/json' });

/** What the Siswa grid sends (packages/web/src/screens/students-api.ts), field for field. */
const STUDENT_FIELDS = 'id version name nisn nik sex birthPlace birthDate className married schoolId school { id name }';
const GRID_PAGE = `query StudentsPage($first: Int, $offset: Int, $filter: StudentFilter, $sort: [StudentSort!], $search: String) {
  students(first: $first, offset: $offset, filter: $filter, sort: $sort, search: $search) { totalCount edges { node { ${STUDENT_FIELDS} } } } }`;
const GRID_UPSERT = `mutation UpsertStudents($rows: [StudentRowInput!]!) {
  upsertStudents(rows: $rows) { rows { index id status problems { field code severity message } row { ${STUDENT_FIELDS} } } } }`;

function gridDelete(count: number) {
  const declarations: string[] = [];
  const fields: string[] = [];
  for (let i = 0; i < count; i++) {
    declarations.push(`$id${i}: ID!`, `$v${i}: Int!`);
    fields.push(`d${i}: deleteStudent(id: $id${i}, version: $v${i}) { __typename ... on StudentConflictError { message current { ${STUDENT_FIELDS} } } ... on Error { message } }`);
  }
  return `mutation DeleteStudents(${declarations.join(', ')}) { ${fields.join('\n')} }`;
}

/** A worst-case grid row: every text at its maximum length. */
function longStudentRow(schoolId: string, i: number) {
  const sex = i % 2 ? 'P' : 'L';
  const birthDate = `2007-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
  return {
    name: `Siswa ${i} `.padEnd(200, 'a'),
    sex,
    birthDate,
    nik: composeNik({ districtCode: '35.73.01', birthDate, sex, serial: (i % 9999) + 1 }),
    nisn: String(80_000_000 + i).padStart(10, '0'),
    birthPlace: 'Malang'.padEnd(100, 'x'),
    className: `XII IPA ${(i % 3) + 1}`.padEnd(100, ' '),
    married: false,
    schoolId,
  };
}

async function post(api: TestApi, body: unknown, headers: Record<string, string> = json()) {
  const response = await api.fetch(URL_, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, body: (await response.json().catch(() => null)) as any };
}

describeOnEachDatabase('hardened API', (api) => {
  let schoolId: string;

  beforeAll(async () => {
    await loadRegions(api().db, '35.73');
    const school = await api().data(
      `mutation ($input: SchoolInput!) { createSchool(input: $input) { ... on MutationCreateSchoolSuccess { data { id } } } }`,
      { input: { npsn: '20533099', name: 'SMA Uji Keamanan', level: 'SMA', status: 'NEGERI', districtCode: '357301' } },
    );
    schoolId = school.createSchool.data.id;
  });

  describe('CSRF prevention', () => {
    it('refuses a GET query without the header (an <img> or link could send it) and answers one with it', async () => {
      const url = `${URL_}?query=${encodeURIComponent('{ schools(first: 1) { totalCount } }')}`;
      const bare = await api().fetch(url, { method: 'GET' });
      expect(bare.status).toBe(403);
      const withHeader = await api().fetch(url, { method: 'GET', headers: { [CSRF_HEADER]: '1' } });
      expect(withHeader.status).toBe(200);
      expect(((await withHeader.json()) as any).data.schools.totalCount).toBe(1);
    });

    it('refuses form-like POSTs without the header, lets JSON POSTs (preflighted) through', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const response = await api().fetch(URL_, { method: 'POST', headers: { 'content-type': type }, body: 'query={__typename}' });
        expect(response.status, type).toBe(403);
      }
      expect((await post(api(), { query: '{ __typename }' })).status).toBe(200);
    });

    it('accepts an SSE subscription request from fetch with the header', async () => {
      const drive = await api().data(`mutation { createDrive(input: { name: "Uji", electionDate: "2029-02-14", startDate: "2028-08-01", endDate: "2029-01-31" }) { ... on MutationCreateDriveSuccess { data { id } } } }`);
      const controller = new AbortController();
      const query = `subscription { tallyUpdates(driveId: "${drive.createDrive.data.id}") { __typename } }`;
      const bare = await api().fetch(`${URL_}?query=${encodeURIComponent(query)}`, { headers: { accept: 'text/event-stream' } });
      expect(bare.status).toBe(403);
      const response = await api().fetch(`${URL_}?query=${encodeURIComponent(query)}`, { headers: { accept: 'text/event-stream', [CSRF_HEADER]: '1' }, signal: controller.signal });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
      controller.abort();
    });
  });

  describe('limits sized to the grid', () => {
    it('a 5,000-row paste with every text at its maximum length is accepted and saved', async () => {
      const rows = Array.from({ length: 5000 }, (_, i) => longStudentRow(schoolId, i));
      const body = JSON.stringify({ query: GRID_UPSERT, variables: { rows } });
      expect(body.length).toBeLessThan(LIMITS.jsonBodyBytes);
      const response = await api().fetch(URL_, { method: 'POST', headers: json(), body });
      expect(response.status).toBe(200);
      const result = (await response.json()) as any;
      expect(result.errors).toBeUndefined();
      expect(result.data.upsertStudents.rows.filter((r: any) => r.status === 'CREATED')).toHaveLength(5000);
    }, 120_000);

    it('a 500-row grid page (the largest connection) passes depth and cost, with a literal first too', async () => {
      const page = await post(api(), { query: GRID_PAGE, variables: { first: 500, offset: 0 } });
      expect(page.body.errors).toBeUndefined();
      expect(page.body.data.students.edges).toHaveLength(500);
      const literal = await post(api(), { query: `{ students(first: 500) { totalCount edges { node { ${STUDENT_FIELDS} } } } }` });
      expect(literal.body.errors).toBeUndefined();
    });

    it('the grid deletes 100 rows in one request (one alias each)', async () => {
      const page = await api().data(`{ students(first: 100, sort: [{ field: NAME }]) { edges { node { id version } } } }`);
      const variables: Record<string, unknown> = {};
      page.students.edges.forEach((e: any, i: number) => {
        variables[`id${i}`] = e.node.id;
        variables[`v${i}`] = e.node.version;
      });
      const result = await post(api(), { query: gridDelete(100), variables });
      expect(result.body.errors).toBeUndefined();
      expect(Object.values(result.body.data).every((d: any) => d.__typename === 'MutationDeleteStudentSuccess')).toBe(true);
    });

    it('refuses too deep, too many aliases, directives or tokens, and too costly, before running anything', async () => {
      // Nest inline fragments-free selections past the depth limit on a self-referencing path.
      const tooDeep = `{ ${'a: __type(name: "Query") { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } }'} }`;
      const cases: [string, string, RegExp][] = [
        ['depth', tooDeep, /depth limit of 10/i],
        ['aliases', `{ ${Array.from({ length: LIMITS.aliases + 1 }, (_, i) => `a${i}: __typename`).join(' ')} }`, /aliases limit/i],
        ['directives', `{ __typename ${'@skip(if: false) '.repeat(LIMITS.directives + 1)} }`, /directives limit/i],
        ['tokens', `{ ${'__typename '.repeat(LIMITS.tokens)} }`, /token limit/i],
        ['cost', `{ ${['a', 'b', 'c'].map((a) => `${a}: students(first: 500) { edges { node { ${STUDENT_FIELDS} outcome { status recordedAt printedAt } } } }`).join(' ')} }`, /cost limit/i],
      ];
      for (const [name, query, message] of cases) {
        const result = await post(api(), { query });
        expect(result.status, name).toBeLessThan(500);
        expect(result.body.data ?? null, name).toBeNull();
        expect(result.body.errors?.[0]?.message, name).toMatch(message);
      }
    });
  });

  describe('request bodies', () => {
    it('refuses a JSON body over the limit with 413 and a clear message, by Content-Length or while streaming', async () => {
      const big = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(LIMITS.jsonBodyBytes) } });
      const declared = await post(api(), big);
      expect(declared.status, JSON.stringify(declared.body).slice(0, 300)).toBe(413);
      expect(declared.body.errors[0].message).toMatch(/terlalu besar.*8 MB/);
      const english = await post(api(), big, { ...json(), 'accept-language': 'en' });
      expect(english.body.errors[0].message).toMatch(/too large/);
      const bytes = new TextEncoder().encode(big);
      const chunked = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 1 << 20) controller.enqueue(bytes.slice(i, i + (1 << 20)));
          controller.close();
        },
      });
      const streamed = await api().fetch(URL_, { method: 'POST', headers: json(), body: chunked, duplex: 'half' } as RequestInit);
      expect(streamed.status).toBe(413);
    });

    it('lets a 20 MB multipart upload through and refuses one over 64 MB', async () => {
      const upload = (bytes: number) => {
        const form = new FormData();
        form.set('operations', JSON.stringify({ query: 'query ($file: String) { __typename }', variables: { file: null } }));
        form.set('map', JSON.stringify({ 0: ['variables.file'] }));
        form.set('0', new Blob([new Uint8Array(bytes)]), 'dapodik.xlsx');
        return api().fetch(URL_, { method: 'POST', headers: { [CSRF_HEADER]: '1' }, body: form });
      };
      const ok = await upload(20 * 1024 * 1024);
      expect(ok.status).not.toBe(413);
      expect(ok.status).toBeLessThan(500);
      // Without a Content-Length (a streamed FormData) Yoga stops reading at the limit and says 400.
      const tooBig = await upload(LIMITS.multipartBodyBytes + 1);
      expect([400, 413]).toContain(tooBig.status);
      expect(((await tooBig.json()) as any).errors[0].message).toMatch(/too large/i);
    });
  });

  describe('bad input gets a 4xx with a message, never a crash', () => {
    const cases: [string, RequestInit][] = [
      ['malformed JSON', { method: 'POST', headers: json(), body: '{"query": "{ __typename }"' }],
      ['not JSON at all', { method: 'POST', headers: json(), body: "' OR 1=1 --" }],
      ['wrong content type', { method: 'POST', headers: { 'content-type': 'application/xml', [CSRF_HEADER]: '1' }, body: '<query/>' }],
      ['no query', { method: 'POST', headers: json(), body: '{}' }],
      ['query not a string', { method: 'POST', headers: json(), body: '{"query": 42}' }],
      ['variables not an object', { method: 'POST', headers: json(), body: '{"query": "{ __typename }", "variables": "x"}' }],
      ['a batch (batching is off)', { method: 'POST', headers: json(), body: '[{"query": "{ __typename }"}, {"query": "{ __typename }"}]' }],
      ['a syntax error', { method: 'POST', headers: json(), body: '{"query": "{ students(first: ) }"}' }],
      ['an invalid variable', { method: 'POST', headers: json(), body: JSON.stringify({ query: 'query ($n: Int) { students(first: $n) { totalCount } }', variables: { n: 'lima' } }) }],
      ['an invalid Content-Length', { method: 'POST', headers: { ...json(), 'content-length': '-1' }, body: '{"query": "{ __typename }"}' }],
      ['a GET mutation', { method: 'GET', headers: { [CSRF_HEADER]: '1' } }],
    ];
    for (const [name, init] of cases) {
      it(name, async () => {
        const url = name === 'a GET mutation' ? `${URL_}?query=${encodeURIComponent('mutation { deleteStudent(id: "x", version: 1) { __typename } }')}` : URL_;
        const response = await api().fetch(url, init);
        expect(response.status, name).toBeGreaterThanOrEqual(200);
        expect(response.status, name).toBeLessThan(500);
        const body = (await response.json()) as any;
        expect(body.data ?? null, name).toBeNull();
        expect(body.errors[0].message.length, name).toBeGreaterThan(5);
        expect(JSON.stringify(body), name).not.toMatch(/\n\s+at /);
      });
    }

    it('injection strings and very long values in filters and quick search are just text', async () => {
      // Every student here was born in "Malang…" and is in class "XII IPA n…"; none matches these.
      for (const hostile of ["' OR 1=1 --", 'Mal\'ang', '\\', '"; DROP TABLE "Student"; --', '🇮🇩 ümlaut', 'x'.repeat(LIMITS.stringChars - 10)]) {
        const label = hostile.slice(0, 20);
        const filtered = await post(api(), { query: GRID_PAGE, variables: { first: 5, filter: { birthPlace: { startsWith: hostile }, className: { contains: hostile } } } });
        expect(filtered.status, label).toBe(200);
        expect(filtered.body.errors, label).toBeUndefined();
        expect(filtered.body.data.students.totalCount, label).toBe(0);
        const named = await post(api(), { query: GRID_PAGE, variables: { first: 5, filter: { name: { contains: `Siswa 1 ${hostile}` } }, search: hostile } });
        expect(named.status, label).toBe(200);
        expect(named.body.errors, label).toBeUndefined();
        expect(named.body.data.students.totalCount, label).toBe(0);
      }
      expect((await post(api(), { query: GRID_PAGE, variables: { first: 5, filter: { birthPlace: { startsWith: 'Malang' } } } })).body.data.students.totalCount).toBe(4900);
    });

    it('a NUL character or a text over the limit gets a 400 that says so, in variables or in the query', async () => {
      const cases: [string, RegExp][] = [['nama\u0000', /karakter yang tidak bisa disimpan/], ['nama \ud83c', /karakter yang tidak bisa disimpan/], ['x'.repeat(LIMITS.stringChars + 1), /Teks terlalu panjang/]];
      for (const [text, message] of cases) {
        const asVariable = await post(api(), { query: GRID_PAGE, variables: { first: 5, search: text } });
        expect(asVariable.status).toBe(400);
        expect(asVariable.body.errors[0].message).toMatch(message);
        const inQuery = await post(api(), { query: `{ students(first: 5, search: ${JSON.stringify(text)}) { totalCount } }` });
        // graphql's own lexer already refuses a broken \\u escape written into the query.
        expect(inQuery.body.errors[0].message).toMatch(new RegExp(`${message.source}|Invalid Unicode escape`));
        expect(inQuery.body.data ?? null).toBeNull();
      }
    });

    it('LIKE wildcards in a text filter are just characters: they never widen it, error or leave the office', async () => {
      // Prisma passes % and _ to LIKE unescaped (prisma/prisma#19506); common/filters.ts escapes them.
      for (const wildcard of ['%', '_', 'M%', 'Mal_ng']) {
        const result = await post(api(), { query: GRID_PAGE, variables: { first: 5, filter: { birthPlace: { startsWith: wildcard } }, search: wildcard } });
        expect(result.status, wildcard).toBe(200);
        expect(result.body.errors, wildcard).toBeUndefined();
        expect(result.body.data.students.totalCount, wildcard).toBe(0);
      }
    });
  });
});

describe('errors that nobody expected', () => {
  let api: TestApi;
  const logged: string[] = [];
  const originalError = console.error;

  beforeAll(async () => {
    api = await createTestApi('sqlite');
    console.error = (...args: unknown[]) => void logged.push(args.map(String).join(' '));
    // A real failure under the API: the table a resolver reads is gone.
    await api.db.$executeRawUnsafe('DROP TABLE "BlankStockMovement"');
  });
  afterAll(async () => {
    console.error = originalError;
    await api?.drop();
  });

  it('reach the client as one sentence with a code and no stack, in its language; the details are logged', async () => {
    for (const [language, message] of [['id', /Terjadi kesalahan tak terduga/], ['en', /Unexpected server error/]] as const) {
      const result = await api.gql('{ stockMovements(first: 1) { totalCount } }', {}, { 'accept-language': language });
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]!.message).toMatch(message);
      expect(result.errors![0]!.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
      expect(JSON.stringify(result)).not.toMatch(/BlankStockMovement|no such table|\n\s+at /);
    }
    expect(logged.some((line) => /unexpected error/.test(line) && /BlankStockMovement/.test(line))).toBe(true);
  });

  it('never show a stack even with NODE_ENV=development', async () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development';
    try {
      const result = await api.gql('{ stockMovements(first: 1) { totalCount } }');
      expect(result.errors![0]!.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
      expect(JSON.stringify(result)).not.toMatch(/originalError|stack|\n\s+at /);
    } finally {
      process.env.NODE_ENV = previous;
    }
  });

  it('GraphQLErrors we throw on purpose keep their message and code', async () => {
    const rows = Array.from({ length: 5001 }, () => ({ name: 'x' }));
    const result = await api.gql('mutation ($rows: [StudentRowInput!]!) { upsertStudents(rows: $rows) { created } }', { rows });
    expect(result.errors![0]!.message).toMatch(/5001/);
    expect(result.errors![0]!.extensions?.code).toBe('BATCH_TOO_LARGE');
  });

  it('NIKs are masked in the log', () => {
    expect(scrubNiks('Unique constraint failed on nik 3573014501070001 (row 12345)')).toBe('Unique constraint failed on nik 3573••••••••0001 (row 12345)');
  });
});

describe('introspection and GraphiQL follow NODE_ENV', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi('sqlite');
  });
  afterAll(async () => api?.drop());

  async function withNodeEnv<T>(value: string, run: () => Promise<T>): Promise<T> {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = value;
    try {
      return await run();
    } finally {
      process.env.NODE_ENV = previous;
    }
  }

  const yogaFor = (env: string) => withNodeEnv(env, async () => createYogaApp({ db: api.db, provider: api.provider, officeId: api.officeId }));
  const ask = async (yoga: Awaited<ReturnType<typeof yogaFor>>, query: string) =>
    (await (await yoga.fetch(URL_, { method: 'POST', headers: json(), body: JSON.stringify({ query }) })).json()) as any;

  it('production: no introspection, no field suggestions, no GraphiQL; __typename still works', async () => {
    const yoga = await yogaFor('production');
    const schema = await ask(yoga, '{ __schema { types { name } } }');
    expect(schema.data ?? null).toBeNull();
    expect(schema.errors[0].message).toMatch(/introspection/i);
    expect((await ask(yoga, '{ __type(name: "Student") { name } }')).errors[0].message).toMatch(/introspection/i);
    const typo = await ask(yoga, '{ studnets { totalCount } }');
    expect(typo.errors[0].message).not.toMatch(/Did you mean/);
    expect((await ask(yoga, '{ __typename }')).data.__typename).toBe('Query');
    const page = await yoga.fetch(URL_, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/graphiql/i);
    await withNodeEnv('production', async () => {
      const { server } = createApp({ db: api.db, provider: api.provider, officeId: api.officeId });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const html = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
      expect(await html.text()).not.toMatch(/graphiql/i);
      expect(html.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
      await new Promise((resolve) => server.close(resolve));
    });
  });

  it('development: introspection and GraphiQL on (and the typo gets a suggestion)', async () => {
    const yoga = await yogaFor('development');
    const schema = await ask(yoga, '{ __schema { types { name } } }');
    expect(schema.errors).toBeUndefined();
    expect(schema.data.__schema.types.some((t: any) => t.name === 'Student')).toBe(true);
    expect((await ask(yoga, '{ studnets { totalCount } }')).errors[0].message).toMatch(/Did you mean "students"/);
    const page = await yoga.fetch(URL_, { headers: { accept: 'text/html' } });
    expect(await page.text()).toMatch(/graphiql/i);
  });
});

describe('HTTP security headers on every response (real server)', () => {
  let api: TestApi;
  let base = '';
  let close: () => Promise<unknown>;

  beforeAll(async () => {
    api = await createTestApi('sqlite');
    const { server } = createApp({ db: api.db, provider: api.provider, officeId: api.officeId, graphiql: false });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(resolve));
  });
  afterAll(async () => {
    await close?.();
    await api?.drop();
  });

  for (const path of ['/', '/siswa', '/graphql?query=%7B__typename%7D', '/healthz', '/no-such-file.js']) {
    it(path, async () => {
      const response = await fetch(`${base}${path}`, { headers: { [CSRF_HEADER]: '1' } });
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('permissions-policy')).toMatch(/camera=\(\)/);
      expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
      expect(response.headers.get('strict-transport-security')).toBeNull();
      expect(response.headers.get('x-powered-by')).toBeNull();
    });
  }

  it('the web app gets the app policy: own scripts only, API on the same origin, no upgrade on plain http', async () => {
    const csp = (await fetch(`${base}/`)).headers.get('content-security-policy')!;
    for (const [directive, values] of Object.entries(APP_CSP)) expect(csp).toContain(`${directive} ${values.join(' ')}`);
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
  });

  it('HSTS (and upgrade-insecure-requests) only when the request came over HTTPS through a trusted proxy', async () => {
    const viaProxy = () => fetch(`${base}/`, { headers: { 'x-forwarded-proto': 'https' } });
    // Without JEMPUT_TRUST_PROXY=1 the header is anyone's word: ignored, like for the cookie's Secure flag.
    const untrusted = await viaProxy();
    expect(untrusted.headers.get('strict-transport-security')).toBeNull();
    expect(untrusted.headers.get('content-security-policy')).not.toMatch(/upgrade-insecure-requests/);
    process.env.JEMPUT_TRUST_PROXY = '1';
    try {
      const response = await viaProxy();
      expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      expect(response.headers.get('content-security-policy')).toMatch(/upgrade-insecure-requests/);
    } finally {
      delete process.env.JEMPUT_TRUST_PROXY;
    }
  });
});
