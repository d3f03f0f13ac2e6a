-- The call KPI parts the server keeps per day, agent and queue (web/lib/server/metrics/kept-parts.ts):
-- call_facts' rows with the call's agent and queue as their group, so that call_kpi_parts, run
-- over them at interval day, gives one row of parts per day, agent and queue. Abandoned calls
-- have no agent: their group is {agent_id: NULL, queue_id}.
SELECT * REPLACE ({'agent_id': agent_id, 'queue_id': queue_id} AS group_key)
FROM base
