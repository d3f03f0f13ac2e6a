// The complaint analysis page's data: filters from the URL (shareable views), every chart from
// its named SQL in queries/complaints/, and the taxonomy for names and drill-down links.
import type { Row, Warehouse } from '../warehouse.ts';
import { complaintMetric, complaintRows } from './metrics.ts';
import { loadTaxonomy, type Taxonomy } from './taxonomy.ts';

export const FILTER_KEYS = ['from', 'to', 'cause_group', 'department'] as const;

export interface ComplaintExtent {
  first: string | null;
  last: string | null;
  complaints: number;
  unclassified: number;
}

export async function complaintExtent(warehouse: Warehouse): Promise<ComplaintExtent> {
  const row = await warehouse.one<ComplaintExtent>(
    `SELECT strftime(min(opened_at), '%Y-%m-%d') AS first, strftime(max(opened_at), '%Y-%m-%d') AS last,
            count(*) AS complaints, count(*) FILTER (WHERE cause IS NULL) AS unclassified FROM complaint_facts`
  );
  return row ?? { first: null, last: null, complaints: 0, unclassified: 0 };
}

export async function departments(warehouse: Warehouse): Promise<string[]> {
  const rows = await warehouse.all<{ d: string }>(`SELECT DISTINCT department AS d FROM complaint_facts WHERE department IS NOT NULL ORDER BY d`);
  return rows.map((r) => r.d);
}

/** The URL's filter values, empty ones left out. */
export function filtersOf(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of FILTER_KEYS) {
    const v = url.searchParams.get(k);
    if (v) out[k] = v;
  }
  const interval = url.searchParams.get('interval');
  if (interval) out.interval = interval;
  return out;
}

export interface Analysis {
  filters: Record<string, string>;
  extent: ComplaintExtent;
  taxonomy: Taxonomy;
  departments: string[];
  pareto: Row[];
  trend: Row[];
  department: Row[];
  severity: Row[];
  sla: Row[];
  funnel: Row[];
  callback: Row[];
  repeat: Row[];
  formulas: Record<string, { zh: string; en: string }>;
}

const CHARTS = ['complaint_pareto', 'complaint_trend', 'complaint_department', 'complaint_severity', 'complaint_sla', 'complaint_funnel', 'complaint_callback', 'complaint_repeat'] as const;

export async function analysis(warehouse: Warehouse, url: URL): Promise<Analysis> {
  const filters = filtersOf(url);
  const [taxonomy, extent, depts] = await Promise.all([loadTaxonomy(warehouse), complaintExtent(warehouse), departments(warehouse)]);
  const [pareto, trend, department, severity, sla, funnel, callback, repeat] = await Promise.all(CHARTS.map((name) => complaintRows(warehouse, name, filters)));
  const formulas = Object.fromEntries(CHARTS.map((name) => [name, complaintMetric(name).formula]));
  return { filters, extent, taxonomy, departments: depts, pareto, trend, department, severity, sla, funnel, callback, repeat, formulas };
}
