// Runs once before the test files: applies the committed migrations to a brand-new SQLite file
// and a brand-new PostgreSQL database (so "fresh database → migrations apply" is proven on
// both), and hands their addresses to the tests as templates.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateDeploy, postgresScratchUrls } from '@jemput/prisma/migrations';

declare module 'vitest' {
  export interface ProvidedContext {
    sqliteTemplate: string;
    /** null when no PostgreSQL server answers; the PostgreSQL suites are then skipped. */
    postgresTemplate: string | null;
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'jemput-test-'));
  const sqliteTemplate = join(dir, 'template.db');
  migrateDeploy(`file:${sqliteTemplate}`);

  const { adminUrl, databaseUrl } = postgresScratchUrls();
  const templateName = `jemput_test_template_${process.pid}`;
  let postgresTemplate: string | null = null;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${templateName}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${templateName}"`);
    migrateDeploy(databaseUrl(templateName));
    postgresTemplate = templateName;
  } catch (error) {
    console.warn(`\n⚠ PostgreSQL not reachable at ${adminUrl} (${(error as Error).message}): PostgreSQL tests are SKIPPED, SQLite tests run.\n`);
  }

  project.provide('sqliteTemplate', sqliteTemplate);
  project.provide('postgresTemplate', postgresTemplate);
  project.provide('postgresAdminUrl', adminUrl);

  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (postgresTemplate) {
      await admin.query(`DROP DATABASE IF EXISTS "${templateName}" WITH (FORCE)`).catch(() => {});
      await admin.end();
    }
  };
}
