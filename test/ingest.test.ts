// The loader on the native export formats: every kind loads, a second load adds nothing, and a
// file with bad rows loads its good rows and names every bad one with its line and reason.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { ingestFiles } from '../ingest/load/index.ts';

const fixtures = path.resolve('data/fixtures/ingest');
let dir: string;
let warehouse: Warehouse;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-ingest-'));
  warehouse = await Warehouse.open(path.join(dir, 'w.duckdb'));
});
afterEach(() => {
  warehouse.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const counts = async (): Promise<Record<string, number>> => warehouse.rowCounts();

describe('native formats', () => {
  it('loads a folder of every native kind, dimensions first, with values intact', async () => {
    const summary = await ingestFiles(warehouse, [path.join(fixtures, 'native')]);
    expect(summary.failed).toBe(0);
    const kinds = summary.files.map((f) => f.kind);
    // agents and queues come first although calls/ sorts before them
    expect(kinds).toEqual(['agents', 'queues', 'shifts', 'calls', 'transcript', 'tickets', 'ticket_events']);
    expect(await counts()).toMatchObject({ agents: 4, teams: 2, queues: 2, calls: 4, utterances: 3, tickets: 2, ticket_events: 4, shifts: 2, rejects: 0 });

    const call = await warehouse.one<Record<string, unknown>>(
      `SELECT disposition, agent_id, wait_s, talk_s, hold_s, survey_score, resolved,
              strftime(enqueued_at AT TIME ZONE 'Asia/Shanghai', '%Y-%m-%d %H:%M:%S') AS enq, epoch(ended_at) AS ended
       FROM calls WHERE call_id = 'C20260701-0001'`
    );
    expect(call).toEqual({ disposition: 'answered', agent_id: '1023', wait_s: 20, talk_s: 215, hold_s: 10, survey_score: 5, resolved: true, enq: '2026-07-01 09:00:05', ended: Date.UTC(2026, 6, 1, 1, 4, 10) / 1000 });
    // an ISO timestamp with an offset is taken at its offset
    const outbound = await warehouse.one<{ e: number }>(`SELECT epoch(enqueued_at) AS e FROM calls WHERE call_id = 'C20260701-0004'`);
    expect(outbound?.e).toBe(Date.UTC(2026, 6, 1, 2, 0, 0) / 1000);

    const agent = await warehouse.one(`SELECT a.name, a.role, t.name AS team, a.left_on IS NOT NULL AS left, a.active FROM agents a JOIN teams t USING (team_id) WHERE agent_id = '1031'`);
    expect(agent).toEqual({ name: '刘洋', role: 'complaint_handler', team: '二组', left: true, active: false });

    const ticket = await warehouse.one<{ summary: string; severity: number; major: boolean }>(`SELECT summary, severity, major FROM tickets WHERE ticket_id = 'T2026070001'`);
    expect(ticket).toEqual({ summary: '客户反映营业厅工作人员态度差，"排队一小时"', severity: 3, major: false });

    const events = await warehouse.all(`SELECT seq, event, result, department FROM ticket_events ORDER BY seq`);
    expect(events[1]).toEqual({ seq: 2, event: 'judged', result: 'valid', department: '客服中心' });

    const night = await warehouse.one<{ hours: number }>(`SELECT epoch(ends_at - starts_at) / 3600 AS hours FROM shifts WHERE shift_code = 'night'`);
    expect(night?.hours).toBe(8);

    const utterances = await warehouse.all<{ seq: number; speaker: string; source: string; redactions: string }>(
      `SELECT seq, speaker, source, CAST(redactions AS VARCHAR) AS redactions FROM utterances ORDER BY seq`
    );
    expect(utterances.map((u) => [u.seq, u.speaker, u.source])).toEqual([[0, 'agent', 'script'], [1, 'customer', 'script'], [2, 'agent', 'script']]);
    expect(JSON.parse(utterances[1].redactions)).toEqual([{ start: 9, end: 14, kind: 'phone' }]);
  });

  it('loading the same files twice adds nothing and marks the second load skipped', async () => {
    const first = await ingestFiles(warehouse, [path.join(fixtures, 'native')]);
    const before = await counts();
    const second = await ingestFiles(warehouse, [path.join(fixtures, 'native')]);
    expect(await counts()).toEqual(before);
    expect(second.files.every((f) => f.skipped && !f.error)).toBe(true);
    expect(second.files.map((f) => f.ingestId)).toEqual(first.files.map((f) => f.ingestId));
    const log = await warehouse.one<{ n: number }>('SELECT count(*) AS n FROM ingest_log');
    expect(log?.n).toBe(first.files.length);
  });

  it('ingest_log says when each file started and finished loading, one after the other', async () => {
    const before = Date.now();
    await ingestFiles(warehouse, [path.join(fixtures, 'native')]);
    const after = Date.now();
    const log = await warehouse.all<{ started: number; finished: number }>(
      'SELECT epoch_ms(started_at) AS started, epoch_ms(finished_at) AS finished FROM ingest_log ORDER BY ingest_id'
    );
    expect(log.length).toBeGreaterThan(5);
    for (const [i, { started, finished }] of log.entries()) {
      expect(started).toBeGreaterThanOrEqual(before);
      expect(finished).toBeLessThanOrEqual(after);
      // Loading a file takes time: DuckDB's now() (the transaction's start) would give both ends the same value.
      expect(finished).toBeGreaterThan(started);
      if (i > 0) expect(started).toBeGreaterThanOrEqual(log[i - 1].finished);
    }
  });

  it('an overlapping re-export loads only its new rows; identical rows count as already present', async () => {
    await ingestFiles(warehouse, [path.join(fixtures, 'native/agents.csv'), path.join(fixtures, 'native/queues.csv'), path.join(fixtures, 'native/calls')]);
    const original = fs.readFileSync(path.join(fixtures, 'native/calls/calls-2026-07.csv'), 'utf8').trimEnd().split('\n');
    const extra = 'C20260701-0005,inbound,answered,consult,1023,13800138005,2026-07-01 11:00:00,2026-07-01 11:00:09,2026-07-01 11:02:00,9,111,0,10,,,4,true';
    const changed = original[2].replace(',48,0,0,0,', ',50,0,0,0,'); // same call id, different wait
    const file = path.join(dir, 'calls-2026-07-reexport.csv');
    fs.writeFileSync(file, [original[0], original[1], changed, original[3], original[4], extra].join('\n') + '\n');
    const summary = await ingestFiles(warehouse, [file]);
    expect(summary.files[0]).toMatchObject({ rowsRead: 5, rowsLoaded: 1, rowsPresent: 3, rowsRejected: 1 });
    const reject = await warehouse.one(`SELECT line, column_name, reason FROM rejects`);
    expect(reject).toEqual({ line: 3, column_name: 'call_id', reason: 'duplicate key with different content' });
    expect((await counts()).calls).toBe(5);
  });

  it('a re-export that starts with a new call still finds the stored calls further down', async () => {
    await ingestFiles(warehouse, [path.join(fixtures, 'native/agents.csv'), path.join(fixtures, 'native/queues.csv'), path.join(fixtures, 'native/calls')]);
    const original = fs.readFileSync(path.join(fixtures, 'native/calls/calls-2026-07.csv'), 'utf8').trimEnd().split('\n');
    const newCall = (id: string): string => `${id},inbound,answered,consult,1023,13800138005,2026-07-01 11:00:00,2026-07-01 11:00:09,2026-07-01 11:02:00,9,111,0,10,,,4,true`;
    // new keys only, one of them between stored keys: nothing stored collides
    const between = path.join(dir, 'calls-between.csv');
    fs.writeFileSync(between, [original[0], newCall('C20260701-0009'), newCall('C20260701-0002a')].join('\n') + '\n');
    expect((await ingestFiles(warehouse, [between])).files[0]).toMatchObject({ rowsRead: 2, rowsLoaded: 2, rowsPresent: 0, rowsRejected: 0 });
    // the first row is new, the next ones are stored: one identical, one changed
    const changed = original[2].replace(',48,0,0,0,', ',50,0,0,0,');
    const file = path.join(dir, 'calls-new-first.csv');
    fs.writeFileSync(file, [original[0], newCall('C20260701-0010'), original[1], changed].join('\n') + '\n');
    const summary = await ingestFiles(warehouse, [file]);
    expect(summary.files[0]).toMatchObject({ rowsRead: 3, rowsLoaded: 1, rowsPresent: 1, rowsRejected: 1 });
    const reject = await warehouse.one(`SELECT line, column_name, reason FROM rejects`);
    expect(reject).toEqual({ line: 4, column_name: 'call_id', reason: 'duplicate key with different content' });
    const ids = await warehouse.all<{ call_id: string; n: number }>('SELECT call_id, count(*) AS n FROM calls GROUP BY call_id ORDER BY call_id');
    expect(ids.map((r) => [r.call_id, r.n])).toEqual([
      ['C20260701-0001', 1], ['C20260701-0002', 1], ['C20260701-0002a', 1], ['C20260701-0003', 1], ['C20260701-0004', 1], ['C20260701-0009', 1], ['C20260701-0010', 1]
    ]);
    const wait = await warehouse.one<{ w: number }>(`SELECT wait_s AS w FROM calls WHERE call_id = 'C20260701-0002'`);
    expect(wait?.w).toBe(48);
  });

  it('loads the good rows of a mixed file and records every bad one with line, column and reason', async () => {
    await ingestFiles(warehouse, [path.join(fixtures, 'native/agents.csv'), path.join(fixtures, 'native/queues.csv')]);
    const summary = await ingestFiles(warehouse, [path.join(fixtures, 'calls-mixed.csv')]);
    expect(summary.files[0]).toMatchObject({ kind: 'calls', rowsRead: 14, rowsLoaded: 3, rowsRejected: 10, rowsPresent: 1, skipped: false });
    const rejects = await warehouse.all<{ line: number; column_name: string; reason: string }>(
      'SELECT line, column_name, reason FROM rejects ORDER BY line'
    );
    expect(rejects).toEqual([
      { line: 3, column_name: 'enqueued_at', reason: 'bad timestamp' },
      { line: 4, column_name: 'wait_s', reason: 'negative duration' },
      { line: 5, column_name: 'queue_id', reason: 'unknown queue: nosuch' },
      { line: 6, column_name: 'agent_id', reason: 'unknown agent: 9999' },
      { line: 7, column_name: 'ended_at', reason: 'end before start' },
      { line: 8, column_name: 'disposition', reason: 'bad enum value: hungup' },
      { line: 9, column_name: 'survey_score', reason: 'survey score out of 1–5' },
      { line: 10, column_name: 'answered_at', reason: 'wrong column count (Expected Number of Columns: 17 Found: 7)' },
      // line 11 is a record whose quoted field spans two physical lines: it counts as one line
      { line: 12, column_name: 'resolved', reason: 'bad boolean' },
      { line: 13, column_name: 'call_id', reason: 'duplicate key with different content' }
    ]);
    const loaded = await warehouse.all<{ call_id: string }>('SELECT call_id FROM calls ORDER BY call_id');
    expect(loaded.map((r) => r.call_id)).toEqual(['M-0001', 'M-0010', 'M-0012']);
    const raw = await warehouse.one<{ raw: string }>(`SELECT raw FROM rejects WHERE line = 5`);
    expect(JSON.parse(raw!.raw)).toMatchObject({ call_id: 'M-0004', queue_id: 'nosuch' });
    const log = await warehouse.one("SELECT rows_read, rows_loaded, rows_rejected, rows_present FROM ingest_log WHERE kind = 'calls'");
    expect(log).toEqual({ rows_read: 14, rows_loaded: 3, rows_rejected: 10, rows_present: 1 });
  });

  it('loads a call repeated within one clean file once (the one-pass load notices and redoes it carefully)', async () => {
    await ingestFiles(warehouse, [path.join(fixtures, 'native', 'agents.csv'), path.join(fixtures, 'native', 'queues.csv')]);
    const lines = fs.readFileSync(path.join(fixtures, 'calls-mixed.csv'), 'utf8').split('\n');
    const file = path.join(dir, 'calls-repeat.csv');
    fs.writeFileSync(file, [lines[0], lines[1], lines[1], lines[1].replace('M-0001', 'M-0101'), ''].join('\n'));
    const summary = await ingestFiles(warehouse, [file]);
    expect(summary.files[0]).toMatchObject({ rowsRead: 3, rowsLoaded: 2, rowsRejected: 0, rowsPresent: 1 });
    const ids = await warehouse.all<{ call_id: string }>('SELECT call_id FROM calls ORDER BY call_id');
    expect(ids.map((r) => r.call_id)).toEqual(['M-0001', 'M-0101']);
  });

  it('names the file and the header it saw when it cannot tell the kind', async () => {
    const file = path.join(dir, 'mystery.csv');
    fs.writeFileSync(file, 'foo,bar\n1,2\n');
    const summary = await ingestFiles(warehouse, [file]);
    expect(summary.failed).toBe(1);
    expect(summary.files[0].error).toContain('"foo,bar"');
    expect(summary.files[0].file).toBe(file);
  });

  it('reads the warehouse time zone for local timestamps unless told another', async () => {
    await ingestFiles(warehouse, [path.join(fixtures, 'native/agents.csv'), path.join(fixtures, 'native/queues.csv')]);
    await ingestFiles(warehouse, [path.join(fixtures, 'native/calls')], { timeZone: 'Europe/London' });
    const call = await warehouse.one<{ e: number }>(`SELECT epoch(enqueued_at) AS e FROM calls WHERE call_id = 'C20260701-0001'`);
    expect(call?.e).toBe(Date.UTC(2026, 6, 1, 8, 0, 5) / 1000); // 09:00:05 BST
  });
});
