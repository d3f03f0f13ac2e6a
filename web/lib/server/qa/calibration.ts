// Calibration (校准): several reviewers score the same calls independently. The report gives per
// item Fleiss' kappa across the reviewers (scores as nominal categories), each reviewer's mean
// absolute deviation of the total score from the reference (the named expert, else the mean of
// the other reviewers), and per item Cohen's kappa between auto-QA and the human reviewers
// (pass = the item's top score) over all submitted reviews.
import { z } from 'zod';
import { recordAudit } from '../auth/audit.ts';
import { queryRows, type Warehouse } from '../warehouse.ts';
import { cohenKappa, fleissKappa } from './agreement.ts';
import { activeScorecard, getScorecard, scorecardItems } from './scorecard.ts';

export const calibrationInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  call_ids: z.array(z.string().min(1)).min(1),
  reviewers: z.array(z.string().min(1)).min(2, 'a calibration needs at least two reviewers'),
  expert: z.string().min(1).nullable().default(null)
});

export async function createCalibration(warehouse: Warehouse, input: z.input<typeof calibrationInputSchema>, actor: string | null): Promise<number> {
  const req = calibrationInputSchema.parse(input);
  if (req.expert && !req.reviewers.includes(req.expert)) throw new Error(`the expert ${req.expert} must be one of the reviewers`);
  const card = await activeScorecard(warehouse);
  return warehouse.transaction(async (conn) => {
    const id = Number((await queryRows<{ id: number }>(conn, `SELECT nextval('qa_calibration_seq') AS id`))[0].id);
    await conn.run(
      `INSERT INTO qa_calibrations (calibration_id, name, call_ids, reviewers, expert, scorecard_id, created_by) VALUES ($id, $name, $calls, $reviewers, $expert, $card, $by)`,
      { id, name: req.name, calls: JSON.stringify(req.call_ids), reviewers: JSON.stringify(req.reviewers), expert: req.expert, card: card.id, by: actor }
    );
    await recordAudit(conn, { actor: actor ?? 'zhijian', action: 'calibration.create', target: `calibration:${id}`, after: req });
    return id;
  });
}

export interface CalibrationReport {
  calibration_id: number;
  name: string;
  call_ids: string[];
  reviewers: string[];
  expert: string | null;
  reference: 'expert' | 'consensus';
  /** Calls every reviewer has submitted: only these enter the statistics. */
  complete_calls: string[];
  pending: Array<{ reviewer: string; call_id: string }>;
  items: Array<{ item_id: string; name: string; fleiss_kappa: number | null; agreement: number | null }>;
  reviewers_deviation: Array<{ reviewer: string; mean_abs_deviation: number | null; mean_signed_deviation: number | null }>;
  method: string;
}

