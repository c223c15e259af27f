// Accounts in GraphQL: login/logout, me, password change and reset, the office's users, NIK
// reveal and the audit log. Rules: auth/rules.ts; row scope: auth/scope.ts.
import { formatMessage, maskNik } from '@jemput/core';
import { builder, type Context } from '../schema/builder.ts';
import { compactWhere, IdFilter, idWhere, StringFilter, stringWhere } from '../common/filters.ts';
import { NotFoundError, ValidationError } from '../common/errors.ts';
import { recordAudit } from './audit.ts';
import { generatePassword, hashPassword, MIN_PASSWORD_LENGTH, passwordProblem, verifyPassword } from './passwords.ts';
import { ADMIN_ONLY, READ_ALL, seesFullNik } from './rules.ts';
import { scoped } from './scope.ts';
import { clearedSessionCookie, createSession, sessionCookie } from './sessions.ts';
import { forgetCachedSessions, ROLES, signedIn, type AuthUser } from './user.ts';
import { auditGridExport, EXPORT_ARG_DESCRIPTION } from '../common/grid-export.ts';

/** Consecutive failed logins that lock an account, and for how long. */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MS = 15 * 60 * 1000;

export const RoleEnum = builder.enumType('Role', {
  values: ROLES,
  description: 'ADMIN manages the office, users, imports and stock; SUPERVISOR plans drives and visits and sees the whole office; OPERATOR (a field team) edits students of its districts and records outcomes of its team’s visits; VIEWER reads only, with NIKs masked.',
});

const Me = builder.objectRef<AuthUser>('Me').implement({
  description: 'The signed-in user.',
  fields: (t) => ({
    id: t.exposeID('id'),
    username: t.exposeString('username'),
    displayName: t.exposeString('displayName'),
    role: t.expose('role', { type: RoleEnum }),
    team: t.exposeString('team', { nullable: true }),
    districtCodes: t.exposeStringList('districtCodes', { description: 'Districts the user is limited to; empty: the whole office.' }),
    districts: t.prismaField({
      type: ['Region'],
      resolve: (query, user, _args, ctx) => ctx.db.region.findMany({ ...query, where: { code: { in: user.districtCodes } }, orderBy: { name: 'asc' } }),
    }),
    office: t.prismaField({ type: 'Office', resolve: (query, user, _args, ctx) => ctx.db.office.findUniqueOrThrow({ ...query, where: { id: user.officeId } }) }),
    mustChangePassword: t.exposeBoolean('mustChangePassword'),
    seesFullNik: t.boolean({ resolve: (user) => seesFullNik({ user }) }),
  }),
});

builder.prismaObject('User', {
  name: 'UserAccount',
  fields: (t) => ({
    id: t.exposeID('id'),
    username: t.exposeString('username'),
    displayName: t.exposeString('displayName'),
    role: t.expose('role', { type: RoleEnum }),
    team: t.exposeString('team', { nullable: true }),
    active: t.exposeBoolean('active'),
    version: t.exposeInt('version'),
    mustChangePassword: t.exposeBoolean('mustChangePassword'),
    lockedUntil: t.expose('lockedUntil', { type: 'DateTime', nullable: true }),
    lastLoginAt: t.expose('lastLoginAt', { type: 'DateTime', nullable: true }),
    districtCodes: t.stringList({
      select: { districts: { select: { districtCode: true }, orderBy: { districtCode: 'asc' } } },
      resolve: (u) => u.districts.map((d) => d.districtCode),
    }),
  }),
});

class LoginError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly retryAt: Date | null,
  ) {
    super(message);
  }
}
builder.objectType(LoginError, {
  name: 'LoginError',
  description: 'Wrong username or password, or too many attempts (then `retryAt` says when to try again).',
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.exposeString('code'),
    retryAt: t.expose('retryAt', { type: 'DateTime', nullable: true }),
  }),
});

export const PasswordGrant = builder.objectRef<{ user: { id: string }; temporaryPassword: string | null }>('PasswordGrant').implement({
  fields: (t) => ({
    user: t.prismaField({ type: 'User', resolve: (query, grant, _args, ctx) => ctx.db.user.findUniqueOrThrow({ ...query, where: { id: grant.user.id } }) }),
    temporaryPassword: t.exposeString('temporaryPassword', { nullable: true, description: 'Shown once: the user must choose a new password at the next login.' }),
  }),
});

