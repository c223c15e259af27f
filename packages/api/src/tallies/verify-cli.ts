// pnpm tallies:verify [--fix] — compares every drive's maintained tallies with a recount from
// raw rows; exits 1 and lists the differences when they drift. --fix rebuilds drifted drives.
import { DEFAULT_DATABASE_URL, openDb } from '../db/client.ts';
import { rebuildDriveTallies } from './maintain.ts';
import { verifyDriveTallies } from './verify.ts';

const db = await openDb(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
const fix = process.argv.includes('--fix');
let drifted = 0;
for (const drive of await db.drive.findMany({ select: { id: true, name: true } })) {
  const started = performance.now();
  const drift = await verifyDriveTallies(db, drive.id);
  const ms = Math.round(performance.now() - started);
  if (!drift.length) {
    console.log(`✓ ${drive.name} (${drive.id}): tallies match the raw rows (${ms} ms)`);
    continue;
  }
  drifted++;
  console.log(`✗ ${drive.name} (${drive.id}): ${drift.length} counters differ`);
  for (const d of drift.slice(0, 50)) console.log(`  ${d.table} ${d.key} ${d.field}: stored ${d.stored}, recount ${d.expected}`);
  if (fix) {
    await rebuildDriveTallies(db, drive.id);
    console.log('  rebuilt from raw rows');
  }
}
await db.$disconnect();
process.exit(drifted && !fix ? 1 : 0);
