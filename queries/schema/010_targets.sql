-- Managers' dashboard settings. Additive only; every statement is idempotent.

CREATE TABLE IF NOT EXISTS star_weights (
  valid_from DATE NOT NULL,
  component  VARCHAR NOT NULL,
  weight     DOUBLE NOT NULL,
  saved_at   TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  PRIMARY KEY (valid_from, component),
  CHECK (weight >= 0),
  CHECK (component IN ('qa', 'satisfaction', 'fcr', 'handle_time', 'volume', 'complaints', 'attendance'))
);
COMMENT ON TABLE star_weights IS '明星榜权重 — the star list''s weights; a month uses the set with the latest valid_from on or before it, so earlier months keep theirs.';
COMMENT ON COLUMN star_weights.valid_from IS 'First day of the first month these weights apply to.';
COMMENT ON COLUMN star_weights.component IS 'qa, satisfaction, fcr, handle_time, volume, complaints or attendance.';
COMMENT ON COLUMN star_weights.weight IS 'Weight of the component in the composite (non-negative; weights are divided by their sum).';
COMMENT ON COLUMN star_weights.saved_at IS 'When the weight was saved.';

CREATE TABLE IF NOT EXISTS sla_targets (
  target_id   VARCHAR PRIMARY KEY,
  limit_hours DOUBLE,
  goal        DOUBLE NOT NULL,
  clock       VARCHAR NOT NULL DEFAULT 'calendar',
  updated_at  TIMESTAMPTZ,
  CHECK (limit_hours IS NULL OR limit_hours > 0),
  CHECK (goal BETWEEN 0 AND 1),
  CHECK (clock IN ('calendar', 'business'))
);
COMMENT ON TABLE sla_targets IS '服务目标 — the service targets of the domain''s manuals, editable: the time limit, the share that must comply and the clock.';
COMMENT ON COLUMN sla_targets.target_id IS 'Rule (its definition is in queries/metrics/ticket_sla.sql; web/lib/server/targets/service.ts lists them): callback_5min, complaint_received, department_contact, solution, callback_3d, complaint_cycle, callback_rate, satisfaction.';
COMMENT ON COLUMN sla_targets.limit_hours IS 'Time limit in hours for the time rules; null for the rate targets.';
COMMENT ON COLUMN sla_targets.goal IS 'Share of cases that must comply (0–1), e.g. 0.98; for satisfaction the share of 4 and 5 scores.';
COMMENT ON COLUMN sla_targets.clock IS 'calendar (every hour counts) or business (only the hours of work_calendar count).';
COMMENT ON COLUMN sla_targets.updated_at IS 'When the target was last edited; null for the shipped default.';

INSERT INTO sla_targets (target_id, limit_hours, goal, clock) VALUES
  ('callback_5min', 0.0833333333333333, 0.98, 'calendar'),
  ('complaint_received', 3, 0.98, 'calendar'),
  ('department_contact', 24, 0.98, 'calendar'),
  ('solution', 48, 0.98, 'calendar'),
  ('callback_3d', 72, 0.98, 'calendar'),
  ('complaint_cycle', 24, 0.98, 'calendar'),
  ('callback_rate', NULL, 1.0, 'calendar'),
  ('satisfaction', NULL, 0.9, 'calendar')
ON CONFLICT (target_id) DO NOTHING;

CREATE TABLE IF NOT EXISTS work_calendar (
  weekday TINYINT PRIMARY KEY,
  working BOOLEAN NOT NULL,
  starts  TIME NOT NULL,
  ends    TIME NOT NULL,
  CHECK (weekday BETWEEN 1 AND 7),
  CHECK (ends > starts)
);
COMMENT ON TABLE work_calendar IS '工作日历 — the working hours business-hour clocks count, one row per weekday.';
COMMENT ON COLUMN work_calendar.weekday IS 'ISO weekday: 1 = Monday … 7 = Sunday.';
COMMENT ON COLUMN work_calendar.working IS 'A working day; days off count no hours.';
COMMENT ON COLUMN work_calendar.starts IS 'Local start of the working day.';
COMMENT ON COLUMN work_calendar.ends IS 'Local end of the working day.';

INSERT INTO work_calendar VALUES
  (1, true, TIME '09:00', TIME '18:00'), (2, true, TIME '09:00', TIME '18:00'), (3, true, TIME '09:00', TIME '18:00'),
  (4, true, TIME '09:00', TIME '18:00'), (5, true, TIME '09:00', TIME '18:00'),
  (6, false, TIME '09:00', TIME '18:00'), (7, false, TIME '09:00', TIME '18:00')
ON CONFLICT (weekday) DO NOTHING;
