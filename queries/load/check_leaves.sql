-- Validates staged leave requests (view load_mapped); __problem as in check_calls.sql.
SELECT m.__ord, m.__rid, m.agent_id, m.starts_on, m.ends_on, m.kind, m.approved,
  CASE
    WHEN m.__parse IS NOT NULL THEN m.__parse
    WHEN m.agent_id__src IS NULL THEN {'col': 'agent_id', 'why': 'missing value'}
    WHEN m.starts_on IS NULL THEN {'col': 'starts_on', 'why': 'missing value'}
    WHEN m.ends_on IS NULL THEN {'col': 'ends_on', 'why': 'missing value'}
    WHEN m.ends_on < m.starts_on THEN {'col': 'ends_on', 'why': 'end before start'}
    WHEN m.kind IS NULL THEN {'col': 'kind', 'why': 'missing value'}
    WHEN m.kind NOT IN ('annual', 'sick', 'personal', 'other') THEN {'col': 'kind', 'why': 'bad enum value: ' || m.kind}
    WHEN m.approved IS NULL THEN {'col': 'approved', 'why': 'missing value'}
    WHEN a.agent_id IS NULL THEN {'col': 'agent_id', 'why': 'unknown agent: ' || m.agent_id__src}
  END AS __problem
FROM load_mapped m
LEFT JOIN agents a ON a.agent_id = m.agent_id
