-- Mapping option "create": ["agents"]: agents the file names but the warehouse lacks are added,
-- with the value from the file as both id and name (rename them later with an agents file).
INSERT INTO agents (agent_id, name)
SELECT DISTINCT m.agent_id__src, m.agent_id__src FROM load_mapped m
WHERE m.agent_id__src IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM agents a WHERE a.agent_id = m.agent_id__src OR a.name = m.agent_id__src)
