// The GraphQL the Siswa grid sends (students-api.ts), in a module of plain strings so that
// `pnpm bench:load` sends exactly what officers' screens send.

/** What a saved row brings back: the stored values and version (the school's name stays as loaded). */
export const SAVED_FIELDS = 'id version name nisn nik sex birthPlace birthDate className married schoolId';
export const STUDENT_FIELDS = `${SAVED_FIELDS} school { id name }`;

/** A page of the roster, with the view's row count or (`withTotal` false) without counting it. */
const page = (withTotal: boolean) => /* GraphQL */ `
  query StudentsPage($first: Int, $offset: Int, $filter: StudentFilter, $sort: [StudentSort!], $search: String, $export: Boolean) {
    students(first: $first, offset: $offset, filter: $filter, sort: $sort, search: $search, export: $export) {
      ${withTotal ? 'totalCount' : ''}
      edges { node { ${STUDENT_FIELDS} } }
    }
  }`;
export const PAGE = page(true);
export const PAGE_ROWS = page(false);

export const UPSERT = /* GraphQL */ `
  mutation UpsertStudents($rows: [StudentRowInput!]!) {
    upsertStudents(rows: $rows) {
      rows { index id status problems { field code severity message } row { ${SAVED_FIELDS} } }
    }
  }`;

export const UPDATE = /* GraphQL */ `
  mutation UpdateStudent($id: ID!, $version: Int!, $patch: StudentInput!) {
    updateStudent(id: $id, version: $version, patch: $patch) {
      __typename
      ... on MutationUpdateStudentSuccess { data { ${STUDENT_FIELDS} } }
      ... on StudentConflictError { message current { ${STUDENT_FIELDS} } }
      ... on ValidationError { message problems { field code severity message } }
      ... on NotFoundError { message }
    }
  }`;
