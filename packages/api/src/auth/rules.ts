// Who may call what. Operation-level rules are Pothos scope-auth scopes on each root field
// (`authScopes: { roles: WRITE.school }`); the rows a caller may see or change are narrowed by
// scope.ts. Every root type requires a session by default (schema/builder.ts).
import { formatMessage } from '@jemput/core';
import { GraphQLError } from 'graphql';
import type { Context } from '../schema/builder.ts';
import type { Role } from './user.ts';

const ALL: readonly Role[] = ['ADMIN', 'SUPERVISOR', 'OPERATOR', 'VIEWER'];
const PLANNERS: readonly Role[] = ['ADMIN', 'SUPERVISOR'];

/** Roles allowed to create/update (and batch-upsert) and to delete each entity. */
export const WRITE = {
  school: { save: PLANNERS, delete: PLANNERS },
  // OPERATOR: students of its districts (scope.ts checks the school).
  student: { save: ['ADMIN', 'SUPERVISOR', 'OPERATOR'], delete: PLANNERS },
  drive: { save: PLANNERS, delete: PLANNERS },
  visit: { save: PLANNERS, delete: PLANNERS },
  // OPERATOR: outcomes of visits of its team (scope.ts checks the visit).
  outcome: { save: ['ADMIN', 'SUPERVISOR', 'OPERATOR'], delete: PLANNERS },
  stockMovement: { save: ['ADMIN'], delete: ['ADMIN'] },
} as const satisfies Record<string, { save: readonly Role[]; delete: readonly Role[] }>;

export const READ_ALL = ALL;
export const ADMIN_ONLY: readonly Role[] = ['ADMIN'];

/** Roles that see full NIKs; the others see them masked and may reveal one at a time (logged). */
export const FULL_NIK_ROLES: readonly Role[] = ['ADMIN', 'SUPERVISOR', 'OPERATOR'];

export const seesFullNik = (ctx: Pick<Context, 'user'>) => !!ctx.user && FULL_NIK_ROLES.includes(ctx.user.role);

/** The scopes of a request, for scope-auth. */
export function authScopesOf(ctx: Context) {
  return {
    session: !!ctx.user,
    signedIn: !!ctx.user && !ctx.user.mustChangePassword,
    roles: (roles: readonly Role[]) => !!ctx.user && roles.includes(ctx.user.role),
  };
}

/** The error of a refused operation: who is not signed in, must change the password first, or lacks the role. */
export function unauthorizedError(_parent: unknown, ctx: Context): GraphQLError {
  const code = !ctx.user ? 'UNAUTHENTICATED' : ctx.user.mustChangePassword ? 'MUST_CHANGE_PASSWORD' : 'FORBIDDEN';
  return new GraphQLError(formatMessage({ code }, ctx.locale), { extensions: { code } });
}
