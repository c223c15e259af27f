// The conversation every grid screen has with the API, for one entity of the editing engine:
// a page query (offset paging, server filter/sort/search), rows by id (live changes), one batch
// upsert for a paste/fill/undo, updateX for a typed cell, deletes. Students has its own copy in
// students-api.ts (it came first); the other screens describe their entity here.
import { request } from '../api/client.ts';
import type { FetchParams, GridRow, Problem, RowWrite, SaveResult } from '../grid/DataGrid.tsx';

export type EntityApiSpec = {
  /** GraphQL names: type "School", plural "Schools", list field "schools". */
  name: string;
  plural: string;
  list: string;
  /** Selection of a row. */
  fields: string;
  /** Grid filters the API's <Name>Filter takes, by grid field; a function may rename or reshape one. */
  filters: Record<string, true | ((value: unknown) => [string, unknown] | null)>;
  /** The list takes a quick `search` argument. */
  search?: boolean;
};

export type Scope = { search?: string; filter?: Record<string, unknown> };

export function entityApi(spec: EntityApiSpec) {
  const { name, plural, list, fields } = spec;
  const page = (withTotal: boolean) => /* GraphQL */ `
    query ${plural}Page($first: Int, $offset: Int, $filter: ${name}Filter, $sort: [${name}Sort!]${spec.search ? ', $search: String' : ''}, $export: Boolean) {
      ${list}(first: $first, offset: $offset, filter: $filter, sort: $sort${spec.search ? ', search: $search' : ''}, export: $export) {
        ${withTotal ? 'totalCount' : ''}
        edges { node { ${fields} } }
      }
    }`;
  const PAGE = page(true);
  const PAGE_ROWS = page(false);
  const UPSERT = /* GraphQL */ `
    mutation Upsert${plural}($rows: [${name}RowInput!]!) {
      upsert${plural}(rows: $rows) { rows { index id status problems { field code severity message } row { ${fields} } } }
    }`;
  const UPDATE = /* GraphQL */ `
    mutation Update${name}($id: ID!, $version: Int!, $patch: ${name}Input!) {
      update${name}(id: $id, version: $version, patch: $patch) {
        __typename
        ... on MutationUpdate${name}Success { data { ${fields} } }
        ... on ${name}ConflictError { message current { ${fields} } }
        ... on ValidationError { message problems { field code severity message } }
        ... on NotFoundError { message }
      }
    }`;

  const apiFilter = (params: FetchParams, scope: Scope) => {
    const filter: Record<string, unknown> = { ...scope.filter };
    for (const [field, value] of Object.entries(params.filters)) {
      const rule = spec.filters[field];
      if (rule === true) filter[field] = value;
      else if (rule) {
        const mapped = rule(value);
        if (mapped) filter[mapped[0]] = mapped[1];
      }
    }
    return filter;
  };

  async function fetchPage(params: FetchParams, scope: Scope = {}): Promise<{ rows: GridRow[]; total: number | null }> {
    const data = await request<Record<string, { totalCount?: number; edges: { node: GridRow }[] }>>(params.skipTotal ? PAGE_ROWS : PAGE, {
      first: params.limit,
      offset: params.offset,
      filter: apiFilter(params, scope),
      sort: params.sort.map((s) => ({ field: s.key, direction: s.desc ? 'DESC' : 'ASC' })),
      ...(spec.search ? { search: scope.search?.trim() || null } : {}),
      export: params.export ?? null,
    });
    const result = data[list]!;
    return { rows: result.edges.map((e) => e.node), total: result.totalCount ?? null };
  }

  async function fetchRows(ids: string[]): Promise<GridRow[]> {
    if (!ids.length) return [];
    return (await fetchPage({ offset: 0, limit: ids.length, sort: [], filters: {}, skipTotal: true }, { filter: { id: { in: ids } } })).rows;
  }

  async function upsert(rows: RowWrite[]): Promise<SaveResult[]> {
    const input = rows.map((r) => ({ ...r.patch, id: r.id, version: r.version }));
    const data = await request<Record<string, { rows: (SaveResult & { index: number })[] }>>(UPSERT, { rows: input }, 'mutation');
    const byIndex = new Map(data[`upsert${plural}`]!.rows.map((r) => [r.index, r]));
    return rows.map((_, i) => byIndex.get(i) ?? { id: null, status: 'REJECTED', problems: [], row: null });
  }

  async function update(row: RowWrite & { version: number }): Promise<SaveResult> {
    const data = await request<Record<string, { __typename: string; data?: GridRow; current?: GridRow | null; message?: string; problems?: Problem[] }>>(
      UPDATE,
      { id: row.id, version: row.version, patch: row.patch },
      'mutation',
    );
    const answer = data[`update${name}`]!;
    switch (answer.__typename) {
      case `MutationUpdate${name}Success`:
        return { id: row.id, status: 'UPDATED', problems: [], row: answer.data ?? null };
      case `${name}ConflictError`:
        return { id: row.id, status: 'CONFLICT', problems: [{ field: 'version', code: 'VERSION_CONFLICT', severity: 'ERROR', message: answer.message ?? '' }], row: answer.current ?? null };
      case 'ValidationError':
        return { id: row.id, status: 'REJECTED', problems: answer.problems ?? [], row: null };
      default:
        return { id: row.id, status: 'REJECTED', problems: [{ field: 'id', code: 'NOT_FOUND', severity: 'ERROR', message: answer.message ?? '' }], row: null };
    }
  }

  /** Deletes rows, one aliased mutation per row, 50 rows per request (the API allows 100 aliases and 8,000 tokens). */
  async function remove(rows: { id: string; version: number }[]): Promise<SaveResult[]> {
    const results: SaveResult[] = [];
    for (let start = 0; start < rows.length; start += 50) results.push(...(await removeOnce(rows.slice(start, start + 50))));
    return results;
  }

  async function removeOnce(rows: { id: string; version: number }[]): Promise<SaveResult[]> {
    if (!rows.length) return [];
    const variables: Record<string, unknown> = {};
    const declarations: string[] = [];
    const selections = rows.map((row, i) => {
      variables[`id${i}`] = row.id;
      variables[`v${i}`] = row.version;
      declarations.push(`$id${i}: ID!`, `$v${i}: Int!`);
      return `d${i}: delete${name}(id: $id${i}, version: $v${i}) {
        __typename
        ... on ${name}ConflictError { message current { ${fields} } }
        ... on Error { message }
      }`;
    });
    const data = await request<Record<string, { __typename: string; message?: string; current?: GridRow | null }>>(
      `mutation Delete${plural}(${declarations.join(', ')}) { ${selections.join('\n')} }`,
      variables,
      'mutation',
    );
    return rows.map((row, i): SaveResult => {
      const answer = data[`d${i}`]!;
      if (answer.__typename === `MutationDelete${name}Success`) return { id: row.id, status: 'DELETED', problems: [], row: null };
      const problem: Problem = { field: 'version', code: answer.__typename, severity: 'ERROR', message: answer.message ?? '' };
      return { id: row.id, status: answer.__typename === `${name}ConflictError` ? 'CONFLICT' : 'REJECTED', problems: [problem], row: answer.current ?? null };
    });
  }

  return { fetchPage, fetchRows, upsert, update, remove };
}

export type Region = { code: string; name: string; parentCode: string | null };

/** Districts and villages of the office (a few hundred rows): the choices of region columns. */
export async function fetchRegions(): Promise<{ districts: Region[]; villages: Region[] }> {
  const data = await request<{ districts: Region[]; villages: Region[] }>(
    `query Regions { districts: regions(level: DISTRICT) { code name parentCode } villages: regions(level: VILLAGE) { code name parentCode } }`,
    {},
  );
  return data;
}

export type DriveOption = { id: string; name: string; electionDate: string; startDate: string; endDate: string };

export async function fetchDriveOptions(): Promise<DriveOption[]> {
  const data = await request<{ drives: { edges: { node: DriveOption }[] } }>(
    `query DriveOptions { drives(first: 200, sort: [{ field: ELECTION_DATE, direction: DESC }]) { edges { node { id name electionDate startDate endDate } } } }`,
    {},
  );
  return data.drives.edges.map((e) => e.node);
}

export async function fetchOffice(): Promise<{ id: string; name: string; kits: number; blankStockThreshold: number } | null> {
  const data = await request<{ office: { id: string; name: string; kits: number; blankStockThreshold: number } | null }>(`query Office { office { id name kits blankStockThreshold } }`, {});
  return data.office;
}
