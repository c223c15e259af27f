// The real server as a child process (`src/server/main.ts`), for tests, browser journeys and
// benchmarks that need it to run apart from them: it is ready when it says it is running.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const apiDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type ServerProcess = { child: ChildProcess; port: number; base: string; output(): string; stop(): Promise<void> };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Node's flags for the server, here and in this package's `start` script (process.test.ts keeps
 * them alike). A young generation of 32 MiB per half, not Node's 16: a request allocates a lot
 * that dies young, and with room for it the server spent about 13% less CPU per request in
 * `bench:load` (3.8 against 4.4 ms) for about 30 MiB more memory.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=32'];

/** `apiDir`: the packages/api folder of another checkout (a benchmark's "before"); this one by default. */
export async function startServerProcess(options: { env: Record<string, string>; port?: number; nodeArgs?: string[]; readyTimeoutMs?: number; apiDir?: string }): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...(options.nodeArgs ?? []), '--import', 'tsx', 'src/server/main.ts'], {
    cwd: options.apiDir ?? apiDir,
    env: { ...process.env, ...options.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Jemput is running')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before it was ready:\n${output}`)));
    setTimeout(() => reject(new Error(`server not ready after ${options.readyTimeoutMs ?? 120_000} ms:\n${output}`)), options.readyTimeoutMs ?? 120_000).unref();
  });
  return {
    child,
    port,
    base: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 6000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** Starts the server expecting it to refuse: resolves with its exit code and output once it exits. */
export async function runServerUntilExit(options: { env: Record<string, string>; timeoutMs?: number }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: apiDir,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** The demo office's administrator (seed/names.ts), for tests and benchmarks over HTTP. */
export const DEMO_ADMIN = { username: 'admin', password: 'jemput-admin' } as const;

/** Logs in over HTTP; returns the `Cookie` header value that carries the session. */
export async function loginOverHttp(base: string, username: string = DEMO_ADMIN.username, password: string = DEMO_ADMIN.password): Promise<string> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { __typename ... on LoginError { message } } }',
      variables: { u: username, p: password },
    }),
  });
  const body = (await response.json()) as { data?: { login: { __typename: string; message?: string } }; errors?: unknown[] };
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (!cookie || body.data?.login.__typename !== 'MutationLoginSuccess') throw new Error(`login as ${username} failed: ${JSON.stringify(body)}`);
  return cookie;
}

/** fetch that sends a session cookie. */
export function fetchWithCookie(cookie: string): (url: string, init?: RequestInit) => Promise<Response> {
  return (url, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('cookie', cookie);
    return fetch(url, { ...init, headers });
  };
}
