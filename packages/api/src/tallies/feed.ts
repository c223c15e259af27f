// The live feed: writes mark what they touched; the feed recomputes the touched tally rows
// once, a few milliseconds later, and publishes them as one event per drive. Bursts collapse
// into one event, and a drive is published at most every MIN_PUBLISH_INTERVAL_MS (1,000 outcome
// writes in a second become a handful of events; a write after a quiet spell still goes out at
// once). Every subscriber receives the same precomputed payload, and events leave in order
// because only one flush runs at a time.
import { setMaxListeners } from 'node:events';
import { createPubSub, type PubSub } from 'graphql-yoga';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { IsoDate } from '@jemput/core';
import type { Db } from '../db/client.ts';
import { computeDriveReport, selectRows, TALLY_SCOPES, type DriveReport, type TallyReport } from './report.ts';
import { TallyCache } from './cache.ts';
import type { RowChange } from '../rows/feed.ts';
import type { FanoutCounts } from './share.ts';

/** The one pub/sub of the API: tally reports, and the row changes grids follow (rows/feed.ts). */
export type TallyPubSub = PubSub<{ tallies: [driveId: string, report: TallyReport]; rowChanges: [channel: string, changes: RowChange[]] }>;

/** In-process pub/sub, or Redis fan-out to every API instance when REDIS_URL is set. */
export function createTallyPubSub(redisUrl?: string | null): { pubsub: TallyPubSub; close(): Promise<void> } {
  if (!redisUrl) {
    // Every dashboard of a drive listens on one topic: Node's warning past 10 listeners ("possible
    // memory leak") would be a false alarm in the office server's log at the eleventh dashboard.
    const eventTarget = new EventTarget();
    setMaxListeners(0, eventTarget);
    return { pubsub: createPubSub({ eventTarget }) as TallyPubSub, close: async () => {} };
  }
  const publishClient = new Redis(redisUrl, { maxRetriesPerRequest: null });
  // Without the ready check: ioredis drops a SUBSCRIBE sent while its ready check is still
  // running (redis/ioredis#2037), which silenced dashboards that connected right after a start.
  const subscribeClient = new Redis(redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: false });
  // Connection trouble is retried by ioredis; log it instead of crashing the server.
  for (const client of [publishClient, subscribeClient]) client.on('error', (e) => console.error(`Jemput: Redis: ${e.message}`));
  const pubsub = createPubSub({ eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) }) as TallyPubSub;
  return { pubsub, close: async () => void (await Promise.all([publishClient.quit(), subscribeClient.quit()])) };
}

/** What changed since the last flush; `officeIds` (blank stock) changes every drive of the office. */
type Dirty = { schoolIds: Set<string>; studentIds: Set<string>; visitIds: Set<string>; driveIds: Set<string>; officeIds: Set<string> };
const emptyDirty = (): Dirty => ({ schoolIds: new Set(), studentIds: new Set(), visitIds: new Set(), driveIds: new Set(), officeIds: new Set() });

/**
 * Least time between two publishes. A dashboard is read by people: four updates a second look
 * live, while each publish recomputes the drive's report and is sent to every subscriber
 * (under a busy office's load, a 5 ms delay alone gave ~9 publishes a second).
 */
export const MIN_PUBLISH_INTERVAL_MS = 250;

export class TallyFeed {
  private dirty = emptyDirty();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  /** When the last flush began (performance.now()). */
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  /** Events published so far (for tests and metrics). */
  published = 0;
  /** Events handed to subscribers, the executions and JSON texts that took (share.ts: one per view, not per subscriber). */
  readonly fanout: FanoutCounts = { delivered: 0, executed: 0, serialized: 0 };
  readonly cache: TallyCache;

  constructor(
    private readonly db: Db,
    private readonly pubsub: TallyPubSub,
    private readonly today: () => IsoDate,
    /**
     * Names this deployment's channels (e.g. a hash of its database URL), so deployments that
     * share one Redis never see each other's drives.
     */
    private readonly namespace = '',
    private readonly delayMs = 5,
    private readonly minIntervalMs = MIN_PUBLISH_INTERVAL_MS,
  ) {
    this.cache = new TallyCache(db);
  }

