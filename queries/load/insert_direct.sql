-- Template as classify.sql. The fast path for fact files read by read_csv: read, convert, check and
-- insert the good rows whose key is not stored yet, in one pass, with no staging table. What the
-- pass left out (rejected, present, conflicting rows) is worked out afterwards, only for files that
-- have any (ingest/load/index.ts).
INSERT INTO {{table}} ({{columns}}{{derived_columns}}{{ingest_col}})
SELECT {{columns}}{{derived_values}}{{ingest_val}} FROM ({{check}}) c
WHERE c.__problem IS NULL
  AND NOT EXISTS (SELECT 1 FROM {{table}} t WHERE {{key_join}})
