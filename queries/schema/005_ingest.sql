CREATE SEQUENCE IF NOT EXISTS ingest_seq START 1;

CREATE TABLE IF NOT EXISTS ingest_log (
  ingest_id     BIGINT PRIMARY KEY,
  file          VARCHAR NOT NULL,
  sha256        VARCHAR NOT NULL,
  kind          VARCHAR NOT NULL,
  profile       VARCHAR,
  started_at    TIMESTAMPTZ NOT NULL,
  finished_at   TIMESTAMPTZ NOT NULL,
  rows_read     BIGINT NOT NULL,
  rows_loaded   BIGINT NOT NULL,
  rows_rejected BIGINT NOT NULL,
  rows_present  BIGINT NOT NULL
);
COMMENT ON TABLE ingest_log IS 'One row per file loaded; a file whose sha256 is here is not loaded again.';
COMMENT ON COLUMN ingest_log.ingest_id IS 'Ingest id, referenced by the loaded rows'' ingest_id.';
COMMENT ON COLUMN ingest_log.file IS 'Path of the file as given.';
COMMENT ON COLUMN ingest_log.sha256 IS 'SHA-256 of the file''s bytes.';
COMMENT ON COLUMN ingest_log.kind IS 'calls, tickets, ticket_events, attendance, leaves, shifts, agents, transcript, queue_log, cdr.';
COMMENT ON COLUMN ingest_log.profile IS 'Column mapping used (built-in profile name or mapping file).';
COMMENT ON COLUMN ingest_log.started_at IS 'When loading started.';
COMMENT ON COLUMN ingest_log.finished_at IS 'When the file''s rows were all in (its transaction commits right after); finished_at − started_at is how long the file took.';
COMMENT ON COLUMN ingest_log.rows_read IS 'Data rows read from the file.';
COMMENT ON COLUMN ingest_log.rows_loaded IS 'Rows added to the warehouse.';
COMMENT ON COLUMN ingest_log.rows_rejected IS 'Rows refused (see rejects).';
COMMENT ON COLUMN ingest_log.rows_present IS 'Rows skipped because an identical row was already loaded.';

CREATE TABLE IF NOT EXISTS rejects (
  ingest_id   BIGINT NOT NULL,
  file        VARCHAR NOT NULL,
  line        BIGINT,
  column_name VARCHAR,
  reason      VARCHAR NOT NULL,
  raw         VARCHAR
);
COMMENT ON TABLE rejects IS 'Rows the loader refused, with file, line, column and reason; nothing is dropped silently.';
COMMENT ON COLUMN rejects.ingest_id IS 'Ingest (ingest_log.ingest_id).';
COMMENT ON COLUMN rejects.file IS 'Source file.';
COMMENT ON COLUMN rejects.line IS 'Line number in the source file (1 is the header for files with one).';
COMMENT ON COLUMN rejects.column_name IS 'Column at fault, when one is.';
COMMENT ON COLUMN rejects.reason IS 'Why the row was refused, e.g. bad timestamp, negative duration, unknown queue.';
COMMENT ON COLUMN rejects.raw IS 'The row as read, for inspection.';
