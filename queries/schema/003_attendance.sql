CREATE TABLE IF NOT EXISTS shift_types (
  code       VARCHAR PRIMARY KEY,
  name       VARCHAR NOT NULL,
  starts     TIME NOT NULL,
  ends       TIME NOT NULL,
  paid_hours DOUBLE NOT NULL
);
COMMENT ON TABLE shift_types IS '班次 — shift templates; a shift whose end is before its start ends the next day (night 17:00–01:00).';
COMMENT ON COLUMN shift_types.code IS 'Shift code, e.g. day, night, regular, evening.';
COMMENT ON COLUMN shift_types.name IS 'Name as shown, e.g. 白班.';
COMMENT ON COLUMN shift_types.starts IS 'Local start time.';
COMMENT ON COLUMN shift_types.ends IS 'Local end time; earlier than starts means the next day.';
COMMENT ON COLUMN shift_types.paid_hours IS 'Hours the shift counts for.';

CREATE TABLE IF NOT EXISTS shifts (
  agent_id   VARCHAR NOT NULL,
  shift_date DATE NOT NULL,
  shift_code VARCHAR NOT NULL,
  starts_at  TIMESTAMPTZ NOT NULL,
  ends_at    TIMESTAMPTZ NOT NULL,
  ingest_id  BIGINT,
  CHECK (ends_at > starts_at)
);
COMMENT ON TABLE shifts IS '排班 — the schedule: one row per agent per scheduled shift (rest days have no row).';
COMMENT ON COLUMN shifts.agent_id IS 'Agent (工号).';
COMMENT ON COLUMN shifts.shift_date IS 'The day the shift starts on (a night shift belongs to the day it starts).';
COMMENT ON COLUMN shifts.shift_code IS 'Shift template (shift_types.code).';
COMMENT ON COLUMN shifts.starts_at IS 'Scheduled start.';
COMMENT ON COLUMN shifts.ends_at IS 'Scheduled end (the next day for a night shift).';
COMMENT ON COLUMN shifts.ingest_id IS 'The ingest (ingest_log.ingest_id) that loaded this row.';

CREATE TABLE IF NOT EXISTS attendance (
  agent_id  VARCHAR NOT NULL,
  punched_at TIMESTAMPTZ NOT NULL,
  direction VARCHAR NOT NULL,
  device    VARCHAR,
  ingest_id BIGINT,
  CHECK (direction IN ('in', 'out'))
);
COMMENT ON TABLE attendance IS '打卡 — attendance punches from the time clock; matched to shifts to find lateness, early leave and absence.';
COMMENT ON COLUMN attendance.agent_id IS 'Agent (工号).';
COMMENT ON COLUMN attendance.punched_at IS 'When the agent punched.';
COMMENT ON COLUMN attendance.direction IS 'in (上班) or out (下班).';
COMMENT ON COLUMN attendance.device IS 'Time clock that recorded the punch.';
COMMENT ON COLUMN attendance.ingest_id IS 'The ingest (ingest_log.ingest_id) that loaded this row.';

CREATE TABLE IF NOT EXISTS leaves (
  agent_id  VARCHAR NOT NULL,
  starts_on DATE NOT NULL,
  ends_on   DATE NOT NULL,
  kind      VARCHAR NOT NULL,
  approved  BOOLEAN NOT NULL,
  ingest_id BIGINT,
  CHECK (ends_on >= starts_on)
);
COMMENT ON TABLE leaves IS '请假 — leave requests; an absence covered by approved leave is leave, not absence.';
COMMENT ON COLUMN leaves.agent_id IS 'Agent (工号).';
COMMENT ON COLUMN leaves.starts_on IS 'First day of leave.';
COMMENT ON COLUMN leaves.ends_on IS 'Last day of leave (inclusive).';
COMMENT ON COLUMN leaves.kind IS 'annual 年假, sick 病假, personal 事假, other.';
COMMENT ON COLUMN leaves.approved IS 'Approved by a supervisor.';
COMMENT ON COLUMN leaves.ingest_id IS 'The ingest (ingest_log.ingest_id) that loaded this row.';

INSERT INTO shift_types VALUES
  ('day', '白班', TIME '08:00', TIME '17:00', 8),
  ('night', '夜班', TIME '17:00', TIME '01:00', 8),
  ('regular', '常日班', TIME '09:00', TIME '18:00', 8),
  ('evening', '晚班', TIME '16:30', TIME '22:00', 5.5)
ON CONFLICT (code) DO NOTHING;
