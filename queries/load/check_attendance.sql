-- Validates staged attendance punches (view load_mapped); __problem as in check_calls.sql.
SELECT m.__ord, m.__rid, m.agent_id, m.punched_at, m.direction, m.device,
  CASE
    WHEN m.__parse IS NOT NULL THEN m.__parse
    WHEN m.agent_id__src IS NULL THEN {'col': 'agent_id', 'why': 'missing value'}
    WHEN m.punched_at IS NULL THEN {'col': 'punched_at', 'why': 'missing value'}
    WHEN m.direction IS NULL THEN {'col': 'direction', 'why': 'missing value'}
    WHEN m.direction NOT IN ('in', 'out') THEN {'col': 'direction', 'why': 'bad enum value: ' || m.direction}
    WHEN a.agent_id IS NULL THEN {'col': 'agent_id', 'why': 'unknown agent: ' || m.agent_id__src}
  END AS __problem
FROM load_mapped m
LEFT JOIN agents a ON a.agent_id = m.agent_id
