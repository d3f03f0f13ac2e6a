// 顾客投诉分类统计表: one month's complaints by group and cause, printable and exportable.
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getWarehouse } from '$lib/server/instance.ts';
import { complaintMetric, complaintRows, FilterError } from '$lib/server/complaints/metrics.ts';
import { complaintExtent } from '$lib/server/complaints/analysis.ts';
import { loadTaxonomy } from '$lib/server/complaints/taxonomy.ts';

export const load: PageServerLoad = async ({ url }) => {
  const warehouse = await getWarehouse();
  const extent = await complaintExtent(warehouse);
  const asked = url.searchParams.get('month');
  if (asked && !/^\d{4}-(0[1-9]|1[0-2])$/.test(asked)) error(400, 'month: expected YYYY-MM');
  const month = asked ?? extent.last?.slice(0, 7) ?? null;
  const months = await warehouse.all<{ m: string }>(`SELECT DISTINCT strftime(opened_at, '%Y-%m') AS m FROM complaint_facts ORDER BY m DESC`);
  try {
    const rows = month ? await complaintRows(warehouse, 'complaint_monthly', { month: `${month}-01` }) : [];
    return { month, months: months.map((r) => r.m), rows, taxonomy: await loadTaxonomy(warehouse), formula: complaintMetric('complaint_monthly').formula };
  } catch (err) {
    if (err instanceof FilterError) error(400, err.message);
    throw err;
  }
};
