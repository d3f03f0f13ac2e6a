// The complaint pages' named SQL: queries/complaints/, read by the same registry and header
// format as queries/metrics/ (name, description and formula in zh and en, parameters).
import path from 'node:path';
import { repoRoot } from '../config.ts';
import { MetricRegistry, runMetricTable, type Metric, type MetricValues } from '../metrics/registry.ts';
import { jsonRows, type ResultTable } from '../query.ts';
import { zodMessage } from '../api/errors.ts';
import type { Row, Warehouse } from '../warehouse.ts';

export class FilterError extends Error {}

let cached: MetricRegistry | undefined;

export function complaintRegistry(): MetricRegistry {
  cached ??= MetricRegistry.load(path.join(repoRoot, 'queries', 'complaints'));
  return cached;
}

export function complaintMetric(name: string): Metric {
  const m = complaintRegistry().get(name);
  if (!m) throw new Error(`queries/complaints/${name}.sql is missing`);
  return m;
}

/** Validates raw values (URL or request) against the metric's own parameter schema; unknown keys are left out. */
export function bindComplaintParams(metric: Metric, raw: Record<string, unknown>): MetricValues {
  const declared = Object.fromEntries(Object.entries(raw).filter(([k, v]) => v !== undefined && v !== null && v !== '' && metric.params.some((p) => p.name === k)));
  const parsed = metric.schema.safeParse(declared);
  if (!parsed.success) throw new FilterError(`${metric.name}: ${zodMessage(parsed.error)}`);
  return parsed.data;
}

export async function complaintTable(warehouse: Warehouse, name: string, raw: Record<string, unknown>): Promise<ResultTable> {
  const metric = complaintMetric(name);
  return runMetricTable(warehouse, metric, bindComplaintParams(metric, raw));
}

export async function complaintRows(warehouse: Warehouse, name: string, raw: Record<string, unknown>): Promise<Row[]> {
  return jsonRows(await complaintTable(warehouse, name, raw));
}
