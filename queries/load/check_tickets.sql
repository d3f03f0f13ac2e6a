-- Validates staged tickets (view load_mapped); __problem as in check_calls.sql.
SELECT m.__ord, m.__rid, m.ticket_id, m.type, m.status, m.severity, m.cause_group, m.cause, m.sub_cause,
  m.department, coalesce(m.channel, 'phone') AS channel, m.customer_number, m.customer_name, m.call_id, m.opened_by,
  m.opened_at, m.promised_callback_at, m.received_due_at, m.contact_due_at, m.solution_due_at, m.callback_due_at,
  m.closed_at, m.summary, coalesce(m.major, false) AS major,
  CASE
    WHEN m.__parse IS NOT NULL THEN m.__parse
    WHEN m.ticket_id IS NULL THEN {'col': 'ticket_id', 'why': 'missing value'}
    WHEN m.type IS NULL THEN {'col': 'type', 'why': 'missing value'}
    WHEN m.type NOT IN ('inquiry', 'complaint', 'suggestion', 'repair', 'emergency_repair', 'site_survey', 'return', 'order') THEN {'col': 'type', 'why': 'bad enum value: ' || m.type}
    WHEN m.status IS NULL THEN {'col': 'status', 'why': 'missing value'}
    WHEN m.status NOT IN ('open', 'in_progress', 'resolved', 'closed', 'reopened') THEN {'col': 'status', 'why': 'bad enum value: ' || m.status}
    WHEN m.severity NOT BETWEEN 1 AND 4 THEN {'col': 'severity', 'why': 'severity out of 1–4'}
    WHEN m.opened_at IS NULL THEN {'col': 'opened_at', 'why': 'missing value'}
    WHEN m.closed_at < m.opened_at THEN {'col': 'closed_at', 'why': 'end before start'}
  END AS __problem
FROM load_mapped m
