// The monthly star list (明星榜): a weighted composite of per-agent components, each first shrunk
// toward the agent's team mean by empirical Bayes (normal–normal), so that three lucky calls weigh
// what three calls are worth. Pure functions: the numbers come from queries/metrics/star_components.sql
// and attendance_monthly.sql (see web/lib/server/stars/service.ts).
export const COMPONENTS = ['qa', 'satisfaction', 'fcr', 'handle_time', 'volume', 'complaints', 'attendance'] as const;
export type Component = (typeof COMPONENTS)[number];
export type Weights = Record<Component, number>;

export const DEFAULT_WEIGHTS: Weights = { qa: 25, satisfaction: 20, fcr: 15, handle_time: 10, volume: 10, complaints: 10, attendance: 10 };

/** Lower handle time and fewer complaints are better. */
const LOWER_IS_BETTER: ReadonlySet<Component> = new Set(['handle_time', 'complaints']);

export interface AgentInput {
  agent_id: string;
  agent_name: string;
  team_id: string | null;
  team_name: string | null;
  answered: number;
  handle_s_total: number;
  handle_s_sq_total: number;
  responses: number;
  satisfied: number;
  fcr_judged: number;
  fcr_resolved: number;
  qa_reviews: number;
  qa_score_sum: number;
  qa_score_sq_sum: number;
  complaints: number;
  /** Shifts the agent was due at (scheduled minus approved leave) and present at. */
  days_due: number;
  days_present: number;
}

/** n observations with their sum and sum of squares (binary outcomes: sumSq = sum). */
interface Sample {
  n: number;
  sum: number;
  sumSq: number;
}

function sample(a: AgentInput, c: Component): Sample {
  switch (c) {
    case 'qa':
      return { n: a.qa_reviews, sum: a.qa_score_sum, sumSq: a.qa_score_sq_sum };
    case 'satisfaction':
      return { n: a.responses, sum: a.satisfied, sumSq: a.satisfied };
    case 'fcr':
      return { n: a.fcr_judged, sum: a.fcr_resolved, sumSq: a.fcr_resolved };
    case 'handle_time':
      return { n: a.answered, sum: a.handle_s_total, sumSq: a.handle_s_sq_total };
    case 'complaints':
      return { n: a.answered, sum: a.complaints, sumSq: a.complaints };
    case 'attendance':
      return { n: a.days_due, sum: a.days_present, sumSq: a.days_present };
    case 'volume':
      return { n: 1, sum: a.answered, sumSq: a.answered ** 2 };
  }
}

export interface Estimate {
  /** The agent's own mean (null without observations) and how many observations it rests on. */
  raw: number | null;
  n: number;
  /** Shrunk toward the team mean, with a 95 % interval. */
  value: number;
  low: number;
  high: number;
}

/**
 * Empirical Bayes per component: each agent's mean x (n observations, pooled within-agent
 * variance s²) becomes μ_team + w (x − μ_team) with w = τ² / (τ² + s²/n), where τ² is the variance
 * between agents beyond what sampling explains (method of moments). Posterior variance w s²/n.
 */
export function shrink(samples: Sample[], teams: (string | null)[]): Estimate[] {
  const observed = samples.map((s, i) => ({ s, i })).filter(({ s }) => s.n > 0);
  const teamTotals = new Map<string | null, { n: number; sum: number }>();
  for (const { s, i } of observed) {
    const t = teamTotals.get(teams[i]) ?? { n: 0, sum: 0 };
    t.n += s.n;
    t.sum += s.sum;
    teamTotals.set(teams[i], t);
  }
  const all = observed.reduce((t, { s }) => ({ n: t.n + s.n, sum: t.sum + s.sum }), { n: 0, sum: 0 });
  const centerMean = all.n ? all.sum / all.n : 0;
  const teamMean = (team: string | null) => {
    const t = teamTotals.get(team);
    return t && t.n ? t.sum / t.n : centerMean;
  };
  let within = 0;
  let dof = 0;
  for (const { s } of observed) {
    within += Math.max(0, s.sumSq - (s.sum * s.sum) / s.n);
    dof += s.n - 1;
  }
  const s2 = Math.max(dof > 0 ? within / dof : 0, 1e-12);
  const deviations = observed.map(({ s, i }) => s.sum / s.n - teamMean(teams[i]));
  const between = deviations.length > 1 ? deviations.reduce((t, d) => t + d * d, 0) / (deviations.length - 1) : 0;
  const noise = observed.length ? observed.reduce((t, { s }) => t + s2 / s.n, 0) / observed.length : 0;
  const tau2 = Math.max(between - noise, s2 * 1e-4);
  return samples.map((s, i) => {
    const mu = teamMean(teams[i]);
    if (s.n <= 0) return { raw: null, n: 0, value: mu, low: mu - 1.96 * Math.sqrt(tau2), high: mu + 1.96 * Math.sqrt(tau2) };
    const x = s.sum / s.n;
    const w = tau2 / (tau2 + s2 / s.n);
    const value = mu + w * (x - mu);
    const sd = Math.sqrt((w * s2) / s.n);
    return { raw: x, n: s.n, value, low: value - 1.96 * sd, high: value + 1.96 * sd };
  });
}

