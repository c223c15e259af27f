// Push latency: one outcome mutation at a time against a server in a child process, and the
// time until each of N SSE subscribers holds an event whose OFFICE row shows the new count.
import { gql, type ServerProcess } from './server.ts';
import { createSubscriberAgent, subscribeMany, type Subscriber } from './sse.ts';
import { sleep, stats, type Stats } from './stats.ts';

export type PushTarget = { studentId: string; visitId: string | null };

export type PushRound = {
  label: string;
  subscribers: number;
  mutations: number;
  /** From the mutation's HTTP response (commit acknowledged) to receipt, one sample per subscriber × mutation. */
  fromAck: Stats;
  /** From just before the mutation was sent to receipt. */
  fromSend: Stats;
  /** Mutation round trip as the writer sees it. */
  mutation: Stats;
  /** Subscriber × mutation pairs that never saw the change (within the timeout). */
  missed: number;
  /** Events received per subscriber per mutation (1 = no duplicates, no extra pushes). */
  eventsPerMutation: number;
  /** CPU time per measured write: the server (write + recompute + fan-out) and this process (the subscribers). */
  serverCpuPerWriteMs: number;
  clientCpuPerWriteMs: number;
  /** Server VmRSS while the subscribers were connected, KiB. */
  rssKib: number;
  connectMs: number;
  /** Unmeasured writes it took until every stream had received an event. */
  warmups: number;
  errors: string[];
};

const UPSERT = `mutation ($rows: [OutcomeRowInput!]!) {
  upsertOutcomes(rows: $rows) { created rejected rows { status problems { field code message } } } }`;
const OFFICE_TALLY = 'query ($d: ID!) { tallies(driveId: $d, groupBy: [OFFICE]) { rows { scope recorded } } }';

async function officeRecorded(endpoint: string, driveId: string): Promise<number> {
  const data = await gql(endpoint, OFFICE_TALLY, { d: driveId });
  return data.tallies.rows.find((r: { scope: string }) => r.scope === 'OFFICE').recorded as number;
}

async function record(endpoint: string, driveId: string, target: PushTarget): Promise<void> {
  const data = await gql(endpoint, UPSERT, { rows: [{ driveId, studentId: target.studentId, visitId: target.visitId, status: 'RECORDED' }] });
  if (data.upsertOutcomes.created !== 1) throw new Error(`outcome not created: ${JSON.stringify(data.upsertOutcomes)}`);
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await sleep(2);
  }
  return true;
}

export async function pushRound(
  server: ServerProcess,
  options: { label: string; driveId: string; subscribers: number; mutations: number; spacingMs: number; targets: PushTarget[] },
): Promise<PushRound> {
  const { endpoint } = server;
  const { driveId } = options;
  const take = (): PushTarget => {
    const target = options.targets.shift();
    if (!target) throw new Error('ran out of students without an outcome');
    return target;
  };
  const agent = createSubscriberAgent();
  let subs: Subscriber[] = [];
  try {
    const connectStart = performance.now();
    subs = await subscribeMany(endpoint, driveId, agent, options.subscribers);
    const connectMs = performance.now() - connectStart;
    let expected = await officeRecorded(endpoint, driveId);

    // Warm-up writes until every stream has seen one: proves all are listening before anything
    // is measured. (A stream answers before its subscription is registered — with Redis, before
    // SUBSCRIBE completes — and an event published in that gap is lost, so one write may not do.)
    let warmups = 0;
    for (;;) {
      expected++;
      warmups++;
      await record(endpoint, driveId, take());
      if (await waitUntil(() => subs.every((s) => s.latestOffice >= expected), 3_000)) break;
      if (warmups >= 5) {
        const silent = subs.filter((s) => s.latestOffice < expected).length;
        throw new Error(`${silent} of ${subs.length} subscribers got no event after ${warmups} warm-up writes`);
      }
    }
    await sleep(options.spacingMs);

    const fromAck: number[] = [];
    const fromSend: number[] = [];
    const mutation: number[] = [];
    let missed = 0;
    let events = 0;
    const serverCpu0 = server.cpuMs();
    const clientCpu0 = process.cpuUsage();
    for (let k = 0; k < options.mutations; k++) {
      for (const s of subs) s.events.length = 0;
      expected++;
      const target = take();
      const sent = performance.now();
      await record(endpoint, driveId, target);
      const acked = performance.now();
      mutation.push(acked - sent);
      await waitUntil(() => subs.every((s) => s.latestOffice >= expected), 10_000);
      for (const s of subs) {
        const hit = s.events.find((e) => e.officeRecorded !== null && e.officeRecorded >= expected);
        if (!hit) {
          missed++;
          continue;
        }
        fromAck.push(hit.at - acked);
        fromSend.push(hit.at - sent);
      }
      // Let the feed go quiet so the next write is its own event (no coalescing across writes).
      const rest = sent + options.spacingMs - performance.now();
      if (rest > 0) await sleep(rest);
      for (const s of subs) events += s.events.length;
    }
    const serverCpuPerWriteMs = (server.cpuMs() - serverCpu0) / options.mutations;
    const clientCpu = process.cpuUsage(clientCpu0);
    const clientCpuPerWriteMs = (clientCpu.user + clientCpu.system) / 1000 / options.mutations;
    const rssKib = server.rssKib();
    const errors = [...new Set(subs.flatMap((s) => s.errors))];
    return {
      label: options.label,
      subscribers: subs.length,
      mutations: options.mutations,
      fromAck: stats(fromAck),
      fromSend: stats(fromSend),
      mutation: stats(mutation),
      missed,
      eventsPerMutation: events / (subs.length * options.mutations),
      serverCpuPerWriteMs,
      clientCpuPerWriteMs,
      rssKib,
      connectMs,
      warmups,
      errors,
    };
  } finally {
    for (const s of subs) s.close();
    agent.destroy();
    await sleep(200); // let the server drop the closed streams before the next round
  }
}
