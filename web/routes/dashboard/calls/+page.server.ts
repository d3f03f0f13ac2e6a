// The calls behind a dashboard figure or chart mark: queries/metrics/call_list.sql with the
// dashboard's filters plus the interval bucket (or weekday × hour cell) and the count chosen.
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getWarehouse } from '$lib/server/instance.ts';
import { runMetric, bindParams, FilterError, namedMetric, urlParams } from '$lib/server/dashboard.ts';
import { dataExtent, resolveRange } from '$lib/server/overview.ts';

export const load: PageServerLoad = async ({ url }) => {
  const warehouse = await getWarehouse();
  const list = namedMetric('call_list');
  const raw = urlParams(url, list);
  const range = resolveRange(await dataExtent(warehouse), raw.from, raw.to);
  if (range) Object.assign(raw, range);
  try {
    const params = bindParams(list, raw);
    const rows = range ? await runMetric(warehouse, list, params) : [];
    return { params, rows, formula: list.formula };
  } catch (err) {
    if (err instanceof FilterError) error(400, err.message);
    throw err;
  }
};