export interface RankedAgent {
  rank: number;
  agent_id: string;
  agent_name: string;
  team_id: string | null;
  team_name: string | null;
  /** Composite on a T scale (50 = the center's average agent, 10 = one standard deviation), with a 95 % interval. */
  score: number;
  low: number;
  high: number;
  components: Record<Component, Estimate>;
}

/** Ranks agents on the weighted mean of their shrunk components, each standardized by the spread
 *  of the agents' own means (lower handle time and complaints count as better). */
export function rankAgents(agents: AgentInput[], weights: Weights): RankedAgent[] {
  if (!agents.length) return [];
  const teams = agents.map((a) => a.team_id);
  const estimates = Object.fromEntries(
    COMPONENTS.map((c) => {
      const samples = agents.map((a) => sample(a, c));
      // Volume is a count, not an estimate of a rate: nothing to shrink.
      const est = c === 'volume' ? samples.map((s) => ({ raw: s.sum, n: 1, value: s.sum, low: s.sum, high: s.sum })) : shrink(samples, teams);
      return [c, est];
    })
  ) as Record<Component, Estimate[]>;
  const totalWeight = COMPONENTS.reduce((t, c) => t + Math.max(0, weights[c] ?? 0), 0);
  const scored = agents.map((a, i) => {
    let z = 0;
    let variance = 0;
    for (const c of COMPONENTS) {
      const w = totalWeight > 0 ? Math.max(0, weights[c] ?? 0) / totalWeight : 0;
      if (w === 0) continue;
      // Standardized on the spread of the agents' own means: the shrunk values' spread collapses
      // when samples are small, which would blow every difference (and interval) up.
      const values = estimates[c].map((e) => e.value);
      const mean = values.reduce((t, v) => t + v, 0) / values.length;
      const raws = estimates[c].map((e) => e.raw).filter((v): v is number => v !== null);
      const rawMean = raws.reduce((t, v) => t + v, 0) / Math.max(1, raws.length);
      const sd = Math.sqrt(raws.reduce((t, v) => t + (v - rawMean) ** 2, 0) / Math.max(1, raws.length - 1));
      if (!(sd > 0)) continue;
      const sign = LOWER_IS_BETTER.has(c) ? -1 : 1;
      const e = estimates[c][i];
      z += w * sign * ((e.value - mean) / sd);
      const componentSd = (e.high - e.value) / 1.96 / sd;
      variance += (w * componentSd) ** 2;
    }
    const score = 50 + 10 * z;
    const half = 10 * 1.96 * Math.sqrt(variance);
    return {
      rank: 0,
      agent_id: a.agent_id,
      agent_name: a.agent_name,
      team_id: a.team_id,
      team_name: a.team_name,
      score,
      low: score - half,
      high: score + half,
      components: Object.fromEntries(COMPONENTS.map((c) => [c, estimates[c][i]])) as Record<Component, Estimate>
    };
  });
  scored.sort((x, y) => y.score - x.score || x.agent_id.localeCompare(y.agent_id));
  scored.forEach((r, i) => (r.rank = i + 1));
  return scored;
}
