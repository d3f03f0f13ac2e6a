-- name: call_kpis_core
-- description.zh: 话务核心指标：call_kpis 中不需要首次解决判定与排班的各列——按时段与维度统计的呼入量、接听、放弃、服务水平、平均应答速度、最长等待、平均处理时长、转接率与满意度（概览与看板图表只读这些，省去首次解决与占用率的计算）
-- description.en: Core call KPIs: the columns of call_kpis that need neither first-contact windows nor shifts — offered, answered, abandoned, service level, ASA, longest wait, AHT, transfer rate and satisfaction per interval and per queue, team or agent (what the overview and the dashboard's charts read, without the work of FCR and occupancy)
-- formula.zh: 与 call_kpis 相同的定义。时段按进入队列的本地时间（中心时区）划分。呼入量 = 进入队列的呼入电话；接听量 = 有接听时间的呼入电话（含转接）；放弃量 = 处理结果为"放弃"，其中等待 < 短时放弃阈值秒的另计为短时放弃；服务水平 = 等待 ≤ 阈值秒内接听 ÷ 分母，分母随口径：answered_only 仅接听量；abandons_against 呼入量（放弃计入）；late_abandons_against 呼入量 − 阈值内放弃（仅超过阈值的放弃计入）；short_abandons_excluded 呼入量 − 短时放弃；平均应答速度 = 接听电话等待秒数之和 ÷ 接听量；最长等待 = 呼入电话（含放弃）的最长等待秒数；平均处理时长 = Σ(通话 + 保持 + 话后处理) ÷ 接听量；转接率 = 转接 ÷ 接听量；满意度 = 4、5 分回复 ÷ 回复数，平均分 = 分数和 ÷ 回复数。按班组、坐席统计时，未接听的电话不属于任何坐席；分组时只列出有电话的组
-- formula.en: The definitions of call_kpis. Intervals follow the local time (center's zone) the call entered the queue. offered = inbound calls that entered a queue; answered = inbound calls with an answer time (transfers included); abandoned = disposition "abandoned", those that waited < the short-abandon threshold counted apart as short abandons; service level = answered after waiting ≤ threshold seconds ÷ a denominator set by the variant: answered_only = calls answered; abandons_against = calls offered (abandons count against); late_abandons_against = offered − calls abandoned within the threshold (only abandons after the threshold count); short_abandons_excluded = offered − short abandons; ASA = wait seconds of answered calls ÷ answered; longest wait = longest wait of any inbound call, abandoned ones included; AHT = Σ(talk + hold + wrap-up) ÷ answered; transfer rate = transferred ÷ answered; satisfaction = responses scoring 4 or 5 ÷ responses, mean = sum of scores ÷ responses. Per team or agent, unanswered calls belong to no agent; grouped, only groups with calls are listed
-- unit: table
-- extends: call_kpi_parts
WITH step AS (
  SELECT CASE $interval::VARCHAR
      WHEN '15min' THEN INTERVAL 15 MINUTE
      WHEN 'hour' THEN INTERVAL 1 HOUR
      WHEN 'day' THEN INTERVAL 1 DAY
      WHEN 'week' THEN INTERVAL 7 DAY
      WHEN 'month' THEN INTERVAL 1 MONTH
      ELSE to_days(($to::DATE - $from::DATE + 1)::INTEGER)
    END AS width,
    CASE $interval::VARCHAR
      WHEN 'week' THEN date_trunc('week', $from::DATE::TIMESTAMP)
      WHEN 'month' THEN date_trunc('month', $from::DATE::TIMESTAMP)
      ELSE $from::DATE::TIMESTAMP
    END AS first_bucket
),
frame AS (
  -- Ungrouped: every bucket of the range, empty ones as zero. Grouped: the groups with calls.
  SELECT r.range AS bucket, NULL::VARCHAR AS group_key
  FROM step, range(step.first_bucket, ($to::DATE + 1)::TIMESTAMP, step.width) AS r
  WHERE $group_by::VARCHAR = 'none'
  UNION ALL
  SELECT bucket, group_key FROM base WHERE $group_by::VARCHAR <> 'none'
)
SELECT
  strftime(f.bucket, '%Y-%m-%d %H:%M') AS bucket,
  f.group_key,
  CASE $group_by::VARCHAR
    WHEN 'queue' THEN (SELECT name FROM queues WHERE queue_id = f.group_key)
    WHEN 'team' THEN (SELECT name FROM teams WHERE team_id = f.group_key)
    WHEN 'agent' THEN (SELECT name FROM agents WHERE agent_id = f.group_key)
  END AS group_name,
  coalesce(m.offered, 0) AS offered,
  coalesce(m.answered, 0) AS answered,
  coalesce(m.answered, 0) / nullif(coalesce(m.offered, 0), 0) AS answer_rate,
  coalesce(m.abandoned, 0) AS abandoned,
  coalesce(m.short_abandoned, 0) AS short_abandoned,
  $short_abandon_s::INTEGER AS short_abandon_s,
  coalesce(m.abandoned, 0) / nullif(coalesce(m.offered, 0), 0) AS abandon_rate,
  $threshold_s::INTEGER AS threshold_s,
  $sl_variant::VARCHAR AS sl_variant,
  coalesce(m.sl_within, 0) AS sl_within,
  coalesce(m.sl_denominator, 0) AS sl_denominator,
  coalesce(m.sl_within, 0) / nullif(m.sl_denominator, 0) AS service_level,
  coalesce(m.answered_wait_s, 0) AS answered_wait_s,
  m.answered_wait_s / nullif(m.answered, 0) AS asa_s,
  m.longest_wait_s,
  coalesce(m.talk_s_total, 0) AS talk_s_total,
  coalesce(m.hold_s_total, 0) AS hold_s_total,
  coalesce(m.wrap_s_total, 0) AS wrap_s_total,
  coalesce(m.talk_s_total + m.hold_s_total + m.wrap_s_total, 0) AS handle_s_total,
  (m.talk_s_total + m.hold_s_total + m.wrap_s_total) / nullif(m.answered, 0) AS aht_s,
  coalesce(m.handle_s_sq_total, 0) AS handle_s_sq_total,
  coalesce(m.transferred, 0) AS transferred,
  m.transferred / nullif(m.answered, 0) AS transfer_rate,
  coalesce(m.responses, 0) AS responses,
  coalesce(m.satisfied, 0) AS satisfied,
  coalesce(m.score_sum, 0) AS score_sum,
  m.satisfied / nullif(m.responses, 0) AS satisfaction,
  m.score_sum / nullif(m.responses, 0) AS mean_score
FROM frame f
LEFT JOIN base m ON m.bucket = f.bucket AND m.group_key IS NOT DISTINCT FROM f.group_key
ORDER BY f.bucket, f.group_key NULLS LAST
