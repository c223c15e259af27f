// The one place that decides which rows a user may see or change. Every query, connection
// (totalCount too) and the edit engine narrow their Prisma where clauses through `scoped`;
// writes also check what they point at through `authorizeRows`.
//
//   office     everyone sees only their own office's rows
//   districts  OPERATOR and VIEWER users given districts see only schools in them (and those
//              schools' students, visits and outcomes); ADMIN and SUPERVISOR see the whole office
//   team       an OPERATOR records outcomes only for visits of its team
import type { Candidate } from '../common/editing.ts';
import { checkReferences } from '../common/normalize.ts';
import type { Context } from '../schema/builder.ts';

type ScopeContext = Pick<Context, 'user' | 'db'>;

export const SCOPED_ENTITIES = ['School', 'Student', 'Drive', 'Visit', 'Outcome', 'StockMovement', 'AuditEvent', 'User'] as const;
export type ScopedEntity = (typeof SCOPED_ENTITIES)[number];

const NOTHING = { id: { in: [] as string[] } };

/** The districts a user is limited to, or null for the whole office. */
export function districtLimit(ctx: Pick<Context, 'user'>): string[] | null {
  const user = ctx.user;
  if (!user || user.role === 'ADMIN' || user.role === 'SUPERVISOR' || user.districtCodes.length === 0) return null;
  return user.districtCodes;
}

function schoolScope(ctx: Pick<Context, 'user'>): Record<string, unknown> {
  const districts = districtLimit(ctx);
  return { officeId: ctx.user!.officeId, ...(districts ? { districtCode: { in: districts } } : {}) };
}

/** The Prisma where that holds exactly the rows of `entity` the caller may see. */
export function scopeWhere(entity: ScopedEntity, ctx: Pick<Context, 'user'>): Record<string, unknown> {
  if (!ctx.user) return NOTHING;
  switch (entity) {
    case 'School':
      return schoolScope(ctx);
    case 'Student':
    case 'Visit':
      return { school: schoolScope(ctx) };
    case 'Outcome':
      return { student: { school: schoolScope(ctx) } };
    case 'Drive':
    case 'StockMovement':
    case 'AuditEvent':
    case 'User':
      return { officeId: ctx.user.officeId };
  }
}

/** `where` narrowed to the caller's scope. */
export function scoped(entity: ScopedEntity, ctx: Pick<Context, 'user'>, where?: object | null): Record<string, unknown> {
  const scope = scopeWhere(entity, ctx);
  return where && Object.keys(where).length ? { AND: [scope, where] } : scope;
}

/**
 * Rows whose ids are in `ids`, queried 500 ids at a time: with a scope around it, Prisma can no
 * longer split a long IN list itself, and SQLite allows only 999 bound values.
 */
export async function findByIds<T>(ids: readonly string[], find: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for (let i = 0; i < ids.length; i += 500) rows.push(...(await find(ids.slice(i, i + 500))));
  return rows;
}

const isScoped = (entity: string): entity is ScopedEntity => (SCOPED_ENTITIES as readonly string[]).includes(entity);

/** Scope of an editable entity; an entity without one cannot be written (deny by default). */
export function editScope(entity: string, ctx: Pick<Context, 'user'>): Record<string, unknown> {
  if (!isScoped(entity)) throw new Error(`No access scope for ${entity}: add it to auth/scope.ts`);
  return scopeWhere(entity, ctx);
}

/**
 * Marks rows whose new values point outside the caller's scope (a school in another district,
 * another office's drive) as NOT_FOUND, exactly as if they did not exist; and an OPERATOR's
 * outcome for a visit of another team as FORBIDDEN.
 */
