// The data rows of an XLSX list, as read during validation, kept next to the upload as JSON
// lines: committing (or validating again after a mapping change, or resuming) then reads them
// back instead of unzipping and parsing the workbook again, which is the slow part of an XLSX
// import. CSV files are cheap to parse and are read from the upload itself.
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { cellText } from '@jemput/core';
import type { DataRow } from './read.ts';
import { importsDir } from './store.ts';

export function spoolPath(jobId: string): string {
  return join(importsDir(), `${jobId.replace(/[^\w-]/g, '')}.rows.ndjson`);
}

export function removeSpool(jobId: string): void {
  rmSync(spoolPath(jobId), { force: true });
  rmSync(`${spoolPath(jobId)}.part`, { force: true });
}

/** Written while validating; only a finished spool (renamed from .part) is ever read. */
export class SpoolWriter {
  private readonly out: WriteStream;
  private buffer = '';

  constructor(private readonly jobId: string) {
    this.out = createWriteStream(`${spoolPath(jobId)}.part`);
  }

  async write(row: DataRow): Promise<void> {
    // Dates become yyyy-mm-dd text, which the date rules read like the cell itself.
    const cells = row.cells.map((c) => (c instanceof Date ? cellText(c) : (c ?? null)));
    this.buffer += JSON.stringify([row.rowNumber, row.index, cells]) + '\n';
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
    renameSync(`${spoolPath(this.jobId)}.part`, spoolPath(this.jobId));
  }

  abort(): void {
    this.out.destroy();
    rmSync(`${spoolPath(this.jobId)}.part`, { force: true });
  }
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
