// The edit engine's set-based batch writes, on both databases: a row changed between the read
// and the write is a CONFLICT (never overwritten), the same row twice in one batch is written
// once, and what the bulk statements store reads back exactly like Prisma's own writes.
import { composeNik } from '@jemput/core';
import { beforeAll, expect, it } from 'vitest';
import { loadRegions } from '../regions/load-regions.ts';
import { describeOnEachDatabase, TEST_TODAY, type TestApi } from '../test/databases.ts';
import type { Context } from '../schema/builder.ts';
import type { Db } from '../db/client.ts';
import { studentSpec } from '../students/schema.ts';
import { prepare, uniqueViolation, writeChunk, type RowInput } from './editing.ts';
import { sortableId, updateVersioned } from './bulk.ts';

const UPSERT = /* GraphQL */ `
  mutation ($rows: [StudentRowInput!]!) {
    upsertStudents(rows: $rows) { created rows { status row { id version name updatedAt } } }
  }`;

function student(schoolId: string, i: number) {
  const sex = i % 2 ? 'P' : 'L';
  const birthDate = `2007-0${(i % 9) + 1}-1${i % 10}`;
  return { name: `Siswa Mesin ${i}`, sex, birthDate, nik: composeNik({ districtCode: '35.73.01', birthDate, sex, serial: i + 1 }), nisn: String(81_000_000 + i).padStart(10, '0'), className: 'X 1', schoolId };
}

