// Drive reports kept in memory, so that many dashboards asking for the same drive cost one
// computation. Any write on this instance empties the cache at once (the live feed then puts
// fresh reports back); writes on other instances are caught by a short time-to-live.
import type { IsoDate } from '@jemput/core';
import type { Db } from '../db/client.ts';
import { computeDriveReport, type DriveReport } from './report.ts';

type Entry = { today: IsoDate; expires: number; report: Promise<DriveReport | null> };

export class TallyCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every invalidation, so a report computed before a write is never stored after it. */
  private generation = 0;

  constructor(
    private readonly db: Db,
    /** How stale a report may be after a write on another instance. */
    private readonly ttlMs = 2000,
  ) {}

  get(driveId: string, today: IsoDate): Promise<DriveReport | null> {
    const entry = this.entries.get(driveId);
    if (entry && entry.today === today && entry.expires > Date.now()) return entry.report;
    const generation = this.generation;
    const report = computeDriveReport(this.db, driveId, today);
    if (generation === this.generation) this.entries.set(driveId, { today, expires: Date.now() + this.ttlMs, report });
    report.catch(() => this.entries.delete(driveId));
    return report;
  }

  /** The generation to hand back to `store` with a report computed from now on. */
  begin(): number {
    return this.generation;
  }

  store(driveId: string, report: DriveReport, generation: number): void {
    if (generation !== this.generation) return;
    this.entries.set(driveId, { today: report.today, expires: Date.now() + this.ttlMs, report: Promise.resolve(report) });
  }

  invalidate(): void {
    this.generation++;
    this.entries.clear();
  }
}
