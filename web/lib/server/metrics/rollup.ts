// Several call KPI tables over the same calls from one computation of their parts. The KPIs are
// rates of additive parts (queries/metrics/call_kpi_parts.sql): the parts are computed once per
// group at the finest interval any of the tables needs — or, for whole days with the default
// definitions, taken from the parts the server keeps per day (kept-parts.ts) — and each table then
// reads them added up to its own interval and grouping (queries/rollups/call_kpi_parts.sql)
// instead of the calls. The dashboard asks for four such tables per view (the figures, the
// series, the agents and their daily sparklines), with the same results as running each on its
// own (test/kpi-rollup.test.ts, test/kept-parts.test.ts).
import type { DuckDBConnection } from '@duckdb/node-api';
import { tableOf, type ResultTable } from '../query.ts';
import type { Row, Warehouse } from '../warehouse.ts';
import { resultCache } from '../cache.ts';
import { cachedFamily, cachedMetricTable, extendSql, familyFixed, metricRegistry, paramsIn, runMembers, type Metric, type MetricValues } from './registry.ts';
import { fillFromKept, keptDefinitions, refreshKeptParts, rollupSql } from './kept-parts.ts';

const PARTS = 'call_kpi_parts';
/** Intervals from fine to coarse: a finer one adds up to each coarser one. */
const INTERVALS = ['15min', 'hour', 'day', 'week', 'month', 'total'];
/** The parameters that shape a table (its buckets and groups); all others must be the same for every table. */
const SHAPE = new Set(['interval', 'group_by']);

export interface PartsRequest {
  metric: Metric;
  /** The metric's parameters, validated by its schema. */
  params: MetricValues;
}

/** The metrics between `metric` and call_kpi_parts, nearest first; null when it does not read the parts. */
function partsChain(metric: Metric): Metric[] | null {
  const chain: Metric[] = [];
  for (let m: Metric | undefined = metric; m?.name !== PARTS; m = m.extends ? metricRegistry().get(m.extends) : undefined) {
    if (!m?.extends || !m.body) return null;
    chain.push(m);
  }
  return chain;
}

/** partsChain, or an error naming the metric that does not read the parts. */
function chainToParts(metric: Metric): Metric[] {
  const chain = partsChain(metric);
  if (!chain) throw new Error(`${metric.name} does not read ${PARTS}`);
  return chain;
}

/** On `conn`: the temporary table kpi_parts_fine, the parts of `shape`'s range, filters and
 *  definitions computed from the calls at `interval` per `group` (or added to it: append). */
async function partsFromCalls(conn: DuckDBConnection, shape: MetricValues, interval: string, group: string, append = false): Promise<void> {
  const parts = metricRegistry().get(PARTS);
  if (!parts) throw new Error(`queries/metrics/${PARTS}.sql is missing`);
  const into = append ? 'INSERT INTO kpi_parts_fine BY NAME' : 'CREATE OR REPLACE TEMP TABLE kpi_parts_fine AS';
  await conn.run(`${into} ${parts.sql}`, { ...paramsIn(parts, parts.sql, shape), interval, group_by: group });
}

/** kpi_parts_fine at interval day per `group`: the kept parts of the settled days and the calls'
 *  for the days after. False (nothing created) when the kept parts are not those of this
 *  transaction's calls. */
async function dayPartsFromKept(conn: DuckDBConnection, shape: MetricValues, group: string): Promise<boolean> {
  const kept = await fillFromKept(conn, shape, group);
  if (!kept) return false;
  if (kept.restFrom !== null) await partsFromCalls(conn, { ...shape, from: kept.restFrom }, 'day', group, true);
  return true;
}

/** The parameters a request's parts are added up with: its own, with the values its metrics pin. */
function shapeOf(request: PartsRequest): MetricValues {
  const pinned = Object.assign({}, ...chainToParts(request.metric).reverse().map((m) => m.fixed ?? {}));
  return { ...request.params, ...pinned };
}

/** The request's SQL: its metric computed from the parts in kpi_parts_fine, added up to its shape.
 *  The roll-up reads the shape from the parameters the metrics declare ($interval, $group_by,
 *  $from), so a parameter a metric pins is written into it like into the metric's other bases. */
function sqlOverParts(metric: Metric): string {
  return chainToParts(metric).reverse().reduce((base, m) => extendSql(base, m.fixed ?? {}, m.body!), rollupSql(PARTS));
}

/**
 * Runs tables that read call_kpi_parts (call_kpis, call_kpis_core and the metrics that extend
 * them) from one computation of the parts. Every request must have the same range, filters and
 * definitions (threshold, variant, windows) and one grouping, or none; the results are in the
 * order of the requests. Views of whole days with the default definitions add up the parts the
 * server keeps per day (kept-parts.ts) instead of reading the calls.
 */
