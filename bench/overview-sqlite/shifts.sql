-- The schedule (queries/schema/003_attendance.sql's shifts) for the like-for-like query's occupancy;
-- starts_at and ends_at are Unix epoch seconds like the calls' timestamps.
CREATE TABLE IF NOT EXISTS shifts (
  agent_id   TEXT NOT NULL,
  shift_date TEXT NOT NULL,
  shift_code TEXT NOT NULL,
  starts_at  INTEGER NOT NULL,
  ends_at    INTEGER NOT NULL
);
