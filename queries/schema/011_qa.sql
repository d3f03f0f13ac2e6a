-- QA inspection (质检), part two: sampling draws and their assignments, auto-QA results,
-- disputes (申诉) and calibration sessions. Additive to 004_qa.sql; every statement is idempotent.
CREATE SEQUENCE IF NOT EXISTS qa_sample_seq START 1;
CREATE SEQUENCE IF NOT EXISTS qa_dispute_seq START 1;
CREATE SEQUENCE IF NOT EXISTS qa_calibration_seq START 1;

CREATE TABLE IF NOT EXISTS qa_samples (
  sample_id    BIGINT PRIMARY KEY,
  period_kind  VARCHAR NOT NULL,
  period_start DATE NOT NULL,
  period_end   DATE NOT NULL,
  per_agent    INTEGER NOT NULL,
  seed         VARCHAR NOT NULL,
  rules        JSON NOT NULL,
  reviewers    JSON NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  created_by   VARCHAR,
  CHECK (period_kind IN ('week', 'month')),
  CHECK (per_agent > 0)
);
COMMENT ON TABLE qa_samples IS '抽检 — one sampling draw: N calls per agent for a week or month, reproducible from its seed and rules.';
COMMENT ON COLUMN qa_samples.sample_id IS 'Draw id (qa_reviews.sample_id points here).';
COMMENT ON COLUMN qa_samples.period_kind IS 'week (Monday to Sunday) or month.';
COMMENT ON COLUMN qa_samples.period_start IS 'First local day of the period.';
COMMENT ON COLUMN qa_samples.period_end IS 'Last local day of the period (inclusive).';
COMMENT ON COLUMN qa_samples.per_agent IS 'Calls asked for per agent (the quota).';
COMMENT ON COLUMN qa_samples.seed IS 'Seed of the draw: the same seed, rules and data draw the same calls.';
COMMENT ON COLUMN qa_samples.rules IS 'Exclusions and oversampling used (min talk seconds, weights), as JSON.';
COMMENT ON COLUMN qa_samples.reviewers IS 'Reviewers the draw was shared among, as a JSON list.';
COMMENT ON COLUMN qa_samples.created_at IS 'When the draw ran.';
COMMENT ON COLUMN qa_samples.created_by IS 'Who ran it.';

CREATE TABLE IF NOT EXISTS qa_sample_calls (
  call_id   VARCHAR PRIMARY KEY,
  sample_id BIGINT NOT NULL,
  agent_id  VARCHAR NOT NULL,
  stratum   VARCHAR NOT NULL,
  weight    DOUBLE NOT NULL,
  reviewer  VARCHAR NOT NULL,
  rank      INTEGER NOT NULL
);
COMMENT ON TABLE qa_sample_calls IS '抽检明细 — the calls a draw selected and the reviewer each is assigned to; a call is drawn at most once (primary key).';
COMMENT ON COLUMN qa_sample_calls.call_id IS 'Call drawn (calls.call_id).';
COMMENT ON COLUMN qa_sample_calls.sample_id IS 'Draw (qa_samples.sample_id).';
COMMENT ON COLUMN qa_sample_calls.agent_id IS 'Agent whose call it is.';
COMMENT ON COLUMN qa_sample_calls.stratum IS 'Stratum the call was drawn from: queue and outcome, e.g. complaint/unresolved.';
COMMENT ON COLUMN qa_sample_calls.weight IS 'Selection weight (above 1 when oversampled: complaint or low survey score).';
COMMENT ON COLUMN qa_sample_calls.reviewer IS 'Reviewer assigned to score the call.';
COMMENT ON COLUMN qa_sample_calls.rank IS 'Order of the call within its agent''s draw, from 1.';

CREATE TABLE IF NOT EXISTS qa_auto_results (
  call_id           VARCHAR NOT NULL,
  scorecard_id      VARCHAR NOT NULL,
  scorecard_version INTEGER NOT NULL,
  rule              VARCHAR NOT NULL,
  passed            BOOLEAN,
  value             DOUBLE,
  evidence          JSON NOT NULL,
  computed_at       TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  PRIMARY KEY (call_id, scorecard_id, scorecard_version, rule)
);
COMMENT ON TABLE qa_auto_results IS '自动质检 — each auto-QA rule''s result on a transcribed call, with its evidence.';
COMMENT ON COLUMN qa_auto_results.call_id IS 'Call (utterances.call_id).';
COMMENT ON COLUMN qa_auto_results.scorecard_id IS 'Scorecard whose rules (phrase lists, thresholds) were applied.';
COMMENT ON COLUMN qa_auto_results.scorecard_version IS 'Scorecard version applied.';
COMMENT ON COLUMN qa_auto_results.rule IS 'opening, courtesy, acknowledgement, hold, forbidden, interruption, silence, speaking_rate, talk_ratio, closing.';
COMMENT ON COLUMN qa_auto_results.passed IS 'true pass, false fail, null not applicable (e.g. no hold in the call).';
COMMENT ON COLUMN qa_auto_results.value IS 'The measured number, when the rule measures one (share, rate, count).';
COMMENT ON COLUMN qa_auto_results.evidence IS 'JSON list of {seq, speaker, start_ms, end_ms, text, note}: the quoted utterances and their time.';
COMMENT ON COLUMN qa_auto_results.computed_at IS 'When the rule ran.';

