// Named SQL: every metric is one .sql file in queries/metrics/ whose header says what it is
// (name, description and formula in Chinese and English, unit, parameters). This module reads
// and checks those headers, builds a validator for each metric's parameters, and runs them.
// A metric may extend another ("-- extends: call_kpis"): its SQL then reads the base metric's
// rows as the CTE `base`, so a KPI has one definition however many names it is published under.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { repoRoot } from '../config.ts';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, type Row, type Warehouse } from '../warehouse.ts';
import { readTable, type ResultTable } from '../query.ts';
import { resultCache } from '../cache.ts';

const paramTypes = ['date', 'text', 'integer', 'number', 'choice'] as const;
export type ParamType = (typeof paramTypes)[number];

export interface MetricParam {
  name: string;
  type: ParamType;
  /** undefined: required; null: optional with no value; otherwise the default. */
  default: string | number | null | undefined;
  /** The allowed values of a choice parameter, written `choice(a|b|c)` in the header. */
  choices?: string[];
}

const units = ['count', 'share', 'seconds', 'score', 'table'] as const;

export interface Metric {
  name: string;
  description: { zh: string; en: string };
  formula: { zh: string; en: string };
  /** table: many KPI columns per row (e.g. call_kpis), no single value. */
  unit: (typeof units)[number];
  params: MetricParam[];
  /** The metric whose rows this one reads as `base`, if any, with the base parameters it pins
   *  and its own SQL (which reads `base`). */
  extends?: string;
  fixed?: Record<string, string>;
  body?: string;
  sql: string;
  file: string;
  /** Validates raw query-string values and applies defaults; from ≤ to is checked too. */
  schema: z.ZodType<Record<string, string | number | null>>;
}

const headerSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _'),
  'description.zh': z.string().min(1),
  'description.en': z.string().min(1),
  'formula.zh': z.string().min(1),
  'formula.en': z.string().min(1),
  unit: z.enum(units),
  extends: z.string().regex(/^[a-z][a-z0-9_]*$/).optional(),
  fixed: z.string().optional(),
  params: z.array(
    z.object({
      name: z.string().regex(/^[a-z][a-z0-9_]*$/),
      type: z.string().regex(/^(date|text|integer|number|choice\([a-z0-9_]+(\|[a-z0-9_]+)*\))$/, 'date, text, integer, number or choice(a|b|…)'),
      default: z.string()
    })
  )
});

export class MetricDefinitionError extends Error {}

/** Parses one metric file's text; `file` is used in error messages. A metric that extends
 *  another needs that base metric (already parsed) in `bases`. */
export function parseMetric(text: string, file: string, bases: Map<string, Metric> = new Map()): Metric {
  const lines = text.split(/\r?\n/);
  const header: Record<string, unknown> = { params: [] };
  let i = 0;
  let inParams = false;
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (!line.startsWith('--')) break;
    const body = line.slice(2);
    const field = /^\s*([a-z.]+):\s*(.*)$/.exec(body);
    if (field && !/^\s{2,}/.test(body)) {
      inParams = field[1] === 'params';
      if (!inParams) header[field[1]] = field[2].trim();
      continue;
    }
    if (inParams && body.trim()) {
      const [name, type, dflt, ...rest] = body.trim().split(/\s+/);
      if (rest.length || dflt === undefined) {
        throw new MetricDefinitionError(`${file}:${i + 1}: a parameter line is "name type default", got "${body.trim()}"`);
      }
      (header.params as unknown[]).push({ name, type, default: dflt });
    }
  }
  const parsed = headerSchema.safeParse(header);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MetricDefinitionError(`${file}: header field "${issue.path.join('.')}": ${issue.message}`);
  }
  const h = parsed.data;
  if (path.basename(file, '.sql') !== h.name) {
    throw new MetricDefinitionError(`${file}: the file name must be the metric name "${h.name}.sql"`);
  }
  const body = lines.slice(i).join('\n').trim().replace(/;\s*$/, '');
  if (!body) throw new MetricDefinitionError(`${file}: no SQL after the header`);
  let params: MetricParam[] = h.params.map((p) => parseParam(p, file));
  let sql = body;
  let pinned: Record<string, string> | undefined;
  if (h.extends) {
    const base = bases.get(h.extends);
    if (!base) throw new MetricDefinitionError(`${file}: extends "${h.extends}", which is not a metric of this folder`);
    const clash = params.find((p) => base.params.some((q) => q.name === p.name));
    if (clash) throw new MetricDefinitionError(`${file}: parameter "${clash.name}" is the base's already; use "fixed:" to pin it`);
    const fixed = parseFixed(h.fixed ?? '', base, file);
    params = [...base.params.filter((p) => !fixed.has(p.name)), ...params];
    pinned = Object.fromEntries(fixed);
    sql = extendSql(base.sql, pinned, body);
  } else if (h.fixed) {
    throw new MetricDefinitionError(`${file}: "fixed:" needs "extends:"`);
  }
  for (const p of params) {
    if (!new RegExp(`\\$${p.name}\\b`).test(sql)) {
      throw new MetricDefinitionError(`${file}: parameter "${p.name}" is declared but the SQL never uses $${p.name}`);
    }
  }
  for (const m of sql.matchAll(/\$([a-z][a-z0-9_]*)/g)) {
    if (!params.some((p) => p.name === m[1])) {
      throw new MetricDefinitionError(`${file}: the SQL uses $${m[1]} but the header does not declare it`);
    }
  }
  return {
    name: h.name,
    description: { zh: h['description.zh'], en: h['description.en'] },
    formula: { zh: h['formula.zh'], en: h['formula.en'] },
    unit: h.unit,
    params,
    extends: h.extends,
    ...(h.extends ? { fixed: pinned, body } : {}),
    sql,
    file,
    schema: paramsSchema(params)
  };
}