export async function calibrationReport(warehouse: Warehouse, id: number): Promise<CalibrationReport | null> {
  const session = await warehouse.one<{ name: string; call_ids: string; reviewers: string; expert: string | null; scorecard_id: string }>(
    `SELECT name, call_ids::VARCHAR AS call_ids, reviewers::VARCHAR AS reviewers, expert, scorecard_id FROM qa_calibrations WHERE calibration_id = $id`,
    { id }
  );
  if (!session) return null;
  const calls: string[] = JSON.parse(session.call_ids);
  const reviewers: string[] = JSON.parse(session.reviewers);
  const rows = await warehouse.all<{ call_id: string; reviewer: string; score: number | null; item_id: string; item_score: number | null; na: boolean; scorecard_version: number }>(
    `SELECT r.call_id, r.reviewer, r.score, r.scorecard_version, i.item_id, i.score AS item_score, i.na
     FROM qa_reviews r JOIN qa_review_items i USING (review_id, version)
     WHERE r.calibration_id = $id AND r.status <> 'draft'`,
    { id }
  );
  const done = new Set(rows.map((r) => `${r.reviewer}\u0000${r.call_id}`));
  const complete = calls.filter((c) => reviewers.every((r) => done.has(`${r}\u0000${c}`)));
  const pending = calls.flatMap((c) => reviewers.filter((r) => !done.has(`${r}\u0000${c}`)).map((reviewer) => ({ reviewer, call_id: c })));
  const version = rows[0]?.scorecard_version;
  const card = (version ? await getScorecard(warehouse, session.scorecard_id, version) : null) ?? (await activeScorecard(warehouse));
  const label = (r: { item_score: number | null; na: boolean }) => (r.na ? 'n/a' : String(r.item_score));
  const items = scorecardItems(card.definition).map((item) => {
    const subjects = complete.map((c) => reviewers.map((rv) => label(rows.find((r) => r.call_id === c && r.reviewer === rv && r.item_id === item.id) ?? { item_score: null, na: true })));
    const agreement = subjects.length ? subjects.filter((s) => s.every((x) => x === s[0])).length / subjects.length : null;
    return { item_id: item.id, name: item.name, fleiss_kappa: subjects.length ? round(fleissKappa(subjects)) : null, agreement: round(agreement) };
  });
  const total = (c: string, rv: string) => rows.find((r) => r.call_id === c && r.reviewer === rv)?.score ?? null;
  const reviewers_deviation = reviewers.map((rv) => {
    const diffs: number[] = [];
    for (const c of complete) {
      const mine = total(c, rv);
      const others = session.expert ? (rv === session.expert ? [] : [total(c, session.expert)]) : reviewers.filter((o) => o !== rv).map((o) => total(c, o));
      const ref = others.filter((x): x is number => x !== null);
      if (mine === null || !ref.length) continue;
      diffs.push(mine - ref.reduce((a, b) => a + b, 0) / ref.length);
    }
    return {
      reviewer: rv,
      mean_abs_deviation: diffs.length ? round(diffs.reduce((a, d) => a + Math.abs(d), 0) / diffs.length) : null,
      mean_signed_deviation: diffs.length ? round(diffs.reduce((a, d) => a + d, 0) / diffs.length) : null
    };
  });
  return {
    calibration_id: id,
    name: session.name,
    call_ids: calls,
    reviewers,
    expert: session.expert,
    reference: session.expert ? 'expert' : 'consensus',
    complete_calls: complete,
    pending,
    items,
    reviewers_deviation,
    method: "Fleiss' kappa per item over the calls every reviewer scored (scores as nominal categories); deviation of each reviewer's total from the expert's, else from the mean of the other reviewers."
  };
}

export interface AutoAgreement {
  item_id: string;
  rule: string;
  n: number;
  agreement: number | null;
  cohen_kappa: number | null;
}

/**
 * Per auto-checked item: Cohen's kappa between auto-QA (pass/fail) and the submitted human
 * score (pass = the item's top score), over reviews of calls that have an auto result.
 */
export async function autoHumanAgreement(warehouse: Warehouse): Promise<AutoAgreement[]> {
  const card = await activeScorecard(warehouse);
  const rows = await warehouse.all<{ item_id: string; rule: string; auto_pass: boolean; human_score: number; scorecard_version: number }>(
    `WITH latest AS (
       SELECT * FROM qa_reviews WHERE status <> 'draft' AND calibration_id IS NULL AND scorecard_id = $card
       QUALIFY row_number() OVER (PARTITION BY review_id ORDER BY version DESC) = 1)
     SELECT i.item_id, a.rule, a.passed AS auto_pass, i.score AS human_score, l.scorecard_version
     FROM latest l JOIN qa_review_items i ON i.review_id = l.review_id AND i.version = l.version
     JOIN qa_auto_results a ON a.call_id = l.call_id AND a.scorecard_id = l.scorecard_id AND a.scorecard_version = l.scorecard_version
     WHERE NOT i.na AND a.passed IS NOT NULL`,
    { card: card.id }
  );
  const out: AutoAgreement[] = [];
  for (const item of scorecardItems(card.definition).filter((i) => i.auto)) {
    const top = Math.max(...item.scores);
    const pairs = rows.filter((r) => r.item_id === item.id && r.rule === item.auto).map((r) => [r.auto_pass, r.human_score === top] as [boolean, boolean]);
    out.push({
      item_id: item.id,
      rule: item.auto!,
      n: pairs.length,
      agreement: pairs.length ? round(pairs.filter(([a, b]) => a === b).length / pairs.length) : null,
      cohen_kappa: round(cohenKappa(pairs))
    });
  }
  return out;
}

export async function listCalibrations(warehouse: Warehouse) {
  return warehouse.all<{ calibration_id: number; name: string; expert: string | null; created_at: string }>(
    `SELECT calibration_id, name, expert, strftime(created_at, '%Y-%m-%d %H:%M') AS created_at FROM qa_calibrations ORDER BY calibration_id DESC`
  );
}

function round(x: number | null): number | null {
  return x === null ? null : Math.round(x * 1000) / 1000;
}
