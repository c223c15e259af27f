// One HTTP handler for everything: GraphQL at /graphql, the web app for every other path.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createYoga } from 'graphql-yoga';
import sirv from 'sirv';
import { pickLocale, type IsoDate } from '@jemput/core';
import { todayInJakarta } from '../common/time.ts';
import type { Db, DbProvider } from '../db/client.ts';
import type { Context } from '../schema/builder.ts';
import { getSchema } from '../schema/index.ts';
import { createTallyPubSub, TallyFeed } from '../tallies/feed.ts';
import { useSharedTallyEvents } from '../tallies/share.ts';
import { AUDIT_CSV_PATH, auditCsv } from '../auth/export.ts';
import { LoginRateLimiter } from '../auth/rate-limit.ts';
import { SessionCache, userOfRequest } from '../auth/user.ts';
import { downloadRoutes } from '../exports/routes.ts';
import { RowChangeFeed } from '../rows/feed.ts';
import { createSecurityHeaders, hardenedYogaOptions } from './hardening.ts';
import { createObservability, type Logger } from './observability.ts';

export type AppOptions = {
  db: Db;
  provider: DbProvider;
  /** The office served; normally the only one in the database. */
  officeId: string | null;
  /** Fixes "today" (tests, demos); default: the current date in Asia/Jakarta. */
  today?: () => IsoDate;
  graphiql?: boolean;
  /** Folder of the built web app; a placeholder page is served when it has not been built. */
  webRoot?: string;
  /** Redis for tally fan-out across API instances; in-process when absent. */
  redisUrl?: string | null;
  /** Names the Redis channels of this deployment (instances of one database share them). */
  databaseUrl?: string;
  /** JSON-line request log (pino); without it requests are not logged (tests). */
  logger?: Logger;
  /** How long a signed-in session is remembered between requests (auth/user.ts SessionCache); 0 reads it every time. */
  sessionCacheMs?: number;
};

/**
 * How long an idle keep-alive connection stays open. An officer's browser reuses its connection
 * between actions; Node closes an idle one after 5 s by default, and a request sent just as the
 * server closes it fails with a connection reset (bench:load saw 39 in 10 minutes at 200 officers).
 */
export const KEEP_ALIVE_MS = 65_000;

const webPackage = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'web');


/** Server context: Node's request when served over HTTP; tests may pass the caller's address. */
type ServerContext = { req?: IncomingMessage; res?: ServerResponse; ip?: string };

/**
 * The caller's address: the socket's peer, or with JEMPUT_TRUST_PROXY=1 (behind a reverse
 * proxy) the first X-Forwarded-For entry.
 */
function callerOf(request: Request, server: ServerContext): { ip: string | null; secure: boolean } {
  const trustProxy = process.env.JEMPUT_TRUST_PROXY === '1';
  const forwarded = trustProxy ? request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  // IPv4 peers of a dual-stack socket arrive as ::ffff:a.b.c.d; the log shows a.b.c.d.
  const ip = (forwarded || server.req?.socket?.remoteAddress || server.ip || null)?.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1') ?? null;
  const secure = new URL(request.url).protocol === 'https:' || (trustProxy && request.headers.get('x-forwarded-proto') === 'https');
  return { ip, secure };
}