const jakartaTime = (date: Date) => new Intl.DateTimeFormat('id-ID', { timeZone: 'Asia/Jakarta', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);

function retryError(code: 'LOGIN_LOCKED' | 'LOGIN_IP_LIMITED', until: Date, ctx: Context): LoginError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return new LoginError(formatMessage({ code, params: { time: jakartaTime(until), minutes } }, ctx.locale), code, until);
}

const audit = (ctx: Context, entry: Omit<Parameters<typeof recordAudit>[1], 'ip' | 'officeId' | 'userId'> & { officeId?: string | null; userId?: string | null }) =>
  recordAudit(ctx.db, { officeId: ctx.officeId, userId: ctx.userId, ip: ctx.ip, ...entry });

function passwordRefused(code: string, ctx: Context): ValidationError {
  const message = formatMessage({ code, params: { min: MIN_PASSWORD_LENGTH } }, ctx.locale);
  return new ValidationError(message, [{ field: 'newPassword', code, severity: 'ERROR', message }]);
}

builder.queryFields((t) => ({
  me: t.field({
    type: Me,
    nullable: true,
    skipTypeScopes: true,
    description: 'The signed-in user, or null.',
    resolve: (_root, _args, ctx) => ctx.user,
  }),
  users: t.prismaField({
    type: ['User'],
    authScopes: { roles: ADMIN_ONLY },
    description: "The office's users.",
    resolve: (query, _root, _args, ctx) => ctx.db.user.findMany({ ...query, where: scoped('User', ctx), orderBy: { username: 'asc' }, take: 5000 }),
  }),
}));

