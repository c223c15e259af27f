// The SQLite connection keeps its prepared statements (db/client.ts reuseStatements): a statement
// is parsed once per SQL text, and its result columns are read from SQLite once, while every run
// still answers with its own values.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/databases.ts';

describe('prepared statements reused [sqlite]', () => {
  let database: TestDatabase;
  const calls = { prepare: 0, columns: 0 };
  const restore: (() => void)[] = [];
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    // Counted on better-sqlite3 itself, under the connection's own statement cache.
    const probe = new Database(':memory:');
    const statementProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as { columns(): unknown[] };
    const databaseProto = Object.getPrototypeOf(probe) as { prepare(sql: string): unknown };
    probe.close();
    const { columns } = statementProto;
    const { prepare } = databaseProto;
    statementProto.columns = function (this: unknown) {
      calls.columns++;
      return columns.call(this);
    };
    databaseProto.prepare = function (this: unknown, sql: string) {
      calls.prepare++;
      return prepare.call(this, sql);
    };
    restore.push(() => void ((statementProto.columns = columns), (databaseProto.prepare = prepare)));
  });
  afterAll(async () => {
    restore.forEach((undo) => undo());
    await database?.drop();
  });

  it('prepares a read and reads its columns once, however often it runs with other values', async () => {
    const office = (regencyCode: string, name: string) => database.db.office.create({ data: { regencyCode, name, regencyName: name, provinceName: 'Jawa Timur', kits: 3 } });
    await office('98.01', 'Kantor Satu');
    await office('98.02', 'Kantor Dua');
    const read = (regencyCode: string) => database.db.office.findMany({ where: { regencyCode }, select: { name: true, kits: true } });
    await read('98.01'); // first run: prepared, columns read
    const before = { ...calls };
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await read(i % 2 ? '98.02' : '98.01'));
    expect(calls.prepare - before.prepare).toBe(0);
    expect(calls.columns - before.columns).toBe(0);
    expect(answers[0]).toEqual([{ name: 'Kantor Satu', kits: 3 }]);
    expect(answers[1]).toEqual([{ name: 'Kantor Dua', kits: 3 }]);
  });
});
