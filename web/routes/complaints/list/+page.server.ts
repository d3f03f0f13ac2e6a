// The drill-down list: the complaints behind a chart's mark, every condition from the URL.
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getWarehouse } from '$lib/server/instance.ts';
import { complaintMetric, complaintRows, FilterError } from '$lib/server/complaints/metrics.ts';
import { loadTaxonomy } from '$lib/server/complaints/taxonomy.ts';

export const load: PageServerLoad = async ({ url }) => {
  const warehouse = await getWarehouse();
  const metric = complaintMetric('complaint_list');
  const raw = Object.fromEntries(metric.params.map((p) => [p.name, url.searchParams.get(p.name) ?? undefined]));
  try {
    const rows = await complaintRows(warehouse, 'complaint_list', raw);
    const conditions = Object.fromEntries(Object.entries(raw).filter(([k, v]) => v && k !== 'limit' && !(k === 'unclassified' && v === 'no') && !(k === 'interval' && !raw.bucket)));
    return { rows, conditions: conditions as Record<string, string>, limit: Number(raw.limit ?? 500), taxonomy: await loadTaxonomy(warehouse), formula: metric.formula };
  } catch (err) {
    if (err instanceof FilterError) error(400, err.message);
    throw err;
  }
};
