// Sampling (随机抽检): N calls per agent per week or month, stratified by queue and outcome,
// reproducible from a recorded seed. Each call's random key is a hash of (seed, call_id), so the
// same seed draws the same calls whatever order the warehouse returns them in; a call already
// drawn by an earlier draw is never drawn again (qa_sample_calls' primary key).
import { recordAudit } from '../auth/audit.ts';
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { queryRows, type Warehouse } from '../warehouse.ts';

export const samplingRulesSchema = z.strictObject({
  /** Shorter calls are not worth scoring. */
  min_talk_s: z.number().nonnegative().default(30),
  /** Weight of a call from a complaint queue or with a complaint ticket. */
  complaint_weight: z.number().min(1).default(3),
  /** Weight of a call whose survey score is at or below low_survey_max. */
  low_survey_weight: z.number().min(1).default(3),
  low_survey_max: z.number().int().min(1).max(5).default(2)
});
export type SamplingRules = z.infer<typeof samplingRulesSchema>;

export const drawRequestSchema = z.strictObject({
  period: z.enum(['week', 'month']),
  /** Any day in the period; default: the day of the latest call. */
  date: z.iso.date().optional(),
  per_agent: z.number().int().positive().max(1000),
  seed: z.string().min(1).max(100).optional(),
  reviewers: z.array(z.string().min(1).max(100)).min(1),
  rules: samplingRulesSchema.default(samplingRulesSchema.parse({}))
});
export type DrawRequest = z.input<typeof drawRequestSchema>;

export interface Candidate {
  call_id: string;
  agent_id: string;
  queue_id: string | null;
  resolved: boolean | null;
  talk_s: number;
  complaint: boolean;
  survey_score: number | null;
}

export interface Drawn extends Candidate {
  stratum: string;
  weight: number;
  key: number;
  rank: number;
  reviewer: string;
}

export interface AgentDraw {
  agent_id: string;
  eligible: number;
  drawn: number;
  /** Fewer eligible calls than the quota: the whole pool was drawn. */
  short: boolean;
}

export interface DrawResult {
  sample_id: number;
  period: { kind: 'week' | 'month'; start: string; end: string };
  seed: string;
  per_agent: number;
  rules: SamplingRules;
  agents: AgentDraw[];
  calls: Drawn[];
  workload: Record<string, number>;
}

/** First and last day of the week (Monday–Sunday) or month holding `date`. */
export function periodBounds(kind: 'week' | 'month', date: string): { start: string; end: string } {
  const d = new Date(`${date}T00:00:00Z`);
  const iso = (x: Date) => x.toISOString().slice(0, 10);
  if (kind === 'month') {
    return { start: iso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1))), end: iso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0))) };
  }
  const monday = new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000);
  return { start: iso(monday), end: iso(new Date(monday.getTime() + 6 * 86_400_000)) };
}

/** A uniform number in (0, 1) from the seed and the call id. */
export function callKey(seed: string, callId: string): number {
  const h = createHash('sha256').update(`${seed}\u0000${callId}`).digest();
  return (h.readUIntBE(0, 6) + 0.5) / 2 ** 48;
}

export function callWeight(c: Candidate, rules: SamplingRules): number {
  let w = 1;
  if (c.complaint) w *= rules.complaint_weight;
  if (c.survey_score !== null && c.survey_score <= rules.low_survey_max) w *= rules.low_survey_weight;
  return w;
}

export function stratumOf(c: Candidate): string {
  return `${c.queue_id ?? 'outbound'}/${c.resolved === true ? 'resolved' : c.resolved === false ? 'unresolved' : 'unknown'}`;
}

/**
 * Splits n over the strata in proportion to their total weight (largest remainder), never more
 * than a stratum holds; what a small stratum cannot take goes to the others.
 */
