// The Siswa grid's conversation with the API: one page query (offset paging for the infinite
// grid), one batch upsert for a paste/fill/undo, updateStudent for a typed cell, deletes.
import { request } from '../api/client.ts';
import type { FetchParams, GridRow, Problem, RowWrite, SaveResult } from '../grid/DataGrid.tsx';
import { PAGE, PAGE_ROWS, STUDENT_FIELDS, UPDATE, UPSERT } from './students-documents.ts';

/** Filters the grid's columns may set, keyed by the API's StudentFilter field names. */
const FILTER_FIELDS = new Set(['name', 'nik', 'nisn', 'sex', 'birthPlace', 'birthDate', 'className', 'married']);

export async function fetchStudents(params: FetchParams, scope: { search: string; schoolId: string | null }): Promise<{ rows: GridRow[]; total: number | null }> {
  const filter: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(params.filters)) if (FILTER_FIELDS.has(field)) filter[field] = value;
  if (scope.schoolId) filter.schoolId = { equals: scope.schoolId };
  const data = await request<{ students: { totalCount?: number; edges: { node: GridRow }[] } }>(params.skipTotal ? PAGE_ROWS : PAGE, {
    first: params.limit,
    offset: params.offset,
    filter,
    sort: params.sort.map((s) => ({ field: s.key, direction: s.desc ? 'DESC' : 'ASC' })),
    search: scope.search.trim() || null,
    export: params.export ?? null,
  });
  return { rows: data.students.edges.map((e) => e.node), total: data.students.totalCount ?? null };
}

/** Rows by id (rows someone else changed), in one query. */
export async function fetchStudentsByIds(ids: string[]): Promise<GridRow[]> {
  if (!ids.length) return [];
  const data = await request<{ students: { edges: { node: GridRow }[] } }>(PAGE_ROWS, { first: ids.length, offset: 0, filter: { id: { in: ids } }, sort: [], search: null });
  return data.students.edges.map((e) => e.node);
}

export async function upsertStudents(rows: RowWrite[]): Promise<SaveResult[]> {
  const input = rows.map((r) => ({ ...r.patch, id: r.id, version: r.version }));
  const data = await request<{ upsertStudents: { rows: (SaveResult & { index: number })[] } }>(UPSERT, { rows: input }, 'mutation');
  const byIndex = new Map(data.upsertStudents.rows.map((r) => [r.index, r]));
  return rows.map((_, i) => byIndex.get(i) ?? { id: null, status: 'REJECTED', problems: [], row: null });
}

type UpdateAnswer =
  | { __typename: 'MutationUpdateStudentSuccess'; data: GridRow }
  | { __typename: 'StudentConflictError'; message: string; current: GridRow | null }
  | { __typename: 'ValidationError'; message: string; problems: Problem[] }
  | { __typename: 'NotFoundError'; message: string };

export async function updateStudent(row: RowWrite & { version: number }): Promise<SaveResult> {
  const data = await request<{ updateStudent: UpdateAnswer }>(UPDATE, { id: row.id, version: row.version, patch: row.patch }, 'mutation');
  const answer = data.updateStudent;
  switch (answer.__typename) {
    case 'MutationUpdateStudentSuccess':
      return { id: row.id, status: 'UPDATED', problems: [], row: answer.data };
    case 'StudentConflictError':
      return { id: row.id, status: 'CONFLICT', problems: [{ field: 'version', code: 'VERSION_CONFLICT', severity: 'ERROR', message: answer.message }], row: answer.current };
    case 'ValidationError':
      return { id: row.id, status: 'REJECTED', problems: answer.problems, row: null };
    case 'NotFoundError':
      return { id: row.id, status: 'REJECTED', problems: [{ field: 'id', code: 'NOT_FOUND', severity: 'ERROR', message: answer.message }], row: null };
  }
}

/** The API allows 100 aliases per request (packages/api/src/server/hardening.ts). */
const DELETES_PER_REQUEST = 100;

/** Deletes rows, one aliased mutation per row, 100 rows per request. */
export async function deleteStudents(rows: { id: string; version: number }[]): Promise<SaveResult[]> {
  const results: SaveResult[] = [];
  for (let start = 0; start < rows.length; start += DELETES_PER_REQUEST) results.push(...(await deleteStudentsOnce(rows.slice(start, start + DELETES_PER_REQUEST))));
  return results;
}

async function deleteStudentsOnce(rows: { id: string; version: number }[]): Promise<SaveResult[]> {
  if (!rows.length) return [];
  const variables: Record<string, unknown> = {};
  const declarations: string[] = [];
  const fields = rows.map((row, i) => {
    variables[`id${i}`] = row.id;
    variables[`v${i}`] = row.version;
    declarations.push(`$id${i}: ID!`, `$v${i}: Int!`);
    return `d${i}: deleteStudent(id: $id${i}, version: $v${i}) {
      __typename
      ... on StudentConflictError { message current { ${STUDENT_FIELDS} } }
      ... on Error { message }
    }`;
  });
  const data = await request<Record<string, { __typename: string; message?: string; current?: GridRow | null }>>(
    `mutation DeleteStudents(${declarations.join(', ')}) { ${fields.join('\n')} }`,
    variables,
    'mutation',
  );
  return rows.map((row, i): SaveResult => {
    const answer = data[`d${i}`]!;
    if (answer.__typename === 'MutationDeleteStudentSuccess') return { id: row.id, status: 'DELETED', problems: [], row: null };
    const problem: Problem = { field: 'version', code: answer.__typename, severity: 'ERROR', message: answer.message ?? '' };
    return { id: row.id, status: answer.__typename === 'StudentConflictError' ? 'CONFLICT' : 'REJECTED', problems: [problem], row: answer.current ?? null };
  });
}

export type SchoolOption = { id: string; name: string; npsn: string };

export async function fetchSchools(): Promise<SchoolOption[]> {
  const data = await request<{ schools: { edges: { node: SchoolOption }[] } }>(`query SchoolOptions { schools(first: 500, sort: [{ field: NAME }]) { edges { node { id name npsn } } } }`, {});
  return data.schools.edges.map((e) => e.node);
}
