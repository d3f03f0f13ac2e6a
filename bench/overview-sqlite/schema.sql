-- The calls table of zhijian's warehouse (queries/schema/001_core.sql) in SQLite's types.
-- SQLite has no time-zone-aware timestamp: enqueued_at, answered_at and ended_at are Unix epoch
-- seconds (INTEGER, UTC); the overview's local days are found with the zone's UTC offset.
-- Like the warehouse, no key on call_id (the overview never looks a call up by id).
CREATE TABLE IF NOT EXISTS calls (
  call_id        TEXT NOT NULL,
  direction      TEXT NOT NULL,
  disposition    TEXT NOT NULL,
  queue_id       TEXT,
  agent_id       TEXT,
  caller_number  TEXT,
  enqueued_at    INTEGER NOT NULL,
  answered_at    INTEGER,
  ended_at       INTEGER NOT NULL,
  wait_s         REAL NOT NULL DEFAULT 0,
  talk_s         REAL NOT NULL DEFAULT 0,
  hold_s         REAL NOT NULL DEFAULT 0,
  wrap_s         REAL NOT NULL DEFAULT 0,
  transferred_to TEXT,
  recording      TEXT,
  survey_score   INTEGER,
  resolved       INTEGER
);
