// Every student row of a list as validation checked it — its values, or that it is rejected —
// kept next to the upload as JSON lines. The commit, and a resume after a stop or a crash,
// write those without parsing and checking the file again; validating again (a new mapping)
// replaces them. Only a finished spool (renamed from .part) is ever read.
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { importsDir } from './store.ts';

export function spoolPath(jobId: string): string {
  return join(importsDir(), `${jobId.replace(/[^\w-]/g, '')}.checked.ndjson`);
}

export function removeSpool(jobId: string): void {
  rmSync(spoolPath(jobId), { force: true });
  rmSync(`${spoolPath(jobId)}.part`, { force: true });
}

export class SpoolWriter {
  private readonly out: WriteStream;
  private buffer = '';
  private readonly path: string;

  constructor(jobId: string) {
    this.path = spoolPath(jobId);
    this.out = createWriteStream(`${this.path}.part`);
  }

  /** Buffers one line; only every megabyte returns a promise (the write to disk). */
  writeLine(value: unknown): Promise<void> | undefined {
    return this.writeText(JSON.stringify(value));
  }

  /** writeLine for a value already in JSON (one line, no line break). */
  writeText(json: string): Promise<void> | undefined {
    this.buffer += json + '\n';
    return this.buffer.length > 1 << 20 ? this.flush() : undefined;
  }

  private async flush(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  async finish(): Promise<void> {
    this.out.end(this.buffer);
    await once(this.out, 'finish');
    renameSync(`${this.path}.part`, this.path);
  }

  abort(): void {
    this.out.destroy();
    rmSync(`${this.path}.part`, { force: true });
  }
}

/** The lines of a job's finished spool, parsed, or null when there is none; read chunk by chunk, with the stream's backpressure. */
export function readSpoolLines<T>(jobId: string): AsyncGenerator<T> | null {
  const path = spoolPath(jobId);
  if (!existsSync(path)) return null;
  const input = createReadStream(path, { highWaterMark: 256 * 1024 });
  return (async function* lines(): AsyncGenerator<T> {
    const decoder = new TextDecoder('utf-8');
    let pending = '';
    try {
      for await (const chunk of input as AsyncIterable<Buffer>) {
        pending += decoder.decode(chunk, { stream: true });
        const end = pending.lastIndexOf('\n');
        if (end < 0) continue;
        const complete = pending.slice(0, end);
        pending = pending.slice(end + 1);
        for (const line of complete.split('\n')) if (line) yield JSON.parse(line) as T;
      }
      pending += decoder.decode();
      if (pending) yield JSON.parse(pending) as T;
    } finally {
      input.destroy();
    }
  })();
}
