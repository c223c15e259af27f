// The Audit screen's conversation with the API: pages of `auditEvents` and the CSV link.
import { request } from '../api/client.ts';
import type { FetchParams, GridRow } from '../grid/DataGrid.tsx';

export type AuditFilters = { userId: string; entity: string; action: string; from: string; to: string };

/** ISO instants for a day range in Asia/Jakarta (UTC+7): from the start of `from` to the end of `to`. */
function range(filters: AuditFilters): { from?: string; to?: string } {
  const day = (iso: string, plusDays: number) => new Date(Date.parse(`${iso}T00:00:00+07:00`) + plusDays * 86_400_000).toISOString();
  return { ...(filters.from ? { from: day(filters.from, 0) } : {}), ...(filters.to ? { to: day(filters.to, 1) } : {}) };
}

function apiFilter(filters: AuditFilters) {
  return {
    ...(filters.userId ? { userId: { equals: filters.userId } } : {}),
    ...(filters.entity ? { entity: { equals: filters.entity } } : {}),
    ...(filters.action ? { action: { equals: filters.action } } : {}),
    ...range(filters),
  };
}

export async function fetchAuditEvents(params: FetchParams, filters: AuditFilters): Promise<{ rows: GridRow[]; total: number }> {
  const data = await request<{ auditEvents: { totalCount: number; edges: { node: GridRow }[] } }>(
    `query AuditEvents($first: Int, $offset: Int, $filter: AuditFilter, $export: Boolean) {
      auditEvents(first: $first, offset: $offset, filter: $filter, export: $export) {
        totalCount edges { node { id at action entity entityId field oldValue newValue detail ip username userDisplayName } }
      } }`,
    { first: params.limit, offset: params.offset, filter: apiFilter(filters), export: params.export ?? null },
  );
  return { rows: data.auditEvents.edges.map((e) => ({ ...e.node, version: 0 })), total: data.auditEvents.totalCount };
}

export function auditCsvUrl(filters: AuditFilters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ userId: filters.userId, entity: filters.entity, action: filters.action, ...range(filters) })) if (value) params.set(key, value);
  const query = params.toString();
  return `/export/audit.csv${query ? `?${query}` : ''}`;
}

export type UserOption = { id: string; username: string; displayName: string };

export async function fetchUsers(): Promise<UserOption[]> {
  return (await request<{ users: UserOption[] }>('query Users { users { id username displayName } }', {})).users;
}
