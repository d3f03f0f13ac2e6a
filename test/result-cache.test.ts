// The result cache of named queries (web/lib/server/cache.ts): a repeated request is served from
// it, and every kind of write — a saved change, a loaded file, a write on an open connection — of
// a table a result read makes the next request compute it afresh, so no figure from before such a
// write is shown after it; writes of other tables leave it cached.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { ResultCache, resultCache, stableJson } from '../web/lib/server/cache.ts';
import { Gate } from '../web/lib/server/gate.ts';
import { overview } from '../web/lib/server/overview.ts';
import { ingestFiles } from '../ingest/load/index.ts';
import { fixtureWarehouse } from './api-fixture.ts';
import { audit } from '../web/lib/server/auth/audit.ts';
import { dimensions } from '../web/lib/server/dimensions.ts';

let warehouse: Warehouse;
let dir: string;
beforeAll(async () => ({ warehouse, dir } = await fixtureWarehouse()));
afterAll(() => {
  warehouse.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const RANGE = { from: '2026-07-01', to: '2026-07-03' };
const offered = async () => (await overview(warehouse, RANGE)).figures.find((f) => f.metric === 'calls_offered')!.row.value;
const addCall = (id: string, day: string) =>
  `INSERT INTO calls (call_id, direction, disposition, queue_id, enqueued_at, ended_at, wait_s, talk_s, hold_s, wrap_s) VALUES ('${id}', 'inbound', 'abandoned', 'consult', '${day} 12:00:00+08', '${day} 12:00:09+08', 9, 0, 0, 0)`;

describe('the result cache', () => {
  it('serves a repeated request without running it again', async () => {
    const stats = resultCache(warehouse).stats;
    expect(await offered()).toBe(6);
    const before = { ...stats };
    expect(await offered()).toBe(6);
    expect(stats.hits).toBeGreaterThan(before.hits);
    expect(stats.misses).toBe(before.misses);
  });

  it('computes afresh after a write through run() and through transaction()', async () => {
    await offered();
    await warehouse.run(addCall('w1', '2026-07-02'));
    expect(await offered()).toBe(7);
    await warehouse.transaction(async (conn) => {
      await conn.run(addCall('w2', '2026-07-03'));
    });
    expect(await offered()).toBe(8);
    await warehouse.transaction(async (conn) => {
      await conn.run(`DELETE FROM calls WHERE call_id IN ('w1', 'w2')`);
    });
    expect(await offered()).toBe(6);
  });

  it('keeps serving while a writer’s transaction is open (nobody sees its rows yet), and its COMMIT shows at once', async () => {
    await offered();
    const hits = () => resultCache(warehouse).stats.hits;
    const conn = await warehouse.connect();
    try {
      await conn.run('BEGIN TRANSACTION');
      await conn.run(addCall('w3', '2026-07-01'));
      const before = hits();
      expect(await offered()).toBe(6); // not committed yet: served from the cache
      expect(hits()).toBeGreaterThan(before);
      await conn.run('COMMIT');
      expect(await offered()).toBe(7); // committed, the connection still open (the loader's way)
      // A prepared statement outside a transaction commits as it runs.
      const del = await conn.prepare(`DELETE FROM calls WHERE call_id = $1`);
      del.bind(['w3']);
      await del.run();
      del.destroySync();
      expect(await offered()).toBe(6);
      // Several statements in one text, a transaction among them: counted as a commit.
      await conn.run(`BEGIN TRANSACTION; ${addCall('w4', '2026-07-01')}; COMMIT`);
      expect(await offered()).toBe(7);
      // A failed statement outside a transaction still counts: in doubt, a commit.
      const generation = warehouse.generation;
      await expect(conn.run(`INSERT INTO calls (call_id) VALUES (NULL)`)).rejects.toThrow();
      expect(warehouse.generation).toBe(generation + 1);
    } finally {
      conn.closeSync();
    }
    await warehouse.run(`DELETE FROM calls WHERE call_id = 'w4'`);
    expect(await offered()).toBe(6);
  });

  it('a write of tables a result did not read leaves it cached: QA work, accounts, transcripts', async () => {
    await offered();
    const { generation } = warehouse;
    const hits = () => resultCache(warehouse).stats.hits;
    await audit(warehouse, { actor: 'test', action: 'test.side', target: 'x' });
    await warehouse.transaction(async (conn) => {
      await conn.run(`UPDATE qa_scorecards SET active = active`);
      await conn.run(`INSERT INTO restricted.audit_log (actor, action, target) VALUES ('t', 'a', 'b')`);
    });
    // QA work and the audit trail do not move the generation (the kept call KPI parts stay).
    expect(warehouse.generation).toBe(generation);
    await warehouse.run(`INSERT INTO utterances (call_id, seq, speaker, start_ms, end_ms, text) VALUES ('c1', 999, 'agent', 0, 10, '您好')`);
    expect(warehouse.generation).toBe(generation + 1);
    let before = hits();
    expect(await offered()).toBe(6);
    expect(hits()).toBeGreaterThan(before);
    // A transaction that writes a side table and calls is a write of calls.
    await warehouse.transaction(async (conn) => {
      await conn.run(`INSERT INTO restricted.audit_log (actor, action, target) VALUES ('t', 'a', 'b')`);
      await conn.run(addCall('w5', '2026-07-02'));
    });
    expect(await offered()).toBe(7);
    // A write of the agents (which the figures join for teams) recomputes them too.
    before = resultCache(warehouse).stats.misses;
    await warehouse.run(`UPDATE agents SET name = name`);
    expect(await offered()).toBe(7);
    expect(resultCache(warehouse).stats.misses).toBeGreaterThan(before);
    await warehouse.run(`DELETE FROM calls WHERE call_id = 'w5'`);
    await warehouse.run(`DELETE FROM utterances WHERE call_id = 'c1' AND seq = 999`);
  });

  it('a result read through a view, or through another cached result, is recomputed when the tables under them change', async () => {
    const cache = new ResultCache();
    const complaints = () => cache.get(warehouse, 'complaints', {}, async () => (await warehouse.one<{ n: number }>('SELECT count(*) AS n FROM complaint_facts'))!.n);
    const n = await complaints();
    await warehouse.run(`INSERT INTO utterances (call_id, seq, speaker, start_ms, end_ms, text) VALUES ('c1', 998, 'agent', 0, 10, '您好')`);
    const misses = cache.stats.misses;
    expect(await complaints()).toBe(n);
    expect(cache.stats.misses).toBe(misses);
    await warehouse.run(`INSERT INTO tickets (ticket_id, type, status, severity, opened_at) VALUES ('view-t1', 'complaint', 'open', 2, '2026-07-02 10:00:00+08')`);
    expect(await complaints()).toBe(n + 1);

    // A cached result built on another one (the teams' names) read what that one read.
    const teamNames = () =>
      cache.get(warehouse, 'team-names', {}, async () => {
        const queues = await warehouse.all<{ n: number }>('SELECT count(*) AS n FROM queues');
        return `${queues[0].n}: ${(await dimensions(warehouse)).teams.map((t) => t.name).join(',')}`;
      });
    const names = await teamNames();
    await warehouse.run(`UPDATE teams SET name = name || '*'`);
    expect(await teamNames()).not.toBe(names);
    await warehouse.run(`UPDATE teams SET name = rtrim(name, '*')`);
    expect(await teamNames()).toBe(names);
    // Whichever method of the connection runs a statement, what it reads is noted.
    const streamed = () =>
      cache.get(warehouse, 'streamed', {}, () =>
        warehouse.read(async (conn) => {
          await conn.run('SELECT count(*) FROM queues');
          return Number((await conn.streamAndReadAll('SELECT count(*) AS n FROM tickets')).getRows()[0][0]);
        })
      );
    const tickets = await streamed();
    await warehouse.run(`DELETE FROM tickets WHERE ticket_id = 'view-t1'`);
    expect(await streamed()).toBe(tickets - 1);
    await warehouse.run(`DELETE FROM utterances WHERE call_id = 'c1' AND seq = 998`);
  });

  it('computes afresh after a file is loaded', async () => {
    await offered();
    const files = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-cache-load-'));
    try {
      fs.writeFileSync(
        path.join(files, 'calls-extra.csv'),
        'call_id,direction,disposition,queue_id,agent_id,caller_number,enqueued_at,answered_at,ended_at,wait_s,talk_s,hold_s,wrap_s,transferred_to,recording,survey_score,resolved\n' +
          'x1,inbound,answered,consult,1001,13800000000,2026-07-02 15:00:00,2026-07-02 15:00:04,2026-07-02 15:03:04,4,170,0,10,,,,\n' +
          'x2,inbound,abandoned,consult,,13800000001,2026-07-03 15:00:00,,2026-07-03 15:00:20,20,0,0,0,,,,\n'
      );
      const summary = await ingestFiles(warehouse, [files]);
      expect(summary.files[0]?.rowsLoaded ?? summary).toBe(2);
      expect(await offered()).toBe(8);
    } finally {
      fs.rmSync(files, { recursive: true, force: true });
    }
  });

  it('reads do not move the generation; a statement that may write does', async () => {
    const g = warehouse.generation;
    await warehouse.all('SELECT count(*) FROM calls');
    await warehouse.all(`WITH x AS (SELECT 1 AS n) SELECT n, 'created_at' AS updated_at FROM x`);
    expect(warehouse.generation).toBe(g);
    await warehouse.all(`UPDATE calls SET wait_s = wait_s WHERE call_id = 'c1' RETURNING call_id`);
    expect(warehouse.generation).not.toBe(g);
  });

  it('keeps at most its bound, the least recently used going first', async () => {
    const cache = new ResultCache(3);
    let runs = 0;
    const get = (n: number) => cache.get(warehouse, 'n', { n }, async () => (runs++, n * 10));
    for (const n of [1, 2, 3]) await get(n);
    await get(1); // 1 is now the most recently used
    await get(4); // evicts 2
    expect(cache.stats.entries).toBe(3);
    const before = runs;
    expect(await get(1)).toBe(10);
    expect(await get(3)).toBe(30);
    expect(runs).toBe(before);
    await get(2);
    expect(runs).toBe(before + 1);
  });

  it('shares one run between requests made at the same time, and keeps no failure', async () => {
    const cache = new ResultCache();
    let runs = 0;
    const slow = () => cache.get(warehouse, 'slow', { a: 1, b: 2 }, async () => (runs++, await new Promise((r) => setTimeout(r, 20)), 'x'));
    expect(await Promise.all([slow(), slow(), slow()])).toEqual(['x', 'x', 'x']);
    expect(runs).toBe(1);
    let fail = true;
    const flaky = () => cache.get(warehouse, 'flaky', {}, async () => { if (fail) throw new Error('boom'); return 'ok'; });
    await expect(flaky()).rejects.toThrow('boom');
    fail = false;
    expect(await flaky()).toBe('ok');
    expect(stableJson({ b: 1, a: { d: 2, c: 3 } })).toBe(stableJson({ a: { c: 3, d: 2 }, b: 1 }));
  });

  it('computes at most its limit of results at once, the others in turn', async () => {
    const gate = new Gate(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const task = (n: number) => gate.run(async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      order.push(n);
      running--;
      return n;
    });
    const all = Promise.all([1, 2, 3, 4, 5].map(task));
    expect(gate.queued).toBe(3);
    expect(await all).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(order.slice(2)).toEqual([3, 4, 5]);
    await expect(gate.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await task(6)).toBe(6); // a failure gives its slot back
  });
});
