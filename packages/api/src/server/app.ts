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
};

const webPackage = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'web');


export function createYogaApp(options: AppOptions) {
  const today = options.today ?? todayInJakarta;
  const { pubsub, close } = createTallyPubSub(options.redisUrl);
  // Instances over the same database share channels; other deployments on the same Redis don't.
  const namespace = options.redisUrl ? `${createHash('sha256').update(options.databaseUrl ?? '').digest('hex').slice(0, 12)}:` : '';
  const feed = new TallyFeed(options.db, pubsub, today, namespace);
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
    // The download routes answer first: a plain link (GET /export/…) carries no CSRF header.
    plugins: [downloadRoutes(contextFor), ...(hardened.plugins ?? [])],
    context: ({ request }): Context => contextFor(request),
  });
  return Object.assign(yoga, { feed, rows, closePubSub: close });
}

export function createApp(options: AppOptions): { server: Server; yoga: ReturnType<typeof createYogaApp> } {
  const yoga = createYogaApp(options);
  const built = options.webRoot ?? join(webPackage, 'dist');
  const webRoot = existsSync(join(built, 'index.html')) ? built : join(webPackage, 'placeholder');
  const serveWeb = sirv(webRoot, { single: true, etag: true, gzip: true });
  const setSecurityHeaders = createSecurityHeaders({ graphiql: options.graphiql ?? process.env.NODE_ENV !== 'production' });
  const server = createServer((req, res) => {
    setSecurityHeaders(req, res);
    if (req.url?.startsWith('/graphql') || req.url?.startsWith('/export/') || req.url?.startsWith('/import/')) return void yoga(req, res);
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end('ok');
    }
    serveWeb(req, res);
  });
  return { server, yoga };
}