export function allocate(strata: Array<{ stratum: string; size: number; weight: number }>, n: number): Map<string, number> {
  const out = new Map(strata.map((s) => [s.stratum, 0]));
  let left = Math.min(n, strata.reduce((a, s) => a + s.size, 0));
  let open = strata.filter((s) => s.size > 0);
  while (left > 0 && open.length) {
    const total = open.reduce((a, s) => a + s.weight, 0);
    const shares = open.map((s) => ({ s, exact: (left * s.weight) / total }));
    const given = shares.map(({ s, exact }) => ({ s, k: Math.min(Math.floor(exact), s.size - out.get(s.stratum)!), rem: exact - Math.floor(exact) }));
    let assigned = given.reduce((a, g) => a + g.k, 0);
    for (const g of given) out.set(g.s.stratum, out.get(g.s.stratum)! + g.k);
    // Largest remainders (ties by stratum name, for reproducibility) take the seats left.
    for (const g of [...given].sort((a, b) => b.rem - a.rem || a.s.stratum.localeCompare(b.s.stratum))) {
      if (assigned >= left) break;
      if (out.get(g.s.stratum)! < g.s.size) {
        out.set(g.s.stratum, out.get(g.s.stratum)! + 1);
        assigned++;
      }
    }
    left -= assigned;
    open = open.filter((s) => out.get(s.stratum)! < s.size);
    if (assigned === 0) break;
  }
  return out;
}

/** Draws one agent's calls: allocation over strata, then the highest weighted keys within each. */
export function drawForAgent(pool: Candidate[], n: number, seed: string, rules: SamplingRules): Array<Omit<Drawn, 'rank' | 'reviewer'>> {
  const byStratum = new Map<string, Array<Omit<Drawn, 'rank' | 'reviewer'>>>();
  for (const c of pool) {
    const weight = callWeight(c, rules);
    // Efraimidis–Spirakis: key u^(1/w) gives weighted sampling without replacement.
    const item = { ...c, stratum: stratumOf(c), weight, key: Math.pow(callKey(seed, c.call_id), 1 / weight) };
    if (!byStratum.has(item.stratum)) byStratum.set(item.stratum, []);
    byStratum.get(item.stratum)!.push(item);
  }
  const strata = [...byStratum.entries()].map(([stratum, items]) => ({ stratum, size: items.length, weight: items.reduce((a, i) => a + i.weight, 0) }));
  const counts = allocate(strata, n);
  const drawn: Array<Omit<Drawn, 'rank' | 'reviewer'>> = [];
  for (const [stratum, items] of byStratum) {
    items.sort((a, b) => b.key - a.key || a.call_id.localeCompare(b.call_id));
    drawn.push(...items.slice(0, counts.get(stratum) ?? 0));
  }
  return drawn.sort((a, b) => b.key - a.key || a.call_id.localeCompare(b.call_id));
}

/**
 * Balanced assignment: longest calls first, each to the reviewer with the least talk time so far
 * (ties: fewest calls, then name), so reviewers get about the same listening work.
 */
export function assignReviewers<T extends { call_id: string; talk_s: number }>(calls: T[], reviewers: string[]): Array<T & { reviewer: string }> {
  const load = new Map(reviewers.map((r) => [r, { seconds: 0, calls: 0 }]));
  const order = [...calls].sort((a, b) => b.talk_s - a.talk_s || a.call_id.localeCompare(b.call_id));
  const assigned = new Map<string, string>();
  for (const c of order) {
    const [name] = [...load.entries()].sort((a, b) => a[1].seconds - b[1].seconds || a[1].calls - b[1].calls || a[0].localeCompare(b[0]))[0];
    load.get(name)!.seconds += c.talk_s;
    load.get(name)!.calls++;
    assigned.set(c.call_id, name);
  }
  return calls.map((c) => ({ ...c, reviewer: assigned.get(c.call_id)! }));
}

const CANDIDATES_SQL = `
  SELECT c.call_id, c.agent_id, c.queue_id, c.resolved, c.talk_s, c.survey_score,
         (coalesce(q.kind = 'complaint', false)
          OR EXISTS (SELECT 1 FROM tickets t WHERE t.call_id = c.call_id AND t.type = 'complaint')) AS complaint
  FROM calls c LEFT JOIN queues q ON q.queue_id = c.queue_id
  WHERE c.agent_id IS NOT NULL
    AND c.disposition IN ('answered', 'transferred')
    AND c.talk_s >= $min_talk_s
    AND c.enqueued_at >= $start::DATE AND c.enqueued_at < $end::DATE + INTERVAL 1 DAY
    AND NOT EXISTS (SELECT 1 FROM qa_sample_calls s WHERE s.call_id = c.call_id)
  ORDER BY c.agent_id, c.call_id`;

