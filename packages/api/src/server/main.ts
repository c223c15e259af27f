// `pnpm start`: migrate the database, seed the demo office on first start, serve API + web app.
//   DATABASE_URL  file:… (default data/jemput.db) or postgresql://…
//   PORT          default 4000
import { migrateDeploy } from '@jemput/prisma/migrations';
import { DEFAULT_DATABASE_URL, openDb, providerOf } from '../db/client.ts';
import { isDatabaseEmpty, seedDemo } from '../seed/demo.ts';
import { createApp } from './app.ts';
import { todayInJakarta } from '../common/time.ts';
import { ensureOfficeAdmin } from '../auth/first-admin.ts';
import { markInterruptedImports } from '../imports/jobs.ts';

const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const port = Number(process.env.PORT ?? 4000);
const provider = providerOf(url);
const where = provider === 'sqlite' ? url.replace(/^file:/, '') : new URL(url).pathname.slice(1);

try {
  migrateDeploy(url);
} catch (error) {
  console.error(`Jemput: the ${provider} database (${where}) could not be migrated:\n${(error as Error).message}`);
  process.exit(1);
}
const db = await openDb(url);
if (await isDatabaseEmpty(db)) {
  console.log('Jemput: empty database, loading the demo office (Kota Malang)…');
  const summary = await seedDemo(db, { today: todayInJakarta() });
  console.log(`Jemput: demo loaded — ${summary.schools} schools, ${summary.students.total} students, ${summary.visits.total} visits, ${summary.outcomes.total} outcomes.`);
}
// An import that was writing when the server stopped can be resumed from where it stopped.
// With PostgreSQL another instance may still be running one: only jobs silent for 2 minutes count.
const interrupted = await markInterruptedImports(db, provider === 'postgresql' ? new Date(Date.now() - 120_000) : undefined);
if (interrupted) console.log(`Jemput: ${interrupted} import(s) were interrupted; resume them on the Impor screen.`);
const office = await db.office.findFirst({ orderBy: { createdAt: 'asc' } });
const admin = office ? await ensureOfficeAdmin(db, office.id) : null;
if (admin) {
  console.log(
    admin.password
      ? `Jemput: created the first administrator "${admin.username}" with the one-time password ${admin.password} — it is shown only now and must be changed at first login.`
      : `Jemput: created the first administrator "${admin.username}" with the password from JEMPUT_ADMIN_PASSWORD; it must be changed at first login.`,
  );
}
const { server, yoga } = createApp({ db, provider, officeId: office?.id ?? null, redisUrl: process.env.REDIS_URL || null, databaseUrl: url });

server.on('error', (error: NodeJS.ErrnoException) => {
  console.error(error.code === 'EADDRINUSE' ? `Jemput: port ${port} is already in use; set PORT to another one.` : `Jemput: ${error.message}`);
  process.exit(1);
});
server.listen(port, () => {
  console.log(`Jemput is running on http://localhost:${port} (GraphQL: /graphql, database: ${provider} ${where})`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close(() => void Promise.all([db.$disconnect(), yoga.closePubSub()]).then(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