  /** The current report of a drive (from memory when nothing changed since). */
  report(driveId: string, today: IsoDate): Promise<DriveReport | null> {
    return this.cache.get(driveId, today);
  }

  /** Tally events of one drive. */
  subscribe(driveId: string) {
    return this.pubsub.subscribe('tallies', `${this.namespace}${driveId}`);
  }

  /** Records what a committed write touched. Cheap: the work happens in the next flush. */
  touch(what: { schoolIds?: Iterable<string>; studentIds?: Iterable<string>; visitIds?: Iterable<string>; driveIds?: Iterable<string>; officeIds?: Iterable<string> }): void {
    for (const id of what.schoolIds ?? []) this.dirty.schoolIds.add(id);
    for (const id of what.studentIds ?? []) this.dirty.studentIds.add(id);
    for (const id of what.visitIds ?? []) this.dirty.visitIds.add(id);
    for (const id of what.driveIds ?? []) this.dirty.driveIds.add(id);
    for (const id of what.officeIds ?? []) this.dirty.officeIds.add(id);
    this.cache.invalidate();
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.flushing) return;
    const wait = Math.max(this.delayMs, this.lastFlushAt + this.minIntervalMs - performance.now());
    this.timer = setTimeout(() => void this.flush(), wait);
  }

  /** Waits until everything touched so far has been published. */
  async settled(): Promise<void> {
    while (this.timer || this.flushing) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
        await this.flush();
      } else await this.flushing;
    }
  }

  private async flush(): Promise<void> {
    this.timer = null;
    this.lastFlushAt = performance.now();
    const dirty = this.dirty;
    this.dirty = emptyDirty();
    this.flushing = this.publish(dirty).catch((error) => console.error(`Jemput: tally feed: ${(error as Error).message}`));
    await this.flushing;
    this.flushing = null;
    if (Object.values(this.dirty).some((set) => set.size > 0)) this.schedule();
  }

  private async publish(dirty: Dirty): Promise<void> {
    const [students, visits] = await Promise.all([
      dirty.studentIds.size ? this.db.student.findMany({ where: { id: { in: [...dirty.studentIds] } }, select: { schoolId: true } }) : [],
      dirty.visitIds.size ? this.db.visit.findMany({ where: { id: { in: [...dirty.visitIds] } }, select: { id: true, driveId: true, schoolId: true } }) : [],
    ]);
    const schoolIds = new Set([...dirty.schoolIds, ...students.map((s) => s.schoolId), ...visits.map((v) => v.schoolId)]);
    const schools = schoolIds.size ? await this.db.school.findMany({ where: { id: { in: [...schoolIds] } }, select: { officeId: true } }) : [];
    const officeIds = [...new Set([...schools.map((s) => s.officeId), ...dirty.officeIds])];
    const drives = officeIds.length ? await this.db.drive.findMany({ where: { officeId: { in: officeIds } }, select: { id: true } }) : [];
    const driveIds = new Set([...dirty.driveIds, ...drives.map((d) => d.id), ...visits.map((v) => v.driveId)]);
    const today = this.today();
    for (const driveId of driveIds) {
      // A drive change or a stock movement changes every row of the drive.
      const whole = dirty.driveIds.has(driveId) || dirty.officeIds.size > 0;
      const generation = this.cache.begin();
      const full = await computeDriveReport(this.db, driveId, today);
      if (!full) continue;
      this.cache.store(driveId, full, generation);
      const changed = await selectRows(this.db, full, {
        scopes: TALLY_SCOPES,
        schoolIds: whole ? null : [...schoolIds],
        visitIds: whole ? null : visits.filter((v) => v.driveId === driveId).map((v) => v.id),
        visitDate: whole ? today : null,
      });
      this.pubsub.publish('tallies', `${this.namespace}${driveId}`, changed);
      this.published++;
    }
  }
}
