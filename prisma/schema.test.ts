// The committed schemas and migrations must match model.prisma, on both databases.
import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { providers, renderSchema, schemaPath } from './generate.ts';
import { pendingModelChanges, withScratchDatabase } from './migrations.ts';

// Provided by packages/api/src/test/global-setup.ts (null when no PostgreSQL server answers).
declare module 'vitest' {
  export interface ProvidedContext {
    postgresTemplate: string | null;
  }
}

describe('prisma model', () => {
  it.each(providers)('the committed %s schema is generated from model.prisma', (provider) => {
    expect(readFileSync(schemaPath(provider), 'utf8')).toBe(renderSchema(provider));
  });

  it('the SQLite migrations create exactly the model', async () => {
    expect(await withScratchDatabase('sqlite', (url) => pendingModelChanges('sqlite', url))).toBe('');
  }, 120_000);

  it.skipIf(inject('postgresTemplate') === null)('the PostgreSQL migrations create exactly the model', async () => {
    expect(await withScratchDatabase('postgresql', (url) => pendingModelChanges('postgresql', url))).toBe('');
  }, 180_000);
});
