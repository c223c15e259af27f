// Students: the roster grid (filter, sort, quick search, paging) and its edits.
import { eligibility, formatMessage, maskNik, normalizeName, validateStudent, voterCutoffDate, SEXES, type IsoDate } from '@jemput/core';
import { builder, type Context } from '../schema/builder.ts';
import { OutcomeRef } from '../outcomes/schema.ts';
import type { Outcome } from '../generated/sqlite/client.ts';
import { registerEditableEntity } from '../common/editing-schema.ts';
import { WRITE, seesFullNik } from '../auth/rules.ts';
import { scoped } from '../auth/scope.ts';
import type { EditableSpec, Write } from '../common/editing.ts';
import { lockStudents, studentWritesDelta } from '../tallies/maintain.ts';
import { describeIssue, FieldProblemRef } from '../common/errors.ts';
import { compactWhere, DateFilter, IdFilter, likeText, normalizedTextWhere, orderByFor, rangeWhere, sortInput, stringWhere, StringFilter, enumWhere, enumFilterInput, idWhere } from '../common/filters.ts';
import { checkUnique, cleanIdentifier, cleanPatch } from '../common/normalize.ts';
import { auditGridExport, EXPORT_ARG_DESCRIPTION } from '../common/grid-export.ts';
import { gridPage } from '../common/keyset.ts';
import { schoolById } from '../schools/by-id.ts';
import { SchoolRef } from '../schools/schema.ts';

export const SexEnum = builder.enumType('Sex', { values: SEXES, description: 'L = laki-laki, P = perempuan.' });

const SexFilter = enumFilterInput('SexFilter', SexEnum);

const Eligibility = builder.objectRef<ReturnType<typeof eligibility> & { locale: Context['locale'] }>('Eligibility').implement({
  description: 'Whether a student is a first-time voter on an election date, and what may be done today.',
  fields: (t) => ({
    eligible: t.exposeBoolean('eligible', { description: '17 on election day, or married.' }),
    recordableNow: t.exposeBoolean('recordableNow'),
    printableNow: t.exposeBoolean('printableNow'),
    ageOnElection: t.exposeInt('ageOnElection', { nullable: true }),
    reason: t.string({ description: 'Why, in words (Bahasa Indonesia unless Accept-Language asks for English).', resolve: (e) => formatMessage(e.reason, e.locale) }),
  }),
});

// A Student object always carries all its columns (Pothos loads prisma objects with every scalar),
// so fields computed from columns read them directly. A `select` on such a field would make Pothos
// read the row again whenever it did not come from one of its own queries: every row a save or a
// paste answers with (50 rows re-read after a 50-row paste).
export const StudentRef = builder.prismaObject('Student', {
  fields: (t) => ({
    id: t.exposeID('id'),
    nisn: t.exposeString('nisn', { nullable: true }),
    nik: t.string({ nullable: true, description: 'Full NIK for roles that need it, masked for the others (see `revealNik`).', resolve: (s, _args, ctx) => (s.nik && !seesFullNik(ctx) ? maskNik(s.nik) : s.nik) }),
    nikMasked: t.string({ nullable: true, resolve: (s) => (s.nik ? maskNik(s.nik) : null) }),
    name: t.exposeString('name'),
    sex: t.expose('sex', { type: SexEnum }),
    birthPlace: t.exposeString('birthPlace', { nullable: true }),
    birthDate: t.expose('birthDate', { type: 'Date' }),
    className: t.exposeString('className', { nullable: true }),
    married: t.exposeBoolean('married'),
    version: t.exposeInt('version'),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    schoolId: t.exposeID('schoolId'),
    // A student's school is in the caller's scope whenever the student is (scope goes through the school).
    school: t.field({ type: SchoolRef, resolve: (s, _args, ctx) => schoolById(ctx, s.schoolId) as never }),
    outcome: t.field({
      type: OutcomeRef,
      nullable: true,
      description: "The student's outcome in a drive (or the latest of any drive).",
      args: { driveId: t.arg.id() },
      select: (args, _ctx, nestedSelection) => ({
        outcomes: {
          ...(nestedSelection(true) as object),
          where: args.driveId ? { driveId: String(args.driveId) } : {},
          orderBy: { updatedAt: 'desc' },
          take: 1,
        },
      }),
      resolve: (student) => (student as unknown as { outcomes: Outcome[] }).outcomes[0] ?? null,
    }),
    eligibility: t.field({
      type: Eligibility,
      description: 'Computed from birth date and marriage; never stored.',
      args: { electionDate: t.arg({ type: 'Date', required: true }) },
      resolve: (s, args, ctx) => ({ ...eligibility({ birthDate: s.birthDate, married: s.married }, args.electionDate, ctx.today), locale: ctx.locale }),
    }),
    warnings: t.field({
      type: [FieldProblemRef],
      description: 'Data problems worth a look (a NIK that disagrees with the birth date or sex, or looks like a family-card number).',
      resolve: (s, _args, ctx) =>
        validateStudent({ nik: s.nik, birthDate: s.birthDate, sex: s.sex, nisn: s.nisn }, 'update', { today: ctx.today }).map((i) => describeIssue(i, ctx.locale)),
    }),
  }),
});

