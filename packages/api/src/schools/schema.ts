// Schools (and other sites teams visit): the grid and its edits.
import { normalizeName, validateSchool, SCHOOL_LEVELS, SCHOOL_STATUSES } from '@jemput/core';
import { builder, type Context } from '../schema/builder.ts';
import { registerEditableEntity } from '../common/editing-schema.ts';
import { WRITE } from '../auth/rules.ts';
import { scoped } from '../auth/scope.ts';
import type { EditableSpec } from '../common/editing.ts';
import { compactWhere, likeText, normalizedTextWhere, orderByFor, sortInput, stringWhere, StringFilter, enumWhere, IdFilter, enumFilterInput, idWhere } from '../common/filters.ts';
import { checkReferences, checkUnique, cleanPatch, cleanRegionCode, cleanText } from '../common/normalize.ts';
import { auditGridExport, EXPORT_ARG_DESCRIPTION } from '../common/grid-export.ts';
import { gridPage } from '../common/keyset.ts';

export const SchoolLevelEnum = builder.enumType('SchoolLevel', { values: SCHOOL_LEVELS });
export const SchoolStatusEnum = builder.enumType('SchoolStatus', { values: SCHOOL_STATUSES });

export const SchoolRef = builder.prismaObject('School', {
  fields: (t) => ({
    id: t.exposeID('id'),
    npsn: t.exposeString('npsn'),
    name: t.exposeString('name'),
    level: t.expose('level', { type: SchoolLevelEnum }),
    status: t.expose('status', { type: SchoolStatusEnum }),
    districtCode: t.exposeString('districtCode'),
    district: t.relation('district'),
    villageCode: t.exposeString('villageCode', { nullable: true }),
    village: t.relation('village', { nullable: true }),
    address: t.exposeString('address', { nullable: true }),
    contactName: t.exposeString('contactName', { nullable: true }),
    contactPhone: t.exposeString('contactPhone', { nullable: true }),
    version: t.exposeInt('version'),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    studentCount: t.relationCount('students'),
  }),
});

const LevelFilter = enumFilterInput('SchoolLevelFilter', SchoolLevelEnum);
const StatusFilter = enumFilterInput('SchoolStatusFilter', SchoolStatusEnum);

const SchoolFilter = builder.inputType('SchoolFilter', {
  fields: (t) => ({
    id: t.field({ type: IdFilter }),
    npsn: t.field({ type: StringFilter }),
    name: t.field({ type: StringFilter }),
    level: t.field({ type: LevelFilter }),
    status: t.field({ type: StatusFilter }),
    districtCode: t.field({ type: StringFilter }),
    villageCode: t.field({ type: StringFilter }),
    address: t.field({ type: StringFilter }),
    contactName: t.field({ type: StringFilter }),
    contactPhone: t.field({ type: StringFilter }),
  }),
});

const SchoolSort = sortInput('SchoolSort', ['NAME', 'NPSN', 'LEVEL', 'STATUS', 'DISTRICT', 'VILLAGE', 'ADDRESS', 'CONTACT_NAME', 'UPDATED_AT'] as const);

function schoolWhere(filter: typeof SchoolFilter.$inferInput | null | undefined, search: string | null | undefined, ctx: Context) {
  const f = filter ?? {};
  const where = compactWhere({
    id: idWhere(f.id),
    npsn: stringWhere(f.npsn, ctx),
    nameSearch: normalizedTextWhere(f.name),
    level: enumWhere(f.level),
    status: enumWhere(f.status),
    districtCode: stringWhere(f.districtCode, ctx),
    villageCode: stringWhere(f.villageCode, ctx),
    address: stringWhere(f.address, ctx),
    contactName: stringWhere(f.contactName, ctx),
    contactPhone: stringWhere(f.contactPhone, ctx),
  });
  const q = search?.trim();
  if (!q) return where;
  return { ...where, OR: [{ npsn: { startsWith: likeText(q.toUpperCase()) } }, { nameSearch: { contains: likeText(normalizeName(q)) } }] };
}

const ORDER = {
  NAME: (d: 'asc' | 'desc') => ({ nameSearch: d }),
  NPSN: (d: 'asc' | 'desc') => ({ npsn: d }),
  LEVEL: (d: 'asc' | 'desc') => ({ level: d }),
  STATUS: (d: 'asc' | 'desc') => ({ status: d }),
  DISTRICT: (d: 'asc' | 'desc') => ({ district: { name: d } }),
  VILLAGE: (d: 'asc' | 'desc') => ({ village: { name: d } }),
  ADDRESS: (d: 'asc' | 'desc') => ({ address: d }),
  CONTACT_NAME: (d: 'asc' | 'desc') => ({ contactName: d }),
  UPDATED_AT: (d: 'asc' | 'desc') => ({ updatedAt: d }),
};