builder.mutationFields((t) => ({
  login: t.field({
    type: Me,
    skipTypeScopes: true,
    description: 'Starts a session (HttpOnly cookie). Too many failures lock the account for a while, and too many from one address block that address.',
    errors: { types: [LoginError] },
    args: { username: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const now = new Date();
      const ipBlock = ctx.loginLimiter.blockedUntil(ctx.ip);
      if (ipBlock) throw retryError('LOGIN_IP_LIMITED', ipBlock, ctx);
      const username = args.username.trim().toLowerCase();
      const user = await ctx.db.user.findUnique({ where: { username } });
      if (user?.lockedUntil && user.lockedUntil > now) {
        ctx.loginLimiter.fail(ctx.ip);
        throw retryError('LOGIN_LOCKED', user.lockedUntil, ctx);
      }
      const ok = await verifyPassword(user?.active ? user.passwordHash : null, args.password);
      if (!user || !ok) {
        ctx.loginLimiter.fail(ctx.ip);
        if (user) {
          const { failedLogins } = await ctx.db.user.update({ where: { id: user.id }, data: { failedLogins: { increment: 1 } }, select: { failedLogins: true } });
          const lockedUntil = failedLogins >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCK_MS) : null;
          if (lockedUntil) await ctx.db.user.update({ where: { id: user.id }, data: { lockedUntil } });
          await audit(ctx, { officeId: user.officeId, userId: user.id, action: 'LOGIN_FAILED', entity: 'User', entityId: user.id, detail: lockedUntil ? `locked until ${lockedUntil.toISOString()}` : `failure ${failedLogins}` });
          if (lockedUntil) throw retryError('LOGIN_LOCKED', lockedUntil, ctx);
        } else {
          // Not the whole name: people sometimes type their password into the username field.
          // Cut by characters, not UTF-16 units: half an emoji is not storable text.
          const characters = [...username];
          await audit(ctx, { action: 'LOGIN_FAILED', entity: 'User', detail: `unknown username "${characters.slice(0, 2).join('')}…" (${characters.length} characters)` });
        }
        throw new LoginError(formatMessage({ code: 'LOGIN_FAILED' }, ctx.locale), 'LOGIN_FAILED', null);
      }
      ctx.loginLimiter.succeed(ctx.ip);
      await ctx.db.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null, lastLoginAt: now } });
      const session = await createSession(ctx.db, user.id, { ip: ctx.ip, userAgent: ctx.userAgent }, now);
      ctx.setCookie(sessionCookie(session.token, ctx.secure));
      await audit(ctx, { officeId: user.officeId, userId: user.id, action: 'LOGIN', entity: 'User', entityId: user.id });
      return signedIn(ctx.db, user, session.id);
    },
  }),
  logout: t.boolean({
    skipTypeScopes: true,
    description: 'Ends the session and clears its cookie.',
    resolve: async (_root, _args, ctx) => {
      ctx.setCookie(clearedSessionCookie(ctx.secure));
      if (!ctx.user) return false;
      await ctx.db.session.deleteMany({ where: { id: ctx.user.sessionId } });
      forgetCachedSessions();
      await audit(ctx, { action: 'LOGOUT', entity: 'User', entityId: ctx.user.id });
      return true;
    },
  }),
  changePassword: t.field({
    type: Me,
    skipTypeScopes: true,
    authScopes: { session: true },
    description: 'Sets a new password (at least 10 characters, not containing the username); other sessions of the user end.',
    errors: { types: [ValidationError] },
    args: { currentPassword: t.arg.string({ required: true }), newPassword: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const user = ctx.user!;
      const stored = await ctx.db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
      if (!(await verifyPassword(stored.passwordHash, args.currentPassword))) {
        const message = formatMessage({ code: 'PASSWORD_WRONG' }, ctx.locale);
        throw new ValidationError(message, [{ field: 'currentPassword', code: 'PASSWORD_WRONG', severity: 'ERROR', message }]);
      }
      const problem = passwordProblem(args.newPassword, user.username);
      if (problem) throw passwordRefused(problem, ctx);
      await ctx.db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(args.newPassword), mustChangePassword: false } });
      await ctx.db.session.deleteMany({ where: { userId: user.id, id: { not: user.sessionId } } });
      forgetCachedSessions();
      await audit(ctx, { action: 'PASSWORD_CHANGE', entity: 'User', entityId: user.id });
      return { ...user, mustChangePassword: false };
    },
  }),
  resetPassword: t.field({
    type: PasswordGrant,
    authScopes: { roles: ADMIN_ONLY },
    description: "Gives a user of the office a new password (generated unless given), unlocks the account and ends its sessions; the user must change it at the next login.",
    errors: { types: [ValidationError, NotFoundError] },
    args: { userId: t.arg.id({ required: true }), newPassword: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      const target = await ctx.db.user.findFirst({ where: scoped('User', ctx, { id: String(args.userId) }) });
      if (!target) throw new NotFoundError(formatMessage({ code: 'NOT_FOUND' }, ctx.locale));
      const password = args.newPassword ?? generatePassword();
      const problem = passwordProblem(password, target.username);
      if (problem) throw passwordRefused(problem, ctx);
      await ctx.db.user.update({
        where: { id: target.id },
        data: { passwordHash: await hashPassword(password), mustChangePassword: true, failedLogins: 0, lockedUntil: null, version: { increment: 1 } },
      });
      await ctx.db.session.deleteMany({ where: { userId: target.id } });
      forgetCachedSessions();
      await audit(ctx, { action: 'PASSWORD_RESET', entity: 'User', entityId: target.id });
      return { user: target, temporaryPassword: args.newPassword ? null : password };
    },
  }),
  revealNik: t.string({
    nullable: true,
    authScopes: { roles: READ_ALL },
    description: "A student's full NIK (null when none is stored). Every reveal is written to the audit log.",
    errors: { types: [NotFoundError] },
    args: { studentId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const student = await ctx.db.student.findFirst({ where: scoped('Student', ctx, { id: String(args.studentId) }), select: { id: true, nik: true } });
      if (!student) throw new NotFoundError(formatMessage({ code: 'NOT_FOUND' }, ctx.locale));
      await audit(ctx, { action: 'REVEAL_NIK', entity: 'Student', entityId: student.id, detail: student.nik ? maskNik(student.nik) : null });
      return student.nik;
    },
  }),
}));

// ------------------------------------------------------------------ audit log