/** The SQL of a metric that extends another: its own SQL (`body`) reading the base's rows
 *  (`baseSql`) as the CTE `base`. Pinned parameters become SQL literals of the base's own
 *  choices, never request input. */
export function extendSql(baseSql: string, fixed: Record<string, string>, body: string): string {
  for (const [name, value] of Object.entries(fixed)) baseSql = baseSql.replace(new RegExp(`\\$${name}\\b`, 'g'), `'${value}'`);
  // A body with its own WITH adds its CTEs after `base`.
  const own = /^WITH\s+/i.exec(body);
  return own ? `WITH base AS (\n${baseSql}\n),\n${body.slice(own[0].length)}` : `WITH base AS (\n${baseSql}\n)\n${body}`;
}

function parseParam(p: { name: string; type: string; default: string }, file: string): MetricParam {
  const choice = /^choice\((.*)\)$/.exec(p.type);
  if (!choice) return { name: p.name, type: p.type as ParamType, default: parseDefault(p.type as ParamType, p.default, file) };
  const choices = choice[1].split('|');
  const dflt = parseDefault('choice', p.default, file);
  if (typeof dflt === 'string' && !choices.includes(dflt)) {
    throw new MetricDefinitionError(`${file}: default "${dflt}" of "${p.name}" is not one of ${choices.join(', ')}`);
  }
  return { name: p.name, type: 'choice', default: dflt, choices };
}

/** "interval=day group_by=none": base parameters pinned to one of their choices. */
function parseFixed(text: string, base: Metric, file: string): Map<string, string> {
  const fixed = new Map<string, string>();
  for (const pair of text.split(/\s+/).filter(Boolean)) {
    const [name, value] = pair.split('=');
    const p = base.params.find((q) => q.name === name);
    if (!p || p.type !== 'choice' || !p.choices?.includes(value)) {
      throw new MetricDefinitionError(`${file}: fixed "${pair}" must pin a choice parameter of ${base.name} to one of its choices`);
    }
    fixed.set(name, value);
  }
  return fixed;
}

function parseDefault(type: ParamType, text: string, file: string): MetricParam['default'] {
  if (text === 'required') return undefined;
  if (text === 'null') return null;
  if (type === 'integer' || type === 'number') {
    const n = Number(text);
    if (!Number.isFinite(n)) throw new MetricDefinitionError(`${file}: default "${text}" is not a number`);
    return n;
  }
  return text;
}

const isoDate = z.iso.date({ message: 'expected a date as YYYY-MM-DD' });

function valueSchema(p: MetricParam): z.ZodType<string | number | null> {
  let base: z.ZodType<string | number>;
  switch (p.type) {
    case 'date':
      base = isoDate;
      break;
    case 'integer':
      base = z.coerce.number().int().min(0).max(1_000_000);
      break;
    case 'number':
      base = z.coerce.number().refine(Number.isFinite, 'expected a number');
      break;
    case 'choice':
      base = z.enum(p.choices as [string, ...string[]], { message: `expected one of ${p.choices!.join(', ')}` });
      break;
    default:
      base = z.string().min(1).max(200);
  }
  if (p.default === undefined) return base;
  const dflt = p.default;
  // An empty query value means "not given", so ?queue= behaves like no queue.
  return z.preprocess((v) => (v === '' || v === undefined ? dflt : v), p.default === null ? base.nullable() : base);
}

function paramsSchema(params: MetricParam[]) {
  const shape = Object.fromEntries(params.map((p) => [p.name, valueSchema(p)]));
  return z
    .strictObject(shape)
    .refine((v) => !(typeof v.from === 'string' && typeof v.to === 'string') || v.from <= v.to, {
      message: '"from" must not be after "to"',
      path: ['from']
    }) as unknown as z.ZodType<Record<string, string | number | null>>;
}

export class MetricRegistry {
  private constructor(readonly metrics: Map<string, Metric>) {}

