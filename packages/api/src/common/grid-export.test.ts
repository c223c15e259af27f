// A grid's CSV export (its view read page by page with `export: true`) leaves one EXPORT audit
// event with the view and its row count, and no NIK in it, on both databases.
import { composeNik } from '@jemput/core';
import { beforeAll, expect, it } from 'vitest';
import { loadRegions } from '../regions/load-regions.ts';
import { describeOnEachDatabase, type TestApi } from '../test/databases.ts';
import { exportDetail } from './grid-export.ts';

const PAGE = `query ($offset: Int, $filter: StudentFilter, $search: String, $export: Boolean) {
  students(first: 2, offset: $offset, filter: $filter, search: $search, sort: [{ field: NAME }], export: $export) { totalCount edges { node { id nik } } }
}`;

describeOnEachDatabase('grid CSV export audit', (api: () => TestApi) => {
  const niks: string[] = [];
  const exports = () => api().db.auditEvent.findMany({ where: { action: 'EXPORT', entity: 'Student' }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });

  beforeAll(async () => {
    await loadRegions(api().db, '35.73');
    const school = await api().db.school.create({
      data: { officeId: api().officeId, npsn: '20539201', name: 'SMA Ekspor', nameSearch: 'sma ekspor', level: 'SMA', status: 'NEGERI', districtCode: '35.73.01' },
    });
    const rows = Array.from({ length: 5 }, (_, i) => {
      const birthDate = `2007-04-1${i}`;
      const nik = composeNik({ districtCode: '35.73.01', birthDate, sex: 'L', serial: i + 1 });
      niks.push(nik);
      return { name: `Siswa Ekspor ${i}`, sex: 'L', birthDate, nik, className: 'XII', schoolId: school.id };
    });
    await api().data(`mutation ($rows: [StudentRowInput!]!) { upsertStudents(rows: $rows) { created } }`, { rows });
  });

  it('logs one EXPORT per export with the view and its row count, never a NIK', async () => {
    const filter = { nik: { startsWith: niks[0]!.slice(0, 6) }, className: { equals: 'XII' } };
    const before = (await exports()).length;
    // Reading the view normally is not an export.
    await api().data(PAGE, { offset: 0, filter });
    expect((await exports()).length).toBe(before);
    // The export reads every page; only the first writes the event.
    const first = await api().data(PAGE, { offset: 0, filter, search: niks[0], export: true });
    expect(first.students.totalCount).toBe(1);
    await api().data(PAGE, { offset: 0, filter, export: true });
    await api().data(PAGE, { offset: 2, filter, export: true });
    await api().data(PAGE, { offset: 4, filter, export: true });
    const events = (await exports()).slice(before);
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.userId === api().user!.id && e.officeId === api().officeId)).toBe(true);
    const [withSearch, whole] = events.map((e) => JSON.parse(e.detail!));
    expect(withSearch).toMatchObject({ format: 'csv', rows: 1, filter: { className: { equals: 'XII' } }, sort: [{ field: 'NAME' }] });
    expect(whole).toMatchObject({ format: 'csv', rows: 5 });
    expect(whole.filter.nik.startsWith).toBe(`${niks[0]!.slice(0, 4)}••`);
    expect(withSearch.search).toBe(`${niks[0]!.slice(0, 4)}••••••••${niks[0]!.slice(-4)}`);
    const logged = JSON.stringify(events);
    for (const nik of niks) expect(logged).not.toContain(nik.slice(0, 6));
  });

  it('masks NIK filters at any depth and long digit runs in the search', () => {
    const detail = exportDetail({ filter: { AND: [{ nik: { in: ['3573014507070001'] } }], name: { contains: 'Budi 12345' } }, search: 'nik 357301450707', sort: [] }, 3);
    expect(detail).toEqual({ format: 'csv', rows: 3, filter: { AND: [{ nik: { in: ['3573••••••••0001'] } }], name: { contains: 'Budi 12345' } }, search: 'nik 3573••••••••' });
  });
});
