// The real server (`src/server/main.ts`) in a child process, so subscribers and server do not
// share an event loop, plus a plain GraphQL client over a keep-alive agent.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { freePort, loginOverHttp, startServerProcess } from '../../src/server/process.ts';

/** Every child started here, so an exit path can never leave one running. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export { freePort };
export { redisAnswers } from '../../src/test/redis.ts';

export type ServerProcess = {
  child: ChildProcess;
  pid: number;
  port: number;
  endpoint: string;
  output(): string;
  /** Resident set size of the server process, KiB (VmRSS). */
  rssKib(): number;
  /** CPU time (user + system) the server process has used so far, ms (10 ms resolution). */
  cpuMs(): number;
  stop(): Promise<void>;
};

export async function startServer(env: Record<string, string>, nodeArgs: string[] = []): Promise<ServerProcess> {
  const server = await startServerProcess({ env: { NODE_ENV: 'production', ...env }, nodeArgs });
  const { child, port } = server;
  sessionCookies.set(`${server.base}/graphql`, await loginOverHttp(server.base));
  children.add(child);
  const pid = child.pid as number;
  return {
    child,
    pid,
    port,
    endpoint: `${server.base}/graphql`,
    output: server.output,
    rssKib: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN),
    cpuMs: () => {
      // /proc/<pid>/stat: fields after the command name; utime and stime are the 14th and 15th, in clock ticks (100/s).
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;
    },
    async stop() {
      await server.stop();
      children.delete(child);
    },
  };
}

/** The demo admin's session cookie per endpoint (the API needs a session). */
const sessionCookies = new Map<string, string>();
export const cookieFor = (endpoint: string): Record<string, string> => {
  const cookie = sessionCookies.get(endpoint);
  return cookie ? { cookie } : {};
};

const clientAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** One GraphQL request over HTTP; throws on GraphQL errors. */
export function gql(endpoint: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = http.request(endpoint, { method: 'POST', agent: clientAgent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...cookieFor(endpoint) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => void (text += chunk));
      res.on('end', () => {
        try {
          const parsed = JSON.parse(text) as { data?: unknown; errors?: unknown[] };
          if (parsed.errors) reject(new Error(JSON.stringify(parsed.errors)));
          else resolve(parsed.data);
        } catch {
          reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 500)}`));
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function closeClientAgent(): void {
  clientAgent.destroy();
}
