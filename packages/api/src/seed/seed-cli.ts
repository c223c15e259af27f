// pnpm db:seed [--force [--yes]] [--seed=N]
// Fills the database named by DATABASE_URL (default: SQLite data/jemput.db) with the demo
// office. A database that already has an office is left alone unless --force, which first
// deletes every row; on PostgreSQL (likely a real deployment) --force also needs --yes.
import { fileURLToPath } from 'node:url';
import type { IsoDate } from '@jemput/core';
import { migrateDeploy } from '@jemput/prisma/migrations';
import { DEFAULT_DATABASE_URL, openDb, providerOf } from '../db/client.ts';
import { DEMO_DEFAULTS, deleteAllRows, isDatabaseEmpty, seedDemo } from './demo.ts';
import { formatSeedSummary } from './summary.ts';
import { todayInJakarta } from '../common/time.ts';

const USAGE = 'Pemakaian: pnpm db:seed [--force [--yes]] [--seed=N]';

type CliOptions = { force: boolean; yes: boolean; seed: number };

function parseArgs(args: readonly string[]): CliOptions | null {
  const options: CliOptions = { force: false, yes: false, seed: DEMO_DEFAULTS.seed };
  for (const arg of args) {
    const seedMatch = /^--seed=(\d+)$/.exec(arg);
    if (arg === '--force') options.force = true;
    else if (arg === '--yes') options.yes = true;
    else if (seedMatch) options.seed = Number(seedMatch[1]);
    else return null;
  }
  return options;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  if (!options) {
    console.error(USAGE);
    return 2;
  }
  const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const isPostgres = providerOf(url) === 'postgresql';
  migrateDeploy(url);
  const db = await openDb(url);
  try {
    if (!(await isDatabaseEmpty(db))) {
      if (!options.force) {
        console.log('Basis data sudah berisi data kantor; tidak ada yang diubah.');
        console.log('Untuk menghapus SEMUA data dan mengisi ulang data demo: pnpm db:seed --force');
        return 0;
      }
      if (isPostgres && !options.yes) {
        console.error('Ini basis data PostgreSQL (mungkin data sungguhan): --force menghapus SEMUA data.');
        console.error('Jika memang itu maksudnya, ulangi dengan: pnpm db:seed --force --yes');
        return 1;
      }
      console.log('Menghapus semua data lama...');
      await deleteAllRows(db);
    }
    const started = performance.now();
    const summary = await seedDemo(db, { today: todayInJakarta(), seed: options.seed });
    console.log(formatSeedSummary(summary));
    console.log(`Selesai dalam ${((performance.now() - started) / 1000).toFixed(1)} detik.`);
    return 0;
  } finally {
    await db.$disconnect();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main();
}
