// Reviews: a reviewer scores a call on a scorecard version (draft, then submitted). A submitted
// review never changes in place: an accepted dispute (申诉) writes a new version through
// arbitration, and every version stays readable. `actor` is who acts (the reviewer, the agent,
// the arbitrator); it comes from the request today and from the session user later.
import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { recordAudit } from '../auth/audit.ts';
import { queryRows, type Warehouse } from '../warehouse.ts';
import { activeScorecard, getScorecard, scoreReview, scorecardItems, ScoringError, type Scorecard, type ScoreResult } from './scorecard.ts';

export class ReviewError extends Error {
  constructor(message: string, readonly status: 400 | 403 | 404 | 409 = 400) {
    super(message);
  }
}

export const reviewInputSchema = z.strictObject({
  call_id: z.string().min(1),
  items: z.array(
    z.strictObject({
      item_id: z.string().min(1),
      score: z.number().nullable(),
      na: z.boolean().default(false),
      auto: z.boolean().default(false),
      comment: z.string().max(2000).nullable().default(null)
    })
  ),
  advice: z.string().max(5000).nullable().default(null),
  submit: z.boolean().default(false),
  calibration_id: z.number().int().positive().nullable().default(null)
});
export type ReviewInput = z.input<typeof reviewInputSchema>;

export interface ReviewItemRow {
  item_id: string;
  score: number | null;
  na: boolean;
  auto: boolean;
  comment: string | null;
}

export interface ReviewVersion {
  review_id: number;
  version: number;
  call_id: string;
  agent_id: string | null;
  reviewer: string;
  scorecard_id: string;
  scorecard_version: number;
  status: 'draft' | 'submitted' | 'disputed' | 'arbitrated';
  score: number | null;
  critical_failed: boolean;
  outcome: ScoreResult['outcome'];
  advice: string | null;
  sample_id: number | null;
  calibration_id: number | null;
  created_at: string;
  submitted_at: string | null;
  reason: string | null;
  items: ReviewItemRow[];
}

const REVIEW_COLUMNS = `r.review_id, r.version, r.call_id, r.agent_id, r.reviewer, r.scorecard_id, r.scorecard_version, r.status,
  r.score, r.critical_failed, r.advice, r.sample_id, r.calibration_id,
  strftime(r.created_at, '%Y-%m-%d %H:%M:%S') AS created_at, strftime(r.submitted_at, '%Y-%m-%d %H:%M:%S') AS submitted_at, r.reason`;

/** A review as the audit trail keeps it: what decides the agent's score. */
function auditView(r: ReviewVersion) {
  return { call_id: r.call_id, agent_id: r.agent_id, version: r.version, status: r.status, score: r.score, critical_failed: r.critical_failed, advice: r.advice, items: r.items };
}

async function withItems(warehouse: Warehouse, rows: Array<Omit<ReviewVersion, 'items' | 'outcome'>>): Promise<ReviewVersion[]> {
  const out: ReviewVersion[] = [];
  for (const r of rows) {
    const items = await warehouse.all<ReviewItemRow>(
      `SELECT item_id, score, na, auto, comment FROM qa_review_items WHERE review_id = $id AND version = $v ORDER BY item_id`,
      { id: r.review_id, v: r.version }
    );
    const card = await getScorecard(warehouse, r.scorecard_id, r.scorecard_version);
    const pass = card ? card.definition.pass_mark : 0;
    const outcome: ScoreResult['outcome'] = r.critical_failed ? 'critical_fail' : r.score !== null && r.score >= pass ? 'pass' : 'fail';
    out.push({ ...r, outcome, items });
  }
  return out;
}

/** Every version of a review, oldest first. */
export async function reviewVersions(warehouse: Warehouse, reviewId: number): Promise<ReviewVersion[]> {
  const rows = await warehouse.all<Omit<ReviewVersion, 'items' | 'outcome'>>(`SELECT ${REVIEW_COLUMNS} FROM qa_reviews r WHERE r.review_id = $id ORDER BY r.version`, { id: reviewId });
  return withItems(warehouse, rows);
}

/** The newest version of a review. */
export async function latestReview(warehouse: Warehouse, reviewId: number): Promise<ReviewVersion | null> {
  const all = await reviewVersions(warehouse, reviewId);
  return all.at(-1) ?? null;
}

/** The actor's own review of the call (outside or inside a calibration session), newest version. */
export async function findReview(warehouse: Warehouse, callId: string, reviewer: string, calibrationId: number | null = null): Promise<ReviewVersion | null> {
  const row = await warehouse.one<{ review_id: number }>(
    `SELECT review_id FROM qa_reviews WHERE call_id = $call AND reviewer = $reviewer AND calibration_id IS NOT DISTINCT FROM $cal
     ORDER BY review_id DESC LIMIT 1`,
    { call: callId, reviewer, cal: calibrationId }
  );
  return row ? latestReview(warehouse, row.review_id) : null;
}