builder.queryFields((t) => ({
  schools: t.prismaConnection({
    type: 'School',
    cursor: 'id',
    args: {
      filter: t.arg({ type: SchoolFilter }),
      sort: t.arg({ type: [SchoolSort] }),
      search: t.arg.string({ description: 'School name, or the first characters of its NPSN.' }),
      offset: t.arg.int({ description: 'Rows to skip first (after `after`, if given): lets an infinite-scroll grid jump to any position.' }),
      export: t.arg.boolean({ description: EXPORT_ARG_DESCRIPTION }),
    },
    resolve: async (query, _root, args, ctx) => {
      const where = scoped('School', ctx, schoolWhere(args.filter, args.search, ctx));
      const orderBy = orderByFor(args.sort, ORDER, [{ nameSearch: 'asc' }]);
      const page = await ctx.db.school.findMany(
        await gridPage('School', query, { where, orderBy, offset: args.offset }, ctx.provider, (id, select) => ctx.db.school.findUnique({ where: { id }, select })),
      );
      await auditGridExport(ctx, 'School', args, () => ctx.db.school.count({ where }));
      return page;
    },
    totalCount: (_c, args, ctx) => ctx.db.school.count({ where: scoped('School', ctx, schoolWhere(args.filter, args.search, ctx)) }),
  }),
  school: t.prismaField({
    type: 'School',
    nullable: true,
    args: { id: t.arg.id(), npsn: t.arg.string() },
    resolve: (query, _root, args, ctx) =>
      args.id || args.npsn ? ctx.db.school.findFirst({ ...query, where: scoped('School', ctx, args.id ? { id: String(args.id) } : { npsn: String(args.npsn) }) }) : null,
  }),
}));

export const schoolSpec: EditableSpec = {
  entity: 'School',
  delegate: (db) => db.school,
  fields: ['npsn', 'name', 'level', 'status', 'districtCode', 'villageCode', 'address', 'contactName', 'contactPhone'],
  normalize: (patch) =>
    cleanPatch(patch, {
      npsn: (v) => (typeof cleanText(v) === 'string' ? (cleanText(v) as string).toUpperCase() : cleanText(v)),
      districtCode: cleanRegionCode,
      villageCode: cleanRegionCode,
    }),
  validate: (row, mode) => validateSchool(row, mode),
  async checkAgainstDb(candidates, ctx) {
    const regions = (codes: string[]) => ctx.db.region.findMany({ where: { code: { in: codes } }, select: { code: true } });
    await checkReferences(candidates, 'districtCode', regions);
    await checkReferences(candidates, 'villageCode', regions);
    await checkUnique(candidates, 'npsn', async (values) =>
      (await ctx.db.school.findMany({ where: { npsn: { in: values } }, select: { id: true, npsn: true } })).map((s) => ({ id: s.id, value: s.npsn })),
    );
    if (!ctx.officeId) for (const c of candidates) if (!c.existing) c.issues.push({ field: 'officeId', code: 'REQUIRED', severity: 'error' });
  },
  derived: (row, ctx, mode) => ({
    ...(typeof row.name === 'string' ? { nameSearch: normalizeName(row.name) } : {}),
    ...(mode === 'create' ? { officeId: ctx.officeId } : {}),
  }),
  // A school's name or district shows on the dashboards.
  committed(writes, ctx) {
    ctx.feed.touch({ schoolIds: writes.map((w) => (w.after ?? w.before)?.id).filter((id): id is string => typeof id === 'string') });
  },
};

registerEditableEntity({
  name: 'School',
  roles: WRITE.school,
  plural: 'Schools',
  ref: 'School',
  spec: schoolSpec,
  inputFields: (t) => ({
    npsn: t.string(),
    name: t.string(),
    level: t.field({ type: SchoolLevelEnum }),
    status: t.field({ type: SchoolStatusEnum }),
    districtCode: t.string({ description: 'Kemendagri district code, "35.73.01" or "357301".' }),
    villageCode: t.string(),
    address: t.string(),
    contactName: t.string(),
    contactPhone: t.string(),
  }),
});
