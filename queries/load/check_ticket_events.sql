-- Validates staged ticket events (view load_mapped); __problem as in check_calls.sql.
SELECT m.__ord, m.__rid, m.ticket_id, m.seq, m.event, m.occurred_at, m.actor, m.department, m.result, m.note,
  CASE
    WHEN m.__parse IS NOT NULL THEN m.__parse
    WHEN m.ticket_id IS NULL THEN {'col': 'ticket_id', 'why': 'missing value'}
    WHEN m.seq IS NULL THEN {'col': 'seq', 'why': 'missing value'}
    WHEN m.event IS NULL THEN {'col': 'event', 'why': 'missing value'}
    WHEN m.event NOT IN ('intake', 'judged', 'investigated', 'solution', 'implemented', 'callback', 'summary', 'escalated', 'reopened', 'closed') THEN {'col': 'event', 'why': 'bad enum value: ' || m.event}
    WHEN m.occurred_at IS NULL THEN {'col': 'occurred_at', 'why': 'missing value'}
    WHEN m.result NOT IN ('valid', 'invalid', 'satisfied', 'unsatisfied', 'unreachable', 'approved', 'confirmed') THEN {'col': 'result', 'why': 'bad enum value: ' || m.result}
  END AS __problem
FROM load_mapped m
