-- Validates staged agents (view load_mapped); __problem as in check_calls.sql.
SELECT m.__ord, m.__rid, m.agent_id, m.name, m.team_id, m.team_name, coalesce(m.role, 'agent') AS role, m.hired_on, m.left_on,
  CASE
    WHEN m.__parse IS NOT NULL THEN m.__parse
    WHEN m.agent_id IS NULL THEN {'col': 'agent_id', 'why': 'missing value'}
    WHEN m.name IS NULL THEN {'col': 'name', 'why': 'missing value'}
    WHEN coalesce(m.role, 'agent') NOT IN ('agent', 'team_lead', 'complaint_handler', 'callback_specialist', 'info_desk', 'supervisor') THEN {'col': 'role', 'why': 'bad enum value: ' || m.role}
    WHEN m.left_on < m.hired_on THEN {'col': 'left_on', 'why': 'end before start'}
  END AS __problem
FROM load_mapped m
