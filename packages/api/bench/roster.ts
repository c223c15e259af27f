// Writes a demo office with a large roster into a fresh SQLite file, for pnpm bench:web.
//   tsx bench/roster.ts <file> <students> <schools>
import { migrateDeploy } from '@jemput/prisma/migrations';
import { openDb } from '../src/db/client.ts';
import { seedDemo } from '../src/seed/demo.ts';
import { todayInJakarta } from '../src/common/time.ts';

const [file, students, schools] = process.argv.slice(2);
if (!file || !students || !schools) {
  console.error('usage: tsx bench/roster.ts <file> <students> <schools>');
  process.exit(2);
}
const url = `file:${file}`;
migrateDeploy(url);
const db = await openDb(url);
const started = performance.now();
const summary = await seedDemo(db, { today: todayInJakarta(), students: Number(students), schools: Number(schools) });
await db.$disconnect();
console.log(`roster: ${summary.schools} schools, ${summary.students.total} students, seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
