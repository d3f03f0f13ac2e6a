// The tickets behind a service-target figure: sla_tickets with the targets page's range.
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getWarehouse } from '$lib/server/instance.ts';
import { bindParams, FilterError, namedMetric, runMetric, urlParams } from '$lib/server/dashboard.ts';

export const load: PageServerLoad = async ({ url }) => {
  const warehouse = await getWarehouse();
  const list = namedMetric('sla_tickets');
  try {
    const params = bindParams(list, urlParams(url, list));
    return { params, rows: await runMetric(warehouse, list, params), formula: list.formula };
  } catch (err) {
    if (err instanceof FilterError) error(400, err.message);
    throw err;
  }
};
