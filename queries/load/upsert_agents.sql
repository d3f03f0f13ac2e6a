-- Agents are a dimension: new agents are added, changed ones updated (the latest export wins).
-- Teams named in the file are added or renamed too.
INSERT INTO teams (team_id, name)
SELECT team_id, arg_max(coalesce(team_name, team_id), __ord) FROM load_checked
WHERE __status IN ('new', 'conflict') AND team_id IS NOT NULL
GROUP BY team_id
ON CONFLICT (team_id) DO UPDATE SET name = excluded.name;

INSERT OR REPLACE INTO agents (agent_id, name, team_id, role, hired_on, left_on, active)
SELECT agent_id, name, team_id, role, hired_on, left_on, left_on IS NULL OR left_on >= current_date
FROM load_checked WHERE __status IN ('new', 'conflict')
QUALIFY row_number() OVER (PARTITION BY agent_id ORDER BY __ord DESC) = 1
