// "After the cursor row" as a where clause (keyset.ts) must list exactly the rows that follow it
// in the database's own order, NULLs included, on both databases.
import { beforeAll, expect, it } from 'vitest';
import { describeOnEachDatabase, type TestApi } from '../test/databases.ts';
import { loadRegions } from '../regions/load-regions.ts';
import { afterCursor, keysetAfter } from './keyset.ts';

describeOnEachDatabase('keyset paging', (api: () => TestApi) => {
  let schoolId: string;
  beforeAll(async () => {
    const { db, officeId } = api();
    await loadRegions(db, '35.73');
    const school = await db.school.create({ data: { officeId, npsn: '69990001', name: 'SMA Kunci', nameSearch: 'sma kunci', level: 'SMA', status: 'NEGERI', districtCode: '35.73.02' } });
    schoolId = school.id;
    const classes = [null, 'XII A', 'XII B', 'X C'];
    const places = [null, 'Malang', 'Batu'];
    await db.student.createMany({
      data: Array.from({ length: 36 }, (_, i) => ({
        schoolId,
        name: `Siswa ${i % 7}`,
        nameSearch: `siswa ${i % 7}`,
        className: classes[i % 4],
        birthPlace: places[i % 3],
        sex: i % 2 ? 'L' : 'P',
        birthDate: `2008-0${1 + (i % 5)}-01`,
      })),
    });
    // A DateTime sort key with ties and distinct values.
    await db.student.updateMany({ where: { schoolId, nameSearch: { in: ['siswa 1', 'siswa 4'] } }, data: { updatedAt: new Date('2024-10-02T03:04:05.678Z') } });
  });

  const sorts: Record<string, 'asc' | 'desc'>[][] = [
    [{ className: 'asc' }],
    [{ className: 'desc' }],
    [{ birthPlace: 'desc' }, { nameSearch: 'asc' }],
    [{ className: 'asc' }, { birthPlace: 'asc' }, { birthDate: 'desc' }],
    [{ nameSearch: 'desc' }],
    [{ updatedAt: 'desc' }, { nameSearch: 'asc' }],
  ];
  for (const sort of sorts) {
    it(`lists exactly the rows after each row, sorted by ${JSON.stringify(sort)}`, async () => {
      const { db, provider } = api();
      const orderBy = [...sort, { id: 'asc' }];
      const all = (await db.student.findMany({ where: { schoolId }, orderBy: orderBy as never, select: { id: true } })).map((s) => s.id);
      expect(all).toHaveLength(36);
      for (const [i, id] of all.entries()) {
        const page = await afterCursor('Student', { cursor: { id }, skip: 1, take: 50 }, orderBy, provider, (rowId, select) => db.student.findUnique({ where: { id: rowId }, select }));
        expect(page.after).not.toBeNull();
        expect(page.query).toEqual({ skip: 0, take: 50 });
        const rest = await db.student.findMany({ ...page.query, where: { AND: [{ schoolId }, page.after!] }, orderBy: orderBy as never, select: { id: true } });
        expect(rest.map((s) => s.id)).toEqual(all.slice(i + 1));
      }
    });
  }

  it("leaves to Prisma what it cannot page by key: backwards, through a relation, an enum, a row that is gone", async () => {
    const { db, provider } = api();
    const read = (rowId: string, select: Record<string, true>) => db.student.findUnique({ where: { id: rowId }, select });
    const any = await db.student.findFirstOrThrow({ where: { schoolId } });
    const cases: [object, object[]][] = [
      [{ cursor: { id: any.id }, skip: 1, take: -10 }, [{ nameSearch: 'asc' }, { id: 'asc' }]],
      [{ cursor: { id: any.id }, skip: 1, take: 10 }, [{ school: { nameSearch: 'asc' } }, { id: 'asc' }]],
      [{ cursor: { id: any.id }, skip: 1, take: 10 }, [{ sex: 'asc' }, { id: 'asc' }]],
      [{ cursor: { id: 'stu_gone' }, skip: 1, take: 10 }, [{ nameSearch: 'asc' }, { id: 'asc' }]],
      [{ skip: 0, take: 10 }, [{ nameSearch: 'asc' }, { id: 'asc' }]],
    ];
    for (const [query, orderBy] of cases) expect(await afterCursor('Student', query, orderBy, provider, read)).toEqual({ query, after: null });
  });

  it('bounds the first sort field so the index walk starts at the cursor', () => {
    const fields = [{ name: 'className', direction: 'asc' as const, nullable: true }, { name: 'id', direction: 'asc' as const, nullable: false }];
    expect(keysetAfter(fields, { className: 'XII A', id: 's1' }, 'sqlite')).toEqual({
      AND: [{ className: { gte: 'XII A' } }, { OR: [{ className: { gt: 'XII A' } }, { AND: [{ className: 'XII A' }, { id: { gt: 's1' } }] }] }],
    });
  });
});
