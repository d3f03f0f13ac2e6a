-- name: call_kpis
-- description.zh: 话务指标：按时段（15 分钟、小时、日、周、月或整个区间）与维度（队列、班组、坐席）统计的呼入量、接听、放弃、服务水平、平均应答速度、最长等待、平均处理时长、转接率、首次解决率、占用率与满意度
-- description.en: Call KPIs per interval (15 min, hour, day, week, month or the whole range) and per queue, team or agent: offered, answered, abandoned, service level, ASA, longest wait, AHT, transfer rate, first-contact resolution, occupancy and satisfaction
-- formula.zh: 时段按进入队列的本地时间（中心时区）划分。呼入量 = 进入队列的呼入电话；接听量 = 有接听时间的呼入电话（含转接）；放弃量 = 处理结果为"放弃"，其中等待 < 短时放弃阈值秒的另计为短时放弃；服务水平 = 等待 ≤ 阈值秒内接听 ÷ 分母，分母随口径：answered_only 仅接听量；abandons_against 呼入量（放弃计入）；late_abandons_against 呼入量 − 阈值内放弃（仅超过阈值的放弃计入）；short_abandons_excluded 呼入量 − 短时放弃；平均应答速度 = 接听电话等待秒数之和 ÷ 接听量；最长等待 = 呼入电话（含放弃）的最长等待秒数；平均处理时长 = Σ(通话 + 保持 + 话后处理) ÷ 接听量；转接率 = 转接 ÷ 接听量；首次解决率 = 接听后窗口天数内同一号码没有再次来电的电话 ÷ 可判定的接听电话，窗口尚未结束（晚于仓库最新来电时间）且尚无再次来电的记为待定，不计入；占用率 = 坐席接听电话（各方向）的处理秒数 ÷ 同一坐席排班时长（按队列时不计算）；满意度 = 4、5 分回复 ÷ 回复数，平均分 = 分数和 ÷ 回复数。按班组、坐席统计时，未接听的电话不属于任何坐席
-- formula.en: Intervals follow the local time (center's zone) the call entered the queue. offered = inbound calls that entered a queue; answered = inbound calls with an answer time (transfers included); abandoned = disposition "abandoned", those that waited < the short-abandon threshold counted apart as short abandons; service level = answered after waiting ≤ threshold seconds ÷ a denominator set by the variant: answered_only = calls answered; abandons_against = calls offered (abandons count against); late_abandons_against = offered − calls abandoned within the threshold (only abandons after the threshold count); short_abandons_excluded = offered − short abandons; ASA = wait seconds of answered calls ÷ answered; longest wait = longest wait of any inbound call, abandoned ones included; AHT = Σ(talk + hold + wrap-up) ÷ answered; transfer rate = transferred ÷ answered; FCR = answered calls with no inbound call from the same number within the window (days) after ÷ answered calls that can be judged; a call whose window ends after the warehouse's latest call and has no repeat yet is pending and left out; occupancy = handle seconds of the agents' answered calls (all directions) ÷ the same agents' scheduled shift seconds (not computed per queue); satisfaction = responses scoring 4 or 5 ÷ responses, mean = sum of scores ÷ responses. Per team or agent, unanswered calls belong to no agent
-- unit: table
-- extends: call_kpi_parts
WITH shift_pieces AS (
  -- Scheduled time cut at the boundaries of the interval's smallest unit (15 minutes, an hour, or
  -- a day for days, weeks, months and the whole range), so that each piece lies inside one bucket
  -- and a night shift across midnight counts on both days. Not defined per queue.
  SELECT agent_id, team_id, greatest(starts_local, t) AS piece_start, least(ends_local, t + cut) AS piece_end
  FROM (
    SELECT s.agent_id, a.team_id, s.starts_at::TIMESTAMP AS starts_local, s.ends_at::TIMESTAMP AS ends_local, cut.cut,
           unnest(generate_series(time_bucket(cut.cut, s.starts_at::TIMESTAMP), s.ends_at::TIMESTAMP - INTERVAL 1 MICROSECOND, cut.cut)) AS t
    FROM shifts s
    LEFT JOIN agents a ON a.agent_id = s.agent_id
    CROSS JOIN (SELECT CASE $interval::VARCHAR WHEN '15min' THEN INTERVAL 15 MINUTE WHEN 'hour' THEN INTERVAL 1 HOUR ELSE INTERVAL 1 DAY END AS cut) cut
    WHERE s.ends_at > $from::DATE::TIMESTAMPTZ
      AND s.starts_at < ($to::DATE + 1)::TIMESTAMPTZ
      AND $queue::VARCHAR IS NULL
      AND $group_by::VARCHAR <> 'queue'
      AND ($team::VARCHAR IS NULL OR a.team_id = $team::VARCHAR)
      AND ($agent::VARCHAR IS NULL OR s.agent_id = $agent::VARCHAR)
  )
  WHERE t >= $from::DATE::TIMESTAMP AND t < ($to::DATE + 1)::TIMESTAMP
),
shift_agg AS (
  SELECT
    CASE $interval::VARCHAR
      WHEN '15min' THEN time_bucket(INTERVAL 15 MINUTE, piece_start)
      WHEN 'hour' THEN date_trunc('hour', piece_start)
      WHEN 'day' THEN date_trunc('day', piece_start)
      WHEN 'week' THEN date_trunc('week', piece_start)
      WHEN 'month' THEN date_trunc('month', piece_start)
      ELSE $from::DATE::TIMESTAMP
    END AS bucket,
    CASE $group_by::VARCHAR WHEN 'team' THEN team_id WHEN 'agent' THEN agent_id END AS group_key,
    sum(epoch(piece_end - piece_start)) AS shift_s
  FROM shift_pieces
  GROUP BY ALL
),
combined AS (
  SELECT coalesce(c.bucket, s.bucket) AS bucket, coalesce(c.group_key, s.group_key) AS group_key,
         c.* EXCLUDE (bucket, group_key), s.shift_s
  FROM base c
  FULL JOIN shift_agg s ON s.bucket = c.bucket AND s.group_key IS NOT DISTINCT FROM c.group_key
),
step AS (
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
  -- Ungrouped: every bucket of the range, empty ones as zero. Grouped: the groups with data.
  SELECT r.range AS bucket, NULL::VARCHAR AS group_key
  FROM step, range(step.first_bucket, ($to::DATE + 1)::TIMESTAMP, step.width) AS r
  WHERE $group_by::VARCHAR = 'none'
  UNION ALL
  SELECT bucket, group_key FROM combined WHERE $group_by::VARCHAR <> 'none'
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
  coalesce(m.sl_within, 0) / nullif(sl_denominator, 0) AS service_level,
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
  $fcr_window_days::INTEGER AS fcr_window_days,
  coalesce(m.fcr_judged, 0) AS fcr_judged,
  coalesce(m.fcr_resolved, 0) AS fcr_resolved,
  coalesce(m.fcr_pending, 0) AS fcr_pending,
  m.fcr_resolved / nullif(m.fcr_judged, 0) AS fcr,
  CASE WHEN $queue::VARCHAR IS NULL AND $group_by::VARCHAR <> 'queue' THEN coalesce(m.busy_s, 0) END AS busy_s,
  CASE WHEN $queue::VARCHAR IS NULL AND $group_by::VARCHAR <> 'queue' THEN coalesce(m.shift_s, 0) END AS shift_s,
  CASE WHEN $queue::VARCHAR IS NULL AND $group_by::VARCHAR <> 'queue' THEN coalesce(m.busy_s, 0) / nullif(m.shift_s, 0) END AS occupancy,
  coalesce(m.responses, 0) AS responses,
  coalesce(m.satisfied, 0) AS satisfied,
  coalesce(m.score_sum, 0) AS score_sum,
  m.satisfied / nullif(m.responses, 0) AS satisfaction,
  m.score_sum / nullif(m.responses, 0) AS mean_score
FROM frame f
LEFT JOIN combined m ON m.bucket = f.bucket AND m.group_key IS NOT DISTINCT FROM f.group_key
ORDER BY f.bucket, f.group_key NULLS LAST