/** The office's usernames, loaded once per request for the audit rows that show them. */
const userNamesOf = new WeakMap<Context, Promise<Map<string, { username: string; displayName: string }>>>();
function userNames(ctx: Context) {
  let names = userNamesOf.get(ctx);
  if (!names) {
    names = ctx.db.user
      .findMany({ where: scoped('User', ctx), select: { id: true, username: true, displayName: true } })
      .then((rows) => new Map(rows.map((r) => [r.id, { username: r.username, displayName: r.displayName }])));
    userNamesOf.set(ctx, names);
  }
  return names;
}

builder.prismaObject('AuditEvent', {
  description: 'One entry of the append-only audit log.',
  fields: (t) => ({
    id: t.exposeID('id'),
    at: t.expose('at', { type: 'DateTime' }),
    action: t.exposeString('action', { description: 'CREATE, UPDATE, DELETE, LOGIN, LOGIN_FAILED, LOGOUT, PASSWORD_CHANGE, PASSWORD_RESET, REVEAL_NIK, EXPORT…' }),
    entity: t.exposeString('entity'),
    entityId: t.exposeString('entityId', { nullable: true }),
    field: t.exposeString('field', { nullable: true }),
    oldValue: t.exposeString('oldValue', { nullable: true }),
    newValue: t.exposeString('newValue', { nullable: true }),
    detail: t.exposeString('detail', { nullable: true }),
    ip: t.exposeString('ip', { nullable: true }),
    userId: t.exposeID('userId', { nullable: true }),
    username: t.string({ nullable: true, select: { userId: true }, resolve: async (e, _args, ctx) => (e.userId ? ((await userNames(ctx)).get(e.userId)?.username ?? null) : null) }),
    userDisplayName: t.string({ nullable: true, select: { userId: true }, resolve: async (e, _args, ctx) => (e.userId ? ((await userNames(ctx)).get(e.userId)?.displayName ?? null) : null) }),
  }),
});

export const AuditFilter = builder.inputType('AuditFilter', {
  fields: (t) => ({
    userId: t.field({ type: IdFilter }),
    entity: t.field({ type: StringFilter }),
    entityId: t.field({ type: StringFilter }),
    action: t.field({ type: StringFilter }),
    from: t.field({ type: 'DateTime', description: 'At or after.' }),
    to: t.field({ type: 'DateTime', description: 'Before.' }),
  }),
});

export type AuditFilterValue = typeof AuditFilter.$inferInput;

export function auditWhere(filter: AuditFilterValue | null | undefined, ctx: Pick<Context, 'provider' | 'user'>) {
  const f = filter ?? {};
  const at = compactWhere({ gte: f.from ?? undefined, lt: f.to ?? undefined });
  return scoped(
    'AuditEvent',
    ctx,
    compactWhere({
      userId: idWhere(f.userId),
      entity: stringWhere(f.entity, ctx as Context),
      entityId: stringWhere(f.entityId, ctx as Context),
      action: stringWhere(f.action, ctx as Context),
      at: Object.keys(at).length ? at : undefined,
    }),
  );
}

builder.queryFields((t) => ({
  auditEvents: t.prismaConnection({
    type: 'AuditEvent',
    cursor: 'id',
    authScopes: { roles: ADMIN_ONLY },
    description: "The office's audit log, newest first.",
    args: { filter: t.arg({ type: AuditFilter }), offset: t.arg.int({ description: 'Rows to skip first (grids jump to any position).' }), export: t.arg.boolean({ description: EXPORT_ARG_DESCRIPTION }) },
    resolve: async (query, _root, args, ctx) => {
      const where = auditWhere(args.filter, ctx);
      const page = await ctx.db.auditEvent.findMany({
        ...query,
        skip: ((query as { skip?: number }).skip ?? 0) + Math.max(0, args.offset ?? 0),
        where,
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
      });
      // After the read: an export of the audit log does not hold its own event.
      await auditGridExport(ctx, 'AuditEvent', args, () => ctx.db.auditEvent.count({ where }));
      return page;
    },
    totalCount: (_c, args, ctx) => ctx.db.auditEvent.count({ where: auditWhere(args.filter, ctx) }),
  }),
}));

