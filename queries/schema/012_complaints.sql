-- Complaint root-cause analysis (投诉原因分析): the cause taxonomy as data, automatic labels
-- for complaints that arrive without a cause (with confidence and evidence), reviewers'
-- corrections, and one view that gives every complaint its effective cause.
CREATE TABLE IF NOT EXISTS complaint_cause_groups (
  group_code VARCHAR PRIMARY KEY,
  name_zh    VARCHAR NOT NULL,
  name_en    VARCHAR NOT NULL,
  sort       INTEGER NOT NULL
);
COMMENT ON TABLE complaint_cause_groups IS '投诉原因大类 — top level of the complaint cause taxonomy (product 商品, service 服务, safety 安全, or a center''s own).';
COMMENT ON COLUMN complaint_cause_groups.group_code IS 'Code as stored in tickets.cause_group.';
COMMENT ON COLUMN complaint_cause_groups.name_zh IS 'Chinese name.';
COMMENT ON COLUMN complaint_cause_groups.name_en IS 'English name.';
COMMENT ON COLUMN complaint_cause_groups.sort IS 'Display order.';

CREATE TABLE IF NOT EXISTS complaint_causes (
  cause      VARCHAR PRIMARY KEY,
  group_code VARCHAR NOT NULL,
  name_en    VARCHAR NOT NULL,
  department VARCHAR,
  keywords   VARCHAR[] NOT NULL DEFAULT [],
  sort       INTEGER NOT NULL
);
COMMENT ON TABLE complaint_causes IS '投诉原因 — causes within a group, each with its default responsible department and the keywords that point to it.';
COMMENT ON COLUMN complaint_causes.cause IS 'Chinese name, as stored in tickets.cause (e.g. 品质).';
COMMENT ON COLUMN complaint_causes.group_code IS 'Group (complaint_cause_groups.group_code).';
COMMENT ON COLUMN complaint_causes.name_en IS 'English name.';
COMMENT ON COLUMN complaint_causes.department IS 'Default responsible department (责任部门) for a complaint of this cause.';
COMMENT ON COLUMN complaint_causes.keywords IS 'Words and phrases (Chinese and English) that are evidence of this cause for the classifier.';
COMMENT ON COLUMN complaint_causes.sort IS 'Display order.';

CREATE TABLE IF NOT EXISTS complaint_sub_causes (
  cause     VARCHAR NOT NULL,
  sub_cause VARCHAR NOT NULL,
  name_en   VARCHAR NOT NULL,
  keywords  VARCHAR[] NOT NULL DEFAULT [],
  sort      INTEGER NOT NULL,
  PRIMARY KEY (cause, sub_cause)
);
COMMENT ON TABLE complaint_sub_causes IS '投诉细分原因 — optional finer causes under a cause.';
COMMENT ON COLUMN complaint_sub_causes.cause IS 'Cause (complaint_causes.cause).';
COMMENT ON COLUMN complaint_sub_causes.sub_cause IS 'Chinese name, as stored in tickets.sub_cause.';
COMMENT ON COLUMN complaint_sub_causes.name_en IS 'English name.';
COMMENT ON COLUMN complaint_sub_causes.keywords IS 'Words and phrases that point to this sub-cause.';
COMMENT ON COLUMN complaint_sub_causes.sort IS 'Display order.';