export async function runOverParts(warehouse: Warehouse, requests: PartsRequest[]): Promise<ResultTable[]> {
  if (!requests.length) return [];
  const parts = metricRegistry().get(PARTS);
  if (!parts) throw new Error(`queries/metrics/${PARTS}.sql is missing`);
  const shapes = requests.map(shapeOf);
  const common = (values: MetricValues) => JSON.stringify(parts.params.filter((p) => !SHAPE.has(p.name)).map((p) => values[p.name] ?? null));
  if (shapes.some((s) => common(s) !== common(shapes[0]))) throw new Error('tables added up from the same parts need the same range, filters and definitions');
  const groups = [...new Set(shapes.map((s) => String(s.group_by)).filter((g) => g !== 'none'))];
  if (groups.length > 1) throw new Error(`tables added up from the same parts need one grouping (or none), not per ${groups.join(' and per ')}`);
  const group = groups[0] ?? 'none';
  // Tables of whole days (day, week, month, total) may add up the kept parts; the others, and
  // all when none are kept, add up parts computed from the calls at the finest interval they ask
  // for, never coarser than a day (week and month buckets are made of days).
  const wholeDays = shapes.map(isWholeDays);
  const useKept = wholeDays.some(Boolean) && keptDefinitions(shapes[0]) && (await refreshKeptParts(warehouse));
  // One snapshot for the parts and every table read from them; the temporary table goes with it.
  return warehouse.snapshot(async (conn: DuckDBConnection) => {
    const tables: ResultTable[] = new Array(requests.length);
    const run = async (i: number) => {
      const sql = sqlOverParts(requests[i].metric);
      tables[i] = await tableOf(conn, sql, paramsIn(requests[i].metric, sql, requests[i].params));
    };
    const kept = useKept && (await dayPartsFromKept(conn, shapes[0], group));
    if (kept) for (const i of requests.keys()) if (wholeDays[i]) await run(i);
    const rest = [...requests.keys()].filter((i) => !(kept && wholeDays[i]));
    if (rest.length === 1) {
      // One table gains nothing from shared parts: its own SQL over the calls is one statement.
      const { metric, params } = requests[rest[0]];
      tables[rest[0]] = await tableOf(conn, metric.sql, paramsIn(metric, metric.sql, params));
    } else if (rest.length) {
      const fine = INTERVALS[Math.min(INTERVALS.indexOf('day'), ...rest.map((i) => INTERVALS.indexOf(String(shapes[i].interval))))];
      await partsFromCalls(conn, shapes[0], fine, rest.some((i) => shapes[i].group_by !== 'none') ? group : 'none');
      for (const i of rest) await run(i);
    }
    return tables;
  });
}

/** A table of whole days: its interval adds up from days. */
const isWholeDays = (shape: MetricValues): boolean => INTERVALS.indexOf(String(shape.interval)) >= INTERVALS.indexOf('day');

/** Whether runOverParts adds up kept parts for this table (whole days, default definitions, a
 *  warehouse that keeps them), so that a table on its own is cheaper from them than from the calls. */
export function servedByKeptParts(warehouse: Warehouse, metric: Metric, params: MetricValues): boolean {
  if (warehouse.readOnly || !readsParts(metric)) return false;
  const shape = shapeOf({ metric, params });
  return isWholeDays(shape) && keptDefinitions(shape);
}

/** Whether the metric is computed from call_kpi_parts. */
export function readsParts(metric: Metric): boolean {
  return partsChain(metric) !== null;
}

/** runOverParts through the warehouse's result cache (cache.ts): the same tables with the same
 *  parameters are computed once until a table they read is written. The results are shared: read-only. */
export function cachedOverParts(warehouse: Warehouse, requests: PartsRequest[]): Promise<ResultTable[]> {
  const key = requests.map((r) => ({ metric: r.metric.name, params: r.params }));
  return resultCache(warehouse).get(warehouse, 'parts', key, () => runOverParts(warehouse, requests));
}

/** A named metric's table through the result cache: added up from the kept parts when it can be
 *  (servedByKeptParts), else its own SQL over the calls. The result is shared: read-only. */
export async function cachedMetric(warehouse: Warehouse, metric: Metric, params: MetricValues): Promise<ResultTable> {
  if (servedByKeptParts(warehouse, metric, params)) return (await cachedOverParts(warehouse, [{ metric, params }]))[0];
  return cachedMetricTable(warehouse, metric, params);
}

/**
 * A family of metrics that extend the same base (registry.ts runFamily) through the result cache,
 * its base added up from the kept parts when it can be: one row of the base computed once, each
 * member's own SQL over it. The results are shared: read-only.
 */
export async function cachedFamilyOverParts(warehouse: Warehouse, base: Metric, members: Metric[], params: MetricValues): Promise<Row[][]> {
  const fixed = familyFixed(base, members);
  const baseParams = { ...params, ...fixed };
  if (!servedByKeptParts(warehouse, base, baseParams)) return cachedFamily(warehouse, base, members, params);
  const name = `family-parts:${base.name}:${members.map((m) => m.name).join(',')}`;
  return resultCache(warehouse).get(warehouse, name, params, async () => {
    const shape = shapeOf({ metric: base, params: baseParams });
    await refreshKeptParts(warehouse);
    return warehouse.snapshot(async (conn) => {
      // Kept parts not those of this snapshot's calls (a load committed meanwhile): the calls'.
      if (!(await dayPartsFromKept(conn, shape, String(shape.group_by)))) await partsFromCalls(conn, shape, 'day', String(shape.group_by));
      const sql = sqlOverParts(base);
      await conn.run(`CREATE OR REPLACE TEMP TABLE base AS ${sql}`, paramsIn(base, sql, baseParams));
      return runMembers(conn, members, params);
    });
  });
}
