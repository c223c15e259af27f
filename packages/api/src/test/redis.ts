// The Redis that the multi-instance tests and benches use: where it is, and whether it answers
// (without it those tests are skipped and those benches refuse to start).
import { connect } from 'node:net';

export const TEST_REDIS_URL = process.env.JEMPUT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when something answers PING with PONG at host:port. */
export async function redisAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

/** Whether the test Redis (TEST_REDIS_URL) answers. */
export function testRedisAnswers(): Promise<boolean> {
  const url = new URL(TEST_REDIS_URL);
  return redisAnswers(url.hostname, Number(url.port || 6379));
}
