// Complaint root-cause analysis: every chart from queries/complaints/, filters from the URL.
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getWarehouse } from '$lib/server/instance.ts';
import { analysis } from '$lib/server/complaints/analysis.ts';
import { FilterError } from '$lib/server/complaints/metrics.ts';

export const load: PageServerLoad = async ({ url }) => {
  const warehouse = await getWarehouse();
  try {
    return { analysis: await analysis(warehouse, url), timeZone: warehouse.timeZone };
  } catch (err) {
    if (err instanceof FilterError) error(400, err.message);
    throw err;
  }
};
