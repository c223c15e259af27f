import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql 16 ships CJS (index.js) and ESM (index.mjs) without an exports map: Node loads
  // the CJS file for Pothos and Yoga, so tests must use that same copy.
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'prisma/**/*.test.ts', 'e2e/**/*.test.ts'],
    // Migrates one template database per provider (real SQLite file, real PostgreSQL);
    // each test file then gets its own copy.
    globalSetup: ['packages/api/src/test/global-setup.ts'],
    testTimeout: 30_000,
    // A grid cell shows an edit once the server has answered its save; with two browsers, their
    // servers and other test files sharing two cores that can take more than expect.poll's
    // default second. Polls still fail when the value never comes.
    expect: { poll: { timeout: 5_000 } },
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
