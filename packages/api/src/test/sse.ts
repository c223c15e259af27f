// A GraphQL subscription over SSE (Yoga's distinct-connection mode), as a browser opens it.
export type Subscription<T = any> = {
  events: T[];
  /** Resolves with the first event (already received or coming) that matches. */
  next(matches?: (event: T) => boolean, timeoutMs?: number): Promise<T>;
  close(): void;
};

export async function subscribe<T = any>(
  fetchFn: (url: string, init?: RequestInit) => Promise<Response>,
  url: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<Subscription<T>> {
  const abort = new AbortController();
  const response = await fetchFn(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query, variables }),
    signal: abort.signal,
  });
  if (!response.ok || !response.body) throw new Error(`subscription failed: HTTP ${response.status}`);
  const events: T[] = [];
  const waiters: { matches: (e: T) => boolean; resolve: (e: T) => void }[] = [];
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((line) => line.startsWith('data:'));
          if (!block.startsWith('event: next') || !data) continue;
          const payload = JSON.parse(data.slice(5)) as { data: T };
          events.push(payload.data);
          for (const w of [...waiters]) if (w.matches(payload.data)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(payload.data);
          }
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    next(matches = () => true, timeoutMs = 5000) {
      const found = events.find(matches);
      if (found) return Promise.resolve(found);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms (${events.length} received)`)), timeoutMs);
        waiters.push({ matches, resolve: (e) => (clearTimeout(timer), resolve(e)) });
      });
    },
    close: () => abort.abort(),
  };
}
