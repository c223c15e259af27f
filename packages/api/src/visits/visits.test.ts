import { beforeAll, expect, it } from 'vitest';
import { loadRegions } from '../regions/load-regions.ts';
import { describeOnEachDatabase, type TestApi } from '../test/databases.ts';

const UPSERT_SCHOOLS = /* GraphQL */ `
  mutation ($rows: [SchoolRowInput!]!) {
    upsertSchools(rows: $rows) { created rejected rows { index status id problems { field code message } } }
  }`;

const UPSERT_VISITS = /* GraphQL */ `
  mutation ($rows: [VisitRowInput!]!) {
    upsertVisits(rows: $rows) { created rejected rows { index status id problems { field code message } } }
  }`;

describeOnEachDatabase('schools, drives and visits API', (api: () => TestApi) => {
  let driveId: string;
  const schoolIds: string[] = [];

  beforeAll(async () => {
    await loadRegions(api().db, '35.73');
    const drive = await api().data(
      `mutation { createDrive(input: { name: "Pilkada 2024", electionDate: "2024-11-27", startDate: "2024-09-01", endDate: "2024-11-26" }) {
         __typename ... on MutationCreateDriveSuccess { data { id electionDate } } } }`,
    );
    driveId = drive.createDrive.data.id;
  });

  it('imports schools from a paste, keeping good rows and explaining bad ones', async () => {
    const rows = [
      { npsn: '20533201', name: 'SMA Negeri 5 Malang', level: 'SMA', status: 'NEGERI', districtCode: '35.73.03', villageCode: '3573031001' },
      { npsn: '20533202', name: 'SMK Muhammadiyah 2 Malang', level: 'SMK', status: 'SWASTA', districtCode: '357305' },
      { npsn: '20533202', name: 'Duplikat', level: 'SMK', status: 'SWASTA', districtCode: '357305' },
      { npsn: '123', name: 'NPSN pendek', level: 'MA', status: 'SWASTA', districtCode: '35.73.01' },
      { npsn: '20533205', name: 'Kecamatan salah', level: 'MA', status: 'SWASTA', districtCode: '35.10.01' },
      { npsn: '20533206', name: 'Desa di luar kecamatan', level: 'SLB', status: 'NEGERI', districtCode: '35.73.01', villageCode: '35.73.02.1001' },
    ];
    const result = (await api().data(UPSERT_SCHOOLS, { rows })).upsertSchools;
    expect(result.rows.map((r: { status: string }) => r.status)).toEqual(['CREATED', 'CREATED', 'REJECTED', 'REJECTED', 'REJECTED', 'REJECTED']);
    expect(result.rows[2].problems[0]).toMatchObject({ field: 'npsn', code: 'DUPLICATE' });
    expect(result.rows[3].problems[0].field).toBe('npsn');
    expect(result.rows[4].problems[0]).toMatchObject({ field: 'districtCode', code: 'NOT_FOUND' });
    expect(result.rows[5].problems[0].field).toBe('villageCode');
    schoolIds.push(result.rows[0].id, result.rows[1].id);
    const stored = await api().db.school.findUniqueOrThrow({ where: { id: result.rows[0].id } });
    expect(stored).toMatchObject({ districtCode: '35.73.03', villageCode: '35.73.03.1001', officeId: api().officeId });
  });

  it('filters schools by district and searches by name or NPSN', async () => {
    const byDistrict = await api().data(`{ schools(first: 10, filter: { districtCode: { equals: "35.73.05" } }) { totalCount edges { node { name district { name } } } } }`);
    expect(byDistrict.schools.edges.map((e: any) => e.node.name)).toEqual(['SMK Muhammadiyah 2 Malang']);
    expect(byDistrict.schools.edges[0].node.district.name).toBe('Lowokwaru');
    const byNpsn = await api().data(`{ schools(first: 10, search: "2053320") { totalCount } }`);
    expect(byNpsn.schools.totalCount).toBe(2);
    const byName = await api().data(`{ schools(first: 10, search: "muhammadiyah") { edges { node { npsn } } } }`);
    expect(byName.schools.edges.map((e: any) => e.node.npsn)).toEqual(['20533202']);
  });

  it('plans visits with the core rules and lists them by date', async () => {
    const [a, b] = schoolIds;
    const rows = [
      { driveId, schoolId: a, date: '2024-10-07', startTime: '08:00', endTime: '12:00', kits: 3, team: 'Tim 1' },
      { driveId, schoolId: b, date: '2024-10-07', startTime: '13:00', endTime: '15:00', kits: 2, team: 'Tim 1', status: 'CONFIRMED' },
      { driveId, schoolId: a, date: '2024-10-08', startTime: '12:00', endTime: '08:00', kits: 2 },
      { driveId, schoolId: a, date: '2024-10-09', startTime: '08:00', endTime: '10:00', kits: 0 },
      { driveId, schoolId: 'missing', date: '2024-10-09', startTime: '08:00', endTime: '10:00', kits: 1 },
    ];
    const result = (await api().data(UPSERT_VISITS, { rows })).upsertVisits;
    expect(result.rows.map((r: { status: string }) => r.status)).toEqual(['CREATED', 'CREATED', 'REJECTED', 'REJECTED', 'REJECTED']);
    expect(result.rows[2].problems[0].field).toBe('endTime');
    expect(result.rows[3].problems[0].field).toBe('kits');
    expect(result.rows[4].problems[0]).toMatchObject({ field: 'schoolId', code: 'NOT_FOUND' });

    const list = await api().data(
      `query ($driveId: ID!) { visits(first: 10, filter: { driveId: { equals: $driveId }, date: { gte: "2024-10-01", lte: "2024-10-31" } }, sort: [{ field: DATE }]) {
         totalCount edges { node { date startTime kits status school { name } drive { name } } } } }`,
      { driveId },
    );
    expect(list.visits.totalCount).toBe(2);
    expect(list.visits.edges.map((e: any) => [e.node.startTime, e.node.status])).toEqual([
      ['08:00', 'PLANNED'],
      ['13:00', 'CONFIRMED'],
    ]);
  });

  it('lists drives', async () => {
    const drives = await api().data(`{ drives(first: 5) { totalCount edges { node { name electionDate visitCount } } } }`);
    expect(drives.drives).toMatchObject({ totalCount: 1, edges: [{ node: { name: 'Pilkada 2024', electionDate: '2024-11-27', visitCount: 2 } }] });
  });
});
