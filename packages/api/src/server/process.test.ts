import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from './process.ts';

it('runs the server with the same Node flags from `pnpm start` as in tests and benchmarks', () => {
  const { scripts } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
  expect(scripts.start).toBe(`node ${SERVER_NODE_FLAGS.join(' ')} --import tsx src/server/main.ts`);
});
