// Text filters take the officer's text literally on both databases: % and _ are not wildcards.
import { composeNik } from '@jemput/core';
import { beforeAll, expect, it } from 'vitest';
import { loadRegions } from '../regions/load-regions.ts';
import { describeOnEachDatabase, type TestApi } from '../test/databases.ts';
import { likeText } from './filters.ts';

const CLASSES = ['10_A', '10xA', '10%B', '10 B', 'a\\b', '10_a kecil'];

const NAMES = `query ($filter: StudentFilter, $search: String) {
  students(first: 50, filter: $filter, search: $search, sort: [{ field: CLASS_NAME }]) { totalCount edges { node { className name } } }
}`;

describeOnEachDatabase('text filters', (api: () => TestApi) => {
  const classes = async (filter: object, search?: string) => {
    const data = await api().data(NAMES, { filter, search: search ?? null });
    expect(data.students.totalCount).toBe(data.students.edges.length);
    return data.students.edges.map((e: { node: { className: string } }) => e.node.className).sort();
  };

  beforeAll(async () => {
    await loadRegions(api().db, '35.73');
    const school = await api().db.school.create({
      data: { officeId: api().officeId, npsn: '20539101', name: 'SMA Saring', nameSearch: 'sma saring', level: 'SMA', status: 'NEGERI', districtCode: '35.73.01' },
    });
    const rows = CLASSES.map((className, i) => {
      const birthDate = `2007-03-1${i}`;
      return { name: `Siswa ${className}`, sex: 'L', birthDate, nik: composeNik({ districtCode: '35.73.01', birthDate, sex: 'L', serial: i + 1 }), className, schoolId: school.id };
    });
    const saved = await api().data(`mutation ($rows: [StudentRowInput!]!) { upsertStudents(rows: $rows) { created } }`, { rows });
    expect(saved.upsertStudents.created).toBe(CLASSES.length);
  });

  it('finds "10_A" literally with contains and startsWith, ignoring case as before', async () => {
    expect(await classes({ className: { contains: '10_A' } })).toEqual(['10_A', '10_a kecil']);
    expect(await classes({ className: { startsWith: '10_' } })).toEqual(['10_A', '10_a kecil']);
    expect(await classes({ className: { contains: '0xa' } })).toEqual(['10xA']);
  });

  it('finds % and a backslash literally, and still finds plain text', async () => {
    expect(await classes({ className: { contains: '%' } })).toEqual(['10%B']);
    expect(await classes({ className: { contains: '\\' } })).toEqual(['a\\b']);
    expect(await classes({ className: { contains: '10 ' } })).toEqual(['10 B']);
    expect(await classes({ className: { contains: '_' } })).toEqual(['10_A', '10_a kecil']);
  });

  it('takes names and the quick search literally too', async () => {
    expect(await classes({ name: { contains: 'siswa 10_' } })).toEqual(['10_A', '10_a kecil']);
    expect(await classes({ name: { startsWith: 'Siswa 10%' } })).toEqual(['10%B']);
    expect(await classes({}, '10_a')).toEqual(['10_A', '10_a kecil']);
  });

  it('escapes only the LIKE specials', () => {
    expect(likeText('10_A 50% a\\b')).toBe('10\\_A 50\\% a\\\\b');
    expect(likeText('Budi Santoso')).toBe('Budi Santoso');
  });
});
