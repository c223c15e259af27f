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
};

const webPackage = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'web');


export function createYogaApp(options: AppOptions) {
  const today = options.today ?? todayInJakarta;
  const { pubsub, close } = createTallyPubSub(options.redisUrl);
  // Instances over the same database share channels; other deployments on the same Redis don't.
  const namespace = options.redisUrl ? `${createHash('sha256').update(options.databaseUrl ?? '').digest('hex').slice(0, 12)}:` : '';
  const feed = new TallyFeed(options.db, pubsub, today, namespace);
  const observability = createObservability({ db: options.db, provider: options.provider, databaseUrl: options.databaseUrl, logger: options.logger });
  const rows = new RowChangeFeed(pubsub, namespace);
  // One context for GraphQL and the download routes (/export/*, /import/*), so both see the same user.
  const contextFor = (request: Request): Context => ({
    db: options.db,
    provider: options.provider,
    officeId: options.officeId,
    locale: pickLocale(request.headers.get('accept-language')),
    today: today(),
    userId: null,
    feed,
    rows,
  });
  const hardened = hardenedYogaOptions({ production: process.env.NODE_ENV === 'production' });
  const yoga = createYoga<{ req: IncomingMessage; res: ServerResponse }, Context>({
    schema: getSchema(),
    graphqlEndpoint: '/graphql',
    graphiql: options.graphiql ?? process.env.NODE_ENV !== 'production',
    landingPage: false,
    ...hardened,
    ...(options.logger ? { logging: options.logger } : {}),
    // The download routes answer first: a plain link (GET /export/…) carries no CSRF header.
    plugins: [observability.plugin, downloadRoutes(contextFor), ...(hardened.plugins ?? [])],
    context: ({ request }): Context => contextFor(request),
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
  return { server, yoga, streams };
}
