// Regions (districts and villages of the office's regency) and the office itself.
import { REGION_LEVELS } from '@jemput/core';
import { builder } from '../schema/builder.ts';

const RegionLevelEnum = builder.enumType('RegionLevel', { values: REGION_LEVELS });

builder.prismaObject('Region', {
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Dotted Kemendagri code, e.g. "35.73.01".' }),
    level: t.expose('level', { type: RegionLevelEnum }),
    name: t.exposeString('name'),
    parentCode: t.exposeString('parentCode', { nullable: true }),
    children: t.relation('children', { query: { orderBy: { name: 'asc' } } }),
  }),
});

builder.prismaObject('Office', {
  fields: (t) => ({
    id: t.exposeID('id'),
    regencyCode: t.exposeString('regencyCode'),
    name: t.exposeString('name'),
    regencyName: t.exposeString('regencyName'),
    provinceName: t.exposeString('provinceName'),
    kits: t.exposeInt('kits'),
    blankStockThreshold: t.exposeInt('blankStockThreshold'),
  }),
});

builder.queryFields((t) => ({
  office: t.prismaField({
    type: 'Office',
    nullable: true,
    description: 'The office this server serves.',
    resolve: (query, _root, _args, ctx) => (ctx.officeId ? ctx.db.office.findUnique({ ...query, where: { id: ctx.officeId } }) : null),
  }),
  regions: t.prismaField({
    type: ['Region'],
    description: 'Districts (level DISTRICT) or the villages of one district (parentCode).',
    args: { level: t.arg({ type: RegionLevelEnum }), parentCode: t.arg.string() },
    resolve: (query, _root, args, ctx) =>
      ctx.db.region.findMany({
        ...query,
        where: { ...(args.level ? { level: args.level } : {}), ...(args.parentCode ? { parentCode: args.parentCode } : {}) },
        orderBy: { code: 'asc' },
        take: 10_000,
      }),
  }),
}));
