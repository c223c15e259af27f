// Graceful shutdown on SIGTERM/SIGINT: stop accepting connections, let requests in flight finish,
// tell each SSE dashboard when to reconnect and end its stream, publish pending tally events,
// then close Redis and the database. A second signal, or a request still running after the grace
// period, cuts it short.
import type { Server, ServerResponse } from 'node:http';
import type { Db } from '../db/client.ts';
import type { createYogaApp } from './app.ts';
import type { Logger } from './observability.ts';

/** What an SSE client is told to wait before reconnecting (ms): about one restart. */
export const SSE_RETRY_MS = 3000;

export function installGracefulShutdown(options: {
  server: Server;
  streams: Set<ServerResponse>;
  yoga: ReturnType<typeof createYogaApp>;
  db: Db;
  logger: Logger;
  graceMs?: number;
  /** Run last, e.g. stop backups, remove the lock file. */
  onClosed?: () => void;
}): void {
  const { server, streams, yoga, db, logger } = options;
  const graceMs = options.graceMs ?? 10_000;
  let stopping = false;

  async function shutdown(signal: NodeJS.Signals): Promise<void> {
    if (stopping) {
      logger.warn({ signal }, 'second signal: stopping now');
      process.exit(1);
    }
    stopping = true;
    const started = performance.now();
    logger.info({ signal, openStreams: streams.size }, 'shutting down: refusing new connections, finishing requests in flight');
    yoga.observability.startDraining();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const res of streams) {
      // A comment and a retry hint are valid between SSE events; then the stream ends without a
      // `complete` event, so clients reconnect (to this server once restarted, or another one).
      res.on('error', () => {});
      if (!res.writableEnded) res.end(`: server shutting down\nretry: ${SSE_RETRY_MS}\n\n`);
    }
    // Keep-alive connections with no request in flight would hold server.close() open.
    server.closeIdleConnections();
    const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => {
      logger.warn({ graceMs }, 'requests still running after the grace period: closing their connections');
      server.closeAllConnections();
    }, graceMs);
    await closed;
    clearInterval(idleSweep);
    clearTimeout(deadline);
    try {
      await yoga.feed.settled();
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'pending tally events were not published');
    }
    const results = await Promise.allSettled([yoga.closePubSub(), db.$disconnect()]);
    for (const r of results) if (r.status === 'rejected') logger.warn({ err: String(r.reason) }, 'while closing');
    options.onClosed?.();
    logger.info({ ms: Math.round(performance.now() - started) }, 'stopped');
    process.exit(0);
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal));
}
