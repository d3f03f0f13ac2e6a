-- Template, filled from the constants in ingest/load/kinds.ts (never from input): the kind's
-- validation SELECT, its table, natural key and "every stored column equal". __status: rejected
-- (broke a rule), new, present (identical row already there), conflict (same key, different content).
-- After the fast path (own_rows, keep): the rows this ingest already inserted count as
-- new, and only the other rows are kept.
CREATE OR REPLACE TEMP TABLE load_checked AS
SELECT * FROM (
  SELECT c.*,
    CASE
      WHEN c.__problem IS NOT NULL THEN 'rejected'
      WHEN t.{{key0}} IS NULL THEN 'new'
      {{own_rows}}
      WHEN {{same}} THEN 'present'
      ELSE 'conflict'
    END AS __status
  FROM ({{check}}) c
  LEFT JOIN {{table}} t ON {{key_join}}
)
WHERE {{keep}}
