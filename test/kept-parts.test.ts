// Views of whole days add up the call KPI parts the server keeps per day, agent and queue
// (metrics/kept-parts.ts). They must equal the same metrics computed from the calls: for every
// grouping and filter, for ranges of kept days, of days still read from the calls and across
// both, and after calls are loaded — later days, a late call that turns an old call into a repeat
// caller's, and calls written without the loader.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row, Warehouse } from '../web/lib/server/warehouse.ts';
import { useGeneratedWarehouse } from './generated-fixture.ts';
import { generate } from '../ingest/generate/generate.ts';
import { ingestFiles } from '../ingest/load/index.ts';
import { MetricRegistry, runFamily, runMetricTable, type Metric } from '../web/lib/server/metrics/registry.ts';
import { HEADLINE_METRICS, overview } from '../web/lib/server/overview.ts';
import { runOverParts, type PartsRequest } from '../web/lib/server/metrics/rollup.ts';
import { jsonRows } from '../web/lib/server/query.ts';
import { expectSameRows } from './same-rows.ts';

const reg = MetricRegistry.load();
const metric = (name: string): Metric => reg.get(name)!;
const request = (name: string, params: Record<string, string | number>): PartsRequest => ({ metric: metric(name), params: metric(name).schema.parse(params) });

const SEED = 23;
const AGENTS = 8;
let warehouse: Warehouse;
let scratch: string;

