// An agent's QA page: their reviews (newest version of each), scores by week with intervals,
// the advice they received, and their disputes. Calibration reviews and drafts do not count.
import type { Warehouse } from '../warehouse.ts';
import { listDisputes, type Dispute } from './reviews.ts';
import { scoreInterval, type ScoreInterval } from './sampling.ts';

export interface AgentReview {
  review_id: number;
  version: number;
  call_id: string;
  call_at: string;
  reviewer: string;
  score: number | null;
  critical_failed: boolean;
  passed: boolean;
  advice: string | null;
  submitted_at: string | null;
  status: string;
  scorecard_id: string;
  scorecard_version: number;
  items: Array<{ item_id: string; score: number | null; na: boolean }>;
}

export interface AgentQa {
  agent: { agent_id: string; name: string; team_name: string | null } | null;
  reviews: AgentReview[];
  weeks: Array<{ week: string; interval: ScoreInterval; critical_fails: number }>;
  overall: ScoreInterval;
  disputes: Dispute[];
}

export async function agentQa(warehouse: Warehouse, agentId: string): Promise<AgentQa> {
  const agent =
    (await warehouse.one<{ agent_id: string; name: string; team_name: string | null }>(
      `SELECT a.agent_id, a.name, t.name AS team_name FROM agents a LEFT JOIN teams t ON t.team_id = a.team_id WHERE a.agent_id = $id`,
      { id: agentId }
    )) ?? null;
  const rows = await warehouse.all<Omit<AgentReview, 'items' | 'passed'> & { items: string; pass_mark: number }>(
    `WITH latest AS (
       SELECT * FROM qa_reviews WHERE agent_id = $id AND status <> 'draft' AND calibration_id IS NULL
       QUALIFY row_number() OVER (PARTITION BY review_id ORDER BY version DESC) = 1)
     SELECT l.review_id, l.version, l.call_id, strftime(c.enqueued_at, '%Y-%m-%d %H:%M') AS call_at, l.reviewer, l.score, l.critical_failed,
            l.advice, strftime(l.submitted_at, '%Y-%m-%d %H:%M') AS submitted_at, l.status, l.scorecard_id, l.scorecard_version,
            (s.definition->>'$.pass_mark')::DOUBLE AS pass_mark,
            (SELECT to_json(list({'item_id': i.item_id, 'score': i.score, 'na': i.na} ORDER BY i.item_id)) FROM qa_review_items i
             WHERE i.review_id = l.review_id AND i.version = l.version)::VARCHAR AS items
     FROM latest l JOIN calls c ON c.call_id = l.call_id
     JOIN qa_scorecards s ON s.scorecard_id = l.scorecard_id AND s.version = l.scorecard_version
     ORDER BY c.enqueued_at DESC`,
    { id: agentId }
  );
  const reviews: AgentReview[] = rows.map(({ items, pass_mark, ...r }) => ({
    ...r,
    passed: !r.critical_failed && r.score !== null && r.score >= pass_mark,
    items: JSON.parse(items ?? '[]')
  }));
  const weekRows = await warehouse.all<{ week: string; scores: number[]; critical_fails: number }>(
    `WITH latest AS (
       SELECT * FROM qa_reviews WHERE agent_id = $id AND status <> 'draft' AND calibration_id IS NULL
       QUALIFY row_number() OVER (PARTITION BY review_id ORDER BY version DESC) = 1)
     SELECT strftime(date_trunc('week', c.enqueued_at), '%Y-%m-%d') AS week, list(l.score) FILTER (WHERE l.score IS NOT NULL) AS scores,
            count(*) FILTER (WHERE l.critical_failed) AS critical_fails
     FROM latest l JOIN calls c ON c.call_id = l.call_id GROUP BY 1 ORDER BY 1`,
    { id: agentId }
  );
  return {
    agent,
    reviews,
    weeks: weekRows.map((w) => ({ week: w.week, interval: scoreInterval((w.scores ?? []).map(Number)), critical_fails: Number(w.critical_fails) })),
    overall: scoreInterval(reviews.filter((r) => r.score !== null).map((r) => r.score!)),
    disputes: await listDisputes(warehouse, { agent: agentId })
  };
}

export async function agentsWithReviews(warehouse: Warehouse) {
  return warehouse.all<{ agent_id: string; name: string | null }>(
    `SELECT DISTINCT r.agent_id, a.name FROM qa_reviews r LEFT JOIN agents a ON a.agent_id = r.agent_id
     WHERE r.agent_id IS NOT NULL AND r.status <> 'draft' AND r.calibration_id IS NULL ORDER BY r.agent_id`
  );
}
