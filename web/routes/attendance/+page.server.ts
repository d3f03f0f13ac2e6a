// 考勤统计表: attendance_monthly for the month (default: the latest month with shifts) and
// attendance_days for the calendar and one agent's detail.
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getWarehouse } from '$lib/server/instance.ts';
import { runMetric, bindParams, FilterError, namedMetric } from '$lib/server/dashboard.ts';
import { dimensions } from '$lib/server/dimensions.ts';
import { monthSchema } from '$lib/server/stars/service.ts';

export const load: PageServerLoad = async ({ url }) => {
  const warehouse = await getWarehouse();
  const monthly = namedMetric('attendance_monthly');
  const days = namedMetric('attendance_days');
  let month = url.searchParams.get('month') || null;
  if (month && !monthSchema.safeParse(month).success) error(400, `month: expected YYYY-MM, got "${month}"`);
  month ??= (await warehouse.one<{ m: string | null }>(`SELECT strftime(max(shift_date), '%Y-%m') AS m FROM shifts`))?.m ?? null;
  const dims = await dimensions(warehouse);
  if (!month) return { month: null, rows: [], days: [], params: {}, formula: monthly.formula, teams: dims.teams };
  const raw: Record<string, string | undefined> = { month: `${month}-01` };
  for (const k of ['team', 'grace_min', 'early_grace_min', 'min_week_hours']) raw[k] = url.searchParams.get(k) || undefined;
  try {
    const params = bindParams(monthly, raw);
    const [rows, all] = await Promise.all([runMetric(warehouse, monthly, params), runMetric(warehouse, days, params)]);
    const agent = url.searchParams.get('agent') || null;
    return { month, rows, days: all, agent, params, formula: monthly.formula, dayFormula: days.formula, teams: dims.teams };
  } catch (err) {
    if (err instanceof FilterError) error(400, err.message);
    throw err;
  }
};
