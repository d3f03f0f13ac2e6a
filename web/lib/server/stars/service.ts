// The star list for a month: runs the named SQL (star_components, attendance_monthly), reads the
// month's weights from star_weights and ranks with ranking.ts.
import { z } from 'zod';
import { queryRows, type Warehouse } from '../warehouse.ts';
import { recordAudit } from '../auth/audit.ts';
import { metricRegistry, runMetric, type Metric } from '../metrics/registry.ts';
import { COMPONENTS, DEFAULT_WEIGHTS, rankAgents, type AgentInput, type RankedAgent, type Weights } from '../../stars/ranking.ts';

export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as YYYY-MM');

export const weightsSchema = z.strictObject(
  Object.fromEntries(COMPONENTS.map((c) => [c, z.number().min(0).max(1000)])) as Record<(typeof COMPONENTS)[number], z.ZodNumber>
);

/** First and last day of a YYYY-MM month. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

function metric(name: string): Metric {
  const m = metricRegistry().get(name);
  if (!m) throw new Error(`queries/metrics/${name}.sql is missing`);
  return m;
}

export interface WeightSet {
  weights: Weights;
  /** The month the weights were saved for; null when the defaults apply. */
  valid_from: string | null;
}

/** The weights in force for a month: the latest set saved for it or an earlier month. */
export async function weightsFor(warehouse: Warehouse, month: string): Promise<WeightSet> {
  const rows = await warehouse.all<{ component: keyof Weights; weight: number; valid_from: string }>(
    `SELECT component, weight, strftime(valid_from, '%Y-%m') AS valid_from FROM star_weights
     WHERE valid_from = (SELECT max(valid_from) FROM star_weights WHERE valid_from <= $m::DATE)`,
    { m: `${month}-01` }
  );
  if (!rows.length) return { weights: { ...DEFAULT_WEIGHTS }, valid_from: null };
  const weights = { ...DEFAULT_WEIGHTS };
  for (const r of rows) weights[r.component] = r.weight;
  return { weights, valid_from: rows[0].valid_from };
}

/** Saves weights from a month on; earlier months keep the weights they had. Audited as stars.weights. */
export async function saveWeights(warehouse: Warehouse, month: string, weights: Weights, actor: string): Promise<void> {
  await warehouse.transaction(async (conn) => {
    const saved = await queryRows<{ component: keyof Weights; weight: number }>(conn, 'SELECT component, weight FROM star_weights WHERE valid_from = $m::DATE', { m: `${month}-01` });
    const before = saved.length ? Object.fromEntries(saved.map((r) => [r.component, r.weight])) : null;
    await conn.run('DELETE FROM star_weights WHERE valid_from = $m::DATE', { m: `${month}-01` });
    for (const c of COMPONENTS) {
      await conn.run('INSERT INTO star_weights (valid_from, component, weight) VALUES ($m::DATE, $c, $w)', { m: `${month}-01`, c, w: weights[c] });
    }
    await recordAudit(conn, { actor, action: 'stars.weights', target: `stars:${month}`, before, after: weights });
  });
}

export interface StarList extends WeightSet {
  month: string;
  from: string;
  to: string;
  agents: RankedAgent[];
  formulas: Record<string, Metric['formula']>;
}

export async function starList(warehouse: Warehouse, month: string, options: { team?: string | null; weights?: Weights } = {}): Promise<StarList> {
  const { from, to } = monthRange(month);
  const components = metric('star_components');
  const attendance = metric('attendance_monthly');
  const team = options.team ?? undefined;
  const [rows, days, saved] = await Promise.all([
    runMetric(warehouse, components, components.schema.parse({ from, to, team })),
    runMetric(warehouse, attendance, attendance.schema.parse({ month: from, team })),
    weightsFor(warehouse, month)
  ]);
  const presence = new Map(days.map((d) => [d.agent_id as string, d]));
  const inputs: AgentInput[] = rows.map((r) => {
    const att = presence.get(r.agent_id as string);
    const due = att ? Number(att.days_scheduled) - Number(att.days_on_leave) : 0;
    return { ...(r as unknown as AgentInput), days_due: due, days_present: att ? Math.min(Number(att.days_present), due) : 0 };
  });
  const weights = options.weights ?? saved.weights;
  return {
    month,
    from,
    to,
    weights,
    valid_from: options.weights ? null : saved.valid_from,
    agents: rankAgents(inputs, weights),
    formulas: { star_components: components.formula, attendance_monthly: attendance.formula }
  };
}
