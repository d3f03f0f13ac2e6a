// `zhijian sql` without a server: the warehouse opened read-only, results as table, CSV, JSON.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { querySql } from '../web/lib/server/commands/sql.ts';
import { formatResult } from '../web/lib/server/sql-format.ts';
import { fixtureWarehouse } from './api-fixture.ts';

let dir: string;
let dbPath: string;

beforeAll(async () => {
  const { warehouse, dir: d } = await fixtureWarehouse();
  dir = d;
  dbPath = warehouse.path;
  warehouse.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('zhijian sql', () => {
  it('prints an aligned table even with Chinese text (two columns per character)', async () => {
    const result = await querySql(dbPath, 'SELECT queue_id, name, (SELECT count(*) FROM calls c WHERE c.queue_id = q.queue_id) AS calls FROM queues q ORDER BY queue_id');
    const lines = formatResult(result, 'table').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^queue_id\s+│ name\s+│ calls$/);
    const body = lines.slice(2, 4);
    expect(body[0]).toMatch(/^complaint │ 投诉建议 │\s+2$/);
    expect(body[1]).toMatch(/^consult\s+│ 业务咨询 │\s+5$/);
    // Every row has the same display width as the header rule.
    expect(new Set([lines[1], ...body].map((l) => stringWidth(l))).size).toBe(1);
    expect(lines.at(-1)).toBe('(2 rows)');
  });

  it('writes CSV with quoting and JSON objects; dates stay dates, local timestamps carry their offset', async () => {
    const result = await querySql(dbPath, `SELECT 'a,"b' AS text, DATE '2026-07-01' AS day, enqueued_at FROM calls WHERE call_id = 'c1'`);
    expect(formatResult(result, 'csv')).toBe('text,day,enqueued_at\n"a,""b",2026-07-01,2026-07-01 09:00:00+08:00\n');
    expect(JSON.parse(formatResult(result, 'json'))).toEqual([{ text: 'a,"b', day: '2026-07-01', enqueued_at: '2026-07-01 09:00:00+08:00' }]);
  });

  it('cannot change the warehouse: it is opened read-only', async () => {
    await expect(querySql(dbPath, 'DELETE FROM calls')).rejects.toThrow(/read-only/i);
    expect((await querySql(dbPath, 'SELECT count(*) AS n FROM calls')).rows).toEqual([[8]]);
  });

  it('reports a bad query or a missing warehouse in one line', async () => {
    await expect(querySql(dbPath, 'SELEC 1')).rejects.toThrow(/^Parser Error: syntax error at or near "SELEC"$/);
    await expect(querySql(`${dir}/missing.duckdb`, 'SELECT 1')).rejects.toThrow(/no warehouse at .*missing\.duckdb/);
  });
});