const StudentFilter = builder.inputType('StudentFilter', {
  fields: (t) => ({
    id: t.field({ type: IdFilter, description: 'Rows by id, e.g. to re-read rows another user changed.' }),
    name: t.field({ type: StringFilter }),
    nik: t.field({ type: StringFilter }),
    nisn: t.field({ type: StringFilter }),
    sex: t.field({ type: SexFilter }),
    birthPlace: t.field({ type: StringFilter }),
    birthDate: t.field({ type: DateFilter }),
    className: t.field({ type: StringFilter }),
    married: t.boolean(),
    schoolId: t.field({ type: IdFilter }),
    districtCode: t.field({ type: StringFilter, description: "District of the student's school." }),
    eligibleOn: t.field({ type: 'Date', description: 'Only students who are 17 (or married) on this election date.' }),
  }),
});

const SORT_FIELDS = ['NAME', 'NISN', 'NIK', 'SEX', 'BIRTH_DATE', 'BIRTH_PLACE', 'CLASS_NAME', 'SCHOOL_NAME', 'UPDATED_AT'] as const;
const StudentSort = sortInput('StudentSort', SORT_FIELDS);
type StudentFilterValue = typeof StudentFilter.$inferInput;

export function studentWhere(filter: StudentFilterValue | null | undefined, search: string | null | undefined, ctx: Context) {
  const f = filter ?? {};
  const where: Record<string, unknown> = compactWhere({
    id: idWhere(f.id),
    nameSearch: normalizedTextWhere(f.name),
    // Roles that see masked NIKs cannot search by NIK either (a prefix search would reveal it).
    nik: seesFullNik(ctx) ? stringWhere(f.nik, ctx) : undefined,
    nisn: stringWhere(f.nisn, ctx),
    sex: enumWhere(f.sex),
    birthPlace: stringWhere(f.birthPlace, ctx),
    birthDate: rangeWhere(f.birthDate),
    className: stringWhere(f.className, ctx),
    married: f.married ?? undefined,
    schoolId: idWhere(f.schoolId),
    school: f.districtCode ? { districtCode: stringWhere(f.districtCode, ctx) } : undefined,
  });
  const and: object[] = [];
  if (f.eligibleOn) and.push({ OR: [{ birthDate: { lte: voterCutoffDate(f.eligibleOn as IsoDate) } }, { married: true }] });
  const q = search?.trim();
  if (q) and.push(quickSearch(q, seesFullNik(ctx)));
  return and.length ? { ...where, AND: and } : where;
}

/** Quick search: digits look up NIK, NISN or the school's NPSN by prefix; words search names. */
function quickSearch(q: string, byNik: boolean): object {
  const digits = q.replace(/[\s.-]/g, '');
  if (/^\d{3,}$/.test(digits)) {
    return { OR: [...(byNik ? [{ nik: { startsWith: digits } }] : []), { nisn: { startsWith: digits } }, { school: { npsn: { startsWith: digits } } }] };
  }
  return { nameSearch: { contains: likeText(normalizeName(q)) } };
}

const ORDER = {
  NAME: (d: 'asc' | 'desc') => ({ nameSearch: d }),
  NISN: (d: 'asc' | 'desc') => ({ nisn: d }),
  NIK: (d: 'asc' | 'desc') => ({ nik: d }),
  SEX: (d: 'asc' | 'desc') => ({ sex: d }),
  BIRTH_DATE: (d: 'asc' | 'desc') => ({ birthDate: d }),
  BIRTH_PLACE: (d: 'asc' | 'desc') => ({ birthPlace: d }),
  CLASS_NAME: (d: 'asc' | 'desc') => ({ className: d }),
  SCHOOL_NAME: (d: 'asc' | 'desc') => ({ school: { nameSearch: d } }),
  UPDATED_AT: (d: 'asc' | 'desc') => ({ updatedAt: d }),
};