// 2026-03-01 … 2026-03-21: the last week's days are not settled (their first-contact windows are open).
useGeneratedWarehouse({ seed: SEED, agents: AGENTS, days: 21, start: '2026-03-01' }, (w) => (warehouse = w));
beforeAll(() => void (scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-kept-'))));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Every whole-day interval of call_kpis for one grouping and the ungrouped total of
 *  call_kpis_core, added up from the parts, against each computed from the calls. */
async function expectKeptEqualCalls(range: { from: string; to: string }, filter: Record<string, string> = {}, group_by = 'agent'): Promise<Row[]> {
  const requests = [
    ...['day', 'week', 'month', 'total'].map((interval) => request('call_kpis', { ...range, ...filter, interval, group_by })),
    request('call_kpis_core', { ...range, ...filter, interval: 'total', group_by: 'none' })
  ];
  const rolled = await runOverParts(warehouse, requests);
  for (const [i, r] of requests.entries()) {
    const alone = jsonRows(await runMetricTable(warehouse, r.metric, r.params));
    expectSameRows(jsonRows(rolled[i]), alone, `${r.metric.name} ${JSON.stringify(r.params)}`);
  }
  return jsonRows(rolled[4]);
}

const keptDays = async () => (await warehouse.all<{ n: number }>('SELECT count(DISTINCT bucket) AS n FROM zj_kept.call_parts_daily'))[0].n;
/** Days with calls before the first day whose first-contact windows are still open: the latest
 *  call is less than a window (7 days) after its end. */
const settledDays = async () =>
  (
    await warehouse.all<{ n: number }>(
      `SELECT count(DISTINCT enqueued_local::DATE) AS n FROM calls WHERE enqueued_local::DATE + 1 + INTERVAL 7 DAY <= (SELECT max(enqueued_local) FROM calls)`
    )
  )[0].n;

describe('KPI views from the kept parts', () => {
  it('equal the calls for kept days, days read from the calls and ranges across both, every grouping and filter', async () => {
    const teams = await warehouse.all<{ team_id: string }>('SELECT DISTINCT team_id FROM agents WHERE team_id IS NOT NULL ORDER BY 1');
    const queues = await warehouse.all<{ queue_id: string }>('SELECT queue_id FROM queues ORDER BY 1');
    const agents = await warehouse.all<{ agent_id: string }>('SELECT DISTINCT agent_id FROM calls WHERE agent_id IS NOT NULL ORDER BY 1');
    const ranges = [
      { from: '2026-03-01', to: '2026-03-10' }, // kept days only
      { from: '2026-03-05', to: '2026-03-21' }, // across the last kept day
      { from: '2026-03-17', to: '2026-03-21' } // read from the calls only
    ];
    const filters: Record<string, string>[] = [{}, { team: teams[0].team_id }, { queue: queues[1].queue_id }, { agent: agents[2].agent_id }];
    for (const range of ranges)
      for (const filter of filters)
        for (const group_by of ['none', 'agent', 'team', 'queue']) await expectKeptEqualCalls(range, filter, group_by);
    // The settled days are kept (two weeks of three); the last week is read from the calls.
    expect(await keptDays()).toBe(await settledDays());
    expect(await keptDays()).toBeGreaterThanOrEqual(13);
  });

  it('are what the views read: a changed kept part changes the view', async () => {
    const range = { from: '2026-03-02', to: '2026-03-08' };
    const view = async () => Number(jsonRows((await runOverParts(warehouse, [request('call_kpis', { ...range, interval: 'total' })]))[0])[0].offered);
    const before = await view();
    await warehouse.read((conn) => conn.run(`UPDATE zj_kept.call_parts_daily SET offered = offered + 1 WHERE bucket = TIMESTAMP '2026-03-04'`));
    const rows = (await warehouse.all<{ n: number }>(`SELECT count(*) AS n FROM zj_kept.call_parts_daily WHERE bucket = TIMESTAMP '2026-03-04'`))[0].n;
    try {
      expect(rows).toBeGreaterThan(0);
      expect(await view()).toBe(before + rows);
    } finally {
      await warehouse.read((conn) => conn.run(`UPDATE zj_kept.call_parts_daily SET offered = offered - 1 WHERE bucket = TIMESTAMP '2026-03-04'`));
    }
    expect(await view()).toBe(before);
  });

  it('serve the whole-day tables of a view that also asks for hours, which read the calls', async () => {
    const range = { from: '2026-03-02', to: '2026-03-18' };
    const requests = [
      request('call_kpis', { ...range, interval: 'total', group_by: 'none' }),
      request('call_kpis_core', { ...range, interval: 'hour', group_by: 'none' }),
      request('call_kpis', { ...range, interval: 'total', group_by: 'agent' }),
      request('call_kpis_core', { ...range, interval: 'day', group_by: 'agent' }),
      request('service_level_heatmap', range)
    ];
    const view = async () => (await runOverParts(warehouse, requests)).map(jsonRows);
    const rolled = await view();
    for (const [i, r] of requests.entries()) expectSameRows(rolled[i], jsonRows(await runMetricTable(warehouse, r.metric, r.params)), r.metric.name);
    // A changed kept part shows in the whole-day tables only.
    await warehouse.read((conn) => conn.run(`UPDATE zj_kept.call_parts_daily SET offered = offered + 1 WHERE bucket = TIMESTAMP '2026-03-04'`));
    try {
      const changed = await view();
      expect(Number(changed[0][0].offered)).toBeGreaterThan(Number(rolled[0][0].offered));
      expect(changed[1]).toEqual(rolled[1]);
      expect(changed[4]).toEqual(rolled[4]);
    } finally {
      await warehouse.read((conn) => conn.run(`UPDATE zj_kept.call_parts_daily SET offered = offered - 1 WHERE bucket = TIMESTAMP '2026-03-04'`));
    }
  });

  it('give the overview the same headline figures as its metrics computed from the calls', async () => {
    const teams = await warehouse.all<{ team_id: string }>('SELECT DISTINCT team_id FROM agents WHERE team_id IS NOT NULL ORDER BY 1');
    for (const params of [{ from: '2026-03-03', to: '2026-03-19' }, { from: '2026-03-01', to: '2026-03-12', team: teams[0].team_id }]) {
      const { figures } = await overview(warehouse, params);
      expect(figures.length).toBe(HEADLINE_METRICS.length);
      const members = HEADLINE_METRICS.map(metric);
      const fromCalls = await runFamily(warehouse, metric('call_kpis_core'), members, members[0].schema.parse(params));
      figures.forEach((f, i) => expectSameRows([f.row], fromCalls[i], `${f.metric} ${JSON.stringify(params)}`));
      expect(Number(figures[0].row.value)).toBeGreaterThan(0);
    }
  });

  it('stay equal to the calls as later days are loaded', async () => {
    const later = path.join(scratch, 'later');
    await generate({ out: later, seed: SEED, agents: AGENTS, days: 7, start: '2026-03-22' });
    await ingestFiles(warehouse, [path.join(later, 'calls')]);
    await expectKeptEqualCalls({ from: '2026-03-08', to: '2026-03-28' }, {}, 'none');
    expect(await keptDays()).toBe(await settledDays());
    expect(await keptDays()).toBeGreaterThanOrEqual(20);
    await expectKeptEqualCalls({ from: '2026-03-08', to: '2026-03-28' });
    await expectKeptEqualCalls({ from: '2026-03-14', to: '2026-03-20' }, {}, 'queue');
  }, 60_000);

  it('stay equal when a late call makes an old kept call a repeat caller', async () => {
    // An answered call on a kept day, resolved (nobody called back from its number within the window).
    const [old] = await warehouse.all<{ caller_number: string; queue_id: string; day: string; at: string }>(
      `SELECT caller_number, queue_id, strftime(enqueued_local, '%Y-%m-%d') AS day, strftime(enqueued_local + INTERVAL 2 DAY, '%Y-%m-%d %H:%M:%S') AS at
       FROM calls
       WHERE direction = 'inbound' AND answered_at IS NOT NULL AND caller_number IS NOT NULL AND next_inbound_local IS NULL
         AND enqueued_local >= TIMESTAMP '2026-03-03' AND enqueued_local < TIMESTAMP '2026-03-06'
       ORDER BY call_id LIMIT 1`
    );
    expect(old).toBeDefined();
    const range = { from: old.day, to: old.day };
    const fcr = async () => (await expectKeptEqualCalls(range, {}, 'none'))[0];
    const before = await fcr();
    const file = path.join(scratch, 'late-calls.csv');
    fs.writeFileSync(
      file,
      'call_id,direction,disposition,queue_id,agent_id,caller_number,enqueued_at,answered_at,ended_at,wait_s,talk_s,hold_s,wrap_s,transferred_to,recording,survey_score,resolved\n' +
        `late-repeat-1,inbound,abandoned,${old.queue_id},,${old.caller_number},${old.at},,${old.at},12,0,0,0,,,,\n`
    );
    const summary = await ingestFiles(warehouse, [file], { kind: 'calls' });
    expect(summary.files[0].rowsLoaded).toBe(1);
    const after = await fcr();
    expect(Number(after.fcr_resolved)).toBe(Number(before.fcr_resolved) - 1);
  });

  it('stay equal when calls change without the loader', async () => {
    await warehouse.run(
      `INSERT INTO calls BY NAME
       SELECT * REPLACE ('copied-' || call_id AS call_id, NULL::BIGINT AS ingest_id) FROM calls
       WHERE enqueued_local >= TIMESTAMP '2026-03-09' AND enqueued_local < TIMESTAMP '2026-03-10'`
    );
    await expectKeptEqualCalls({ from: '2026-03-07', to: '2026-03-12' }, {}, 'team');
  });

  it('are not kept for a read-only warehouse, whose views read the calls', async () => {
    const { Warehouse } = await import('../web/lib/server/warehouse.ts');
    const file = path.join(scratch, 'copy.duckdb');
    await warehouse.run('CHECKPOINT');
    fs.copyFileSync(warehouse.path, file);
    const readOnly = await Warehouse.open(file, { readOnly: true });
    try {
      const params = { from: '2026-03-02', to: '2026-03-20', interval: 'week' };
      const [rolled] = await runOverParts(readOnly, [request('call_kpis', params)]);
      expectSameRows(jsonRows(rolled), jsonRows(await runMetricTable(readOnly, metric('call_kpis'), metric('call_kpis').schema.parse(params))), 'read-only');
      await expect(readOnly.all('SELECT count(*) FROM zj_kept.call_parts_daily')).rejects.toThrow();
    } finally {
      readOnly.close();
    }
  });
});
