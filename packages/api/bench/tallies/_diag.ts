import { openDb } from '../../src/db/client.ts';
import { tallyReport, TALLY_SCOPES } from '../../src/tallies/report.ts';
import { todayInJakarta } from '../../src/common/time.ts';
const log: { q: string; d: number }[] = [];
const db = await openDb('file:/tmp/jb/bench.db');
(db as any).$on('query', (e: any) => log.push({ q: e.query.slice(0, 90), d: e.duration }));
await db.$disconnect();
const db2 = await openDb('file:/tmp/jb/bench.db', { onQuery: () => {} });
(db2 as any).$on('query', (e: any) => log.push({ q: e.query.slice(0, 100), d: e.duration }));
const today = todayInJakarta();
const visit = await db2.visit.findFirstOrThrow({ where: { driveId: 'drv_0001' } });
for (let i = 0; i < 30; i++) await tallyReport(db2, 'drv_0001', today, { scopes: ['OFFICE', 'DISTRICT', 'SCHOOL'] });
for (const label of ['full', 'feed']) {
  const samples: number[] = [];
  let last: typeof log = [];
  for (let i = 0; i < 20; i++) {
    log.length = 0;
    const t = performance.now();
    if (label === 'full') await tallyReport(db2, 'drv_0001', today, { scopes: ['OFFICE', 'DISTRICT', 'SCHOOL'] });
    else await tallyReport(db2, 'drv_0001', today, { scopes: TALLY_SCOPES, schoolIds: [visit.schoolId], visitIds: [visit.id] });
    samples.push(performance.now() - t);
    last = [...log];
  }
  samples.sort((a, b) => a - b);
  console.log(label, 'p50', samples[10].toFixed(1), 'ms; queries of last run:');
  for (const l of last) console.log('   ', l.d, 'ms', l.q);
}
// raw prisma timings
const t0 = performance.now();
for (let i = 0; i < 20; i++) await db2.tallyCell.findMany({ where: { driveId: 'drv_0001' } });
console.log('tallyCell.findMany x1', ((performance.now() - t0) / 20).toFixed(2), 'ms');
const t1 = performance.now();
for (let i = 0; i < 20; i++) await db2.$queryRawUnsafe('SELECT * FROM TallyCell WHERE driveId = ?', 'drv_0001');
console.log('raw select cells x1', ((performance.now() - t1) / 20).toFixed(2), 'ms');
const t2 = performance.now();
for (let i = 0; i < 20; i++) await db2.school.findMany({ where: { officeId: 'off_3573' }, select: { id: true, name: true, districtCode: true } });
console.log('schools x1', ((performance.now() - t2) / 20).toFixed(2), 'ms');
await db2.$disconnect();
