// /readyz and /metrics of the app on each database: ready only when every committed migration is
// applied, 503 while draining; the PostgreSQL pool or the SQLite files show up in the metrics.
import { expect, it } from 'vitest';
import { listCommittedMigrations } from '../db/migrations-list.ts';
import { createObservability } from './observability.ts';
import { describeOnEachDatabase, type TestApi } from '../test/databases.ts';

describeOnEachDatabase('readiness and metrics', (api: () => TestApi) => {
  it('is ready when every committed migration is applied, and says which one is missing otherwise', async () => {
    const { db, provider, url } = api();
    const observability = createObservability({ db, provider, databaseUrl: url });
    const ready = await observability.readiness();
    expect(ready).toMatchObject({ ready: true, body: { status: 'ready', migrations: { missing: [], unknown: [] } } });

    const last = listCommittedMigrations(provider).at(-1) as string;
    await db.$executeRawUnsafe(`UPDATE _prisma_migrations SET migration_name = 'renamed_for_test' WHERE migration_name = '${last}'`);
    try {
      expect(await observability.readiness()).toMatchObject({ ready: false, body: { status: 'migrations pending', migrations: { missing: [last], unknown: ['renamed_for_test'] } } });
    } finally {
      await db.$executeRawUnsafe(`UPDATE _prisma_migrations SET migration_name = '${last}' WHERE migration_name = 'renamed_for_test'`);
    }
    observability.startDraining();
    expect(await observability.readiness()).toMatchObject({ ready: false, body: { status: 'draining' } });
  });

  it('reports the database in /metrics', async () => {
    const { db, provider, url } = api();
    await db.school.count(); // a pooled connection exists
    const text = await createObservability({ db, provider, databaseUrl: url }).registry.metrics();
    if (provider === 'postgresql') expect(text).toMatch(/^jemput_db_pool_connections\{state="total"\} [1-9]/m);
    else expect(text).toMatch(/^jemput_sqlite_file_bytes\{file="database"\} [1-9]/m);
    expect(text).toMatch(/^jemput_subscriptions_open 0$/m);
    expect(text).toMatch(/^jemput_heap_live_bytes [1-9]\d{6,}$/m);
  });
});
