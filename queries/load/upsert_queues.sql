-- Queues are a dimension: new queues are added, changed ones updated (the latest export wins).
INSERT OR REPLACE INTO queues (queue_id, name, kind, language)
SELECT queue_id, name, kind, language
FROM load_checked WHERE __status IN ('new', 'conflict')
QUALIFY row_number() OVER (PARTITION BY queue_id ORDER BY __ord DESC) = 1
