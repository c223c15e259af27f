// A subscription that stays up: Yoga's SSE through urql, reopened a few seconds after it drops
// (server restart, network gone). Streams here are at-most-once, so after a reopen the caller is
// told to re-read what it shows (`onReopen`) instead of trusting that nothing was missed.
import type { AnyVariables } from '@urql/core';
import { client } from './client.ts';

export function subscribeLive<Data, Variables extends AnyVariables = AnyVariables>(
  query: string,
  variables: Variables,
  onData: (data: Data) => void,
  onReopen?: () => void,
): () => void {
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let current: { unsubscribe(): void } | undefined;
  let attempt = 0;
  const open = (reopened: boolean) => {
    if (stopped) return;
    if (reopened) onReopen?.();
    current = client.subscription<Data, Variables>(query, variables).subscribe((result) => {
      if (result.data) {
        attempt = 0;
        onData(result.data);
      }
      if (result.error && !stopped) {
        current?.unsubscribe();
        attempt++;
        clearTimeout(retry);
        retry = setTimeout(() => open(true), Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5)));
      }
    });
  };
  open(false);
  return () => {
    stopped = true;
    clearTimeout(retry);
    current?.unsubscribe();
  };
}
