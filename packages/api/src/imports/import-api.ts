// Test and bench helpers: send a file as a GraphQL multipart request (as the PWA does) and
// wait for the job's background work.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { CSRF_HEADER } from '../server/hardening.ts';
import { importSettled } from './jobs.ts';

type FetchFn = (url: string, init?: RequestInit) => Promise<Response>;

export const JOB_FIELDS = `id status phase progress fileName fileHash fileSize format totalRows parsedRows validatedRows committedRows created updated unchanged rejected warnings error schoolId`;

/** Uploads bytes (or a file path) through `uploadImport` with the GraphQL multipart request spec. */
export async function uploadFile(fetchFn: FetchFn, file: string | { name: string; bytes: Uint8Array }, kind: 'STUDENTS' | 'SCHOOLS', schoolId?: string, headers: Record<string, string> = {}): Promise<any> {
  const { name, bytes } = typeof file === 'string' ? { name: basename(file), bytes: readFileSync(file) } : file;
  const form = new FormData();
  form.set('operations', JSON.stringify({
    query: `mutation ($file: File!, $kind: ImportKind!, $schoolId: ID) { uploadImport(file: $file, kind: $kind, schoolId: $schoolId) { ${JOB_FIELDS} } }`,
    variables: { file: null, kind, schoolId: schoolId ?? null },
  }));
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  form.set('0', new File([bytes as Uint8Array<ArrayBuffer>], name));
  const response = await fetchFn('http://test/graphql', { method: 'POST', body: form, headers: { [CSRF_HEADER]: '1', ...headers } });
  const result = (await response.json()) as { data?: { uploadImport: any }; errors?: { message: string }[] };
  if (result.errors?.length) throw new Error(`uploadImport: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.data?.uploadImport;
}

export { importSettled };
