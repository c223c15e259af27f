// The office's users, managed by its ADMIN: create (with a one-time password) and update role,
// team, districts or active. Every change is in the audit log; a deactivated user's sessions end.
import { formatMessage } from '@jemput/core';
import { builder, type Context } from '../schema/builder.ts';
import { describeIssue, NotFoundError, ValidationError } from '../common/errors.ts';
import { recordAudit } from './audit.ts';
import { generatePassword, hashPassword, passwordProblem } from './passwords.ts';
import { ADMIN_ONLY } from './rules.ts';
import { scoped } from './scope.ts';
import { RoleEnum, PasswordGrant } from './schema.ts';
import { forgetCachedSessions, type Role } from './user.ts';

const UserInput = builder.inputType('UserInput', {
  fields: (t) => ({
    username: t.string({ description: 'Lowercase letters, digits, dot, dash or underscore; 3–40 characters. Set at creation only.' }),
    displayName: t.string(),
    role: t.field({ type: RoleEnum }),
    team: t.string({ description: 'Field team ("Tim 1") for an OPERATOR.' }),
    districtCodes: t.stringList({ description: "Districts of the office's regency the user is limited to (OPERATOR, VIEWER); empty: the whole office." }),
    active: t.boolean(),
    password: t.string({ description: 'At creation; generated (and returned once) when absent.' }),
  }),
});

type UserPatch = typeof UserInput.$inferInput;
type Problem = { field: string; code: string; params?: Record<string, string | number> };

const fail = (problems: Problem[], ctx: Context) => {
  const described = problems.map((p) => describeIssue({ field: p.field, code: p.code, severity: 'error', ...(p.params ? { params: p.params } : {}) }, ctx.locale));
  return new ValidationError(described.map((p) => p.message).join('; '), described);
};

async function check(patch: UserPatch, ctx: Context, mode: 'create' | 'update'): Promise<Problem[]> {
  const problems: Problem[] = [];
  if (mode === 'create') {
    for (const field of ['username', 'displayName', 'role'] as const) if (!patch[field]) problems.push({ field, code: 'REQUIRED' });
    if (patch.username && !/^[a-z0-9._-]{3,40}$/.test(patch.username)) problems.push({ field: 'username', code: 'INVALID_VALUE' });
    else if (patch.username && (await ctx.db.user.count({ where: { username: patch.username } }))) problems.push({ field: 'username', code: 'DUPLICATE', params: { value: patch.username } });
    if (patch.password && patch.username) {
      const problem = passwordProblem(patch.password, patch.username);
      if (problem) problems.push({ field: 'password', code: problem, params: { min: 10 } });
    }
  }
  if (patch.displayName !== undefined && !patch.displayName?.trim()) problems.push({ field: 'displayName', code: 'REQUIRED' });
  if (patch.districtCodes?.length) {
    const office = await ctx.db.office.findUniqueOrThrow({ where: { id: ctx.officeId! } });
    const known = await ctx.db.region.findMany({ where: { code: { in: patch.districtCodes }, level: 'DISTRICT' }, select: { code: true } });
    for (const code of patch.districtCodes)
      if (!code.startsWith(`${office.regencyCode}.`) || !known.some((k) => k.code === code)) problems.push({ field: 'districtCodes', code: 'NOT_FOUND', params: { value: code } });
  }
  return problems;
}

const activeAdmins = (ctx: Context, exceptId: string) => ctx.db.user.count({ where: scoped('User', ctx, { role: 'ADMIN', active: true, id: { not: exceptId } }) });

const audited = (user: { username: string; displayName: string; role: string; team: string | null; active: boolean }, districtCodes: string[]) =>
  ({ username: user.username, displayName: user.displayName, role: user.role, team: user.team, active: user.active, districtCodes: districtCodes.join(' ') }) as Record<string, unknown>;

