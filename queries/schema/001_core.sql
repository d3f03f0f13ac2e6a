-- Core dimensions and calls. Every statement is idempotent: the schema is applied at every open.
-- Big fact tables (calls, utterances, tickets, events, attendance) carry no PRIMARY KEY index:
-- uniqueness is enforced by the loader (anti-join on the natural key), which keeps bulk loads fast.

CREATE TABLE IF NOT EXISTS settings (
  key   VARCHAR PRIMARY KEY,
  value VARCHAR NOT NULL
);
COMMENT ON TABLE settings IS 'Warehouse-wide settings, e.g. time_zone (the center''s IANA zone, default Asia/Shanghai).';
COMMENT ON COLUMN settings.key IS 'Setting name.';
COMMENT ON COLUMN settings.value IS 'Setting value, as text.';

CREATE TABLE IF NOT EXISTS teams (
  team_id VARCHAR PRIMARY KEY,
  name    VARCHAR NOT NULL,
  lead_agent_id VARCHAR
);
COMMENT ON TABLE teams IS '班组 — agent teams, each led by a team lead (班长).';
COMMENT ON COLUMN teams.team_id IS 'Team code, e.g. T01.';
COMMENT ON COLUMN teams.name IS 'Team name as shown to users, e.g. 一组.';
COMMENT ON COLUMN teams.lead_agent_id IS 'Employee number (工号) of the team lead, if known.';

CREATE TABLE IF NOT EXISTS agents (
  agent_id  VARCHAR PRIMARY KEY,
  name      VARCHAR NOT NULL,
  team_id   VARCHAR,
  role      VARCHAR NOT NULL DEFAULT 'agent',
  hired_on  DATE,
  left_on   DATE,
  active    BOOLEAN NOT NULL DEFAULT true
);
COMMENT ON TABLE agents IS '坐席 — agents and the other people who handle calls and tickets.';
COMMENT ON COLUMN agents.agent_id IS 'Employee number (工号); the key every other table uses for an agent.';
COMMENT ON COLUMN agents.name IS 'Full name (姓名).';
COMMENT ON COLUMN agents.team_id IS 'Team (teams.team_id).';
COMMENT ON COLUMN agents.role IS 'agent, team_lead, complaint_handler, callback_specialist, info_desk or supervisor.';
COMMENT ON COLUMN agents.hired_on IS 'First working day.';
COMMENT ON COLUMN agents.left_on IS 'Last working day, if the agent has left.';
COMMENT ON COLUMN agents.active IS 'Still employed.';

CREATE TABLE IF NOT EXISTS queues (
  queue_id VARCHAR PRIMARY KEY,
  name     VARCHAR NOT NULL,
  kind     VARCHAR NOT NULL DEFAULT 'consultation',
  language VARCHAR NOT NULL DEFAULT 'zh'
);
COMMENT ON TABLE queues IS '队列 — the queues callers choose in the IVR.';
COMMENT ON COLUMN queues.queue_id IS 'Queue code, e.g. consult, complaint, repair, sales.';
COMMENT ON COLUMN queues.name IS 'Queue name as shown to users, e.g. 业务咨询.';
COMMENT ON COLUMN queues.kind IS 'consultation, complaint, repair or sales.';
COMMENT ON COLUMN queues.language IS 'Main language of the queue''s calls (zh, en), used by transcription.';

