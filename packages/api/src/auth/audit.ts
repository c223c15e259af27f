// Audit events outside the edit engine (which logs every create/update/delete itself):
// logins, logouts, password changes and resets, NIK reveals, exports. Append-only: no
// operation of the API updates or deletes an AuditEvent.
import type { Db } from '../db/client.ts';

export type AuditAction = 'LOGIN' | 'LOGIN_FAILED' | 'LOGOUT' | 'PASSWORD_CHANGE' | 'PASSWORD_RESET' | 'REVEAL_NIK' | 'EXPORT' | 'CREATE' | 'UPDATE';

export type AuditEntry = {
  officeId: string | null;
  userId: string | null;
  ip: string | null;
  action: AuditAction;
  entity: string;
  entityId?: string | null;
  detail?: string | null;
  field?: string | null;
  oldValue?: string | null;
  newValue?: string | null;
};

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({ data: entry });
}