async function insertVersion(
  conn: DuckDBConnection,
  head: { review_id: number; version: number; call_id: string; agent_id: string | null; reviewer: string; card: Scorecard; status: string; result: ScoreResult; advice: string | null; sample_id: number | null; calibration_id: number | null; submitted: boolean; submitted_at?: string | null; reason: string | null },
  items: ReviewItemRow[]
) {
  await conn.run(
    `INSERT INTO qa_reviews (review_id, version, call_id, agent_id, reviewer, scorecard_id, scorecard_version, status, score, critical_failed,
                             advice, sample_id, calibration_id, submitted_at, reason)
     VALUES ($id, $v, $call, $agent, $reviewer, $card, $cardv, $status, $score, $crit, $advice, $sample, $cal,
             CASE WHEN $submitted THEN coalesce($submitted_at::TIMESTAMPTZ, current_timestamp) END, $reason)`,
    {
      id: head.review_id,
      v: head.version,
      call: head.call_id,
      agent: head.agent_id,
      reviewer: head.reviewer,
      card: head.card.id,
      cardv: head.card.version,
      status: head.status,
      score: head.result.score,
      crit: head.result.critical_failed,
      advice: head.advice,
      sample: head.sample_id,
      cal: head.calibration_id,
      submitted: head.submitted,
      submitted_at: head.submitted_at ?? null,
      reason: head.reason
    }
  );
  // All items in one statement (one per item cost a millisecond each of a reviewer's save).
  if (!items.length) return;
  await conn.run(
    `INSERT INTO qa_review_items (review_id, version, item_id, score, na, auto, comment)
     SELECT $id, $v, i.item_id, CASE WHEN i.na THEN NULL ELSE i.score END, i.na, i.auto, i.comment
     FROM (SELECT unnest(from_json($items, '[{"item_id": "VARCHAR", "score": "DOUBLE", "na": "BOOLEAN", "auto": "BOOLEAN", "comment": "VARCHAR"}]'), recursive := true)) i`,
    { id: head.review_id, v: head.version, items: JSON.stringify(items) }
  );
}

/**
 * Saves the actor's review of a call: a draft can be saved again and again; submitting requires
 * every item scored (or N/A where allowed) and freezes the review.
 */
export async function saveReview(warehouse: Warehouse, input: ReviewInput, actor: string): Promise<ReviewVersion> {
  const req = reviewInputSchema.parse(input);
  const call = await warehouse.one<{ agent_id: string | null }>(`SELECT agent_id FROM calls WHERE call_id = $id`, { id: req.call_id });
  if (!call) throw new ReviewError(`no call ${req.call_id}`, 404);
  if (req.calibration_id !== null) {
    const session = await warehouse.one<{ member: boolean }>(
      `SELECT list_contains(call_ids::VARCHAR[], $call) AND list_contains(reviewers::VARCHAR[], $actor) AS member FROM qa_calibrations WHERE calibration_id = $id`,
      { id: req.calibration_id, call: req.call_id, actor }
    );
    if (!session) throw new ReviewError(`no calibration session ${req.calibration_id}`, 404);
    if (!session.member) throw new ReviewError(`calibration ${req.calibration_id} does not ask ${actor} to score call ${req.call_id}`, 403);
  }
  const existing = await findReview(warehouse, req.call_id, actor, req.calibration_id);
  if (existing && existing.status !== 'draft') {
    throw new ReviewError(`review ${existing.review_id} of call ${req.call_id} is already submitted; a score changes only through a dispute and its arbitration`, 409);
  }
  const card = existing ? (await getScorecard(warehouse, existing.scorecard_id, existing.scorecard_version))! : await activeScorecard(warehouse);
  let result: ScoreResult;
  try {
    result = scoreReview(card.definition, req.items);
  } catch (err) {
    if (err instanceof ScoringError) throw new ReviewError(err.message);
    throw err;
  }
  if (req.submit && result.missing.length) throw new ReviewError(`score every item before submitting; missing: ${result.missing.join(', ')}`);
  const sample = await warehouse.one<{ sample_id: number }>(`SELECT sample_id FROM qa_sample_calls WHERE call_id = $id`, { id: req.call_id });
  const reviewId = await warehouse.transaction(async (conn) => {
    let id: number;
    if (existing) {
      id = existing.review_id;
      // A draft is the reviewer's working copy: replaced, not versioned.
      await conn.run(`DELETE FROM qa_review_items WHERE review_id = $id AND version = 1`, { id });
      await conn.run(`DELETE FROM qa_reviews WHERE review_id = $id AND version = 1 AND status = 'draft'`, { id });
    } else {
      id = Number((await queryRows<{ id: number }>(conn, `SELECT nextval('qa_review_seq') AS id`))[0].id);
    }
    await insertVersion(
      conn,
      {
        review_id: id,
        version: 1,
        call_id: req.call_id,
        agent_id: call.agent_id,
        reviewer: actor,
        card,
        status: req.submit ? 'submitted' : 'draft',
        result,
        advice: req.advice,
        sample_id: req.calibration_id ? null : (sample?.sample_id ?? null),
        calibration_id: req.calibration_id,
        submitted: req.submit,
        reason: null
      },
      req.items.filter((i) => scorecardItems(card.definition).some((s) => s.id === i.item_id)).map((i) => ({ ...i, score: i.na ? null : i.score }))
    );
    await recordAudit(conn, {
      actor,
      action: req.submit ? 'review.submit' : 'review.save_draft',
      target: `review:${id}`,
      before: existing ? auditView(existing) : null,
      after: { call_id: req.call_id, agent_id: call.agent_id, status: req.submit ? 'submitted' : 'draft', score: result.score, critical_failed: result.critical_failed, advice: req.advice, items: req.items }
    });
    return id;
  });
  return (await latestReview(warehouse, reviewId))!;
}