/** Runs a draw and records it (the draw, its seed and rules, every call with its reviewer) in one transaction. */
export async function drawSample(warehouse: Warehouse, request: DrawRequest, actor: string | null): Promise<DrawResult> {
  const req = drawRequestSchema.parse(request);
  const date =
    req.date ??
    (await warehouse.one<{ d: string | null }>(`SELECT strftime(max(enqueued_at)::DATE, '%Y-%m-%d') AS d FROM calls WHERE agent_id IS NOT NULL`))?.d;
  if (!date) throw new SamplingError('no answered calls in the warehouse to sample from');
  const period = periodBounds(req.period, date);
  const seed = req.seed ?? randomBytes(8).toString('hex');
  const reviewers = [...new Set(req.reviewers)];
  return warehouse.transaction(async (conn) => {
    const pool = (await queryRows<Candidate>(conn, CANDIDATES_SQL, { min_talk_s: req.rules.min_talk_s, start: period.start, end: period.end })).map((c) => ({
      ...c,
      talk_s: Number(c.talk_s),
      survey_score: c.survey_score === null ? null : Number(c.survey_score)
    }));
    // Every agent who took calls in the period is listed, even with nothing left to draw.
    const active = await queryRows<{ agent_id: string }>(
      conn,
      `SELECT DISTINCT agent_id FROM calls WHERE agent_id IS NOT NULL AND disposition IN ('answered', 'transferred')
         AND enqueued_at >= $start::DATE AND enqueued_at < $end::DATE + INTERVAL 1 DAY ORDER BY agent_id`,
      { start: period.start, end: period.end }
    );
    const byAgent = new Map<string, Candidate[]>(active.map((r) => [r.agent_id, []]));
    for (const c of pool) {
      if (!byAgent.has(c.agent_id)) byAgent.set(c.agent_id, []);
      byAgent.get(c.agent_id)!.push(c);
    }
    const agents: AgentDraw[] = [];
    const chosen: Array<Omit<Drawn, 'reviewer'>> = [];
    for (const [agent_id, calls] of byAgent) {
      const drawn = drawForAgent(calls, req.per_agent, seed, req.rules).map((d, i) => ({ ...d, rank: i + 1 }));
      agents.push({ agent_id, eligible: calls.length, drawn: drawn.length, short: drawn.length < req.per_agent });
      chosen.push(...drawn);
    }
    const assigned = assignReviewers(chosen, reviewers);
    const idRow = await queryRows<{ id: number }>(conn, `SELECT nextval('qa_sample_seq') AS id`);
    const sample_id = Number(idRow[0].id);
    await conn.run(
      `INSERT INTO qa_samples (sample_id, period_kind, period_start, period_end, per_agent, seed, rules, reviewers, created_by)
       VALUES ($id, $kind, $start::DATE, $end::DATE, $n, $seed, $rules, $reviewers, $by)`,
      { id: sample_id, kind: req.period, start: period.start, end: period.end, n: req.per_agent, seed, rules: JSON.stringify(req.rules), reviewers: JSON.stringify(reviewers), by: actor }
    );
    if (assigned.length) {
      await conn.run(
        `INSERT INTO qa_sample_calls (call_id, sample_id, agent_id, stratum, weight, reviewer, rank)
         SELECT d.call_id, $id, d.agent_id, d.stratum, d.weight, d.reviewer, d.rank
         FROM (SELECT unnest(from_json($rows, '[{"call_id":"VARCHAR","agent_id":"VARCHAR","stratum":"VARCHAR","weight":"DOUBLE","reviewer":"VARCHAR","rank":"INTEGER"}]'), recursive := true)) d`,
        { id: sample_id, rows: JSON.stringify(assigned.map(({ call_id, agent_id, stratum, weight, reviewer, rank }) => ({ call_id, agent_id, stratum, weight, reviewer, rank }))) }
      );
    }
    const workload: Record<string, number> = Object.fromEntries(reviewers.map((r) => [r, 0]));
    for (const a of assigned) workload[a.reviewer]++;
    await recordAudit(conn, {
      actor: actor ?? 'zhijian',
      action: 'qa.sample',
      target: `sample:${sample_id}`,
      after: { period: { kind: req.period, ...period }, per_agent: req.per_agent, seed, rules: req.rules, reviewers, calls: assigned.length, workload }
    });
    agents.sort((a, b) => a.agent_id.localeCompare(b.agent_id));
    return { sample_id, period: { kind: req.period, ...period }, seed, per_agent: req.per_agent, rules: req.rules, agents, calls: assigned, workload };
  });
}

