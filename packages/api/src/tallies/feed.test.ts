import { describe, expect, it } from 'vitest';
import { createTallyPubSub } from './feed.ts';
import type { TallyReport } from './report.ts';

describe('the in-process tally pub/sub', () => {
  it('serves many dashboards of one drive without a false "memory leak" warning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const { pubsub } = createTallyPubSub(null);
      const dashboards = Array.from({ length: 25 }, () => pubsub.subscribe('tallies', 'drv_1'));
      const firsts = dashboards.map((d) => d.next());
      const report = { rows: [] } as unknown as TallyReport;
      pubsub.publish('tallies', 'drv_1', report);
      const received = await Promise.all(firsts);
      expect(received.every((r) => r.value === report)).toBe(true);
      await Promise.all(dashboards.map((d) => d.return?.()));
      // Node emits process warnings on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.includes('MaxListeners'))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
