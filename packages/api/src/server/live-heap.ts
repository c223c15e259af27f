// The heap a process keeps alive, for watching for leaks: V8's old generation just after the last
// full (mark-compact) garbage collection. prom-client's nodejs_heap_size_used_bytes also counts
// garbage not collected yet; sampled under load it moved by ±20% with the timing of collections
// (bench:load's memory check failed on it) while heap snapshots of the same run stayed within 10%.
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { Gauge, type Registry } from 'prom-client';

const YOUNG_SPACES = new Set(['new_space', 'new_large_object_space']);

function oldGenerationBytes(): number {
  return getHeapSpaceStatistics().reduce((n, space) => (YOUNG_SPACES.has(space.space_name) ? n : n + space.space_used_size), 0);
}

// One observer per process, however many apps (tests) make a gauge; it is read just after each
// full collection, before the young generation promotes much into the old one.
let liveBytes: number | null = null;
function watchFullCollections(): void {
  if (liveBytes !== null) return;
  liveBytes = oldGenerationBytes();
  new PerformanceObserver((list) => {
    if (list.getEntries().some((entry) => (entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)) liveBytes = oldGenerationBytes();
  }).observe({ entryTypes: ['gc'] });
}

/** `jemput_heap_live_bytes` in `registry`. */
export function registerLiveHeapGauge(registry: Registry): void {
  watchFullCollections();
  new Gauge({
    name: 'jemput_heap_live_bytes',
    help: 'V8 old generation in use just after the last full garbage collection: what the process keeps alive (a rise over hours is a leak; nodejs_heap_size_used_bytes also counts uncollected garbage)',
    registers: [registry],
    collect() {
      this.set(liveBytes ?? oldGenerationBytes());
    },
  });
}