builder.mutationFields((t) => ({
  createUser: t.field({
    type: PasswordGrant,
    authScopes: { roles: ADMIN_ONLY },
    description: 'Adds a user to the office. Without a password one is generated and returned once; the user must change it at first login.',
    errors: { types: [ValidationError] },
    args: { input: t.arg({ type: UserInput, required: true }) },
    resolve: async (_root, args, ctx) => {
      const input = { ...args.input, username: args.input.username?.trim().toLowerCase() };
      const problems = await check(input, ctx, 'create');
      if (problems.length) throw fail(problems, ctx);
      const password = input.password ?? generatePassword();
      const districtCodes = [...new Set(input.districtCodes ?? [])].sort();
      const user = await ctx.db.user.create({
        data: {
          officeId: ctx.officeId!,
          username: input.username!,
          displayName: input.displayName!.trim(),
          role: input.role as Role,
          team: input.team?.trim() || null,
          active: input.active ?? true,
          passwordHash: await hashPassword(password),
          mustChangePassword: true,
          districts: { create: districtCodes.map((districtCode) => ({ districtCode })) },
        },
      });
      await recordAudit(ctx.db, { officeId: ctx.officeId, userId: ctx.userId, ip: ctx.ip, action: 'CREATE', entity: 'User', entityId: user.id, newValue: JSON.stringify(audited(user, districtCodes)) });
      return { user, temporaryPassword: input.password ? null : password };
    },
  }),
  updateUser: t.prismaField({
    type: 'User',
    authScopes: { roles: ADMIN_ONLY },
    description: "Changes a user's name, role, team, districts or active flag (`version` as read). The office always keeps one active ADMIN.",
    errors: { types: [ValidationError, NotFoundError] },
    args: { id: t.arg.id({ required: true }), version: t.arg.int({ required: true }), patch: t.arg({ type: UserInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const existing = await ctx.db.user.findFirst({ where: scoped('User', ctx, { id: String(args.id) }), include: { districts: true } });
      if (!existing) throw new NotFoundError(formatMessage({ code: 'NOT_FOUND' }, ctx.locale));
      const { username: _username, password: _password, ...patch } = args.patch;
      const problems = await check(patch, ctx, 'update');
      if (existing.version !== args.version) problems.push({ field: 'version', code: 'VERSION_CONFLICT' });
      const stillAdmin = (patch.role ?? existing.role) === 'ADMIN' && (patch.active ?? existing.active);
      if (existing.role === 'ADMIN' && !stillAdmin && (await activeAdmins(ctx, existing.id)) === 0) problems.push({ field: patch.active === false ? 'active' : 'role', code: 'LAST_ADMIN' });
      if (problems.length) throw fail(problems, ctx);
      const before = audited(existing, existing.districts.map((d) => d.districtCode).sort());
      const districtCodes = patch.districtCodes ? [...new Set(patch.districtCodes)].sort() : (before.districtCodes as string).split(' ').filter(Boolean);
      const updated = await ctx.db.$transaction(async (tx) => {
        if (patch.districtCodes) {
          await tx.userDistrict.deleteMany({ where: { userId: existing.id } });
          await tx.userDistrict.createMany({ data: districtCodes.map((districtCode) => ({ userId: existing.id, districtCode })) });
        }
        const user = await tx.user.update({
          where: { id: existing.id },
          data: {
            ...(patch.displayName ? { displayName: patch.displayName.trim() } : {}),
            ...(patch.role ? { role: patch.role as Role } : {}),
            ...(patch.team !== undefined ? { team: patch.team?.trim() || null } : {}),
            ...(patch.active != null ? { active: patch.active } : {}),
            version: { increment: 1 },
          },
        });
        if (!user.active) await tx.session.deleteMany({ where: { userId: user.id } });
        const after = audited(user, districtCodes);
        const changed = Object.keys(after).filter((f) => String(after[f] ?? '') !== String(before[f] ?? ''));
        await tx.auditEvent.createMany({
          data: changed.map((field) => ({ officeId: ctx.officeId, userId: ctx.userId, ip: ctx.ip, action: 'UPDATE', entity: 'User', entityId: user.id, field, oldValue: before[field] == null ? null : String(before[field]), newValue: after[field] == null ? null : String(after[field]) })),
        });
        return user;
      });
      // Role, districts, team or active changed: remembered sessions must be read again.
      forgetCachedSessions();
      // A caller that selects only __typename leaves the selection empty, which Prisma refuses.
      const selection = (query as { select?: object }).select;
      return ctx.db.user.findUniqueOrThrow({ ...(selection && !Object.keys(selection).length ? {} : query), where: { id: updated.id } });
    },
  }),
}));