CREATE TABLE IF NOT EXISTS complaint_labels (
  ticket_id       VARCHAR PRIMARY KEY,
  cause           VARCHAR NOT NULL,
  sub_cause       VARCHAR,
  source          VARCHAR NOT NULL,
  confidence      DOUBLE,
  evidence        JSON,
  model           VARCHAR,
  labelled_at     TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  reviewer        VARCHAR,
  auto_cause      VARCHAR,
  auto_confidence DOUBLE,
  CHECK (source IN ('auto', 'reviewer')),
  CHECK (confidence IS NULL OR confidence BETWEEN 0 AND 1)
);
COMMENT ON TABLE complaint_labels IS '投诉原因标注 — causes given to complaints by the classifier (auto) or a reviewer; a reviewer''s label overrides the ticket''s own cause.';
COMMENT ON COLUMN complaint_labels.ticket_id IS 'Complaint ticket (tickets.ticket_id).';
COMMENT ON COLUMN complaint_labels.cause IS 'Cause given (complaint_causes.cause).';
COMMENT ON COLUMN complaint_labels.sub_cause IS 'Sub-cause given, if any.';
COMMENT ON COLUMN complaint_labels.source IS 'auto (the classifier) or reviewer (a person confirmed or corrected it).';
COMMENT ON COLUMN complaint_labels.confidence IS 'Classifier''s probability of the cause it chose (0–1); null for a reviewer''s label.';
COMMENT ON COLUMN complaint_labels.evidence IS 'JSON list of what triggered the label: {source: summary|transcript, seq, start_ms, text, terms: [{term, weight, keyword}]}.';
COMMENT ON COLUMN complaint_labels.model IS 'Classifier version: training size and date.';
COMMENT ON COLUMN complaint_labels.labelled_at IS 'When the label was given.';
COMMENT ON COLUMN complaint_labels.reviewer IS 'Reviewer who confirmed or corrected it.';
COMMENT ON COLUMN complaint_labels.auto_cause IS 'The classifier''s cause before a reviewer''s correction.';
COMMENT ON COLUMN complaint_labels.auto_confidence IS 'The classifier''s confidence before a reviewer''s correction.';

CREATE SEQUENCE IF NOT EXISTS complaint_correction_seq START 1;
CREATE TABLE IF NOT EXISTS complaint_corrections (
  correction_id BIGINT PRIMARY KEY DEFAULT nextval('complaint_correction_seq'),
  ticket_id     VARCHAR NOT NULL,
  from_cause    VARCHAR,
  from_source   VARCHAR,
  to_cause      VARCHAR NOT NULL,
  to_sub_cause  VARCHAR,
  reviewer      VARCHAR NOT NULL,
  corrected_at  TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  note          VARCHAR
);
COMMENT ON TABLE complaint_corrections IS '标注更正 — every confirmation or correction of a complaint''s cause by a reviewer (history; the training set reads complaint_labels).';
COMMENT ON COLUMN complaint_corrections.correction_id IS 'Running number.';
COMMENT ON COLUMN complaint_corrections.ticket_id IS 'Complaint ticket.';
COMMENT ON COLUMN complaint_corrections.from_cause IS 'Cause before (auto label or the ticket''s own).';
COMMENT ON COLUMN complaint_corrections.from_source IS 'Where the cause before came from: source (the ticket), auto, reviewer, or null.';
COMMENT ON COLUMN complaint_corrections.to_cause IS 'Cause the reviewer gave.';
COMMENT ON COLUMN complaint_corrections.to_sub_cause IS 'Sub-cause the reviewer gave.';
COMMENT ON COLUMN complaint_corrections.reviewer IS 'Who did it.';
COMMENT ON COLUMN complaint_corrections.corrected_at IS 'When.';
COMMENT ON COLUMN complaint_corrections.note IS 'Reviewer''s note.';

CREATE OR REPLACE VIEW complaint_facts AS
SELECT
  t.ticket_id, t.status, t.severity, t.major, t.channel, t.customer_number, t.customer_name, t.call_id, t.opened_by,
  t.opened_at, t.closed_at, t.received_due_at, t.contact_due_at, t.solution_due_at, t.callback_due_at, t.summary,
  CASE WHEN l.source = 'reviewer' THEN l.cause ELSE coalesce(t.cause, l.cause) END AS cause,
  CASE WHEN l.source = 'reviewer' THEN l.sub_cause WHEN t.cause IS NOT NULL THEN t.sub_cause ELSE l.sub_cause END AS sub_cause,
  CASE WHEN l.source = 'reviewer' THEN 'reviewer' WHEN t.cause IS NOT NULL THEN 'source' WHEN l.cause IS NOT NULL THEN 'auto' END AS cause_source,
  CASE WHEN l.source = 'auto' AND t.cause IS NULL THEN l.confidence END AS confidence,
  coalesce(c.group_code, t.cause_group) AS cause_group,
  coalesce(t.department, c.department) AS department
FROM tickets t
LEFT JOIN complaint_labels l ON l.ticket_id = t.ticket_id
LEFT JOIN complaint_causes c ON c.cause = (CASE WHEN l.source = 'reviewer' THEN l.cause ELSE coalesce(t.cause, l.cause) END)
WHERE t.type = 'complaint';
