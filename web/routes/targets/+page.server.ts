// Service targets against their goals for a range: sla_compliance (whole range and per interval),
// satisfaction from call_kpis, the editable targets and the working calendar.
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getWarehouse } from '$lib/server/instance.ts';
import { bindParams, FilterError, namedMetric, runMetric } from '$lib/server/dashboard.ts';
import { listTargets, workCalendar } from '$lib/server/targets/service.ts';
import { daysEnding } from '$lib/server/overview.ts';

export const load: PageServerLoad = async ({ url }) => {
  const warehouse = await getWarehouse();
  const compliance = namedMetric('sla_compliance');
  const kpis = namedMetric('call_kpis');
  const last = (await warehouse.one<{ d: string | null }>(`SELECT strftime(max(opened_at)::DATE, '%Y-%m-%d') AS d FROM tickets`))?.d ?? null;
  const [targets, calendar] = await Promise.all([listTargets(warehouse), workCalendar(warehouse)]);
  if (!last) return { range: null, last, targets, calendar, total: [], series: [], satisfaction: null, formula: compliance.formula, slaFormula: null, timeZone: warehouse.timeZone };
  const to = url.searchParams.get('to') || last;
  const from = url.searchParams.get('from') || daysEnding(to, 30).from;
  const interval = url.searchParams.get('interval') || 'week';
  try {
    const params = bindParams(compliance, { from, to, interval });
    const [total, series, [sat]] = await Promise.all([
      runMetric(warehouse, compliance, { ...params, interval: 'total' }),
      runMetric(warehouse, compliance, params),
      runMetric(warehouse, kpis, bindParams(kpis, { from, to }))
    ]);
    return {
      range: { from, to, interval },
      last,
      targets,
      calendar,
      total,
      series,
      satisfaction: { value: sat?.satisfaction ?? null, responses: sat?.responses ?? 0, satisfied: sat?.satisfied ?? 0 },
      formula: compliance.formula,
      slaFormula: namedMetric('ticket_sla').formula,
      timeZone: warehouse.timeZone
    };
  } catch (err) {
    if (err instanceof FilterError) error(400, err.message);
    throw err;
  }
};
