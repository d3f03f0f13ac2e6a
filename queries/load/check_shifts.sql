-- Validates staged shifts (view load_mapped); __problem as in check_calls.sql.
SELECT m.__ord, m.__rid, m.agent_id, coalesce(m.shift_date, CAST(m.starts_at AS DATE)) AS shift_date, m.shift_code, m.starts_at, m.ends_at,
  CASE
    WHEN m.__parse IS NOT NULL THEN m.__parse
    WHEN m.agent_id__src IS NULL THEN {'col': 'agent_id', 'why': 'missing value'}
    WHEN m.shift_code IS NULL THEN {'col': 'shift_code', 'why': 'missing value'}
    WHEN m.starts_at IS NULL THEN {'col': 'starts_at', 'why': 'missing value'}
    WHEN m.ends_at IS NULL THEN {'col': 'ends_at', 'why': 'missing value'}
    WHEN m.ends_at <= m.starts_at THEN {'col': 'ends_at', 'why': 'end before start'}
    WHEN a.agent_id IS NULL THEN {'col': 'agent_id', 'why': 'unknown agent: ' || m.agent_id__src}
  END AS __problem
FROM load_mapped m
LEFT JOIN agents a ON a.agent_id = m.agent_id
