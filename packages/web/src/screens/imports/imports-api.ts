// The Impor screen's conversation with the API: upload (GraphQL multipart — urql sends a File
// variable as a multipart request by itself), the job with its preview, mapping, commit,
// cancel, history, and the importProgress subscription behind the progress bar.
import { client, request } from '../../api/client.ts';

export type ImportKind = 'STUDENTS' | 'SCHOOLS';
export type ImportPhase = 'VALIDATING' | 'NEEDS_MAPPING' | 'READY' | 'WRITING' | 'DONE' | 'FAILED' | 'INTERRUPTED' | 'CANCELLED';

export type ImportJob = {
  id: string;
  kind: ImportKind;
  status: string;
  phase: ImportPhase;
  progress: number;
  fileName: string;
  fileHash: string;
  fileSize: number;
  format: string;
  schoolId: string | null;
  schoolName: string | null;
  createdByName: string | null;
  createdAt: string;
  finishedAt: string | null;
  totalRows: number;
  parsedRows: number;
  validatedRows: number;
  committedRows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  warnings: number;
  error: string | null;
};

export type JobDetail = ImportJob & {
  fields: { field: string; label: string; required: boolean }[];
  columns: { index: number; label: string; field: string | null }[];
  sampleRows: { rowNumber: number; cells: string[] }[];
  problems: { totalCount: number; edges: { node: Problem }[] };
};

export type Problem = { rowNumber: number; severity: 'ERROR' | 'WARNING'; field: string | null; code: string; message: string };

const JOB = 'id kind status phase progress fileName fileHash fileSize format schoolId schoolName createdByName createdAt finishedAt totalRows parsedRows validatedRows committedRows created updated unchanged rejected warnings error';
const DETAIL = `${JOB} fields { field label required } columns { index label field } sampleRows { rowNumber cells } problems(first: 200) { totalCount edges { node { rowNumber severity field code message } } }`;

export async function uploadImport(file: File, kind: ImportKind, schoolId: string | null): Promise<ImportJob> {
  const data = await request<{ uploadImport: ImportJob }>(
    `mutation UploadImport($file: File!, $kind: ImportKind!, $schoolId: ID) { uploadImport(file: $file, kind: $kind, schoolId: $schoolId) { ${JOB} } }`,
    { file, kind, schoolId },
    'mutation',
  );
  return data.uploadImport;
}

export async function fetchJob(id: string): Promise<JobDetail | null> {
  return (await request<{ importJob: JobDetail | null }>(`query ImportJob($id: ID!) { importJob(id: $id) { ${DETAIL} } }`, { id })).importJob;
}

export async function setMapping(jobId: string, mapping: { field: string; column: number }[], schoolId: string | null): Promise<ImportJob> {
  const data = await request<{ setImportMapping: ImportJob }>(
    `mutation SetImportMapping($jobId: ID!, $mapping: [ImportMappingInput!]!, $schoolId: ID) { setImportMapping(jobId: $jobId, mapping: $mapping, schoolId: $schoolId) { ${JOB} } }`,
    { jobId, mapping, schoolId },
    'mutation',
  );
  return data.setImportMapping;
}

export async function commitImport(jobId: string): Promise<ImportJob> {
  return (await request<{ commitImport: ImportJob }>(`mutation CommitImport($jobId: ID!) { commitImport(jobId: $jobId) { ${JOB} } }`, { jobId }, 'mutation')).commitImport;
}

export async function cancelImport(jobId: string): Promise<ImportJob> {
  return (await request<{ cancelImport: ImportJob }>(`mutation CancelImport($jobId: ID!) { cancelImport(jobId: $jobId) { ${JOB} } }`, { jobId }, 'mutation')).cancelImport;
}

export async function fetchHistory(): Promise<ImportJob[]> {
  const data = await request<{ importJobs: { edges: { node: ImportJob }[] } }>(`query ImportHistory { importJobs(first: 30) { edges { node { ${JOB} } } } }`, {});
  return data.importJobs.edges.map((e) => e.node);
}

/** Pushes the job's state while it validates or writes; returns the unsubscribe function. */
export function followProgress(jobId: string, onJob: (job: ImportJob) => void): () => void {
  const { unsubscribe } = client
    .subscription<{ importProgress: ImportJob }>(`subscription ImportProgress($jobId: ID!) { importProgress(jobId: $jobId) { ${JOB} } }`, { jobId })
    .subscribe((result) => {
      if (result.data) onJob(result.data.importProgress);
    });
  return unsubscribe;
}

export type DriveOption = { id: string; name: string; visits: { id: string; date: string; school: { name: string } }[] };

export async function fetchDrives(): Promise<DriveOption[]> {
  const data = await request<{ drives: { edges: { node: { id: string; name: string } }[] } }>(`query ReportDrives { drives(first: 50) { edges { node { id name } } } }`, {});
  return data.drives.edges.map((e) => ({ ...e.node, visits: [] }));
}

export async function fetchVisits(driveId: string): Promise<DriveOption['visits']> {
  const data = await request<{ visits: { edges: { node: DriveOption['visits'][number] }[] } }>(
    `query ReportVisits($driveId: ID!) { visits(first: 500, filter: { driveId: { equals: $driveId } }, sort: [{ field: DATE }]) { edges { node { id date school { name } } } } }`,
    { driveId },
  );
  return data.visits.edges.map((e) => e.node);
}
