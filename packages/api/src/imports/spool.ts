// What validation read and checked, kept next to the upload as JSON lines. The data rows of an
// XLSX list (`rows`): validating again after a mapping change reads them back instead of
// unzipping and parsing the workbook again, the slow part of an XLSX import (CSV files are
// cheap to parse and are read from the upload itself). And every student row as checked
// (`checked`): the commit, and a resume, write those without parsing or checking again.
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { cellText } from '@jemput/core';
import type { DataRow } from './read.ts';
import { importsDir } from './store.ts';

/**
 * `rows`: the data rows as read (XLSX only: re-validating after a mapping change reads them).
 * `checked`: each student row as validation left it — its values, or that it is rejected — so
 * the commit writes what the preview showed without parsing and checking the file again.
 */
export type SpoolKind = 'rows' | 'checked';

export function spoolPath(jobId: string, kind: SpoolKind = 'rows'): string {
  return join(importsDir(), `${jobId.replace(/[^\w-]/g, '')}.${kind}.ndjson`);
}

export function removeSpool(jobId: string, kinds: SpoolKind[] = ['rows', 'checked']): void {
  for (const kind of kinds) {
    rmSync(spoolPath(jobId, kind), { force: true });
    rmSync(`${spoolPath(jobId, kind)}.part`, { force: true });
  }
}

/** Written while validating; only a finished spool (renamed from .part) is ever read. */
export class SpoolWriter {
  private readonly out: WriteStream;
  private buffer = '';
  private readonly path: string;

  constructor(jobId: string, kind: SpoolKind = 'rows') {
    this.path = spoolPath(jobId, kind);
    this.out = createWriteStream(`${this.path}.part`);
  }

  async write(row: DataRow): Promise<void> {
    // Dates become yyyy-mm-dd text, which the date rules read like the cell itself.
    const cells = row.cells.map((c) => (c instanceof Date ? cellText(c) : (c ?? null)));
    await this.writeLine([row.rowNumber, row.index, cells]);
  }

  async writeLine(value: unknown): Promise<void> {
    this.buffer += JSON.stringify(value) + '\n';
    if (this.buffer.length > 1 << 20) await this.flush();
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

/** The lines of a finished spool, parsed, or null when there is none. */
export function readSpoolLines<T>(jobId: string, kind: SpoolKind): AsyncGenerator<T> | null {
  const path = spoolPath(jobId, kind);
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

/** The spooled rows of a job, or null when there is no finished spool. */
export function readSpool(jobId: string): { rows: AsyncGenerator<DataRow>; bytesRead(): number } | null {
  const path = spoolPath(jobId);
  if (!existsSync(path)) return null;
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  const input = createReadStream(path).pipe(counter);
  async function* rows(): AsyncGenerator<DataRow> {
    const lines = createInterface({ input, crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        if (!line) continue;
        const [rowNumber, index, cells] = JSON.parse(line) as [number, number, DataRow['cells']];
        yield { rowNumber, index, cells };
      }
    } finally {
      lines.close();
      input.destroy();
    }
  }
  return { rows: rows(), bytesRead: () => bytes };
}
