// The workbench's HTTP API: POST /api/sql as JSON and Arrow, its error shape, limits, cancel,
// exports, saved queries, the schema and examples, the OpenAPI document, and the CLI handoff
// endpoint applying the same rules unless --unsafe.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import { createApi } from '../web/lib/server/api/index.ts';
import { addAccount, signedIn, type SignedIn } from './auth-fixture.ts';
import { TOKEN_HEADER, newToken } from '../web/lib/server/handoff.ts';
import type { Warehouse } from '../web/lib/server/warehouse.ts';
import { fixtureWarehouse } from './api-fixture.ts';

let warehouse: Warehouse;
let dir: string;
/** The API as a signed-in analyst (what each role may call is test/access.test.ts's subject). */
let api: SignedIn;
const token = newToken();
const ARROW = 'application/vnd.apache.arrow.stream';

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  api.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

beforeAll(async () => {
  ({ warehouse, dir } = await fixtureWarehouse());
  await addAccount(warehouse, 'analyst');
  api = await signedIn(createApi({ warehouse, version: 'test', internalToken: token }), 'test-analyst');
});
afterAll(() => {
  warehouse.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('POST /api/sql', () => {
  it('answers JSON with columns, rows in the center’s zone, the row count and Server-Timing', async () => {
    const res = await post('/api/sql', { sql: "SELECT call_id, enqueued_at, wait_s FROM calls WHERE queue_id = 'complaint' ORDER BY call_id" });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.columns).toEqual([
      { name: 'call_id', type: 'VARCHAR' },
      { name: 'enqueued_at', type: 'TIMESTAMP WITH TIME ZONE' },
      { name: 'wait_s', type: 'DOUBLE' }
    ]);
    expect(body.rows).toEqual([
      ['c4', '2026-07-02 09:00:00+08:00', 20],
      ['c5', '2026-07-02 23:30:00+08:00', 5]
    ]);
    expect(body).toMatchObject({ rowCount: 2, truncated: false, timeZone: 'Asia/Shanghai' });
    const timing = res.headers.get('server-timing') ?? '';
    expect(timing).toMatch(/check;dur=[\d.]+/);
    expect(timing).toMatch(/run;dur=[\d.]+/);
    expect(timing).toMatch(/encode;dur=[\d.]+/);
  });

  it('answers an Arrow IPC stream when asked, with DuckDB’s types in a header', async () => {
    const res = await post('/api/sql', { sql: 'SELECT call_id, talk_s, enqueued_at FROM calls ORDER BY call_id' }, { accept: ARROW });
    expect(res.headers.get('content-type')).toBe(ARROW);
    const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    expect(table.numRows).toBe(8);
    expect(table.getChild('call_id')!.get(0)).toBe('c1');
    expect(table.getChild('talk_s')!.get(0)).toBe(100);
    expect(Number(table.getChild('enqueued_at')!.get(0))).toBe(Date.parse('2026-07-01T01:00:00Z'));
    expect(JSON.parse(decodeURIComponent(res.headers.get('x-zhijian-columns')!))[2]).toEqual({ name: 'enqueued_at', type: 'TIMESTAMP WITH TIME ZONE' });
    expect(res.headers.get('x-zhijian-row-count')).toBe('8');
  });

  it('keeps every type in Arrow: nulls, Chinese text, decimals, booleans, dates, lists as JSON', async () => {
    const sql = `SELECT name, NULL::INTEGER AS nothing, 1.25::DECIMAL(9,2) AS dec, true AS yes, DATE '2026-07-01' AS day, [1, 2]::BIGINT[] AS list
                 FROM agents WHERE agent_id = '1001'`;
    const res = await post('/api/sql', { sql }, { accept: ARROW });
    const row = tableFromIPC(new Uint8Array(await res.arrayBuffer())).get(0)!.toJSON();
    expect({ ...row, day: Number(row.day) }).toEqual({ name: '张伟', nothing: null, dec: 1.25, yes: true, day: Date.parse('2026-07-01T00:00:00Z'), list: '[1,2]' });
  });

  it('cuts the result at maxRows and says so', async () => {
    const res = await post('/api/sql', { sql: 'SELECT * FROM range(500)', maxRows: 100 });
    const body = await res.json();
    expect(body.rowCount).toBe(100);
    expect(body.truncated).toBe(true);
    expect(res.headers.get('x-zhijian-truncated')).toBe('true');
  });

  it('answers errors with a stable shape: refused, SQL error with its position, timeout, bad input', async () => {
    const refused = await post('/api/sql', { sql: "COPY calls TO '/tmp/x.csv'" });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: { code: 'sql_refused', message: expect.stringMatching(/read-only.*COPY/) } });

    const sql = 'SELECT call_id, wait_secs FROM calls';
    const bad = await post('/api/sql', { sql });
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body.error.code).toBe('sql_error');
    expect(sql.slice(body.error.position)).toMatch(/^wait_secs/);

    const slow = await post('/api/sql', { sql: 'SELECT count(*) FROM range(100000000) a, range(100000000) b', timeoutMs: 300 });
    expect(slow.status).toBe(408);
    expect((await slow.json()).error.code).toBe('sql_timeout');

    for (const input of [{}, { sql: '' }, { sql: 'SELECT 1', maxRows: 1_000_000 }, { sql: 'SELECT 1', unsafe: true }]) {
      const res = await post('/api/sql', input);
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe('bad_request');
    }
  });

  it('never shows the warehouse’s path in an error', async () => {
    for (const sql of ["SELECT * FROM duckdb_databases()", "SELECT * FROM 'data/zhijian.duckdb'", 'SELECT nope FROM calls']) {
      const text = await (await post('/api/sql', { sql })).text();
      expect(text).not.toContain(dir);
    }
  });

  it('stops a run when it is cancelled by its id', async () => {
    const id = 'cancel-me-0001';
    const pending = post('/api/sql', { sql: 'SELECT count(*) FROM range(100000000) a, range(100000000) b', id });
    let cancelled = false;
    while (!cancelled) {
      cancelled = (await (await post('/api/sql/cancel', { id })).json()).cancelled;
      if (!cancelled) await new Promise((r) => setTimeout(r, 20));
    }
    const res = await pending;
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('sql_cancelled');
  });
});

