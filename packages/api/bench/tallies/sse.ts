// SSE subscribers of `tallyUpdates` over plain node:http (graphql-yoga's distinct-connection
// mode: one POST per subscriber, `event: next` / `data: {...}` blocks). The data handler only
// stamps the arrival time and pulls the OFFICE row's `recorded` out of the text, so a client
// holding 1,000 streams adds as little as possible to what is measured.
import http from 'node:http';
import { cookieFor } from './server.ts';

export const TALLY_SUBSCRIPTION = 'subscription($d: ID!) { tallyUpdates(driveId: $d) { asOf rows { scope key recorded } } }';

export type TallyEvent = { at: number; officeRecorded: number | null };

export type Subscriber = {
  events: TallyEvent[];
  /** Highest OFFICE `recorded` seen so far (events arrive in order). */
  latestOffice: number;
  errors: string[];
  close(): void;
};

// Rows are serialized in the order of the selection: scope, key, recorded.
const OFFICE_ROW = /"scope":"OFFICE","key":"[^"]*","recorded":(\d+)/;

function officeRecorded(data: string): number | null {
  const match = OFFICE_ROW.exec(data);
  if (match) return Number(match[1]);
  try {
    const parsed = JSON.parse(data) as { data?: { tallyUpdates?: { rows?: { scope: string; recorded: number }[] } } };
    return parsed.data?.tallyUpdates?.rows?.find((r) => r.scope === 'OFFICE')?.recorded ?? null;
  } catch {
    return null;
  }
}

export function createSubscriberAgent(): http.Agent {
  return new http.Agent({ keepAlive: false, maxSockets: Infinity, maxTotalSockets: Infinity });
}

/** Opens one stream; resolves once the server has answered with an event stream. */
export function subscribe(endpoint: string, driveId: string, agent: http.Agent): Promise<Subscriber> {
  const body = JSON.stringify({ query: TALLY_SUBSCRIPTION, variables: { d: driveId } });
  return new Promise((resolve, reject) => {
    const sub: Subscriber = { events: [], latestOffice: -1, errors: [], close: () => req.destroy() };
    const req = http.request(
      endpoint,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'content-length': Buffer.byteLength(body), ...cookieFor(endpoint) },
      },
      (res) => {
        if (res.statusCode !== 200 || !String(res.headers['content-type']).startsWith('text/event-stream')) {
          reject(new Error(`subscription answered HTTP ${res.statusCode} ${res.headers['content-type']}`));
          res.resume();
          return;
        }
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          const at = performance.now();
          buffer += chunk;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let event = 'message';
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) data += line.slice(5).trimStart();
            }
            if (!data) continue; // keep-alive comment
            if (event === 'next' || event === 'message') {
              const office = officeRecorded(data);
              if (office !== null && office > sub.latestOffice) sub.latestOffice = office;
              sub.events.push({ at, officeRecorded: office });
              if (office === null) sub.errors.push(data.slice(0, 300));
            } else if (event !== 'complete') sub.errors.push(`${event}: ${data.slice(0, 300)}`);
          }
        });
        res.on('error', () => {});
        resolve(sub);
      },
    );
    req.on('error', (error) => {
      sub.errors.push(error.message);
      reject(error);
    });
    req.end(body);
  });
}

/** Opens n streams, `parallel` connection attempts at a time. */
export async function subscribeMany(endpoint: string, driveId: string, agent: http.Agent, n: number, parallel = 50): Promise<Subscriber[]> {
  const subs: Subscriber[] = [];
  for (let i = 0; i < n; i += parallel) {
    subs.push(...(await Promise.all(Array.from({ length: Math.min(parallel, n - i) }, () => subscribe(endpoint, driveId, agent)))));
  }
  return subs;
}