export function createYogaApp(options: AppOptions) {
  const today = options.today ?? todayInJakarta;
  const { pubsub, close } = createTallyPubSub(options.redisUrl);
  // Instances over the same database share channels; other deployments on the same Redis don't.
  const namespace = options.redisUrl ? `${createHash('sha256').update(options.databaseUrl ?? '').digest('hex').slice(0, 12)}:` : '';
  const feed = new TallyFeed(options.db, pubsub, today, namespace);
  const observability = createObservability({ db: options.db, provider: options.provider, databaseUrl: options.databaseUrl, logger: options.logger });
  const rows = new RowChangeFeed(pubsub, namespace);
  const loginLimiter = new LoginRateLimiter();
  const cookiesOut = new WeakMap<Request, string[]>();
  const sessions = options.sessionCacheMs ? new SessionCache(options.sessionCacheMs) : undefined;
  const userOf = (request: Request) => userOfRequest(options.db, request, sessions);
  // One context for GraphQL and the download routes (/export/*, /import/*), so both see the same user.
  const contextFor = async (request: Request, server: ServerContext = {}): Promise<Context> => {
    const user = await userOf(request);
    const { ip, secure } = callerOf(request, server);
    return {
      db: options.db,
      provider: options.provider,
      officeId: user?.officeId ?? options.officeId,
      locale: pickLocale(request.headers.get('accept-language')),
      today: today(),
      userId: user?.id ?? null,
      user,
      ip,
      secure,
      userAgent: request.headers.get('user-agent'),
      setCookie: (cookie) => cookiesOut.set(request, [...(cookiesOut.get(request) ?? []), cookie]),
      loginLimiter,
      feed,
      rows,
    };
  };
  const hardened = hardenedYogaOptions({ production: process.env.NODE_ENV === 'production' });
  const yoga = createYoga<ServerContext, Context>({
    schema: getSchema(),
    graphqlEndpoint: '/graphql',
    graphiql: options.graphiql ?? process.env.NODE_ENV !== 'production',
    landingPage: false,
    ...hardened,
    ...(options.logger ? { logging: options.logger } : {}),
    // The download routes answer first: a plain link (GET /export/…) carries no CSRF header.
    plugins: [
      observability.plugin,
      {
        // Set-Cookie headers asked for by resolvers (login, logout).
        onResponse({ request, response }) {
          for (const cookie of cookiesOut.get(request) ?? []) response.headers.append('set-cookie', cookie);
        },
        // GET /export/audit.csv, with the session of the request (before the other downloads, which answer 404 to paths they don't know).
        async onRequest({ request, url, endResponse, serverContext }) {
          if (url.pathname !== AUDIT_CSV_PATH) return;
          if (request.method !== 'GET') return endResponse(new Response(null, { status: 405, headers: { allow: 'GET' } }));
          const ctx = await contextFor(request, serverContext as ServerContext);
          endResponse(await auditCsv(request, { db: options.db, provider: options.provider, user: ctx.user, ip: ctx.ip, locale: ctx.locale }));
        },
      },
      downloadRoutes(contextFor),
      useSharedTallyEvents(feed.fanout),
      ...(hardened.plugins ?? []),
    ],
    context: ({ request, ...server }) => contextFor(request, server),
  });
  return Object.assign(yoga, { feed, rows, closePubSub: close, observability });
}

export function createApp(options: AppOptions): { server: Server; yoga: ReturnType<typeof createYogaApp>; streams: Set<ServerResponse> } {
  const yoga = createYogaApp(options);
  const built = options.webRoot ?? join(webPackage, 'dist');
  const webRoot = existsSync(join(built, 'index.html')) ? built : join(webPackage, 'placeholder');
  const serveWeb = sirv(webRoot, { single: true, etag: true, gzip: true });
  const setSecurityHeaders = createSecurityHeaders({ graphiql: options.graphiql ?? process.env.NODE_ENV !== 'production' });
  // Open SSE responses, so a graceful shutdown can tell each dashboard when to come back.
  const streams = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    setSecurityHeaders(req, res);
    if (req.url?.startsWith('/graphql') || req.url?.startsWith('/export/') || req.url?.startsWith('/import/')) {
      if (req.headers.accept?.includes('text/event-stream')) {
        streams.add(res);
        res.once('close', () => streams.delete(res));
      }
      return void yoga(req, res);
    }
    if (yoga.observability.handle(req, res)) return;
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end('ok');
    }
    serveWeb(req, res);
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  // Longer than the keep-alive: Node's guidance, so the header timer never cuts an idle connection first.
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  return { server, yoga, streams };
}
