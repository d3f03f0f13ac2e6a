// The SQL workbench's safety: escape attempts against a warehouse opened read-write, as the
// server holds it (DuckDB's external access on, for the loader). Each is refused or bounded,
// no file appears or changes, nothing secret comes back and the warehouse is unchanged.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkbenchQuery, scrubPaths, errorPosition } from '../web/lib/server/workbench/run.ts';
import { WorkbenchError } from '../web/lib/server/workbench/guard.ts';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { querySql } from '../web/lib/server/commands/sql.ts';
import { fixtureWarehouse } from './api-fixture.ts';

let warehouse: Warehouse;
let dir: string;
let outside: string;
let secret: string;
let before: Record<string, number>;
let snapshot: Map<string, number>;
let warehouseDir: string[];

const SECRET = 'TOP-SECRET-4711';

/** Every file under a folder with its modification time, to see that nothing was written. */
function files(root: string): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.set(full, fs.statSync(full).mtimeMs);
    }
  };
  walk(root);
  return out;
}

beforeAll(async () => {
  ({ warehouse, dir } = await fixtureWarehouse());
  await warehouse.run('CHECKPOINT');
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-outside-'));
  secret = path.join(outside, 'secret.csv');
  fs.writeFileSync(secret, `token\n${SECRET}\n`);
  fs.writeFileSync(path.join(outside, 'secret.json'), JSON.stringify({ token: SECRET }));
  await warehouse.run(`COPY (SELECT '${SECRET}' AS token) TO '${path.join(outside, 'secret.parquet')}' (FORMAT parquet)`);
  before = await warehouse.rowCounts();
  snapshot = files(outside);
  warehouseDir = fs.readdirSync(dir);
});

