-- QA inspection (质检). Filled by the QA features; the tables exist from the start so that
-- analysts' SQL and the other pages can rely on them.
CREATE SEQUENCE IF NOT EXISTS qa_review_seq START 1;

CREATE TABLE IF NOT EXISTS qa_scorecards (
  scorecard_id VARCHAR NOT NULL,
  version      INTEGER NOT NULL,
  name         VARCHAR NOT NULL,
  definition   JSON NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  created_by   VARCHAR,
  active       BOOLEAN NOT NULL DEFAULT true,
  PRIMARY KEY (scorecard_id, version)
);
COMMENT ON TABLE qa_scorecards IS '评分表 — QA scorecards, versioned: a review keeps the version it was scored on.';
COMMENT ON COLUMN qa_scorecards.scorecard_id IS 'Scorecard id.';
COMMENT ON COLUMN qa_scorecards.version IS 'Version, from 1; editing a scorecard adds a version.';
COMMENT ON COLUMN qa_scorecards.name IS 'Name as shown.';
COMMENT ON COLUMN qa_scorecards.definition IS 'Sections, items (weight, allowed scores, N/A, critical), auto-QA rules, as JSON.';
COMMENT ON COLUMN qa_scorecards.created_at IS 'When this version was saved.';
COMMENT ON COLUMN qa_scorecards.created_by IS 'Who saved it.';
COMMENT ON COLUMN qa_scorecards.active IS 'Offered for new reviews.';

CREATE TABLE IF NOT EXISTS qa_reviews (
  review_id         BIGINT NOT NULL,
  version           INTEGER NOT NULL,
  call_id           VARCHAR NOT NULL,
  agent_id          VARCHAR,
  reviewer          VARCHAR NOT NULL,
  scorecard_id      VARCHAR NOT NULL,
  scorecard_version INTEGER NOT NULL,
  status            VARCHAR NOT NULL,
  score             DOUBLE,
  critical_failed   BOOLEAN NOT NULL DEFAULT false,
  advice            VARCHAR,
  sample_id         BIGINT,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  submitted_at      TIMESTAMPTZ,
  reason            VARCHAR,
  PRIMARY KEY (review_id, version),
  CHECK (status IN ('draft', 'submitted', 'disputed', 'arbitrated'))
);
COMMENT ON TABLE qa_reviews IS '质检记录 — a reviewer''s scoring of one call; every change (arbitration) adds a version, none is overwritten.';
COMMENT ON COLUMN qa_reviews.review_id IS 'Review id.';
COMMENT ON COLUMN qa_reviews.version IS 'Version of the review, from 1.';
COMMENT ON COLUMN qa_reviews.call_id IS 'Call reviewed (calls.call_id).';
COMMENT ON COLUMN qa_reviews.agent_id IS 'Agent whose call it is (工号).';
COMMENT ON COLUMN qa_reviews.reviewer IS 'Reviewer''s user name.';
COMMENT ON COLUMN qa_reviews.scorecard_id IS 'Scorecard used.';
COMMENT ON COLUMN qa_reviews.scorecard_version IS 'Scorecard version used.';
COMMENT ON COLUMN qa_reviews.status IS 'draft, submitted, disputed, arbitrated.';
COMMENT ON COLUMN qa_reviews.score IS 'Weighted score 0–100.';
COMMENT ON COLUMN qa_reviews.critical_failed IS 'A critical (red-line) item failed: the call fails whatever the score.';
COMMENT ON COLUMN qa_reviews.advice IS '改进意见 — the reviewer''s advice to the agent.';
COMMENT ON COLUMN qa_reviews.sample_id IS 'The sampling draw that selected the call, if any.';
COMMENT ON COLUMN qa_reviews.created_at IS 'When this version was written.';
COMMENT ON COLUMN qa_reviews.submitted_at IS 'When the review was submitted.';
COMMENT ON COLUMN qa_reviews.reason IS 'Why this version exists (e.g. arbitration decision).';

CREATE TABLE IF NOT EXISTS qa_review_items (
  review_id BIGINT NOT NULL,
  version   INTEGER NOT NULL,
  item_id   VARCHAR NOT NULL,
  score     DOUBLE,
  na        BOOLEAN NOT NULL DEFAULT false,
  auto      BOOLEAN NOT NULL DEFAULT false,
  comment   VARCHAR,
  PRIMARY KEY (review_id, version, item_id)
);
COMMENT ON TABLE qa_review_items IS '质检明细 — the score of each scorecard item in a review version.';
COMMENT ON COLUMN qa_review_items.review_id IS 'Review (qa_reviews.review_id).';
COMMENT ON COLUMN qa_review_items.version IS 'Review version.';
COMMENT ON COLUMN qa_review_items.item_id IS 'Scorecard item id.';
COMMENT ON COLUMN qa_review_items.score IS 'Points given; null when N/A.';
COMMENT ON COLUMN qa_review_items.na IS 'Item not applicable to this call.';
COMMENT ON COLUMN qa_review_items.auto IS 'Score taken unchanged from auto-QA.';
COMMENT ON COLUMN qa_review_items.comment IS 'Reviewer''s comment on the item.';
