// Uploaded files are kept under the data directory by their SHA-256, so an interrupted import
// can be resumed from the very bytes it started with, and the same file uploaded twice is
// stored once.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** Largest upload accepted (the HTTP layer allows 64 MB multipart bodies). */
export const MAX_IMPORT_BYTES = 63 * 1024 * 1024;

export function importsDir(): string {
  return join(process.env.JEMPUT_DATA_DIR || join(repoRoot, 'data'), 'imports');
}

export function storedFilePath(hash: string): string {
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error('not a SHA-256');
  return join(importsDir(), hash);
}

export class FileTooLargeError extends Error {}

/** Streams an upload to disk while hashing it; refuses (and removes) anything over the limit. */
export async function storeUpload(stream: ReadableStream<Uint8Array>, maxBytes = MAX_IMPORT_BYTES): Promise<{ hash: string; size: number; path: string }> {
  const dir = importsDir();
  mkdirSync(dir, { recursive: true });
  const temporary = join(dir, `.upload-${randomUUID()}`);
  const out = createWriteStream(temporary);
  const hash = createHash('sha256');
  let size = 0;
  try {
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw new FileTooLargeError();
      }
      hash.update(value);
      if (!out.write(value)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  } catch (error) {
    out.destroy();
    rmSync(temporary, { force: true });
    throw error;
  }
  const digest = hash.digest('hex');
  const path = storedFilePath(digest);
  if (existsSync(path)) rmSync(temporary, { force: true });
  else renameSync(temporary, path);
  return { hash: digest, size, path };
}
