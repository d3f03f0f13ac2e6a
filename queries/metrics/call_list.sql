-- name: call_list
-- description.zh: 下钻通话列表：某项话务指标某一时段内计入的电话（与 call_kpis 同一筛选与计数定义）
-- description.en: Drill-down call list: the calls a call KPI counted in one interval (the same filters and flags as call_kpis)
-- formula.zh: call_facts 中时段标签等于 bucket（为空则整个区间）、给定星期与小时（如有）且符合所选计数的电话：offered 呼入、answered 接听、abandoned 放弃、short_abandoned 短时放弃、sl_within 服务水平达标、sl_missed 计入服务水平分母但未达标、transferred 转接、fcr_resolved / fcr_repeat / fcr_pending 首次解决判定、surveyed 有满意度回复、dissatisfied 满意度 1–3 分；按进入队列时间排序，最多 limit 条
-- formula.en: the calls of call_facts whose interval label equals bucket (the whole range when empty), on the given ISO weekday and local hour when given, and that the chosen count counts: offered, answered, abandoned, short_abandoned, sl_within, sl_missed (in the service-level denominator but not within), transferred, fcr_resolved / fcr_repeat / fcr_pending, surveyed (has a survey response), dissatisfied (survey 1–3); ordered by queue entry time, at most limit rows
-- unit: table
-- extends: call_facts
-- params:
--   bucket text null
--   measure choice(offered|answered|abandoned|short_abandoned|sl_within|sl_missed|transferred|fcr_resolved|fcr_repeat|fcr_pending|surveyed|dissatisfied) offered
--   weekday integer null
--   hour integer null
--   limit integer 500
SELECT
  b.call_id,
  b.enqueued_local,
  b.bucket_label AS bucket,
  b.direction,
  b.disposition,
  b.queue_id,
  q.name AS queue_name,
  b.agent_id,
  a.name AS agent_name,
  b.team_id,
  b.wait_s,
  b.talk_s,
  b.hold_s,
  b.wrap_s,
  b.handle_s,
  b.survey_score,
  b.fcr_status
FROM base b
LEFT JOIN queues q ON q.queue_id = b.queue_id
LEFT JOIN agents a ON a.agent_id = b.agent_id
WHERE ($bucket::VARCHAR IS NULL OR b.bucket_label = $bucket::VARCHAR)
  AND ($weekday::INTEGER IS NULL OR isodow(b.enqueued_at::TIMESTAMP) = $weekday::INTEGER)
  AND ($hour::INTEGER IS NULL OR hour(b.enqueued_at::TIMESTAMP) = $hour::INTEGER)
  AND CASE $measure::VARCHAR
    WHEN 'offered' THEN b.is_offered
    WHEN 'answered' THEN b.is_answered
    WHEN 'abandoned' THEN b.is_abandoned
    WHEN 'short_abandoned' THEN b.is_short_abandon
    WHEN 'sl_within' THEN b.is_sl_within
    WHEN 'sl_missed' THEN b.is_sl_counted AND NOT b.is_sl_within
    WHEN 'transferred' THEN b.is_transferred
    WHEN 'fcr_resolved' THEN b.fcr_status = 'resolved'
    WHEN 'fcr_repeat' THEN b.fcr_status = 'repeat'
    WHEN 'fcr_pending' THEN b.fcr_status = 'pending'
    WHEN 'surveyed' THEN b.survey_score IS NOT NULL
    WHEN 'dissatisfied' THEN b.survey_score <= 3
  END
ORDER BY b.enqueued_at, b.call_id
LIMIT $limit::INTEGER;
