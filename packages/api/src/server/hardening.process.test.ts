// The real server process started as in production (NODE_ENV=production), attacked over real
// sockets: oversized and truncated bodies, aborted uploads, garbage bytes. It answers each with a
// 4xx, keeps running, and still serves GraphQL and the app with production settings.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, LIMITS } from './hardening.ts';
import { startServerProcess, type ServerProcess, loginOverHttp } from './process.ts';

/** Writes raw bytes to the server and returns what it answered (or '' if it hung up). */
function raw(port: number, request: string | Buffer, options: { endAfterWrite?: boolean; destroyAfterMs?: number } = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.write(request);
    if (options.endAfterWrite) socket.end();
    if (options.destroyAfterMs !== undefined) setTimeout(() => socket.destroy(), options.destroyAfterMs);
  });
}

describe('the production server under bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jemput-hardening-'));
  let server: ServerProcess;
  let cookie = '';

  beforeAll(async () => {
    server = await startServerProcess({ env: { DATABASE_URL: `file:${join(dir, 'jemput.db')}`, NODE_ENV: 'production', REDIS_URL: '' } });
    cookie = await loginOverHttp(server.base);
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const gql = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, ...headers }, body: JSON.stringify(body) });

  it('refuses a declared-too-large JSON body with 413 before reading it', async () => {
    const head = `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${LIMITS.jsonBodyBytes + 1}\r\n\r\n{"query":`;
    const answer = await raw(server.port, head, { destroyAfterMs: 2000 });
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(answer).toMatch(/terlalu besar/);
  });

  it('refuses a chunked JSON body (no Content-Length) once it passes the limit', async () => {
    const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
    const megabyte = 'x'.repeat(1 << 20);
    const body = [chunk('{"query":"{ __typename }","variables":{"pad":"'), ...Array.from({ length: LIMITS.jsonBodyBytes / megabyte.length + 1 }, () => chunk(megabyte)), chunk('"}}'), '0\r\n\r\n'].join('');
    const answer = await raw(server.port, `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${body}`, { destroyAfterMs: 3000 });
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
  });

  it('survives bodies cut off mid-way, garbage bytes and an upload dropped half-way', async () => {
    await raw(server.port, `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"query":"{ __ty`, { destroyAfterMs: 200 });
    await raw(server.port, Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)), { endAfterWrite: true });
    await raw(server.port, `POST /graphql HTTP/1.1\r\nHost: x\r\n${CSRF_HEADER}: 1\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 50000000\r\n\r\n--b\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{ __typename }"}\r\n--b\r\nContent-Disposition: form-data; name="0"; filename="d.xlsx"\r\n\r\n${'x'.repeat(100_000)}`, {
      destroyAfterMs: 300,
    });
    const malformed = await raw(server.port, `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 9\r\nConnection: close\r\n\r\n{"query":`);
    expect(malformed).toMatch(/^HTTP\/1\.1 [24]00/);
    expect(malformed).toMatch(/invalid JSON/);
    expect(server.child.exitCode).toBeNull();
    const ok = await gql({ query: '{ schools(first: 1) { totalCount } }' });
    expect(((await ok.json()) as any).data.schools.totalCount).toBe(50);
  });

  it('has introspection, field suggestions and GraphiQL off', async () => {
    const introspection = (await (await gql({ query: '{ __schema { queryType { name } } }' })).json()) as any;
    expect(introspection.data ?? null).toBeNull();
    expect(introspection.errors[0].message).toMatch(/introspection/i);
    const typo = (await (await gql({ query: '{ studnets { totalCount } }' })).json()) as any;
    expect(typo.errors[0].message).not.toMatch(/Did you mean/);
    const page = await fetch(`${server.base}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/graphiql/i);
  });

  it('sends the security headers and the app CSP', async () => {
    const app = await fetch(`${server.base}/`);
    expect(app.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(app.headers.get('x-frame-options')).toBe('DENY');
    expect(app.headers.get('strict-transport-security')).toBeNull();
    const api = await gql({ query: '{ __typename }' });
    expect(api.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('logged no stack for any of it', () => {
    expect(server.output()).not.toMatch(/unexpected error/);
    expect(server.output()).not.toMatch(/\d{16}/);
  });
});
