// Browser journeys against the real app: the built web app and the API from `pnpm start`'s
// main.ts, on a fresh SQLite file with the demo office, in Debian's Chromium via playwright-core
// (never a downloaded browser).
import { spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loginOverHttp, startServerProcess } from '../packages/api/src/server/process.ts';
import { DEMO_USERS } from '../packages/api/src/seed/names.ts';

export const CHROMIUM = process.env.JEMPUT_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = join(root, 'e2e', 'artifacts');
export const WEB_DIST = join(root, 'packages', 'web', 'dist');

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Builds packages/web if dist/ is missing or older than its sources (what `pnpm start` does).
 * Test files run in parallel: a lock directory makes the others wait for one build.
 */
export function buildWebIfStale(): void {
  const lock = join(root, 'packages', 'web', '.build-lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than 5 minutes was left by a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    buildWeb();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function buildWeb(): void {
  const result = spawnSync(process.execPath, [join(root, 'packages', 'web', 'scripts', 'build-if-stale.mjs')], {
    cwd: join(root, 'packages', 'web'),
    env: { ...process.env, NODE_ENV: 'production' },
    encoding: 'utf8',
  });
  if (result.status !== 0 || /build failed/.test(result.stderr)) throw new Error(`web build failed:\n${result.stdout}\n${result.stderr}`);
}


export type RunningApp = { base: string; child: ChildProcess; output: () => string; stop(): Promise<void> };

/** The app started last and still running: browsers log in to it by default. */
let runningApp: RunningApp | null = null;

export type DemoUsername = (typeof DEMO_USERS)[number]['username'];

/** A demo user's session cookie for an app (logged in once per app and user). */
const sessions = new Map<string, Promise<string>>();
export function sessionCookie(base: string, username: DemoUsername = 'admin'): Promise<string> {
  const key = `${base} ${username}`;
  let cookie = sessions.get(key);
  if (!cookie) {
    const password = DEMO_USERS.find((u) => u.username === username)!.password;
    cookie = loginOverHttp(base, username, password);
    sessions.set(key, cookie);
  }
  return cookie;
}

/** Starts the real server (migrate, seed the demo office, serve API + web app) on a temp SQLite file. */
export async function startApp(options: { port?: number } = {}): Promise<RunningApp> {
  const dir = mkdtempSync(join(tmpdir(), 'jemput-e2e-'));
  const server = await startServerProcess({
    env: { DATABASE_URL: `file:${join(dir, 'jemput.db')}`, REDIS_URL: '', NODE_ENV: 'test' },
    ...(options.port ? { port: options.port } : {}),
  });
  const app: RunningApp = {
    base: server.base,
    child: server.child,
    output: server.output,
    async stop() {
      if (runningApp === app) runningApp = null;
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  runningApp = app;
  return app;
}

export type Browser = { context: BrowserContext; page: Page; errors: string[]; close(): Promise<void> };

/**
 * Debian's Chromium with a fresh profile; page errors and console errors are collected. It is
 * signed in as the demo `admin` of the running app (`as` picks another demo user, null nobody).
 */
export async function openBrowser(options: { locale?: string; as?: DemoUsername | null; app?: RunningApp } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'jemput-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: LAUNCH_ARGS,
    viewport: { width: 1400, height: 860 },
    locale: options.locale ?? 'id-ID',
    timezoneId: 'Asia/Jakarta',
  });
  const app = options.app ?? runningApp;
  const as = options.as === undefined ? 'admin' : options.as;
  if (app && as) {
    const [name, value] = (await sessionCookie(app.base, as)).split('=') as [string, string];
    await context.addCookies([{ name, value, url: app.base, httpOnly: true, sameSite: 'Lax' }]);
  }
  // A Content-Security-Policy violation becomes a console error too, with what was blocked.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // AG Grid reports misuse (deprecations, missing modules) as console warnings, and as an overlay over the grid.
    if (message.type() === 'error' || (message.type() === 'warning' && /AG Grid/i.test(message.text()))) errors.push(`console ${message.type()}: ${message.text()}`);
  });
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** A GraphQL call to the app as a demo user (the admin unless `as` says otherwise). */
export async function gql<T = any>(base: string, query: string, variables: Record<string, unknown> = {}, as: DemoUsername = 'admin'): Promise<T> {
  const cookie = await sessionCookie(base, as);
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data as T;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.webmanifest': 'application/manifest+json' };

export type StaticSite = { base: string; dir: string; close(): Promise<void> };

/**
 * A copy of the built web app on a plain static server (no API), for journeys that redeploy the
 * app under an open page: the copy can be changed without touching packages/web/dist.
 */
export async function serveWebCopy(): Promise<StaticSite> {
  const dir = mkdtempSync(join(tmpdir(), 'jemput-web-'));
  cpSync(WEB_DIST, dir, { recursive: true });
  const server = createHttpServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = join(dir, path);
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) {
      if (path.startsWith('/graphql')) return void res.writeHead(503).end();
      file = join(dir, 'index.html');
    }
    const ext = file.slice(file.lastIndexOf('.'));
    res.writeHead(200, { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    base: `http://127.0.0.1:${port}`,
    dir,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        rmSync(dir, { recursive: true, force: true });
      }),
  };
}