export async function authorizeRows(entity: string, candidates: Candidate[], ctx: ScopeContext): Promise<void> {
  if (!candidates.length) return;
  const ids = (model: 'school' | 'student' | 'drive' | 'visit', scopeOf: ScopedEntity) => (wanted: string[]) =>
    findByIds(wanted, (chunk) => (ctx.db[model] as any).findMany({ where: scoped(scopeOf, ctx, { id: { in: chunk } }), select: { id: true } }) as Promise<{ id: string }[]>);
  // The reference a row's own scope goes through (a student's school, an outcome's student) is in
  // scope for a row that was read within it (editing.ts reads existing rows scoped) and keeps it:
  // only new rows and rows that change it need the lookup.
  const movingBy = (field: string) => candidates.filter((c) => !c.existing || field in c.patch);
  switch (entity) {
    case 'School': {
      const districts = districtLimit(ctx);
      if (districts)
        for (const c of candidates)
          if (typeof c.merged.districtCode === 'string' && !districts.includes(c.merged.districtCode)) c.issues.push({ field: 'districtCode', code: 'FORBIDDEN', severity: 'error' });
      return;
    }
    case 'Student':
      return checkReferences(movingBy('schoolId'), 'schoolId', ids('school', 'School'));
    case 'Visit':
      await checkReferences(movingBy('schoolId'), 'schoolId', ids('school', 'School'));
      return checkReferences(candidates, 'driveId', ids('drive', 'Drive'));
    case 'Outcome': {
      await checkReferences(movingBy('studentId'), 'studentId', ids('student', 'Student'));
      await checkReferences(candidates, 'driveId', ids('drive', 'Drive'));
      await checkReferences(candidates, 'visitId', ids('visit', 'Visit'));
      if (ctx.user?.role !== 'OPERATOR') return;
      const visitIds = [...new Set(candidates.map((c) => c.merged.visitId).filter((v): v is string => typeof v === 'string'))];
      const teams = new Map((await findByIds(visitIds, (chunk) => ctx.db.visit.findMany({ where: { id: { in: chunk } }, select: { id: true, team: true } }))).map((v) => [v.id, v.team]));
      for (const c of candidates) {
        const visitId = c.merged.visitId;
        const ownTeam = typeof visitId === 'string' && ctx.user.team != null && teams.get(visitId) === ctx.user.team;
        if (!ownTeam) c.issues.push({ field: 'visitId', code: 'FORBIDDEN', severity: 'error' });
      }
      return;
    }
    case 'Drive':
    case 'StockMovement':
      return;
    default:
      throw new Error(`No access scope for ${entity}: add it to auth/scope.ts`);
  }
}

type ChangeRef = { entity: string; id: string; deleted: boolean; reload?: boolean; driveIds: string[]; schoolIds: string[]; visitIds: string[] };
const ENTITY_OF_ROW: Record<string, ScopedEntity> = { STUDENT: 'Student', SCHOOL: 'School', VISIT: 'Visit', DRIVE: 'Drive', OUTCOME: 'Outcome' };

/**
 * The row changes (live grids) a subscriber may see: a row still there is checked itself; a
 * deleted one by the school, visit or drive it belonged to. One query per kind and batch.
 */
export async function visibleChanges<C extends ChangeRef>(changes: C[], ctx: ScopeContext): Promise<C[]> {
  if (!ctx.user || !changes.length) return [];
  const idsIn = async (entity: ScopedEntity, ids: string[]) => {
    if (!ids.length) return new Set<string>();
    const model = (ctx.db as any)[entity.charAt(0).toLowerCase() + entity.slice(1)];
    return new Set((await findByIds([...new Set(ids)], (chunk) => model.findMany({ where: scoped(entity, ctx, { id: { in: chunk } }), select: { id: true } }) as Promise<{ id: string }[]>)).map((r) => r.id));
  };
  const live = changes.filter((c) => !c.deleted && !c.reload);
  const entity = ENTITY_OF_ROW[changes[0]!.entity];
  if (!entity) return [];
  // Deleted rows and bulk "reload" signals are judged by the scope they name (school, visit, drive).
  const gone = changes.filter((c) => c.deleted || c.reload);
  const [rows, schools, visits, drives] = await Promise.all([
    idsIn(entity, live.map((c) => c.id)),
    idsIn('School', gone.flatMap((c) => c.schoolIds)),
    idsIn('Visit', gone.flatMap((c) => c.visitIds)),
    idsIn('Drive', gone.flatMap((c) => c.driveIds)),
  ]);
  return changes.filter((c) => {
    if (!c.deleted && !c.reload) return rows.has(c.id);
    if (c.schoolIds.length) return c.schoolIds.some((id) => schools.has(id));
    if (c.visitIds.length) return c.visitIds.some((id) => visits.has(id));
    return c.driveIds.some((id) => drives.has(id));
  });
}
