// GET /api/metrics: the named SQL catalogue. GET /api/metrics/:name: one metric's rows,
// as JSON or, when the request accepts it, as an Apache Arrow IPC stream.
import { Hono, type MiddlewareHandler } from 'hono';
import { endTime, startTime } from 'hono/timing';
import { validator } from 'hono/validator';
import type { ApiDeps } from './index.ts';
import { ApiError, zodMessage } from './errors.ts';
import { scopedTeam } from '../auth/scope.ts';
import type { User } from '../auth/users.ts';
import type { Metric, MetricValues } from '../metrics/registry.ts';
import { cachedMetric } from '../metrics/rollup.ts';
import { ARROW_STREAM, resultToArrowIPC } from '../metrics/arrow.ts';
import { jsonRows } from '../query.ts';
import { toCsv } from '../../csv.ts';
import { dataExtent, resolveRange } from '../overview.ts';

// (hono/timing keeps its own state in the variable 'metric', hence the longer name.)
type Env = { Variables: { namedMetric: Metric } };

export function describeMetric(m: Metric) {
  return {
    name: m.name,
    description: m.description,
    formula: m.formula,
    unit: m.unit,
    ...(m.extends ? { extends: m.extends } : {}),
    parameters: m.params.map((p) => ({
      name: p.name,
      type: p.type,
      required: p.default === undefined,
      default: p.default ?? null,
      ...(p.choices ? { choices: p.choices } : {})
    }))
  };
}

export function metricRoutes(deps: ApiDeps) {
  const { registry, warehouse } = deps;

  const findMetric: MiddlewareHandler<Env> = async (c, next) => {
    const name = c.req.param('name') ?? '';
    const metric = registry.get(name);
    if (!metric) throw new ApiError(404, 'not_found', `no metric named "${name}" (GET /api/metrics lists them)`);
    c.set('namedMetric', metric);
    await next();
  };

  /** The metric's own schema (built from its SQL header) checks the query string; a metric
   *  over a date range gets the last 30 days with data when from/to are left out. */
  const metricQuery = validator('query', async (query, c) => {
    const metric = (c as unknown as { get(k: 'namedMetric'): Metric }).get('namedMetric');
    // format=csv chooses the response's form; it is not one of the metric's parameters.
    const { format: _format, ...raw }: Record<string, unknown> = { ...query };
    const declared = new Set(metric.params.map((p) => p.name));
    if (declared.has('from') && declared.has('to') && (!raw.from || !raw.to)) {
      const range = resolveRange(await dataExtent(warehouse), (raw.from as string) || undefined, (raw.to as string) || undefined);
      if (range) Object.assign(raw, range);
    }
    // A team-scoped user's figures are their teams' (metrics without a team are center-wide totals).
    const user = (c as unknown as { get(k: 'user'): User | null }).get('user');
    if (user?.teams && declared.has('team')) raw.team = scopedTeam(user, (raw.team as string) || null);
    const parsed = metric.schema.safeParse(raw);
    if (!parsed.success) throw new ApiError(400, 'bad_request', `${metric.name}: ${zodMessage(parsed.error)}`);
    return parsed.data as MetricValues;
  });

  return new Hono<Env>()
    .get('/', (c) => c.json({ metrics: registry.list().map(describeMetric) }))
    .get('/:name', findMetric, metricQuery, async (c) => {
      const metric = c.get('namedMetric');
      const params = c.req.valid('query');
      startTime(c, 'sql', metric.name);
      const result = await cachedMetric(warehouse, metric, params);
      endTime(c, 'sql');
      if (c.req.query('format') === 'csv') {
        const rows = jsonRows(result);
        return c.body(toCsv(result.columns.map((col) => col.name), rows), 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${metric.name}.csv"`
        });
      }
      if ((c.req.header('accept') ?? '').includes(ARROW_STREAM)) {
        return c.body(resultToArrowIPC(result) as Uint8Array<ArrayBuffer>, 200, { 'content-type': ARROW_STREAM });
      }
      return c.json({ metric: metric.name, params, columns: result.columns, rows: jsonRows(result) });
    });
}
