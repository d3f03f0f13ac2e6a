-- Mapping option "create": ["queues"]: queues the file names but the warehouse lacks are added,
-- with the value from the file as both id and name.
INSERT INTO queues (queue_id, name)
SELECT DISTINCT m.queue_id__src, m.queue_id__src FROM load_mapped m
WHERE m.queue_id__src IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM queues q WHERE q.queue_id = m.queue_id__src OR q.name = m.queue_id__src)