describe('exports', () => {
  const sql = "SELECT call_id, a.name AS agent, talk_s FROM calls JOIN agents a USING (agent_id) WHERE call_id IN ('c1', 'c2') ORDER BY call_id";

  it('CSV with a BOM for Excel', async () => {
    const res = await post('/api/sql/export', { sql, format: 'csv', name: '通话' });
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('通话')}.csv`);
    // (Response.text() would drop the BOM: decode by hand to see it.)
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer())).toBe('\ufeffcall_id,agent,talk_s\r\nc1,张伟,100\r\nc2,李娜,200\r\n');
  });

  it('Arrow IPC file', async () => {
    const res = await post('/api/sql/export', { sql, format: 'arrow' });
    const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    expect(table.toArray().map((r) => r.toJSON())).toEqual([
      { call_id: 'c1', agent: '张伟', talk_s: 100 },
      { call_id: 'c2', agent: '李娜', talk_s: 200 }
    ]);
  });

  it('Parquet written by DuckDB, readable by DuckDB', async () => {
    const res = await post('/api/sql/export', { sql: sql + ';', format: 'parquet' });
    expect(res.status).toBe(200);
    const file = path.join(dir, 'export.parquet');
    fs.writeFileSync(file, new Uint8Array(await res.arrayBuffer()));
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    const rows = (await conn.runAndReadAll(`SELECT * FROM read_parquet('${file}')`)).getRowObjectsJS();
    conn.closeSync();
    instance.closeSync();
    expect(rows).toEqual([
      { call_id: 'c1', agent: '张伟', talk_s: 100 },
      { call_id: 'c2', agent: '李娜', talk_s: 200 }
    ]);
  });

  it('are refused like any workbench query', async () => {
    const res = await post('/api/sql/export', { sql: `SELECT * FROM read_csv('/etc/passwd')`, format: 'parquet' });
    expect(res.status).toBe(403);
  });
});

describe('saved queries', () => {
  it('are saved with a name and description, found by their id, listed and deleted', async () => {
    const created = await post('/api/sql/saved', { name: '投诉帕累托', description: 'complaints by cause', sql: 'SELECT 1' });
    expect(created.status).toBe(201);
    const saved = await created.json();
    expect(saved).toMatchObject({ name: '投诉帕累托', description: 'complaints by cause', sql: 'SELECT 1' });
    expect(saved.id).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(await (await api.request(`/api/sql/saved/${saved.id}`)).json()).toEqual(saved);
    expect((await (await api.request('/api/sql/saved')).json()).queries.map((q: { id: string }) => q.id)).toContain(saved.id);
    expect((await api.request(`/api/sql/saved/${saved.id}`, { method: 'DELETE' })).status).toBe(200);
    const gone = await api.request(`/api/sql/saved/${saved.id}`);
    expect(gone.status).toBe(404);
    expect((await gone.json()).error.code).toBe('not_found');
  });

  it('need a name', async () => {
    const res = await post('/api/sql/saved', { name: ' ', sql: 'SELECT 1' });
    expect(res.status).toBe(400);
  });
});

describe('schema, examples and the OpenAPI document', () => {
  it('lists every table with its comment and each column with its type and comment', async () => {
    const { tables } = await (await api.request('/api/sql/schema')).json();
    const calls = tables.find((t: { name: string }) => t.name === 'calls');
    expect(calls.comment).toMatch(/\S/);
    const waitS = calls.columns.find((c: { name: string }) => c.name === 'wait_s');
    expect(waitS.type).toBe('DOUBLE');
    expect(waitS.comment).toMatch(/\S/);
    expect(tables.map((t: { name: string }) => t.name)).toContain('workbench_queries');
  });

  it('offers the three example queries, and each runs', async () => {
    const { examples } = await (await api.request('/api/sql/examples')).json();
    expect(examples.map((e: { title: { en: string } }) => e.title.en)).toEqual(['Service level by hour (answered within 20 s)', 'QA score by item', 'Complaint Pareto']);
    for (const e of examples) {
      const res = await post('/api/sql', { sql: e.sql });
      expect(res.status, e.name).toBe(200);
    }
    const hours = await (await post('/api/sql', { sql: examples[0].sql })).json();
    // The fixture's inbound calls: 09:00 ×2 (answered ≤ 20 s), 10:00, 11:00 (abandoned after 45 s), 14:00, 23:30, 00:30.
    expect(hours.rows.find((r: unknown[]) => r[0] === 9)).toEqual([9, 2, 2, 100]);
    expect(hours.rows.find((r: unknown[]) => r[0] === 11)).toEqual([11, 1, 0, 0]);
  });

  it('serves an OpenAPI 3.1 description whose request schemas are the validators’', async () => {
    const doc = await (await api.request('/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/sql', '/api/sql/cancel', '/api/sql/export', '/api/sql/saved', '/api/metrics/{name}']));
    expect(doc.components.schemas.SqlRequest.required).toEqual(['sql']);
    expect(doc.components.schemas.SqlRequest.additionalProperties).toBe(false);
    expect(doc.paths['/api/sql'].post.responses['200'].content).toHaveProperty([ARROW]);
  });
});

describe('POST /api/internal/sql (the CLI handoff)', () => {
  const internal = (body: unknown) => post('/api/internal/sql', body, { [TOKEN_HEADER]: token });

  it('applies the workbench rules', async () => {
    const res = await internal({ sql: "SELECT * FROM read_text('/etc/hostname')" });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/read_text\(\) is not available/);
    expect((await internal({ sql: 'DELETE FROM calls' })).status).toBe(400);
    expect((await (await internal({ sql: 'SELECT count(*) AS n FROM calls' })).json()).rows).toEqual([[8]]);
  });

  it('skips them for --unsafe (the token holder is the server’s owner)', async () => {
    const res = await internal({ sql: "INSERT INTO teams VALUES ('T77', '七组', NULL)", unsafe: true });
    expect(res.status).toBe(200);
    expect((await (await internal({ sql: "SELECT name FROM teams WHERE team_id = 'T77'" })).json()).rows).toEqual([['七组']]);
  });
});