export class SamplingError extends Error {}

// ---------------------------------------------------------------- per-agent intervals

/** Two-sided 95 % Student t quantiles for 1–30 degrees of freedom; 1.96 beyond. */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export const MIN_REVIEWS_FOR_INTERVAL = 3;

export interface ScoreInterval {
  n: number;
  mean: number | null;
  low: number | null;
  high: number | null;
  /** Too few reviews to say anything about the agent's level. */
  not_enough_data: boolean;
}

/** Mean score with a 95 % t interval (clamped to 0–100); "not enough data" under 3 reviews. */
export function scoreInterval(scores: number[]): ScoreInterval {
  const n = scores.length;
  if (n === 0) return { n, mean: null, low: null, high: null, not_enough_data: true };
  const mean = scores.reduce((a, b) => a + b, 0) / n;
  if (n < MIN_REVIEWS_FOR_INTERVAL) return { n, mean, low: null, high: null, not_enough_data: true };
  const sd = Math.sqrt(scores.reduce((a, s) => a + (s - mean) ** 2, 0) / (n - 1));
  const half = (T95[n - 2] ?? 1.96) * (sd / Math.sqrt(n));
  const r = (x: number) => Math.round(x * 100) / 100;
  return { n, mean: r(mean), low: r(Math.max(0, mean - half)), high: r(Math.min(100, mean + half)), not_enough_data: false };
}

export interface SampleSummaryRow {
  agent_id: string;
  agent_name: string | null;
  drawn: number;
  reviewed: number;
  interval: ScoreInterval;
}

/** Per agent of a draw: calls drawn, reviews submitted and the score's interval so far. */
export async function sampleSummary(warehouse: Warehouse, sampleId: number): Promise<SampleSummaryRow[]> {
  const rows = await warehouse.all<{ agent_id: string; agent_name: string | null; drawn: number; scores: number[] | null }>(
    `WITH latest AS (
       SELECT r.* FROM qa_reviews r
       WHERE r.status <> 'draft' AND r.calibration_id IS NULL
       QUALIFY row_number() OVER (PARTITION BY r.review_id ORDER BY r.version DESC) = 1)
     SELECT s.agent_id, any_value(a.name) AS agent_name, count(*) AS drawn,
            list(l.score) FILTER (WHERE l.score IS NOT NULL) AS scores
     FROM qa_sample_calls s
     LEFT JOIN agents a ON a.agent_id = s.agent_id
     LEFT JOIN latest l ON l.call_id = s.call_id
     WHERE s.sample_id = $id
     GROUP BY s.agent_id ORDER BY s.agent_id`,
    { id: sampleId }
  );
  return rows.map((r) => {
    const scores = (r.scores ?? []).map(Number);
    return { agent_id: r.agent_id, agent_name: r.agent_name, drawn: Number(r.drawn), reviewed: scores.length, interval: scoreInterval(scores) };
  });
}

export async function listSamples(warehouse: Warehouse) {
  return warehouse.all<{ sample_id: number; period_kind: string; period_start: string; period_end: string; per_agent: number; seed: string; calls: number; created_by: string | null }>(
    `SELECT s.sample_id, s.period_kind, strftime(s.period_start, '%Y-%m-%d') AS period_start, strftime(s.period_end, '%Y-%m-%d') AS period_end,
            s.per_agent, s.seed, s.created_by, (SELECT count(*) FROM qa_sample_calls c WHERE c.sample_id = s.sample_id) AS calls
     FROM qa_samples s ORDER BY s.sample_id DESC`
  );
}
