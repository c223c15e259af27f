// Tables that only grow unless someone trims them (the replay guard of offline writes and ended
// sessions), and SQLite's planner statistics, kept fresh. Run at start and then every few hours,
// so an office server left running for a whole election season stays small and quick.
import type { Db, DbProvider } from './client.ts';
import { SESSION_IDLE_MS } from '../auth/sessions.ts';

/**
 * How long a field device's write is remembered as applied. A queue replayed after that (a tablet
 * offline for months) is still safe: each write carries the version it builds on, so a stale one
 * comes back as a conflict to choose from, never as a second write.
 */
export const APPLIED_MUTATION_KEEP_MS = 90 * 24 * 60 * 60 * 1000;
const EVERY_MS = 6 * 60 * 60 * 1000;

export async function pruneStaleRows(db: Db, provider: DbProvider, now = new Date()): Promise<{ appliedMutations: number; sessions: number }> {
  const applied = await db.appliedMutation.deleteMany({ where: { appliedAt: { lt: new Date(now.getTime() - APPLIED_MUTATION_KEEP_MS) } } });
  const sessions = await db.session.deleteMany({ where: { OR: [{ expiresAt: { lt: now } }, { lastSeenAt: { lt: new Date(now.getTime() - SESSION_IDLE_MS) } }] } });
  // SQLite: refresh the planner's statistics where the tables have grown (a seed, an import).
  if (provider === 'sqlite') await db.$queryRawUnsafe('PRAGMA optimize = 0x10002');
  return { appliedMutations: applied.count, sessions: sessions.count };
}

/** Prunes now and every 6 hours; a failed run is logged and tried again next time. */
export function scheduleHousekeeping(db: Db, provider: DbProvider, log: { info(o: object, m: string): void; error(o: object, m: string): void }): { stop(): void } {
  const run = () =>
    pruneStaleRows(db, provider).then(
      (pruned) => {
        if (pruned.appliedMutations || pruned.sessions) log.info(pruned, 'housekeeping: pruned stale rows');
      },
      (error: Error) => log.error({ err: error.message }, 'housekeeping failed'),
    );
  void run();
  const timer = setInterval(run, EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