  /** Reads every .sql file of the folder; a bad header fails loudly with the file named. */
  static load(dir = path.join(repoRoot, 'queries', 'metrics')): MetricRegistry {
    const metrics = new Map<string, Metric>();
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort().map((f) => path.join(dir, f));
    const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
    // A metric is parsed once the metric it extends is: repeat until none is left.
    const baseOf = (text: string) => /^--\s*extends:\s*(\S+)/m.exec(text.split(/\r?\n(?!--)/)[0])?.[1];
    let pending = files;
    while (pending.length) {
      const ready = pending.filter((f) => {
        const base = baseOf(texts.get(f)!);
        return !base || metrics.has(base);
      });
      // None ready: a missing base or a cycle; parsing the first says which.
      for (const file of ready.length ? ready : pending.slice(0, 1)) {
        const metric = parseMetric(texts.get(file)!, file, metrics);
        metrics.set(metric.name, metric);
      }
      pending = pending.filter((f) => !ready.includes(f));
    }
    return new MetricRegistry(new Map([...metrics].sort(([a], [b]) => a.localeCompare(b))));
  }

  get(name: string): Metric | undefined {
    return this.metrics.get(name);
  }

  list(): Metric[] {
    return [...this.metrics.values()];
  }
}

let cached: MetricRegistry | undefined;

/** The registry of queries/metrics/, read once per process. */
export function metricRegistry(): MetricRegistry {
  cached ??= MetricRegistry.load();
  return cached;
}

export type MetricValues = Record<string, string | number | null>;

function bind(metric: Metric, params: MetricValues): MetricValues {
  return Object.fromEntries(metric.params.map((p) => [p.name, params[p.name] ?? null]));
}

/** Runs a metric with parameters already validated by metric.schema. */
export async function runMetric(warehouse: Warehouse, metric: Metric, params: MetricValues): Promise<Row[]> {
  return warehouse.all(metric.sql, bind(metric, params));
}

/** Like runMetric, with the result's column types (for JSON dates and Arrow). */
export async function runMetricTable(warehouse: Warehouse, metric: Metric, params: MetricValues): Promise<ResultTable> {
  return readTable(warehouse, metric.sql, bind(metric, params));
}

/** runMetricTable through the warehouse's result cache (cache.ts): the same metric with the same
 *  parameters is computed once until a table it reads is written. The result is shared: read-only. */
export function cachedMetricTable(warehouse: Warehouse, metric: Metric, params: MetricValues): Promise<ResultTable> {
  return resultCache(warehouse).get(warehouse, `metric:${metric.name}`, bind(metric, params), () => runMetricTable(warehouse, metric, params));
}

/** runFamily through the warehouse's result cache (cache.ts). The result is shared: read-only. */
export function cachedFamily(warehouse: Warehouse, base: Metric, members: Metric[], params: MetricValues): Promise<Row[][]> {
  const name = `family:${base.name}:${members.map((m) => m.name).join(',')}`;
  return resultCache(warehouse).get(warehouse, name, params, () => runFamily(warehouse, base, members, params));
}

/**
 * Runs several metrics that extend the same base with the same parameters, computing the base
 * once: its rows go to a temporary table `base` on one connection and each metric's own SQL reads
 * them. The results equal running each metric alone (each is still its one definition).
 */
export async function runFamily(warehouse: Warehouse, base: Metric, members: Metric[], params: MetricValues): Promise<Row[][]> {
  const fixed = familyFixed(base, members);
  // One snapshot for the base and every member; the temporary table goes with it, as in
  // rollup.ts's cachedFamilyOverParts.
  return warehouse.snapshot(async (conn) => {
    await conn.run(`CREATE OR REPLACE TEMP TABLE base AS ${base.sql}`, bind(base, { ...params, ...fixed }));
    return runMembers(conn, members, params);
  });
}

/** The pinned values of a family's members, which must agree (see runFamily). */
export function familyFixed(base: Metric, members: Metric[]): Record<string, string> {
  const fixed: Record<string, string> = {};
  for (const m of members) {
    if (m.extends !== base.name || !m.body) throw new Error(`${m.name} does not extend ${base.name}`);
    for (const [k, v] of Object.entries(m.fixed ?? {})) {
      if (k in fixed && fixed[k] !== v) throw new Error(`${m.name} pins ${k}=${v}, another member ${k}=${fixed[k]}`);
      fixed[k] = v;
    }
  }
  return fixed;
}

/** Each member's own SQL over the temporary table `base` on this connection. */
export async function runMembers(conn: DuckDBConnection, members: Metric[], params: MetricValues): Promise<Row[][]> {
  const results: Row[][] = [];
  for (const m of members) results.push(await queryRows(conn, m.body!, paramsIn(m, m.body!, params)));
  return results;
}

/** The metric's parameters that `sql` (its own or a part of it) uses, with their values (null
 *  when absent): DuckDB refuses values for parameters a statement does not have. */
export function paramsIn(metric: Metric, sql: string, values: MetricValues): MetricValues {
  return Object.fromEntries(metric.params.filter((p) => new RegExp(`\\$${p.name}\\b`).test(sql)).map((p) => [p.name, values[p.name] ?? null]));
}
