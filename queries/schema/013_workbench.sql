-- The SQL workbench's saved queries. Additive only; every statement is idempotent.

CREATE TABLE IF NOT EXISTS workbench_queries (
  query_id    VARCHAR PRIMARY KEY,
  name        VARCHAR NOT NULL,
  description VARCHAR,
  sql         VARCHAR NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  CHECK (length(name) BETWEEN 1 AND 200)
);
COMMENT ON TABLE workbench_queries IS '保存的查询 — queries saved in the SQL workbench; /sql?q=<query_id> opens one.';
COMMENT ON COLUMN workbench_queries.query_id IS 'Random URL-safe id (the share link''s q parameter).';
COMMENT ON COLUMN workbench_queries.name IS 'Name given when saving.';
COMMENT ON COLUMN workbench_queries.description IS 'What the query answers (optional).';
COMMENT ON COLUMN workbench_queries.sql IS 'The SQL text as saved; it runs under the workbench''s rules like any other.';
COMMENT ON COLUMN workbench_queries.created_at IS 'When it was saved.';
