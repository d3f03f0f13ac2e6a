-- The kept call KPI parts (web/lib/server/metrics/kept-parts.ts) of the days in a range and
-- filters, per day and grouping: the rows call_kpi_parts gives at interval day for those days,
-- added up from the parts kept per day, agent and queue instead of read from the calls. The
-- agent's team is looked up now, as call_facts does. Every part is a count or a sum except
-- longest_wait_s, a maximum.
SELECT
  bucket,
  group_key,
  max(longest_wait_s) AS longest_wait_s,
  sum(COLUMNS(c -> c NOT IN ('bucket', 'group_key', 'longest_wait_s')))
FROM (
  SELECT k.* REPLACE (
    CASE $group_by::VARCHAR
      WHEN 'queue' THEN k.group_key.queue_id
      WHEN 'team' THEN a.team_id
      WHEN 'agent' THEN k.group_key.agent_id
    END AS group_key
  )
  FROM zj_kept.call_parts_daily k
  LEFT JOIN agents a ON a.agent_id = k.group_key.agent_id
  WHERE k.bucket >= $from::DATE::TIMESTAMP
    AND k.bucket < ($to::DATE + 1)::TIMESTAMP
    AND ($queue::VARCHAR IS NULL OR k.group_key.queue_id = $queue::VARCHAR)
    AND ($team::VARCHAR IS NULL OR a.team_id = $team::VARCHAR)
    AND ($agent::VARCHAR IS NULL OR k.group_key.agent_id = $agent::VARCHAR)
)
GROUP BY ALL
