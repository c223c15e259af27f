import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Registry } from 'prom-client';
import { expect, it } from 'vitest';
import { registerLiveHeapGauge } from './live-heap.ts';

setFlagsFromString('--expose-gc');
const fullCollection = runInNewContext('gc') as () => void;
const MiB = 1024 * 1024;

it('reports what a full collection leaves alive, not the garbage allocated since', async () => {
  const registry = new Registry();
  registerLiveHeapGauge(registry);
  const live = async () => {
    const [metric] = await registry.getMetricsAsJSON();
    return metric!.values[0]!.value;
  };
  const collected = async () => {
    fullCollection();
    await new Promise((resolve) => setTimeout(resolve, 20)); // the observer hears of it on a later turn
    return live();
  };

  const base = await collected();
  let kept: { n: number; text: string }[] | null = Array.from({ length: 400_000 }, (_, n) => ({ n, text: `row ${n}` }));
  const withKept = await collected();
  expect(withKept - base).toBeGreaterThan(10 * MiB);

  // Garbage made after the collection does not count until a collection says what is alive.
  for (let i = 0; i < 20; i++) Array.from({ length: 100_000 }, (_, n) => ({ n, text: `garbage ${n}` }));
  expect(await live()).toBe(withKept);

  kept.length = 0;
  kept = null;
  expect((await collected()) - base).toBeLessThan(4 * MiB);
});