CREATE TABLE IF NOT EXISTS qa_disputes (
  dispute_id      BIGINT PRIMARY KEY,
  review_id       BIGINT NOT NULL,
  review_version  INTEGER NOT NULL,
  item_id         VARCHAR NOT NULL,
  agent_id        VARCHAR NOT NULL,
  reason          VARCHAR NOT NULL,
  opened_at       TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  status          VARCHAR NOT NULL DEFAULT 'open',
  arbitrator      VARCHAR,
  decision_reason VARCHAR,
  new_score       DOUBLE,
  new_na          BOOLEAN,
  result_version  INTEGER,
  decided_at      TIMESTAMPTZ,
  CHECK (status IN ('open', 'accepted', 'rejected'))
);
COMMENT ON TABLE qa_disputes IS '申诉 — an agent disputes one item of a review; an arbitrator accepts (a new review version) or rejects it.';
COMMENT ON COLUMN qa_disputes.dispute_id IS 'Dispute id.';
COMMENT ON COLUMN qa_disputes.review_id IS 'Review disputed (qa_reviews.review_id).';
COMMENT ON COLUMN qa_disputes.review_version IS 'Review version disputed.';
COMMENT ON COLUMN qa_disputes.item_id IS 'Scorecard item disputed.';
COMMENT ON COLUMN qa_disputes.agent_id IS 'Agent who disputes (the reviewed agent).';
COMMENT ON COLUMN qa_disputes.reason IS 'Why the agent disputes the score.';
COMMENT ON COLUMN qa_disputes.opened_at IS 'When the dispute was raised.';
COMMENT ON COLUMN qa_disputes.status IS 'open, accepted (score changed) or rejected.';
COMMENT ON COLUMN qa_disputes.arbitrator IS 'Who decided.';
COMMENT ON COLUMN qa_disputes.decision_reason IS 'The arbitrator''s reason.';
COMMENT ON COLUMN qa_disputes.new_score IS 'Score given to the item when accepted.';
COMMENT ON COLUMN qa_disputes.new_na IS 'Item set to N/A when accepted.';
COMMENT ON COLUMN qa_disputes.result_version IS 'Review version written by the acceptance.';
COMMENT ON COLUMN qa_disputes.decided_at IS 'When it was decided.';

CREATE TABLE IF NOT EXISTS qa_calibrations (
  calibration_id BIGINT PRIMARY KEY,
  name           VARCHAR NOT NULL,
  call_ids       JSON NOT NULL,
  reviewers      JSON NOT NULL,
  expert         VARCHAR,
  scorecard_id   VARCHAR NOT NULL,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  created_by     VARCHAR
);
COMMENT ON TABLE qa_calibrations IS '校准 — the same calls scored independently by several reviewers, to measure their agreement.';
COMMENT ON COLUMN qa_calibrations.calibration_id IS 'Calibration session id (qa_reviews.calibration_id).';
COMMENT ON COLUMN qa_calibrations.name IS 'Name as shown.';
COMMENT ON COLUMN qa_calibrations.call_ids IS 'Calls every reviewer scores, as a JSON list.';
COMMENT ON COLUMN qa_calibrations.reviewers IS 'Reviewers taking part, as a JSON list.';
COMMENT ON COLUMN qa_calibrations.expert IS 'Reviewer whose scores are the reference, if named; else the consensus is.';
COMMENT ON COLUMN qa_calibrations.scorecard_id IS 'Scorecard used.';
COMMENT ON COLUMN qa_calibrations.created_at IS 'When the session was set up.';
COMMENT ON COLUMN qa_calibrations.created_by IS 'Who set it up.';

ALTER TABLE qa_reviews ADD COLUMN IF NOT EXISTS calibration_id BIGINT;
COMMENT ON COLUMN qa_reviews.calibration_id IS 'Calibration session the review belongs to; such reviews do not count in the agent''s scores.';
