-- The additive parts of the call KPIs (queries/metrics/call_kpi_parts.sql), computed once per group
-- (agent, team or queue) at a fine interval into the temporary table kpi_parts_fine, added up to a
-- coarser interval, per group or for everyone (see web/lib/server/metrics/rollup.ts). Every part is a count or a sum
-- except longest_wait_s, a maximum; the buckets are those call_facts gives the coarser interval.
SELECT
  CASE $interval::VARCHAR
    WHEN 'hour' THEN date_trunc('hour', bucket)
    WHEN 'day' THEN date_trunc('day', bucket)
    WHEN 'week' THEN date_trunc('week', bucket)
    WHEN 'month' THEN date_trunc('month', bucket)
    WHEN 'total' THEN $from::DATE::TIMESTAMP
    ELSE bucket
  END AS bucket,
  CASE WHEN $group_by::VARCHAR <> 'none' THEN group_key END AS group_key,
  max(longest_wait_s) AS longest_wait_s,
  sum(COLUMNS(c -> c NOT IN ('bucket', 'group_key', 'longest_wait_s')))
FROM kpi_parts_fine
GROUP BY ALL
