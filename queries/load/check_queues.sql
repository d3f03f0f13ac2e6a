-- Validates staged queues (view load_mapped); __problem as in check_calls.sql.
SELECT m.__ord, m.__rid, m.queue_id, coalesce(m.name, m.queue_id) AS name, coalesce(m.kind, 'consultation') AS kind, coalesce(m.language, 'zh') AS language,
  CASE
    WHEN m.__parse IS NOT NULL THEN m.__parse
    WHEN m.queue_id IS NULL THEN {'col': 'queue_id', 'why': 'missing value'}
    WHEN coalesce(m.kind, 'consultation') NOT IN ('consultation', 'complaint', 'repair', 'sales') THEN {'col': 'kind', 'why': 'bad enum value: ' || m.kind}
  END AS __problem
FROM load_mapped m
