CREATE TABLE IF NOT EXISTS tickets (
  ticket_id            VARCHAR NOT NULL,
  type                 VARCHAR NOT NULL,
  status               VARCHAR NOT NULL,
  severity             TINYINT,
  cause_group          VARCHAR,
  cause                VARCHAR,
  sub_cause            VARCHAR,
  department           VARCHAR,
  channel              VARCHAR NOT NULL DEFAULT 'phone',
  customer_number      VARCHAR,
  customer_name        VARCHAR,
  call_id              VARCHAR,
  opened_by            VARCHAR,
  opened_at            TIMESTAMPTZ NOT NULL,
  promised_callback_at TIMESTAMPTZ,
  received_due_at      TIMESTAMPTZ,
  contact_due_at       TIMESTAMPTZ,
  solution_due_at      TIMESTAMPTZ,
  callback_due_at      TIMESTAMPTZ,
  closed_at            TIMESTAMPTZ,
  summary              VARCHAR,
  major                BOOLEAN NOT NULL DEFAULT false,
  ingest_id            BIGINT,
  CHECK (type IN ('inquiry', 'complaint', 'suggestion', 'repair', 'emergency_repair', 'site_survey', 'return', 'order')),
  CHECK (status IN ('open', 'in_progress', 'resolved', 'closed', 'reopened')),
  CHECK (severity IS NULL OR severity BETWEEN 1 AND 4),
  CHECK (closed_at IS NULL OR closed_at >= opened_at)
);
COMMENT ON TABLE tickets IS '工单 — tickets opened from calls or other channels; complaints carry their root cause.';
COMMENT ON COLUMN tickets.ticket_id IS 'Ticket number from the ticketing system.';
COMMENT ON COLUMN tickets.type IS 'inquiry 咨询, complaint 投诉, suggestion 建议, repair 报修, emergency_repair 抢修, site_survey 勘察, return 退换货, order 订单.';
COMMENT ON COLUMN tickets.status IS 'open, in_progress, resolved, closed or reopened.';
COMMENT ON COLUMN tickets.severity IS 'Complaint severity 1–4; 1 is the gravest (handled at headquarters).';
COMMENT ON COLUMN tickets.cause_group IS 'Root-cause group: product 商品, service 服务, safety 安全 (or a center''s own).';
COMMENT ON COLUMN tickets.cause IS 'Root cause within the group, e.g. 品质, 工作人员态度不佳.';
COMMENT ON COLUMN tickets.sub_cause IS 'Optional finer cause.';
COMMENT ON COLUMN tickets.department IS 'Responsible department (责任部门) the ticket was sent to.';
COMMENT ON COLUMN tickets.channel IS 'Where the ticket came from: phone, web, wechat, email, walk_in.';
COMMENT ON COLUMN tickets.customer_number IS 'Customer''s phone number — personal data.';
COMMENT ON COLUMN tickets.customer_name IS 'Customer''s name as recorded — personal data.';
COMMENT ON COLUMN tickets.call_id IS 'The call (calls.call_id) the ticket was opened from, if any.';
COMMENT ON COLUMN tickets.opened_by IS 'Agent (工号) who opened the ticket.';
COMMENT ON COLUMN tickets.opened_at IS 'When the ticket was opened (受理 intake).';
COMMENT ON COLUMN tickets.promised_callback_at IS 'When the agent promised to call the customer back.';
COMMENT ON COLUMN tickets.received_due_at IS 'SLA: complaint received by the service desk by then (3 hours after intake).';
COMMENT ON COLUMN tickets.contact_due_at IS 'SLA: responsible department phones the customer by then (24 hours).';
COMMENT ON COLUMN tickets.solution_due_at IS 'SLA: solution agreed or on-site visit by then (48 hours).';
COMMENT ON COLUMN tickets.callback_due_at IS 'SLA: callback after service by then (3 days).';
COMMENT ON COLUMN tickets.closed_at IS 'When the ticket was closed (总结 summary done).';
COMMENT ON COLUMN tickets.summary IS 'What the customer reported (the 顾客投诉登记表 text).';
COMMENT ON COLUMN tickets.major IS '重大投诉: media exposure or a government penalty; the target is zero.';
COMMENT ON COLUMN tickets.ingest_id IS 'The ingest (ingest_log.ingest_id) that loaded this row.';

CREATE TABLE IF NOT EXISTS ticket_events (
  ticket_id  VARCHAR NOT NULL,
  seq        INTEGER NOT NULL,
  event      VARCHAR NOT NULL,
  occurred_at TIMESTAMPTZ NOT NULL,
  actor      VARCHAR,
  department VARCHAR,
  result     VARCHAR,
  note       VARCHAR,
  ingest_id  BIGINT,
  CHECK (event IN ('intake', 'judged', 'investigated', 'solution', 'implemented', 'callback', 'summary', 'escalated', 'reopened', 'closed')),
  CHECK (result IS NULL OR result IN ('valid', 'invalid', 'satisfied', 'unsatisfied', 'unreachable', 'approved', 'confirmed'))
);
COMMENT ON TABLE ticket_events IS '工单事件 — the complaint life cycle, one timestamped row per step.';
COMMENT ON COLUMN ticket_events.ticket_id IS 'Ticket (tickets.ticket_id).';
COMMENT ON COLUMN ticket_events.seq IS 'Number of the event within its ticket: from 1 as the ticketing system exports them, from 1000001 for callbacks recorded in zhijian (so that later imports never collide with them). Order events by occurred_at, then seq.';
COMMENT ON COLUMN ticket_events.event IS 'intake 受理, judged 判断, investigated 调查, solution 方案, implemented 实施, callback 回访, summary 总结, escalated 升级, reopened 重开, closed 结案.';
COMMENT ON COLUMN ticket_events.occurred_at IS 'When the step happened.';
COMMENT ON COLUMN ticket_events.actor IS 'Who did it (工号 or name).';
COMMENT ON COLUMN ticket_events.department IS 'Department involved in the step, if any.';
COMMENT ON COLUMN ticket_events.result IS 'judged: valid/invalid; callback: satisfied/unsatisfied/unreachable; solution: approved; implemented: confirmed.';
COMMENT ON COLUMN ticket_events.note IS 'Free text recorded with the step.';
COMMENT ON COLUMN ticket_events.ingest_id IS 'The ingest (ingest_log.ingest_id) that loaded this row.';
