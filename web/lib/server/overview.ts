// The first page's figures: the headline call KPIs for a date range, each from its named SQL.
import type { Warehouse } from './warehouse.ts';
import { metricRegistry, type Metric } from './metrics/registry.ts';
import { cachedFamilyOverParts } from './metrics/rollup.ts';
import { resultCache } from './cache.ts';
import { dimensions } from './dimensions.ts';

export interface DateRange {
  from: string;
  to: string;
}

export interface DataExtent {
  /** First and last local day with a call; null when the warehouse has no calls. */
  first: string | null;
  last: string | null;
  calls: number;
}

/** The days that hold calls, in the center's time zone. */
export async function dataExtent(warehouse: Warehouse): Promise<DataExtent> {
  return resultCache(warehouse).get(warehouse, 'data_extent', null, async () => {
    const row = await warehouse.one<{ first: string | null; last: string | null; calls: number }>(
      `SELECT strftime(min(enqueued_at)::DATE, '%Y-%m-%d') AS first,
              strftime(max(enqueued_at)::DATE, '%Y-%m-%d') AS last,
              count(*) AS calls
       FROM calls`
    );
    return { first: row?.first ?? null, last: row?.last ?? null, calls: row?.calls ?? 0 };
  }, { light: true });
}

/** The `days` days ending on `to` (YYYY-MM-DD), both ends included. */
export function daysEnding(to: string, days = 30): DateRange {
  const end = new Date(`${to}T00:00:00Z`);
  const start = new Date(end.getTime() - (days - 1) * 86_400_000);
  return { from: start.toISOString().slice(0, 10), to };
}

/** Fills a missing from/to: the range ends on the day of the latest call and spans 30 days. */
export function resolveRange(extent: DataExtent, from?: string, to?: string): DateRange | null {
  const end = to ?? extent.last;
  if (!end) return null;
  return { from: from ?? daysEnding(end).from, to: end };
}

export const HEADLINE_METRICS = [
  'calls_offered',
  'calls_answered',
  'calls_abandoned',
  'service_level',
  'average_speed_of_answer',
  'average_handle_time',
  'satisfaction'
] as const;

export interface Figure {
  metric: string;
  unit: Metric['unit'];
  formula: Metric['formula'];
  description: Metric['description'];
  /** The metric's one row: `value` plus the supporting columns (counts, rates, threshold). */
  row: Record<string, unknown>;
}

export interface OverviewParams {
  from?: string;
  to?: string;
  queue?: string | null;
  /** A team's figures only (a team-scoped user's, see auth/scope.ts); all teams when null. */
  team?: string | null;
}

export interface Overview {
  extent: DataExtent;
  /** The range the figures cover; null when the warehouse holds no calls. */
  range: DateRange | null;
  queue: string | null;
  team: string | null;
  /** The team's name, for the page to say whose figures these are. */
  teamName: string | null;
  figures: Figure[];
}

/** Headline figures for the range; a missing from/to defaults to the last 30 days that have data. */
export async function overview(warehouse: Warehouse, params: OverviewParams = {}): Promise<Overview> {
  const extent = await dataExtent(warehouse);
  const queue = params.queue ?? null;
  const team = params.team ?? null;
  const teamName = team === null ? null : ((await dimensions(warehouse)).teams.find((t) => t.id === team)?.name ?? team);
  const range = extent.calls > 0 ? resolveRange(extent, params.from, params.to) : null;
  if (!range) return { extent, range: null, queue, team, teamName, figures: [] };
  const { from, to } = range;
  const registry = metricRegistry();
  const metrics = HEADLINE_METRICS.map((name) => {
    const metric = registry.get(name);
    if (!metric) throw new Error(`queries/metrics/${name}.sql is missing`);
    return metric;
  });
  // The headline metrics all read call_kpis_core (no first-contact windows, no shifts): compute
  // it once for all of them.
  const base = registry.get('call_kpis_core');
  if (!base) throw new Error('queries/metrics/call_kpis_core.sql is missing');
  const bound = metrics[0].schema.parse({ from, to, queue: queue ?? undefined, team: team ?? undefined });
  const rows = await cachedFamilyOverParts(warehouse, base, metrics, bound);
  const figures = metrics.map((metric, i) => ({
    metric: metric.name,
    unit: metric.unit,
    formula: metric.formula,
    description: metric.description,
    row: rows[i][0] ?? {}
  }));
  return { extent, range: { from, to }, queue, team, teamName, figures };
}
