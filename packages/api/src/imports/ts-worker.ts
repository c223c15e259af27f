// Starting a worker thread on a TypeScript module of this package. Node 20 does not hand the
// TypeScript loader the app runs under (tsx) to worker threads, so the thread's first lines
// register it when a .ts module cannot be loaded without it.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** A worker thread running `entry` (a .ts module's URL, e.g. `new URL('./x.ts', import.meta.url)`). */
export function startTsWorker(entry: URL): Worker {
  // tsx's ESM API (index.mjs beside the index.cjs that require() resolves: its CJS build cannot register from an eval'd worker).
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const bootstrap = `
    import(${JSON.stringify(entry.href)}).catch(async (error) => {
      if (error?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
      (await import(${JSON.stringify(tsx)})).register();
      // A fresh URL: the failed load of the plain one stays in the module cache.
      return import(${JSON.stringify(`${entry.href}?tsx`)});
    });`;
  return new Worker(bootstrap, { eval: true });
}
