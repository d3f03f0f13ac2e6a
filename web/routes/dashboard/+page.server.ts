// The managers' dashboard: every figure from call_kpis (and its heatmap), filters from the URL.
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getWarehouse } from '$lib/server/instance.ts';
import { dashboard, FilterError } from '$lib/server/dashboard.ts';

export const load: PageServerLoad = async ({ url }) => {
  const warehouse = await getWarehouse();
  try {
    return { dashboard: await dashboard(warehouse, url), timeZone: warehouse.timeZone };
  } catch (err) {
    if (err instanceof FilterError) error(400, err.message);
    throw err;
  }
};
