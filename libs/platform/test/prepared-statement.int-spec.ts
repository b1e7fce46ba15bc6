// PreparedStatement against real Postgres: the statement is prepared on the data source's own connections once
// (pg_prepared_statements shows it), answers its rows, runs in a transaction it is given, and a name cannot stand
// for two statements.
import 'reflect-metadata';
import { createTestDatabase, type TestDatabase } from '@policyvault/testing';
import { DataSource } from 'typeorm';
import { jsonTextsParameter, PreparedStatement } from '../src/index.js';

describe('PreparedStatement (real Postgres)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    // One connection: every statement below runs on it, so what it has prepared is visible to the next one.
    dataSource = await new DataSource({ type: 'postgres', url: database.url, extra: { max: 1 } }).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const squares = new PreparedStatement<{ value: number; square: number }>(
    'test_squares',
    `SELECT value, value * value AS square FROM unnest($1::int[]) WITH ORDINALITY AS input (value, ordinal) ORDER BY ordinal`,
  );

  it('answers the rows of the statement with the values given', async () => {
    expect(await squares.rows(dataSource, [[3, 1, 2]])).toEqual([
      { value: 3, square: 9 },
      { value: 1, square: 1 },
      { value: 2, square: 4 },
    ]);
    expect(await squares.rows(dataSource, [[]])).toEqual([]);
  });

  it("is prepared once on the pool's connection, by its name, and used again from there", async () => {
    await squares.rows(dataSource, [[5]]);
    const prepared = async () =>
      ((await dataSource.query(`SELECT name, statement FROM pg_prepared_statements WHERE name = 'test_squares'`)) as Array<{ name: string; statement: string }>);
    expect(await prepared()).toEqual([{ name: 'test_squares', statement: squares.text }]);
    await squares.rows(dataSource, [[6, 7]]);
    expect((await prepared()).length).toBe(1);
  });

  it("runs in a transaction's own connection when given its entity manager", async () => {
    await dataSource.query('CREATE TABLE prepared_rows (value int)');
    const insert = new PreparedStatement<{ value: number }>('test_insert_rows', 'INSERT INTO prepared_rows SELECT unnest($1::int[]) RETURNING value');
    await expect(
      dataSource.transaction(async (manager) => {
        expect(await insert.rows(manager, [[1, 2]])).toEqual([{ value: 1 }, { value: 2 }]);
        // Seen inside the transaction only.
        expect(await manager.query('SELECT count(*)::int AS count FROM prepared_rows')).toEqual([{ count: 2 }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await dataSource.query('SELECT count(*)::int AS count FROM prepared_rows')).toEqual([{ count: 0 }]);
    await insert.rows(dataSource.manager, [[3]]);
    expect(await dataSource.query('SELECT value FROM prepared_rows')).toEqual([{ value: 3 }]);
  });

  it('refuses a second statement under a name already given, and fails like any query on bad input', async () => {
    expect(() => new PreparedStatement('test_squares', 'SELECT 1')).toThrow('"test_squares" already names another statement');
    expect(new PreparedStatement('test_squares', squares.text).name).toBe('test_squares');
    await expect(squares.rows(dataSource, [['not a number']])).rejects.toMatchObject({ code: '22P02' });
  });

  it("passes JSON texts as the text[] node-postgres's own escaping gives, element for element (jsonTextsParameter)", async () => {
    const texts = [
      JSON.stringify({ quote: 'say "hi"', backslash: 'C:\\Windows\\System32', both: '\\"', controls: 'a\nb\tc\u0000d\u001f', lone: '\ud800 alone' }),
      JSON.stringify({ emoji: 'ok 👍', separators: 'line\u2028paragraph\u2029', del: '\u007f', braces: '{a,b}', comma: 'x, "y"', null: 'NULL' }),
      JSON.stringify('NULL'),
      JSON.stringify(''),
      JSON.stringify([1, null, true, { nested: ['{', '}', ','] }]),
      'null',
      null,
    ];
    const compare = new PreparedStatement<{ same: boolean; mine: string[] }>(
      'test_json_texts',
      'SELECT $1::text[] IS NOT DISTINCT FROM $2::text[] AS same, $1::text[] AS mine',
    );
    const [row] = await compare.rows(dataSource, [jsonTextsParameter(texts), texts]);
    expect(row.mine).toEqual(texts);
    expect(row.same).toBe(true);
    const [empty] = await compare.rows(dataSource, [jsonTextsParameter([]), []]);
    expect([empty.same, empty.mine]).toEqual([true, []]);
    // Postgres reads each back as the JSON it was (jsonb takes neither \u0000 nor a lone surrogate, whatever the path).
    const parsed = await dataSource.query('SELECT value::jsonb AS value FROM unnest($1::text[]) AS value', [jsonTextsParameter([texts[1], texts[4]])]);
    expect(parsed.map((entry: { value: unknown }) => entry.value)).toEqual([JSON.parse(texts[1] as string), JSON.parse(texts[4] as string)]);
  });
});