builder.queryFields((t) => ({
  students: t.prismaConnection(
    {
      type: 'Student',
      cursor: 'id',
      args: {
        filter: t.arg({ type: StudentFilter }),
        sort: t.arg({ type: [StudentSort] }),
        search: t.arg.string({ description: 'Name, or the first digits of a NIK, NISN or NPSN.' }),
        offset: t.arg.int({ description: 'Rows to skip first (after `after`, if given): lets an infinite-scroll grid jump to any position.' }),
        export: t.arg.boolean({ description: EXPORT_ARG_DESCRIPTION }),
      },
      resolve: async (query, _root, args, ctx) => {
        const where = scoped('Student', ctx, studentWhere(args.filter, args.search, ctx));
        const orderBy = orderByFor(args.sort, ORDER, [{ nameSearch: 'asc' }]);
        const page = await ctx.db.student.findMany(
          await gridPage('Student', query, { where, orderBy, offset: args.offset }, ctx.provider, (id, select) => ctx.db.student.findUnique({ where: { id }, select })),
        );
        await auditGridExport(ctx, 'Student', args, () => ctx.db.student.count({ where }));
        return page;
      },
      totalCount: (_connection, args, ctx) => ctx.db.student.count({ where: scoped('Student', ctx, studentWhere(args.filter, args.search, ctx)) }),
    },
    {},
  ),
  student: t.prismaField({
    type: 'Student',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.db.student.findFirst({ ...query, where: scoped('Student', ctx, { id: String(args.id) }) }),
  }),
}));

export const studentSpec: EditableSpec = {
  entity: 'Student',
  delegate: (db) => db.student,
  fields: ['name', 'nik', 'nisn', 'sex', 'birthPlace', 'birthDate', 'className', 'married', 'schoolId'],
  normalize: (patch) => cleanPatch(patch, { nik: cleanIdentifier, nisn: cleanIdentifier, married: (v) => v }),
  validate: (row, mode, ctx) => validateStudent(row, mode, { today: ctx.today }),
  async checkAgainstDb(candidates, ctx) {
    // schoolId was checked by authorizeRows (a school in the caller's scope exists).
    await checkUnique(candidates, 'nisn', async (values) =>
      (await ctx.db.student.findMany({ where: { nisn: { in: values } }, select: { id: true, nisn: true } })).map((s) => ({ id: s.id, value: s.nisn as string })),
    );
  },
  derived: (row) => (typeof row.name === 'string' ? { nameSearch: normalizeName(row.name) } : {}),
  auditValue: (field, value) => (value == null ? null : field === 'nik' ? maskNik(String(value)) : String(value)),
  // Tally counters follow every student change; a delete is counted out before its outcomes cascade away.
  async afterWrite(tx, writes) {
    await (await studentWritesDelta(tx, writes.filter((w) => w.after !== null && changesTallies(w)))).settle(tx);
  },
  async beforeDelete(tx, row, ctx) {
    // Locked first: an outcome written for the student meanwhile is either read here or waits.
    await lockStudents(tx, ctx.provider, [row.id], 'update');
    await (await studentWritesDelta(tx, [{ before: row, after: null }])).settle(tx);
  },
  committed(writes, ctx) {
    const counted = writes.filter(changesTallies);
    if (counted.length) ctx.feed.touch({ schoolIds: counted.flatMap((w) => [w.before?.schoolId, w.after?.schoolId]).filter((id): id is string => typeof id === 'string') });
  },
};

/** What a student counts for in the tallies (core's tallyContribution) depends on these alone. */
const TALLY_FIELDS = ['schoolId', 'birthDate', 'married'] as const;

/** A new or deleted student, or an edit of a field the tallies read; a class or name edit is not. */
function changesTallies(write: Write): boolean {
  const { before, after } = write;
  if (!before || !after) return true;
  return TALLY_FIELDS.some((f) => String(before[f]) !== String(after[f]));
}

registerEditableEntity({
  name: 'Student',
  roles: WRITE.student,
  plural: 'Students',
  ref: StudentRef,
  spec: studentSpec,
  inputFields: (t) => ({
    name: t.string(),
    nik: t.string({ description: '16 digits; spaces and dots are ignored.' }),
    nisn: t.string({ description: '10 digits; leading zeros matter.' }),
    sex: t.field({ type: SexEnum }),
    birthPlace: t.string(),
    birthDate: t.field({ type: 'Date' }),
    className: t.string(),
    married: t.boolean(),
    schoolId: t.id(),
  }),
});