describeOnEachDatabase('edit engine batch writes', (api: () => TestApi) => {
  let schoolId: string;
  let ctx: Context;

  beforeAll(async () => {
    await loadRegions(api().db, '35.73');
    const school = await api().db.school.create({
      data: { officeId: api().officeId, npsn: '20539001', name: 'SMA Mesin', nameSearch: 'sma mesin', level: 'SMA', status: 'NEGERI', districtCode: '35.73.01' },
    });
    schoolId = school.id;
    const user = api().user!;
    ctx = {
      db: api().db,
      provider: api().provider,
      locale: 'id',
      today: TEST_TODAY,
      officeId: api().officeId,
      userId: user.id,
      user: { id: user.id, username: user.username, displayName: 'Uji', role: 'ADMIN', officeId: api().officeId, districtCodes: [], team: null, mustChangePassword: false, sessionId: 'test' },
      ip: '10.0.0.9',
    } as unknown as Context;
  });

  it('writes a row still at the version read, refuses one changed in between with its current values, and writes a row given twice once', async () => {
    const created = (await api().data(UPSERT, { rows: [0, 1, 2].map((i) => student(schoolId, i)) })).upsertStudents.rows.map((r: { row: { id: string; version: number } }) => r.row);
    const [a, b, c] = created as { id: string; version: number }[];
    const inputs: RowInput[] = [
      { id: a!.id, version: a!.version, name: 'Nama Baru A', className: 'XI 2' },
      { id: b!.id, version: b!.version, name: 'Nama Baru B' },
      { id: a!.id, version: a!.version, name: 'Nama Kedua A' },
      { id: c!.id, version: c!.version, className: 'XI 3' },
    ];
    const candidates = await prepare(studentSpec, inputs, ctx);
    // Someone else saves B after this batch read it and before it writes.
    await api().db.student.update({ where: { id: b!.id }, data: { name: 'Nama Mereka', version: { increment: 1 } } });
    const auditBefore = await api().db.auditEvent.count({ where: { entity: 'Student', action: 'UPDATE' } });
    const results = await api().db.$transaction((tx) => writeChunk(studentSpec, tx as Db, ctx, candidates));
    const byIndex = new Map(results.map((r) => [r.index, r]));

    expect(byIndex.get(0)).toMatchObject({ status: 'UPDATED', row: { id: a!.id, version: a!.version + 1, name: 'Nama Baru A', className: 'XI 2' } });
    expect(byIndex.get(1)).toMatchObject({ status: 'CONFLICT', row: { id: b!.id, version: b!.version + 1, name: 'Nama Mereka' } });
    expect(byIndex.get(1)!.problems[0]).toMatchObject({ code: 'VERSION_CONFLICT' });
    expect(byIndex.get(2)).toMatchObject({ status: 'CONFLICT', row: { id: a!.id, version: a!.version + 1, name: 'Nama Baru A' } });
    expect(byIndex.get(3)).toMatchObject({ status: 'UPDATED', row: { version: c!.version + 1, className: 'XI 3' } });

    const stored = await api().db.student.findMany({ where: { id: { in: [a!.id, b!.id, c!.id] } }, orderBy: { name: 'asc' } });
    const storedA = stored.find((s) => s.id === a!.id)!;
    expect(storedA).toMatchObject({ name: 'Nama Baru A', nameSearch: 'nama baru a', className: 'XI 2', version: a!.version + 1 });
    // The row returned without a re-read is the stored row, to the millisecond.
    expect(storedA.updatedAt.getTime()).toBe((byIndex.get(0)!.row!.updatedAt as Date).getTime());
    expect(stored.find((s) => s.id === b!.id)).toMatchObject({ name: 'Nama Mereka', version: b!.version + 1 });

    // One audit event per changed field of the written rows, none for the refused ones.
    const events = await api().db.auditEvent.findMany({ where: { entity: 'Student', action: 'UPDATE', entityId: { in: [a!.id, b!.id, c!.id] } }, orderBy: [{ entityId: 'asc' }, { field: 'asc' }] });
    expect(await api().db.auditEvent.count({ where: { entity: 'Student', action: 'UPDATE' } })).toBe(auditBefore + 3);
    expect(events.map((e) => [e.entityId === a!.id ? 'a' : e.entityId === c!.id ? 'c' : 'b', e.field, e.oldValue, e.newValue]).sort()).toEqual(
      [
        ['a', 'className', 'X 1', 'XI 2'],
        ['a', 'name', 'Siswa Mesin 0', 'Nama Baru A'],
        ['c', 'className', 'X 1', 'XI 3'],
      ].sort(),
    );
    expect(events.every((e) => e.userId === ctx.userId && e.ip === '10.0.0.9' && e.officeId === api().officeId)).toBe(true);
  });

  it('stores timestamps as Prisma does, so date filters and (at, id) ordering keep working', async () => {
    const start = new Date(Date.now() - 1);
    const created = (await api().data(UPSERT, { rows: [student(schoolId, 10)] })).upsertStudents.rows[0].row;
    await api().data(UPSERT, { rows: [{ id: created.id, version: created.version, name: 'Nama Satu' }] });
    await api().data(UPSERT, { rows: [{ id: created.id, version: created.version + 1, name: 'Nama Dua' }] });
    const since = await api().db.auditEvent.findMany({ where: { entityId: created.id, at: { gte: start } }, orderBy: [{ at: 'desc' }, { id: 'desc' }] });
    expect(since.map((e) => e.action)).toEqual(['UPDATE', 'UPDATE', 'CREATE']);
    expect(since[0]!.newValue).toBe('Nama Dua');
    const row = await api().db.student.findFirstOrThrow({ where: { id: created.id, updatedAt: { gte: start } } });
    expect(row.version).toBe(created.version + 2);
  });

  it('reads a unique value taken by another row from a set-based write as that field (DUPLICATE, not a crash)', async () => {
    const rows = (await api().data(UPSERT, { rows: [student(schoolId, 20), student(schoolId, 21)] })).upsertStudents.rows.map((r: { row: { id: string; version: number } }) => r.row);
    const taken = (await api().db.student.findUniqueOrThrow({ where: { id: rows[1].id } })).nisn;
    const error = await api()
      .db.$transaction((tx) => updateVersioned(tx as Db, api().provider, 'Student', ['nisn'], [{ id: rows[0].id, version: rows[0].version, values: [taken] }]))
      .then(() => null, (e: unknown) => e);
    expect(error).not.toBeNull();
    expect(uniqueViolation(error)).toBe('nisn');
    // Nothing of the refused statement stays.
    expect((await api().db.student.findUniqueOrThrow({ where: { id: rows[0].id } })).version).toBe(rows[0].version);
  });

  it('makes ids shaped and ordered like cuid', () => {
    const ids = Array.from({ length: 50 }, () => sortableId());
    expect(ids.every((id) => /^c[0-9a-z]{24}$/.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(50);
  });
});
