// The dashboard pages' data: filters read from the URL (so a view can be shared), validated by
// the named SQL's own parameter schemas, and the metrics every page shows.
import type { Warehouse, Row } from './warehouse.ts';
import { metricRegistry, type Metric, type MetricValues } from './metrics/registry.ts';
import { dimensions, type Dimensions } from './dimensions.ts';
import { jsonRows } from './query.ts';
import { cachedMetric, cachedOverParts } from './metrics/rollup.ts';
import { dataExtent, resolveRange, type DataExtent } from './overview.ts';
import { zodMessage } from './api/errors.ts';

export class FilterError extends Error {}

export function namedMetric(name: string): Metric {
  const m = metricRegistry().get(name);
  if (!m) throw new Error(`queries/metrics/${name}.sql is missing`);
  return m;
}

/** The URL's values for the parameters a metric declares, empty ones left out. */
export function urlParams(url: URL, metric: Metric, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of metric.params) {
    const v = overrides[p.name] ?? url.searchParams.get(p.name);
    if (v) out[p.name] = v;
  }
  return out;
}

export function bindParams(metric: Metric, raw: Record<string, string | undefined>): MetricValues {
  const declared = Object.fromEntries(Object.entries(raw).filter(([k, v]) => v !== undefined && metric.params.some((p) => p.name === k)));
  const parsed = metric.schema.safeParse(declared);
  if (!parsed.success) throw new FilterError(`${metric.name}: ${zodMessage(parsed.error)}`);
  return parsed.data;
}

/** A metric's rows as the API's JSON gives them (dates as YYYY-MM-DD), ready for a page; through
 *  the result cache, so the rows are shared: read-only. */
export async function runMetric(warehouse: Warehouse, metric: Metric, params: MetricValues): Promise<Row[]> {
  return jsonRows(await cachedMetric(warehouse, metric, params));
}

export interface DashboardData {
  extent: DataExtent;
  /** call_kpis' parameters as bound (defaults filled), the view's state. */
  params: MetricValues;
  summary: Row | null;
  series: Row[];
  heatmap: Row[];
  agents: Row[];
  sparklines: Record<string, { bucket: string; answered: number; service_level: number | null }[]>;
  formulas: Record<string, Metric['formula']>;
  dimensions: Dimensions;
}

/** Everything the dashboard page shows: the figures and the agents' table from call_kpis (they
 *  show first-contact resolution and occupancy), the charts from call_kpis_core (the same
 *  definitions without them) and service_level_heatmap. */
export async function dashboard(warehouse: Warehouse, url: URL): Promise<DashboardData> {
  const kpis = namedMetric('call_kpis');
  const core = namedMetric('call_kpis_core');
  const heat = namedMetric('service_level_heatmap');
  const extent = await dataExtent(warehouse);
  const dims = await dimensions(warehouse);
  const raw = urlParams(url, kpis);
  raw.interval ??= 'day';
  const range = resolveRange(extent, raw.from, raw.to);
  const formulas = { call_kpis: kpis.formula, service_level_heatmap: heat.formula };
  if (!range) return { extent, params: { ...raw }, summary: null, series: [], heatmap: [], agents: [], sparklines: {}, formulas, dimensions: dims };
  Object.assign(raw, range);
  const params = bindParams(kpis, raw);
  const coreParams = bindParams(core, raw);
  // The four call_kpis tables from one computation of the parts (metrics/rollup.ts: kept ones for
  // whole days, else from the calls); the heatmap's hours on their own, alongside (parts per hour
  // and agent would cost the four tables more than it saves).
  const [[[summary], series, agents, daily], heatmap] = await Promise.all([
    cachedOverParts(warehouse, [
      { metric: kpis, params: { ...params, interval: 'total', group_by: 'none' } },
      { metric: core, params: { ...coreParams, group_by: 'none' } },
      { metric: kpis, params: { ...params, interval: 'total', group_by: 'agent' } },
      { metric: core, params: { ...coreParams, interval: 'day', group_by: 'agent' } }
    ]).then((tables) => tables.map(jsonRows)),
    runMetric(warehouse, heat, bindParams(heat, raw))
  ]);
  const sparklines: DashboardData['sparklines'] = {};
  for (const r of daily) {
    if (r.group_key == null) continue;
    (sparklines[r.group_key as string] ??= []).push({
      bucket: r.bucket as string,
      answered: r.answered as number,
      service_level: r.service_level as number | null
    });
  }
  return {
    extent,
    params,
    summary: summary ?? null,
    series,
    heatmap,
    agents: agents.filter((a) => a.group_key != null),
    sparklines,
    formulas,
    dimensions: dims
  };
}
