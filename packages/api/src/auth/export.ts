// GET /export/audit.csv: the office's audit log as CSV for ADMINs (same filters as the
// `auditEvents` query, as query parameters), logged as an EXPORT event itself.
import Papa from 'papaparse';
import { formatMessage, type Locale } from '@jemput/core';
import type { Db, DbProvider } from '../db/client.ts';
import { recordAudit } from './audit.ts';
import { auditWhere, type AuditFilterValue } from './schema.ts';
import type { AuthUser } from './user.ts';

export const AUDIT_CSV_PATH = '/export/audit.csv';
/** One export holds at most this many events; narrow the dates for more. */
export const AUDIT_CSV_MAX_ROWS = 200_000;

const COLUMNS = ['at', 'username', 'action', 'entity', 'entityId', 'field', 'oldValue', 'newValue', 'detail', 'ip'] as const;

function filterOf(params: URLSearchParams): AuditFilterValue {
  const date = (name: string) => {
    const value = params.get(name);
    const parsed = value ? new Date(value) : null;
    return parsed && !Number.isNaN(parsed.getTime()) ? parsed : undefined;
  };
  const text = (name: string) => (params.get(name) ? { equals: params.get(name) } : undefined);
  return {
    userId: params.get('userId') ? { equals: params.get('userId') } : undefined,
    entity: text('entity'),
    entityId: text('entityId'),
    action: text('action'),
    from: date('from'),
    to: date('to'),
  };
}

export async function auditCsv(request: Request, deps: { db: Db; provider: DbProvider; user: AuthUser | null; ip: string | null; locale: Locale }): Promise<Response> {
  const { user, db } = deps;
  const refuse = (status: number, code: string) => new Response(formatMessage({ code }, deps.locale), { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  if (!user) return refuse(401, 'UNAUTHENTICATED');
  if (user.mustChangePassword) return refuse(403, 'MUST_CHANGE_PASSWORD');
  if (user.role !== 'ADMIN') return refuse(403, 'FORBIDDEN');
  const params = new URL(request.url).searchParams;
  const ctx = { provider: deps.provider, user };
  const [events, users] = await Promise.all([
    db.auditEvent.findMany({ where: auditWhere(filterOf(params), ctx), orderBy: [{ at: 'desc' }, { id: 'desc' }], take: AUDIT_CSV_MAX_ROWS }),
    db.user.findMany({ where: { officeId: user.officeId }, select: { id: true, username: true } }),
  ]);
  const usernames = new Map(users.map((u) => [u.id, u.username]));
  const csv = Papa.unparse({
    fields: [...COLUMNS],
    data: events.map((e) => [e.at.toISOString(), e.userId ? (usernames.get(e.userId) ?? e.userId) : '', e.action, e.entity, e.entityId, e.field, e.oldValue, e.newValue, e.detail, e.ip]),
  }, { escapeFormulae: true });
  const query = params.toString();
  await recordAudit(db, { officeId: user.officeId, userId: user.id, ip: deps.ip, action: 'EXPORT', entity: 'AuditEvent', detail: `${events.length} rows${query ? `; ${query}` : ''}` });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(`\uFEFF${csv}\r\n`, {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="audit-${stamp}.csv"`, 'cache-control': 'no-store' },
  });
}