// ---------------------------------------------------------------- disputes

export interface Dispute {
  dispute_id: number;
  review_id: number;
  review_version: number;
  item_id: string;
  agent_id: string;
  reason: string;
  opened_at: string;
  status: 'open' | 'accepted' | 'rejected';
  arbitrator: string | null;
  decision_reason: string | null;
  new_score: number | null;
  new_na: boolean | null;
  result_version: number | null;
  decided_at: string | null;
}

const DISPUTE_COLUMNS = `dispute_id, review_id, review_version, item_id, agent_id, reason, strftime(opened_at, '%Y-%m-%d %H:%M:%S') AS opened_at,
  status, arbitrator, decision_reason, new_score, new_na, result_version, strftime(decided_at, '%Y-%m-%d %H:%M:%S') AS decided_at`;

export async function disputesOf(warehouse: Warehouse, reviewId: number): Promise<Dispute[]> {
  return warehouse.all<Dispute>(`SELECT ${DISPUTE_COLUMNS} FROM qa_disputes WHERE review_id = $id ORDER BY dispute_id`, { id: reviewId });
}

export async function listDisputes(warehouse: Warehouse, filter: { status?: string; agent?: string } = {}): Promise<Dispute[]> {
  return warehouse.all<Dispute>(
    `SELECT ${DISPUTE_COLUMNS} FROM qa_disputes WHERE ($status IS NULL OR status = $status) AND ($agent IS NULL OR agent_id = $agent) ORDER BY dispute_id DESC`,
    { status: filter.status ?? null, agent: filter.agent ?? null }
  );
}

/**
 * The reviewed agent (their 工号, agentId) disputes one item of the review's current version;
 * `actor` is who the audit trail names (the agent's account; the 工号 when not given).
 */
export async function openDispute(warehouse: Warehouse, input: { review_id: number; item_id: string; reason: string }, agentId: string, actor = agentId): Promise<Dispute> {
  const review = await latestReview(warehouse, input.review_id);
  if (!review) throw new ReviewError(`no review ${input.review_id}`, 404);
  if (review.status === 'draft') throw new ReviewError('a draft cannot be disputed', 409);
  if (review.calibration_id !== null) throw new ReviewError('calibration reviews cannot be disputed', 409);
  if (review.agent_id !== agentId) throw new ReviewError(`only the reviewed agent (${review.agent_id}) can dispute this review`, 403);
  if (!review.items.some((i) => i.item_id === input.item_id)) throw new ReviewError(`the review has no item "${input.item_id}"`);
  if (!input.reason.trim()) throw new ReviewError('give a reason for the dispute');
  const open = (await disputesOf(warehouse, input.review_id)).find((d) => d.item_id === input.item_id && d.status === 'open');
  if (open) throw new ReviewError(`item "${input.item_id}" already has an open dispute (${open.dispute_id})`, 409);
  const id = await warehouse.transaction(async (conn) => {
    const did = Number((await queryRows<{ id: number }>(conn, `SELECT nextval('qa_dispute_seq') AS id`))[0].id);
    await conn.run(
      `INSERT INTO qa_disputes (dispute_id, review_id, review_version, item_id, agent_id, reason) VALUES ($id, $review, $v, $item, $agent, $reason)`,
      { id: did, review: review.review_id, v: review.version, item: input.item_id, agent: agentId, reason: input.reason.trim() }
    );
    const item = review.items.find((i) => i.item_id === input.item_id);
    await recordAudit(conn, {
      actor,
      action: 'dispute.open',
      target: `dispute:${did}`,
      after: { review_id: review.review_id, review_version: review.version, item_id: input.item_id, score: item?.score ?? null, reason: input.reason.trim() }
    });
    return did;
  });
  return (await warehouse.one<Dispute>(`SELECT ${DISPUTE_COLUMNS} FROM qa_disputes WHERE dispute_id = $id`, { id }))!;
}