CREATE TABLE IF NOT EXISTS calls (
  call_id        VARCHAR NOT NULL,
  direction      VARCHAR NOT NULL,
  disposition    VARCHAR NOT NULL,
  queue_id       VARCHAR,
  agent_id       VARCHAR,
  caller_number  VARCHAR,
  enqueued_at    TIMESTAMPTZ NOT NULL,
  answered_at    TIMESTAMPTZ,
  ended_at       TIMESTAMPTZ NOT NULL,
  wait_s         DOUBLE NOT NULL DEFAULT 0,
  talk_s         DOUBLE NOT NULL DEFAULT 0,
  hold_s         DOUBLE NOT NULL DEFAULT 0,
  wrap_s         DOUBLE NOT NULL DEFAULT 0,
  transferred_to VARCHAR,
  recording      VARCHAR,
  survey_score   TINYINT,
  resolved       BOOLEAN,
  ingest_id      BIGINT,
  CHECK (direction IN ('inbound', 'outbound', 'callback')),
  CHECK (disposition IN ('answered', 'abandoned', 'transferred', 'callback', 'voicemail')),
  CHECK (survey_score IS NULL OR survey_score BETWEEN 1 AND 5),
  CHECK (wait_s >= 0 AND talk_s >= 0 AND hold_s >= 0 AND wrap_s >= 0),
  CHECK (ended_at >= enqueued_at)
);
COMMENT ON TABLE calls IS '通话 — one row per call leg handled by the center (inbound, outbound, callback).';
COMMENT ON COLUMN calls.call_id IS 'Unique call id from the telephony system (e.g. Asterisk uniqueid); recordings are named by it.';
COMMENT ON COLUMN calls.direction IS 'inbound (customer called), outbound (agent called), callback (回访 or promised call back).';
COMMENT ON COLUMN calls.disposition IS 'answered, abandoned (caller hung up while waiting), transferred, callback (caller left a callback request), voicemail.';
COMMENT ON COLUMN calls.queue_id IS 'Queue (queues.queue_id) the call waited in; null for outbound calls.';
COMMENT ON COLUMN calls.agent_id IS 'Agent (工号) who handled the call; null when nobody answered.';
COMMENT ON COLUMN calls.caller_number IS 'Customer''s phone number (caller for inbound, callee for outbound) — personal data.';
COMMENT ON COLUMN calls.enqueued_at IS 'When the call entered the queue (outbound: when dialling started).';
COMMENT ON COLUMN calls.answered_at IS 'When an agent answered; null if never answered.';
COMMENT ON COLUMN calls.ended_at IS 'When the call ended (hang-up).';
COMMENT ON COLUMN calls.wait_s IS 'Seconds waiting in queue before answer or abandonment.';
COMMENT ON COLUMN calls.talk_s IS 'Seconds of conversation, hold excluded.';
COMMENT ON COLUMN calls.hold_s IS 'Seconds the customer was on hold.';
COMMENT ON COLUMN calls.wrap_s IS 'After-call work (wrap-up) seconds.';
COMMENT ON COLUMN calls.transferred_to IS 'Queue or agent the call was transferred to, for transferred calls.';
COMMENT ON COLUMN calls.recording IS 'Recording file name (usually <call_id>.wav), relative to the recordings folder.';
COMMENT ON COLUMN calls.survey_score IS 'Post-call satisfaction survey, 1 (极不满意) to 5 (高度满意); null when not answered.';
COMMENT ON COLUMN calls.resolved IS 'The agent''s own mark: resolved on this call (true) or not (false).';
COMMENT ON COLUMN calls.ingest_id IS 'The ingest (ingest_log.ingest_id) that loaded this row.';

CREATE TABLE IF NOT EXISTS utterances (
  call_id   VARCHAR NOT NULL,
  seq       INTEGER NOT NULL,
  speaker   VARCHAR NOT NULL,
  start_ms  INTEGER NOT NULL,
  end_ms    INTEGER NOT NULL,
  text      VARCHAR NOT NULL,
  redactions JSON,
  source    VARCHAR NOT NULL DEFAULT 'asr',
  CHECK (speaker IN ('agent', 'customer', 'unknown')),
  CHECK (end_ms >= start_ms)
);
COMMENT ON TABLE utterances IS '转写 — transcript of a call, one row per utterance, personal numbers already redacted.';
COMMENT ON COLUMN utterances.call_id IS 'Call (calls.call_id) or, for a recording with no call record yet, the recording''s id.';
COMMENT ON COLUMN utterances.seq IS 'Order of the utterance in the call, from 0, by start time.';
COMMENT ON COLUMN utterances.speaker IS 'agent, customer or unknown (mono recordings).';
COMMENT ON COLUMN utterances.start_ms IS 'Start, milliseconds from the start of the recording.';
COMMENT ON COLUMN utterances.end_ms IS 'End, milliseconds from the start of the recording.';
COMMENT ON COLUMN utterances.text IS 'What was said, with redaction tags such as [手机号] in place of personal numbers.';
COMMENT ON COLUMN utterances.redactions IS 'JSON list of {start,end,kind} character spans of text that are redaction tags.';
COMMENT ON COLUMN utterances.source IS 'asr (transcribed by whisper.cpp) or script (demo data).';
