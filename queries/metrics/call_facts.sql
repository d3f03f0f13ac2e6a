-- name: call_facts
-- description.zh: 话务明细：所选区间与筛选条件下的每通电话，连同它在各项话务指标中的计数标记（call_kpis 与下钻列表共用的定义）
-- description.en: Call facts: every call of the range and filters with the flags that decide how it counts in each call KPI (the one definition call_kpis and the drill-down lists share)
-- formula.zh: 时段按进入队列的本地时间（中心时区）划分。呼入 = 进入队列的呼入电话；接听 = 有接听时间（含转接）；放弃 = 处理结果为"放弃"，等待 < 短时放弃阈值秒为短时放弃；服务水平达标 = 接听且等待 ≤ 阈值秒；计入服务水平分母随口径：answered_only 仅接听；abandons_against 全部呼入；late_abandons_against 除阈值内放弃外的呼入；short_abandons_excluded 除短时放弃外的呼入；首次解决：接听的呼入电话，窗口天数内同一号码再次来电为 repeat，否则窗口已结束（早于仓库最新来电）为 resolved、未结束为 pending；坐席忙碌 = 坐席接听的电话（各方向）
-- formula.en: Intervals follow the local time (center's zone) the call entered the queue. offered = inbound calls that entered a queue; answered = has an answer time (transfers included); abandoned = disposition "abandoned", a short abandon when it waited < the short-abandon threshold; within service level = answered after waiting ≤ threshold seconds; in the service-level denominator by variant: answered_only = answered calls; abandons_against = all offered; late_abandons_against = offered except abandons within the threshold; short_abandons_excluded = offered except short abandons; FCR of an answered inbound call: repeat when the same number called in again within the window (days), else resolved once the window has ended before the warehouse's latest call, pending while it has not; busy = calls an agent answered (all directions)
-- unit: table
-- params:
--   from date required
--   to date required
--   queue text null
--   team text null
--   agent text null
--   interval choice(15min|hour|day|week|month|total) total
--   group_by choice(none|queue|team|agent) none
--   threshold_s integer 20
--   sl_variant choice(answered_only|abandons_against|late_abandons_against|short_abandons_excluded) abandons_against
--   short_abandon_s integer 5
--   fcr_window_days integer 7
WITH scoped AS (
  -- The calls of the range and filters, with their bucket (of the wall-clock time kept in
  -- calls.enqueued_local: no zone conversion per call) and group.
  SELECT
    c.call_id, c.direction, c.disposition, c.queue_id, c.agent_id, c.caller_number, c.enqueued_at, c.enqueued_local,
    c.next_inbound_local, c.answered_at, c.wait_s, c.talk_s, c.hold_s, c.wrap_s, c.survey_score, a.team_id,
    CASE $interval::VARCHAR
      WHEN '15min' THEN time_bucket(INTERVAL 15 MINUTE, c.enqueued_local)
      WHEN 'hour' THEN date_trunc('hour', c.enqueued_local)
      WHEN 'day' THEN date_trunc('day', c.enqueued_local)
      WHEN 'week' THEN date_trunc('week', c.enqueued_local)
      WHEN 'month' THEN date_trunc('month', c.enqueued_local)
      ELSE $from::DATE::TIMESTAMP
    END AS bucket,
    CASE $group_by::VARCHAR WHEN 'queue' THEN c.queue_id WHEN 'team' THEN a.team_id WHEN 'agent' THEN c.agent_id END AS group_key
  FROM calls c
  LEFT JOIN agents a ON a.agent_id = c.agent_id
  WHERE c.enqueued_at >= $from::DATE::TIMESTAMPTZ
    AND c.enqueued_at < ($to::DATE + 1)::TIMESTAMPTZ
    AND ($queue::VARCHAR IS NULL OR c.queue_id = $queue::VARCHAR)
    AND ($team::VARCHAR IS NULL OR a.team_id = $team::VARCHAR)
    AND ($agent::VARCHAR IS NULL OR c.agent_id = $agent::VARCHAR)
)
SELECT
  s.call_id, s.direction, s.disposition, s.queue_id, s.agent_id, s.team_id, s.caller_number,
  s.enqueued_at, strftime(s.enqueued_local, '%Y-%m-%d %H:%M:%S') AS enqueued_local,
  s.wait_s, s.talk_s, s.hold_s, s.wrap_s, s.talk_s + s.hold_s + s.wrap_s AS handle_s, s.survey_score,
  s.bucket, strftime(s.bucket, '%Y-%m-%d %H:%M') AS bucket_label, s.group_key,
  s.direction = 'inbound' AS is_offered,
  s.direction = 'inbound' AND s.answered_at IS NOT NULL AS is_answered,
  s.direction = 'inbound' AND s.disposition = 'abandoned' AS is_abandoned,
  s.direction = 'inbound' AND s.disposition = 'abandoned' AND s.wait_s < $short_abandon_s::INTEGER AS is_short_abandon,
  s.direction = 'inbound' AND s.disposition = 'abandoned' AND s.wait_s <= $threshold_s::INTEGER AS is_abandoned_within,
  s.direction = 'inbound' AND s.answered_at IS NOT NULL AND s.wait_s <= $threshold_s::INTEGER AS is_sl_within,
  s.direction = 'inbound' AND CASE $sl_variant::VARCHAR
    WHEN 'answered_only' THEN s.answered_at IS NOT NULL
    WHEN 'late_abandons_against' THEN NOT (s.disposition = 'abandoned' AND s.wait_s <= $threshold_s::INTEGER)
    WHEN 'short_abandons_excluded' THEN NOT (s.disposition = 'abandoned' AND s.wait_s < $short_abandon_s::INTEGER)
    ELSE true
  END AS is_sl_counted,
  s.direction = 'inbound' AND s.disposition = 'transferred' AS is_transferred,
  -- First-contact resolution of an answered inbound call: its window ends at the same wall-clock
  -- time the window's days later; the number's next inbound call (calls.next_inbound_local, kept
  -- by the loader) inside it makes it a repeat; none yet while the window is still open (it ends
  -- after the warehouse's latest call) leaves it pending.
  CASE
    WHEN NOT (s.direction = 'inbound' AND s.answered_at IS NOT NULL AND s.caller_number IS NOT NULL) THEN NULL
    WHEN s.next_inbound_local <= s.enqueued_local + to_days($fcr_window_days::INTEGER) THEN 'repeat'
    WHEN s.enqueued_local + to_days($fcr_window_days::INTEGER) > (SELECT max(enqueued_local) FROM calls) THEN 'pending'
    ELSE 'resolved'
  END AS fcr_status,
  s.agent_id IS NOT NULL AND s.answered_at IS NOT NULL AS is_busy
FROM scoped s
