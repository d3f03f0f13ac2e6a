// The dashboard's tables added up from one computation of the KPI parts (metrics/rollup.ts) equal
// the same metrics run on their own over the calls: every interval, grouping and filter the
// parts can serve, other service-level definitions, and the metrics that pin their shape.
import { describe, expect, it } from 'vitest';
import type { Warehouse } from '../web/lib/server/warehouse.ts';
import { useGeneratedWarehouse } from './generated-fixture.ts';
import { MetricRegistry, runMetricTable, type Metric } from '../web/lib/server/metrics/registry.ts';
import { runOverParts, type PartsRequest } from '../web/lib/server/metrics/rollup.ts';
import { jsonRows } from '../web/lib/server/query.ts';
import { expectSameRows } from './same-rows.ts';

const reg = MetricRegistry.load();
const metric = (name: string): Metric => reg.get(name)!;
let warehouse: Warehouse;
useGeneratedWarehouse({ seed: 11, agents: 10, days: 24, start: '2026-05-20' }, (w) => (warehouse = w));

const request = (name: string, params: Record<string, string | number>): PartsRequest => ({ metric: metric(name), params: metric(name).schema.parse(params) });

async function expectAlone(requests: PartsRequest[]): Promise<void> {
  const rolled = await runOverParts(warehouse, requests);
  for (const [i, r] of requests.entries()) {
    const alone = jsonRows(await runMetricTable(warehouse, r.metric, r.params));
    expect(alone.length, r.metric.name).toBeGreaterThan(0);
    expectSameRows(jsonRows(rolled[i]), alone, `${r.metric.name} ${JSON.stringify(r.params)}`);
  }
}

describe('KPI tables added up from one computation of the parts', () => {
  it('equal call_kpis and call_kpis_core alone for every interval, ungrouped and per agent', async () => {
    const range = { from: '2026-05-24', to: '2026-06-09' };
    const requests: PartsRequest[] = [];
    for (const interval of ['15min', 'hour', 'day', 'week', 'month', 'total'])
      for (const group_by of ['none', 'agent'])
        for (const name of ['call_kpis', 'call_kpis_core']) requests.push(request(name, { ...range, interval, group_by }));
    await expectAlone(requests);
    const offered = jsonRows((await runOverParts(warehouse, [request('call_kpis', { ...range, interval: 'total' })]))[0])[0].offered;
    expect(Number(offered)).toBeGreaterThan(1000); // a real volume, not an empty range
  });

  it('equal them with a filter and other definitions of service level, abandons and FCR', async () => {
    const teams = await warehouse.all<{ team_id: string }>('SELECT DISTINCT team_id FROM agents WHERE team_id IS NOT NULL ORDER BY 1');
    const queues = await warehouse.all<{ queue_id: string }>('SELECT queue_id FROM queues ORDER BY 1');
    const definitions = { threshold_s: 15, short_abandon_s: 8, fcr_window_days: 3, sl_variant: 'late_abandons_against' };
    const filters: Record<string, string | number>[] = [{ team: teams[0].team_id }, { queue: queues[1].queue_id }, definitions];
    for (const filter of filters) {
      const params = { from: '2026-05-20', to: '2026-06-12', ...filter };
      await expectAlone([
        request('call_kpis', { ...params, interval: 'total', group_by: 'agent' }),
        request('call_kpis_core', { ...params, interval: 'day', group_by: 'none' }),
        request('service_level_heatmap', params)
      ]);
    }
  });

  it('equal them per team and per queue, from parts per team or queue', async () => {
    const range = { from: '2026-05-22', to: '2026-06-08' };
    for (const group_by of ['team', 'queue'])
      await expectAlone([
        request('call_kpis', { ...range, interval: 'hour', group_by }),
        request('call_kpis', { ...range, interval: 'total', group_by }),
        request('call_kpis_core', { ...range, interval: 'week', group_by: 'none' })
      ]);
  });

  it('equal the metrics that pin their shape: the dashboard heatmap, calls per day, a headline figure', async () => {
    const params = { from: '2026-05-21', to: '2026-06-11' };
    await expectAlone([request('service_level_heatmap', params), request('calls_per_day', params), request('service_level', params)]);
  });

  it('refuses tables that the same parts cannot serve', async () => {
    const a = { from: '2026-05-21', to: '2026-06-11' };
    await expect(runOverParts(warehouse, [request('call_kpis', a), request('call_kpis', { ...a, to: '2026-06-10' })])).rejects.toThrow(/same range, filters and definitions/);
    await expect(runOverParts(warehouse, [request('call_kpis', { ...a, group_by: 'team' }), request('call_kpis', { ...a, group_by: 'agent' })])).rejects.toThrow(
      /one grouping \(or none\), not per team and per agent/
    );
    await expect(runOverParts(warehouse, [request('call_list', a)])).rejects.toThrow(/does not read call_kpi_parts/);
  });
});
