// Row changes: after the editing engine commits, it tells this feed which rows changed; grids
// subscribed to that entity (and scope) refetch those rows by id. Carried on the tallies' pub/sub,
// so with REDIS_URL the changes reach the grids connected to every API instance. Only ids and
// versions travel: no personal data goes through Redis, and a grid re-reads rows with its own
// permissions.
import type { TallyPubSub } from '../tallies/feed.ts';
import type { Row, Write } from '../common/editing.ts';

export const ROW_ENTITIES = ['STUDENT', 'SCHOOL', 'VISIT', 'DRIVE', 'OUTCOME'] as const;
export type RowEntity = (typeof ROW_ENTITIES)[number];

export type RowChange = {
  entity: RowEntity;
  id: string;
  version: number;
  deleted: boolean;
  /**
   * Many rows of these schools (or drives) changed at once, e.g. a chunk of a bulk import: the
   * grid reloads its view instead of re-reading rows by id. `id` then names the change's source
   * (the import job) and `version` its progress.
   */
  reload?: boolean;
  /** Scope of the row (before or after the change), for subscribers of one drive or school. */
  driveIds: string[];
  schoolIds: string[];
  visitIds: string[];
};

const ENTITY_OF: Record<string, RowEntity> = { Student: 'STUDENT', School: 'SCHOOL', Visit: 'VISIT', Drive: 'DRIVE', Outcome: 'OUTCOME' };

const values = (rows: (Row | null)[], field: string) => [...new Set(rows.map((r) => r?.[field]).filter((v): v is string => typeof v === 'string'))];

export class RowChangeFeed {
  /** Batches published so far (for tests). */
  published = 0;

  constructor(
    private readonly pubsub: TallyPubSub,
    private readonly namespace = '',
  ) {}

  /** One event per committed batch of one entity; entities without grids are ignored. */
  publish(specEntity: string, writes: Write[]): void {
    const entity = ENTITY_OF[specEntity];
    if (!entity || writes.length === 0) return;
    const changes: RowChange[] = writes.map(({ before, after }) => {
      const row = (after ?? before) as Row;
      return {
        entity,
        id: row.id,
        version: row.version,
        deleted: after === null,
        driveIds: entity === 'DRIVE' ? [row.id] : values([before, after], 'driveId'),
        schoolIds: entity === 'SCHOOL' ? [row.id] : values([before, after], 'schoolId'),
        visitIds: entity === 'VISIT' ? [row.id] : values([before, after], 'visitId'),
      };
    });
    this.pubsub.publish('rowChanges', `${this.namespace}rows:${entity}`, changes);
    this.published++;
  }

  /** One "reload" signal for a bulk write (an import chunk of thousands of rows), scoped to its schools. */
  publishReload(entity: RowEntity, change: { id: string; version: number; schoolIds: string[]; driveIds?: string[] }): void {
    const reload: RowChange = { entity, id: change.id, version: change.version, deleted: false, reload: true, driveIds: change.driveIds ?? [], schoolIds: change.schoolIds, visitIds: [] };
    this.pubsub.publish('rowChanges', `${this.namespace}rows:${entity}`, [reload]);
    this.published++;
  }

  subscribe(entity: RowEntity) {
    return this.pubsub.subscribe('rowChanges', `${this.namespace}rows:${entity}`);
  }
}
