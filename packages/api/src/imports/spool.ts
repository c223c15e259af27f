// Every student row of a list as validation checked it — its values, or that it is rejected —
// kept next to the upload as JSON lines. The commit, and a resume after a stop or a crash,
// write those without parsing and checking the file again; validating again (a new mapping)
// replaces them. Only a finished spool (renamed from .part) is ever read.
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
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
    this.buffer += JSON.stringify(value) + '\n';
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

/** The lines of a job's finished spool, parsed, or null when there is none. */
export function readSpoolLines<T>(jobId: string): AsyncGenerator<T> | null {
  const path = spoolPath(jobId);
  if (!existsSync(path)) return null;
  const input = createReadStream(path);
  return (async function* lines(): AsyncGenerator<T> {
    const reader = createInterface({ input, crlfDelay: Infinity });
    try {
      for await (const line of reader) if (line) yield JSON.parse(line) as T;
    } finally {
      reader.close();
      input.destroy();
    }
  })();
}