export const arbitrationSchema = z.strictObject({
  accept: z.boolean(),
  reason: z.string().trim().min(1, 'give a reason for the decision').max(2000),
  score: z.number().nullable().optional(),
  na: z.boolean().optional()
});

/**
 * The arbitrator decides an open dispute. Accepting writes the next review version with the
 * item's new score (total and outcome recomputed); rejecting keeps the score. Either way the
 * decision and its reason are kept.
 */
export async function arbitrate(warehouse: Warehouse, disputeId: number, decision: z.input<typeof arbitrationSchema>, actor: string): Promise<{ dispute: Dispute; review: ReviewVersion }> {
  const d = arbitrationSchema.parse(decision);
  const dispute = await warehouse.one<Dispute>(`SELECT ${DISPUTE_COLUMNS} FROM qa_disputes WHERE dispute_id = $id`, { id: disputeId });
  if (!dispute) throw new ReviewError(`no dispute ${disputeId}`, 404);
  if (dispute.status !== 'open') throw new ReviewError(`dispute ${disputeId} is already ${dispute.status}`, 409);
  const review = (await latestReview(warehouse, dispute.review_id))!;
  if (actor === review.agent_id || actor === review.reviewer) throw new ReviewError('the arbitrator must be neither the agent nor the reviewer', 403);
  const current = review.items.find((i) => i.item_id === dispute.item_id);
  const before = { status: 'open', review_id: review.review_id, review_version: review.version, item_id: dispute.item_id, score: current?.score ?? null, na: current?.na ?? false, review_score: review.score };
  if (!d.accept) {
    await warehouse.transaction(async (conn) => {
      await conn.run(
        `UPDATE qa_disputes SET status = 'rejected', arbitrator = $by, decision_reason = $reason, decided_at = current_timestamp WHERE dispute_id = $id`,
        { id: disputeId, by: actor, reason: d.reason }
      );
      await recordAudit(conn, { actor, action: 'dispute.reject', target: `dispute:${disputeId}`, before, after: { ...before, status: 'rejected', reason: d.reason } });
    });
    return { dispute: (await disputesOf(warehouse, review.review_id)).find((x) => x.dispute_id === disputeId)!, review };
  }
  const card = (await getScorecard(warehouse, review.scorecard_id, review.scorecard_version))!;
  const na = d.na ?? false;
  if (!na && (d.score === undefined || d.score === null)) throw new ReviewError('accepting a dispute needs the new score (or N/A)');
  const items = review.items.map((i) => (i.item_id === dispute.item_id ? { ...i, score: na ? null : d.score!, na, auto: false } : i));
  let result: ScoreResult;
  try {
    result = scoreReview(card.definition, items);
  } catch (err) {
    if (err instanceof ScoringError) throw new ReviewError(err.message);
    throw err;
  }
  const version = review.version + 1;
  await warehouse.transaction(async (conn) => {
    await insertVersion(
      conn,
      {
        ...review,
        version,
        card,
        status: 'arbitrated',
        result,
        submitted: true,
        submitted_at: review.submitted_at ? `${review.submitted_at}` : null,
        reason: `申诉 ${disputeId} accepted by ${actor}: ${d.reason}`
      },
      items
    );
    await conn.run(
      `UPDATE qa_disputes SET status = 'accepted', arbitrator = $by, decision_reason = $reason, new_score = $score, new_na = $na,
              result_version = $v, decided_at = current_timestamp WHERE dispute_id = $id`,
      { id: disputeId, by: actor, reason: d.reason, score: na ? null : d.score!, na, v: version }
    );
    await recordAudit(conn, {
      actor,
      action: 'dispute.accept',
      target: `dispute:${disputeId}`,
      before,
      after: { status: 'accepted', review_id: review.review_id, review_version: version, item_id: dispute.item_id, score: na ? null : d.score!, na, review_score: result.score, reason: d.reason }
    });
  });
  return { dispute: (await disputesOf(warehouse, review.review_id)).find((x) => x.dispute_id === disputeId)!, review: (await latestReview(warehouse, review.review_id))! };
}
