// The CLI → server handoff: <db>.server.json, the token, SQL and ingest through the server.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../web/lib/server/api/index.ts';
import { findServer, newToken, remoteIngest, remoteSql, serverFile, writeServerFile, removeServerFile, TOKEN_HEADER, type RunningServer } from '../web/lib/server/handoff.ts';
import { ingestFiles } from '../ingest/load/index.ts';
import type { Warehouse } from '../web/lib/server/warehouse.ts';
import { fixtureWarehouse } from './api-fixture.ts';
import { addAccount, signedIn } from './auth-fixture.ts';

let warehouse: Warehouse;
let dir: string;
let api: Api;
let httpServer: http.Server;
let port: number;
const token = newToken();

/** Serves the Hono app over real HTTP, as `zhijian serve` does, without needing the web build. */
function serveApi(app: Api): http.Server {
  return http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const response = await app.fetch(
      new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: chunks.length ? Buffer.concat(chunks) : undefined
      })
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body) for await (const c of response.body as unknown as AsyncIterable<Uint8Array>) res.write(c);
    res.end();
  });
}

beforeAll(async () => {
  ({ warehouse, dir } = await fixtureWarehouse());
  api = createApi({ warehouse, version: 'test', internalToken: token, ingest: ingestFiles });
  httpServer = serveApi(api);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  port = (httpServer.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => httpServer.close(resolve));
  warehouse.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the server file', () => {
  it('is found while the server answers, and readable by its owner only', async () => {
    const file = writeServerFile(warehouse.path, { pid: process.pid, port, host: '127.0.0.1', token });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await findServer(warehouse.path)).toEqual({ url: `http://127.0.0.1:${port}`, token });
    removeServerFile(warehouse.path);
    expect(fs.existsSync(file)).toBe(false);
    expect(await findServer(warehouse.path)).toBeNull();
  });

  it('left behind by a dead process is removed', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const pid = Number(dead.stdout.trim());
    writeServerFile(warehouse.path, { pid, port, host: '127.0.0.1', token });
    expect(await findServer(warehouse.path)).toBeNull();
    expect(fs.existsSync(serverFile(warehouse.path))).toBe(false);
  });
});

describe('POST /api/internal/*', () => {
  it('refuses callers without the token', async () => {
    for (const headers of [{}, { [TOKEN_HEADER]: 'wrong' }] as Record<string, string>[]) {
      const res = await api.request('/api/internal/sql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ sql: 'SELECT 1' }) });
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('unauthorized');
    }
  });

  it('do not exist on a server started without a token', async () => {
    const closed = createApi({ warehouse });
    const res = await closed.request('/api/internal/sql', { method: 'POST', headers: { [TOKEN_HEADER]: token }, body: '{}' });
    expect(res.status).toBe(404);
  });

  it('runs SQL for the CLI, timestamps in the center’s zone, and reports SQL errors in one line', async () => {
    const server: RunningServer = { url: `http://127.0.0.1:${port}`, token };
    const result = await remoteSql(server, "SELECT call_id, enqueued_at, survey_score FROM calls WHERE call_id = 'c6'");
    expect(result.columns.map((c) => c.name)).toEqual(['call_id', 'enqueued_at', 'survey_score']);
    expect(result.rows).toEqual([['c6', '2026-07-03 00:30:00+08:00', null]]);
    await expect(remoteSql(server, 'SELECT * FROM no_such_table')).rejects.toThrow(/no_such_table/);
  });

  it('ingests files through the server with progress and a summary', async () => {
    const csv = path.join(dir, 'calls-2026-08.csv');
    fs.writeFileSync(
      csv,
      'call_id,direction,disposition,queue_id,agent_id,caller_number,enqueued_at,answered_at,ended_at,wait_s,talk_s,hold_s,wrap_s,transferred_to,recording,survey_score,resolved\n' +
        'n1,inbound,answered,consult,1001,13800000000,2026-08-01 09:00:00,2026-08-01 09:00:12,2026-08-01 09:03:00,12,150,0,20,,,5,true\n' +
        'n2,inbound,abandoned,consult,,13900000000,2026-08-01 09:05:00,,2026-08-01 09:05:40,40,0,0,0,,,,\n'
    );
    const server: RunningServer = { url: `http://127.0.0.1:${port}`, token };
    const progress: unknown[] = [];
    const summary = await remoteIngest(server, [csv], {}, (p) => progress.push(p));
    expect(summary.failed).toBe(0);
    expect(summary.files).toHaveLength(1);
    expect(summary.files[0]).toMatchObject({ rowsLoaded: 2, rowsRejected: 0 });
    // The loader reports each file's end at least; the events cross the wire as they were sent.
    expect(progress).toContainEqual({ file: csv, rowsDone: 2, rowsTotal: 2 });
    // The dashboard's figure (read by a signed-in manager) includes the rows at once.
    await addAccount(warehouse, 'manager');
    const manager = await signedIn(api, 'test-manager');
    const offered = await manager.request('/api/metrics/calls_offered?from=2026-08-01&to=2026-08-01');
    expect((await offered.json()).rows[0].value).toBe(2);
  });

  it('rejects relative paths before the loader sees them', async () => {
    const res = await api.request('/api/internal/ingest', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
      body: JSON.stringify({ inputs: ['data/calls.csv'] })
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/absolute/);
  });
});