afterAll(() => {
  warehouse.close();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

type Outcome = 'refused' | 'syntax' | 'timeout' | 'sql';

/** [what it tries, the SQL (OUT = a folder outside the warehouse, SECRET = a file in it), how it must end] */
const attempts: [string, string, Outcome][] = [
  ['COPY a table to a file', `COPY calls TO 'OUT/calls.csv'`, 'refused'],
  ['COPY a query to Parquet', `COPY (SELECT * FROM agents) TO 'OUT/agents.parquet' (FORMAT parquet)`, 'refused'],
  ['COPY FROM a file into a table', `COPY agents FROM 'SECRET'`, 'refused'],
  ['EXPORT DATABASE', `EXPORT DATABASE 'OUT/dump'`, 'refused'],
  ['IMPORT DATABASE', `IMPORT DATABASE 'OUT'`, 'refused'],
  ['ATTACH another database file', `ATTACH 'OUT/other.duckdb' AS other`, 'refused'],
  ['ATTACH in memory', `ATTACH ':memory:' AS scratch`, 'refused'],
  ['INSTALL an extension', `INSTALL httpfs`, 'refused'],
  ['LOAD an extension', `LOAD httpfs`, 'refused'],
  ['LOAD an extension from a path', `LOAD 'OUT/evil.duckdb_extension'`, 'refused'],
  ['SET external access back on', `SET enable_external_access = true`, 'refused'],
  ['SET a memory limit', `SET memory_limit = '100GB'`, 'refused'],
  ['SET GLOBAL threads', `SET GLOBAL threads = 1`, 'refused'],
  ['RESET a setting', `RESET TimeZone`, 'refused'],
  ['PRAGMA database_list (shows file paths)', `PRAGMA database_list`, 'refused'],
  ['PRAGMA writing a profile file', `PRAGMA profiling_output = 'OUT/profile.json'`, 'refused'],
  ['CALL a pragma function', `CALL pragma_database_list()`, 'refused'],
  ['pragma_database_list() in FROM', `SELECT * FROM pragma_database_list()`, 'refused'],
  ['duckdb_databases() shows paths', `SELECT path FROM duckdb_databases()`, 'refused'],
  ['the duckdb_databases view', `SELECT * FROM duckdb_databases`, 'refused'],
  ['duckdb_settings()', `SELECT * FROM duckdb_settings()`, 'refused'],
  ['pg_settings view', `SELECT * FROM pg_catalog.pg_settings`, 'refused'],
  ['current_setting of a path', `SELECT current_setting('temp_directory')`, 'refused'],
  ['getenv', `SELECT getenv('HOME')`, 'refused'],
  ['read_csv on a local path', `SELECT * FROM read_csv('SECRET')`, 'refused'],
  ['read_csv_auto', `SELECT * FROM read_csv_auto('SECRET')`, 'refused'],
  ['read_csv in upper case, schema-qualified', `SELECT * FROM main.READ_CSV('SECRET')`, 'refused'],
  ['read_csv in a subquery in WHERE', `SELECT count(*) FROM calls WHERE call_id IN (SELECT token FROM read_csv('SECRET'))`, 'refused'],
  ['a file name as a table (replacement scan)', `SELECT * FROM 'SECRET'`, 'refused'],
  ['a Parquet file as a table', `SELECT * FROM 'OUT/secret.parquet'`, 'refused'],
  ['read_text', `SELECT content FROM read_text('SECRET')`, 'refused'],
  ['read_blob', `SELECT content FROM read_blob('SECRET')`, 'refused'],
  ['glob on a local folder', `SELECT * FROM glob('OUT/*')`, 'refused'],
  ['read_json', `SELECT * FROM read_json('OUT/secret.json')`, 'refused'],
  ['read_parquet', `SELECT * FROM read_parquet('OUT/secret.parquet')`, 'refused'],
  ['parquet_metadata', `SELECT * FROM parquet_metadata('OUT/secret.parquet')`, 'refused'],
  ['sniff_csv', `SELECT * FROM sniff_csv('SECRET')`, 'refused'],
  ['query() runs SQL from a string', `SELECT * FROM query('SELECT * FROM read_csv(''SECRET'')')`, 'refused'],
  ['the histogram table macro (query_table inside) on a file', `SELECT * FROM histogram('SECRET', token)`, 'refused'],
  ['json_execute_serialized_sql', `SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT 1'))`, 'refused'],
  ['two statements', `SELECT 1; DROP TABLE calls`, 'refused'],
  ['a read then a COPY', `SELECT 1; COPY calls TO 'OUT/x.csv'`, 'refused'],
  ['a block comment hiding a second statement', `SELECT 1 /* harmless */; DELETE FROM calls`, 'refused'],
  ['a line comment then a second statement', `SELECT 1 -- just a comment\n; DELETE FROM calls`, 'refused'],
  ['a comment in front of a write', `/* SELECT */ DELETE FROM calls`, 'refused'],
  ['a CTE wrapping a DELETE', `WITH gone AS (DELETE FROM calls RETURNING *) SELECT count(*) FROM gone`, 'syntax'],
  ['a CTE in front of an INSERT', `WITH x AS (SELECT * FROM calls) INSERT INTO calls SELECT * FROM x`, 'refused'],
  ['CREATE TABLE AS', `CREATE TABLE stolen AS SELECT * FROM agents`, 'refused'],
  ['CREATE TEMP TABLE', `CREATE TEMP TABLE t AS SELECT 1`, 'refused'],
  ['CREATE MACRO', `CREATE MACRO leak() AS TABLE SELECT * FROM read_csv('SECRET')`, 'refused'],
  ['INSERT', `INSERT INTO teams VALUES ('T99', 'x', NULL)`, 'refused'],
  ['UPDATE', `UPDATE calls SET talk_s = 0`, 'refused'],
  ['DELETE', `DELETE FROM calls`, 'refused'],
  ['DROP TABLE', `DROP TABLE calls`, 'refused'],
  ['ALTER TABLE', `ALTER TABLE calls ADD COLUMN x INTEGER`, 'refused'],
  ['CHECKPOINT', `CHECKPOINT`, 'refused'],
  ['checkpoint() as a table function', `SELECT * FROM checkpoint()`, 'refused'],
  ['VACUUM', `VACUUM`, 'refused'],
  ['BEGIN a transaction', `BEGIN TRANSACTION`, 'refused'],
  ['USE another database', `USE memory`, 'refused'],
  ['EXPLAIN ANALYZE of a COPY', `EXPLAIN ANALYZE COPY calls TO 'OUT/x.csv'`, 'refused'],
  ['EXPLAIN of a DELETE', `EXPLAIN DELETE FROM calls`, 'refused'],
  ['EXPLAIN of two statements', `EXPLAIN SELECT 1; DELETE FROM calls`, 'refused'],
  ['DESCRIBE of read_csv', `DESCRIBE SELECT * FROM read_csv('SECRET')`, 'refused'],
  ['SUMMARIZE of a file', `SUMMARIZE 'SECRET'`, 'refused'],
  ['PIVOT over read_csv', `PIVOT (SELECT * FROM read_csv('SECRET')) ON token IN ('a') USING count(*)`, 'refused'],
  ['a table of another catalog', `SELECT * FROM other.main.calls`, 'refused'],
  ['SHOW DATABASES', `SHOW DATABASES`, 'refused'],
  ['a CTE named like a file, read out of its scope', `SELECT * FROM (WITH "x.csv" AS (SELECT 1) SELECT 1), 'SECRET'`, 'refused'],
  ['write_log', `SELECT write_log('x')`, 'refused'],
  ['nextval advances a sequence', `SELECT nextval('ingest_seq')`, 'refused'],
  ['a prepared statement', `PREPARE p AS SELECT 1`, 'refused'],
  ['a runaway cross join', `SELECT count(*) FROM range(100000000) a, range(100000000) b WHERE a.range + b.range = -1`, 'timeout']
];

describe('escape attempts (each refused or bounded, no file touched)', () => {
  it(`covers at least 40 attempts (${attempts.length})`, () => {
    expect(attempts.length).toBeGreaterThanOrEqual(40);
  });

  it.each(attempts)('%s', async (_what, template, outcome) => {
    const sql = template.replaceAll('SECRET', secret).replaceAll('OUT', outside);
    const err = await runWorkbenchQuery(warehouse, sql, { limits: { timeoutMs: 1500 } }).then(
      (r) => new Error(`ran and returned ${r.rows.length} rows: ${JSON.stringify(r.rows).slice(0, 200)}`),
      (e) => e
    );
    expect(err).toBeInstanceOf(WorkbenchError);
    expect((err as WorkbenchError).code, (err as Error).message).toBe(outcome);
    expect((err as Error).message).not.toContain(SECRET);
    expect(files(outside)).toEqual(snapshot);
    expect(fs.readdirSync(dir)).toEqual(warehouseDir);
  });

  it('leaves the warehouse as it was', async () => {
    expect(await warehouse.rowCounts()).toEqual(before);
    expect(await warehouse.all(`SELECT table_name FROM duckdb_tables() WHERE table_name IN ('stolen', 't')`)).toEqual([]);
    expect(await warehouse.all(`SELECT database_name FROM duckdb_databases() WHERE database_name IN ('other', 'scratch')`)).toEqual([]);
  });
});

describe('bounds', () => {
  it('cuts a huge result at the row limit and says so', async () => {
    const r = await runWorkbenchQuery(warehouse, 'SELECT range AS n FROM range(10000000)', { limits: { maxRows: 1000 } });
    expect(r.rows).toHaveLength(1000);
    expect(r.truncated).toBe(true);
    expect(r.rows[999]).toEqual([999n]);
  });

  it('stops a result whose values are too large', async () => {
    const err = await runWorkbenchQuery(warehouse, `SELECT repeat('x', 1000000) AS s FROM range(50)`, { limits: { maxBytes: 10_000_000 } }).catch((e) => e);
    expect(err).toBeInstanceOf(WorkbenchError);
    expect(err.code).toBe('too_large');
  });

  it('a stopped query leaves the connection usable for the next one', async () => {
    await expect(runWorkbenchQuery(warehouse, 'SELECT count(*) FROM range(100000000) a, range(100000000) b', { limits: { timeoutMs: 300 } })).rejects.toMatchObject({ code: 'timeout' });
    const r = await runWorkbenchQuery(warehouse, 'SELECT count(*) AS n FROM calls');
    expect(r.rows).toEqual([[8n]]);
  });
});

describe('what analysts do still works', () => {
  it.each([
    ['SELECT with a CTE and a window', `WITH q AS (SELECT queue_id, count(*) AS n FROM calls GROUP BY ALL) SELECT queue_id, n, sum(n) OVER () AS total FROM q ORDER BY n DESC NULLS LAST`],
    ['FROM-first', 'FROM calls SELECT count(*)'],
    ['DESCRIBE a table', 'DESCRIBE calls'],
    ['SUMMARIZE a table', 'SUMMARIZE queues'],
    ['EXPLAIN', 'EXPLAIN SELECT * FROM calls WHERE wait_s > 20'],
    ['EXPLAIN ANALYZE after a comment', '-- how fast?\nEXPLAIN ANALYZE SELECT count(*) FROM calls'],
    ['PIVOT with its values', `PIVOT calls ON disposition IN ('answered', 'abandoned') USING count(*) GROUP BY queue_id`],
    ['SHOW TABLES', 'SHOW TABLES'],
    ['the catalog with comments', `SELECT table_name, column_name, comment FROM duckdb_columns() WHERE table_name = 'calls'`],
    ['information_schema', `SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'`],
    ['a trailing semicolon', 'SELECT 1 AS one;'],
    ['the histogram aggregate', 'SELECT histogram(disposition) AS h FROM calls']
  ])('%s', async (_what, sql) => {
    const r = await runWorkbenchQuery(warehouse, sql);
    expect(r.rows.length).toBeGreaterThan(0);
  });
});

describe('errors', () => {
  it('point at the problem in the query', async () => {
    const sql = 'SELECT call_id,\n  talk_secs\nFROM calls';
    const err = await runWorkbenchQuery(warehouse, sql).catch((e) => e);
    expect(err.code).toBe('sql');
    expect(err.message).toMatch(/^Binder Error: Referenced column "talk_secs" not found/);
    expect(sql.slice(err.position, err.position + 9)).toBe('talk_secs');
    const syntax = await runWorkbenchQuery(warehouse, 'SELECT * FORM calls').catch((e) => e);
    expect(syntax.code).toBe('syntax');
    expect('SELECT * FORM calls'.slice(syntax.position)).toMatch(/^calls/);
  });

  it('point past EXPLAIN and leading comments', async () => {
    const sql = '/* check */ EXPLAIN SELECT nope FROM calls';
    const err = await runWorkbenchQuery(warehouse, sql).catch((e) => e);
    expect(sql.slice(err.position, err.position + 4)).toBe('nope');
  });

  it('never show a path of the machine', () => {
    expect(scrubPaths('IO Error: No files found that match the pattern "/srv/zhijian/data/x.csv"')).toBe('IO Error: No files found that match the pattern "<path>"');
    expect(scrubPaths('Catalog Error: Table with name nope does not exist!')).toBe('Catalog Error: Table with name nope does not exist!');
    expect(errorPosition('Binder Error: x\n\nLINE 2:   talk_secs\n          ^', 'SELECT\n  talk_secs')).toBe(9);
  });
});

describe('zhijian sql uses the same rules', () => {
  let copy: string;
  beforeAll(() => {
    copy = path.join(dir, 'cli.duckdb');
    fs.copyFileSync(warehouse.path, copy);
  });
  afterAll(() => fs.rmSync(copy, { force: true }));

  it('refuses writes, files and second statements', async () => {
    await expect(querySql(copy, `COPY calls TO '${outside}/cli.csv'`)).rejects.toThrow(/read-only/);
    await expect(querySql(copy, `SELECT * FROM read_csv('${secret}')`)).rejects.toThrow(/read_csv\(\) is not available/);
    await expect(querySql(copy, 'SELECT 1; SELECT 2')).rejects.toThrow(/one statement per run/);
    expect(files(outside)).toEqual(snapshot);
  });

  it('opens its own instance with DuckDB external access off, under the guard', async () => {
    const own = await Warehouse.open(copy, { readOnly: true, externalAccess: false });
    try {
      // Below the guard, DuckDB itself refuses to open any file.
      await expect(own.all(`SELECT * FROM read_csv('${secret}')`)).rejects.toThrow(/file system operations are disabled/);
      await expect(own.run(`SET enable_external_access = true`)).rejects.toThrow(/Cannot enable external access/);
    } finally {
      own.close();
    }
  });

  it('--unsafe lets an administrator write', async () => {
    await querySql(copy, `INSERT INTO teams VALUES ('T99', '九组', NULL)`, { unsafe: true });
    const r = await querySql(copy, `SELECT name FROM teams WHERE team_id = 'T99'`);
    expect(r.rows).toEqual([['九组']]);
  });
});
