-- name: sla_tickets
-- description.zh: 服务目标工单列表：某项服务目标下超时（或达标、进行中）的工单，供下钻
-- description.en: Service-target ticket list: the tickets that breached (or met, or are pending on) a service target, for drill-down
-- formula.zh: ticket_sla 中服务目标为 target、结果为 outcome、时段为 bucket（为空则整个区间）的工单，按受理时间排序，最多 limit 条
-- formula.en: the rows of ticket_sla for target, with outcome, in bucket (the whole range when empty), ordered by intake time, at most limit rows
-- unit: table
-- extends: ticket_sla
-- params:
--   target choice(callback_5min|complaint_received|department_contact|solution|callback_3d|complaint_cycle|callback_rate) required
--   outcome choice(breached|met|pending) breached
--   bucket text null
--   limit integer 500
SELECT ticket_id, type, department, opened_local, start_local, stop_local, clock, limit_hours, hours_taken, outcome, bucket
FROM base
WHERE target_id = $target::VARCHAR
  AND outcome = $outcome::VARCHAR
  AND ($bucket::VARCHAR IS NULL OR bucket = $bucket::VARCHAR)
ORDER BY opened_local, ticket_id
LIMIT $limit::INTEGER;
