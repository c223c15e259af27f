// Used by `pnpm start`: builds the web app when dist/ is missing or older than its sources
// (the web package and @jemput/core, which is bundled into it), so a fresh clone needs one
// command. A failed build does not stop the API: it serves the last build or a placeholder.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const core = join(web, '..', 'core');
const built = join(web, 'dist', 'index.html');

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

const sources = Math.max(
  ...['src', 'build', 'index.html', 'vite.config.ts', 'package.json'].map((p) => newest(join(web, p))),
  newest(join(core, 'src')),
);
const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;

if (builtAt >= sources) {
  console.log('Jemput web app: dist/ is up to date.');
} else {
  console.log(builtAt ? 'Jemput web app: sources changed, rebuilding…' : 'Jemput web app: building (first start)…');
  const started = Date.now();
  try {
    // Always a production build, whatever NODE_ENV the caller has (vitest sets "test", which
    // would give Solid's dev build, AG Grid's validation module and an unminified service worker).
    process.env.NODE_ENV = 'production';
    const { build } = await import('vite');
    await build({ root: web, configFile: join(web, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
    console.log(`Jemput web app: built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } catch (error) {
    console.error(`Jemput web app: the build failed (${error?.message ?? error}); the server will serve ${builtAt ? 'the previous build' : 'a placeholder page'}.`);
  }
}
