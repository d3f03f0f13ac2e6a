-- Validates staged utterances of one transcript (view load_mapped); __problem as in check_calls.sql.
SELECT m.__ord, m.__rid, m.call_id, m.seq, m.speaker, m.start_ms, m.end_ms, m.text, m.redactions, m.source,
  CASE
    WHEN m.__parse IS NOT NULL THEN m.__parse
    WHEN m.call_id IS NULL THEN {'col': 'call_id', 'why': 'missing value'}
    WHEN m.speaker NOT IN ('agent', 'customer', 'unknown') THEN {'col': 'speaker', 'why': 'bad enum value: ' || m.speaker}
    WHEN m.start_ms IS NULL THEN {'col': 'start_ms', 'why': 'missing value'}
    WHEN m.end_ms IS NULL THEN {'col': 'end_ms', 'why': 'missing value'}
    WHEN m.end_ms < m.start_ms THEN {'col': 'end_ms', 'why': 'end before start'}
    WHEN m.text IS NULL THEN {'col': 'text', 'why': 'missing value'}
  END AS __problem
FROM load_mapped m
