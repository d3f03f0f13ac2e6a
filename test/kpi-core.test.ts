// call_kpis_core (the headline figures' light base: no first-contact windows, no shifts) against
// call_kpis on a generated center: every column they share is equal, for every interval,
// grouping, filter and service-level variant, so a figure reads the same from either.
import { describe, expect, it } from 'vitest';
import type { Row, Warehouse } from '../web/lib/server/warehouse.ts';
import { useGeneratedWarehouse } from './generated-fixture.ts';
import { MetricRegistry, runFamily, runMetric } from '../web/lib/server/metrics/registry.ts';
import { HEADLINE_METRICS, overview } from '../web/lib/server/overview.ts';

const reg = MetricRegistry.load();
const full = reg.get('call_kpis')!;
const core = reg.get('call_kpis_core')!;
let warehouse: Warehouse;
useGeneratedWarehouse({ seed: 9, agents: 10, days: 24, start: '2026-05-20' }, (w) => (warehouse = w));

const key = (r: Row) => `${r.bucket}|${r.group_key}`;

async function both(params: Record<string, string | number>) {
  const [f, c] = await Promise.all([runMetric(warehouse, full, full.schema.parse(params)), runMetric(warehouse, core, core.schema.parse(params))]);
  return { f, c };
}

describe('call_kpis_core agrees with call_kpis', () => {
  it('has the columns of call_kpis but first-contact resolution and occupancy, in the same order', async () => {
    const { f, c } = await both({ from: '2026-05-20', to: '2026-06-12' });
    const shared = Object.keys(f[0]).filter((k) => !/^fcr|^busy_s$|^shift_s$|^occupancy$/.test(k));
    expect(Object.keys(c[0])).toEqual(shared);
    expect(Number(c[0].offered)).toBeGreaterThan(1000); // a real volume, not an empty range
  });

  const cases: Record<string, string | number>[] = [];
  for (const interval of ['total', 'day', 'hour', 'week', 'month', '15min'])
    for (const group_by of ['none', 'queue', 'team', 'agent']) cases.push({ from: '2026-05-25', to: '2026-06-10', interval, group_by });
  for (const sl_variant of ['answered_only', 'late_abandons_against', 'short_abandons_excluded']) cases.push({ from: '2026-05-20', to: '2026-06-12', interval: 'day', sl_variant, threshold_s: 15, short_abandon_s: 8 });

  it('on every shared column, for each interval × grouping and each service-level variant', async () => {
    for (const params of cases) {
      const { f, c } = await both(params);
      const fullByKey = new Map(f.map((r) => [key(r), r]));
      for (const r of c) {
        const other = fullByKey.get(key(r));
        expect(other, `${JSON.stringify(params)} ${key(r)}`).toBeDefined();
        for (const col of Object.keys(r)) expect(r[col], `${JSON.stringify(params)} ${key(r)} ${col}`).toEqual(other![col]);
      }
      // Grouped, call_kpis also lists groups that only had shifts: nothing was offered or answered there.
      const coreKeys = new Set(c.map(key));
      for (const r of f.filter((x) => !coreKeys.has(key(x)))) {
        expect(params.group_by, key(r)).not.toBe('none');
        expect([r.offered, r.answered, r.abandoned, r.responses, r.transferred]).toEqual([0, 0, 0, 0, 0]);
      }
      if (params.group_by === 'none') expect(c.length).toBe(f.length);
    }
  });

  it('with a queue, a team or an agent chosen', async () => {
    const { f: teams } = await both({ from: '2026-05-20', to: '2026-06-12', group_by: 'team' });
    const { f: agents } = await both({ from: '2026-05-20', to: '2026-06-12', group_by: 'agent' });
    const team = String(teams.find((r) => r.group_key != null)!.group_key);
    const agent = String(agents.find((r) => r.group_key != null)!.group_key);
    for (const filter of [{ queue: 'complaint' }, { team }, { agent }] as Record<string, string>[]) {
      const { f, c } = await both({ from: '2026-05-20', to: '2026-06-12', interval: 'day', ...filter });
      expect(c.length).toBe(f.length);
      for (const [i, r] of c.entries()) for (const col of Object.keys(r)) expect(r[col], `${JSON.stringify(filter)} ${r.bucket} ${col}`).toEqual(f[i][col]);
    }
  });

  it('the overview’s headline figures are call_kpis’ own', async () => {
    const members = HEADLINE_METRICS.map((n) => reg.get(n)!);
    const params = members[0].schema.parse({ from: '2026-05-20', to: '2026-06-12' });
    const fromCore = await runFamily(warehouse, core, members, params);
    const [total] = await runMetric(warehouse, full, full.schema.parse({ ...params, interval: 'total' }));
    const page = await overview(warehouse, { from: '2026-05-20', to: '2026-06-12' });
    expect(page.figures.map((f) => f.row)).toEqual(fromCore.map((rows) => rows[0]));
    const figure = (name: string) => page.figures.find((f) => f.metric === name)!.row.value;
    expect(figure('calls_offered')).toBe(total.offered);
    expect(figure('calls_answered')).toBe(total.answered);
    expect(figure('service_level')).toBe(total.service_level);
    expect(figure('calls_offered')).toBeGreaterThan(1000);
  });
});
