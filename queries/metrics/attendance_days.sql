-- name: attendance_days
-- description.zh: 考勤明细：某月每个排班与打卡的匹配结果（出勤、迟到、早退、缺勤、请假、工时与排班遵从）
-- description.en: Attendance detail: each scheduled shift of a month matched to its punches (present, late, left early, absent, on leave, hours, adherence)
-- formula.zh: 上班打卡 = 班次开始前 4 小时至班次结束之间最早的"上班"打卡；下班打卡 = 班次开始后至结束后 4 小时之间最晚的"下班"打卡（按时间点匹配，夜班跨零点照常）。有打卡 = 出勤；无打卡且有已批准请假 = 请假；否则缺勤。迟到 = 上班打卡晚于开始时间 + 宽限分钟；早退 = 下班打卡早于结束时间 − 早退宽限分钟；缺一次打卡记为漏打卡、不计工时。工时 = 下班打卡 − 上班打卡；排班遵从 = 打卡在岗且在排班内的时长 ÷ 排班时长。周（周一至周日）按周四所在月份归属，周工时含该周全部班次；无请假的周工时低于最低周工时即为不足周
-- formula.en: clock-in = the earliest "in" punch from 4 h before the shift's start to its end; clock-out = the latest "out" punch from the start to 4 h after the end (matched on instants, so night shifts across midnight need nothing special). A punch = present; no punch and approved leave = on leave; otherwise absent. Late = clock-in after start + grace minutes; left early = clock-out before end − early grace minutes; a missing punch is flagged and counts no hours. Hours worked = clock-out − clock-in; schedule adherence = time clocked in within the schedule ÷ scheduled time. A week (Monday–Sunday) belongs to the month of its Thursday and its hours include all its shifts; a week without leave whose hours are below the minimum is a week under the minimum
-- unit: table
-- params:
--   month date required
--   team text null
--   agent text null
--   grace_min integer 5
--   early_grace_min integer 0
--   min_week_hours number 30
WITH bounds AS (
  SELECT date_trunc('month', $month::DATE)::DATE AS m0, (date_trunc('month', $month::DATE) + INTERVAL 1 MONTH)::DATE AS m1
),
sched AS (
  -- The month's shifts and those of the weeks around it (for the week totals).
  SELECT s.agent_id, a.name AS agent_name, a.team_id, s.shift_date, s.shift_code, s.starts_at, s.ends_at
  FROM shifts s
  JOIN agents a ON a.agent_id = s.agent_id
  CROSS JOIN bounds b
  WHERE s.shift_date >= b.m0 - 6 AND s.shift_date < b.m1 + 6
    AND ($team::VARCHAR IS NULL OR a.team_id = $team::VARCHAR)
    AND ($agent::VARCHAR IS NULL OR s.agent_id = $agent::VARCHAR)
),
matched AS (
  SELECT
    sc.*,
    min(p.punched_at) FILTER (WHERE p.direction = 'in' AND p.punched_at >= sc.starts_at - INTERVAL 4 HOUR AND p.punched_at < sc.ends_at) AS clock_in,
    max(p.punched_at) FILTER (WHERE p.direction = 'out' AND p.punched_at > sc.starts_at AND p.punched_at <= sc.ends_at + INTERVAL 4 HOUR) AS clock_out
  FROM sched sc
  LEFT JOIN attendance p
    ON p.agent_id = sc.agent_id
   AND p.punched_at >= sc.starts_at - INTERVAL 4 HOUR
   AND p.punched_at <= sc.ends_at + INTERVAL 4 HOUR
  GROUP BY ALL
),
with_leave AS (
  SELECT
    m.*,
    EXISTS (
      SELECT 1 FROM leaves l
      WHERE l.agent_id = m.agent_id AND l.approved AND m.shift_date BETWEEN l.starts_on AND l.ends_on
    ) AS approved_leave
  FROM matched m
),
judged AS (
  SELECT
    m.*,
    CASE
      WHEN m.clock_in IS NOT NULL OR m.clock_out IS NOT NULL THEN 'present'
      WHEN approved_leave THEN 'leave'
      ELSE 'absent'
    END AS status,
    coalesce(m.clock_in > m.starts_at + to_minutes($grace_min::INTEGER), false) AS late,
    coalesce(m.clock_out < m.ends_at - to_minutes($early_grace_min::INTEGER), false) AS left_early,
    (m.clock_in IS NULL) <> (m.clock_out IS NULL) AS missing_punch,
    CASE WHEN m.clock_out > m.clock_in THEN epoch(m.clock_out - m.clock_in) / 3600 ELSE 0 END AS worked_h,
    epoch(m.ends_at - m.starts_at) / 3600 AS scheduled_h,
    CASE WHEN m.clock_out > m.clock_in
      THEN greatest(0, epoch(least(m.clock_out, m.ends_at) - greatest(m.clock_in, m.starts_at))) / 3600
      ELSE 0 END AS in_schedule_h,
    date_trunc('week', m.shift_date)::DATE AS week_start
  FROM with_leave m
),
weeks AS (
  SELECT
    j.*,
    sum(j.worked_h) OVER w AS week_hours,
    bool_or(j.status = 'leave') OVER w AS week_has_leave
  FROM judged j
  WINDOW w AS (PARTITION BY j.agent_id, j.week_start)
)
SELECT
  w.agent_id,
  w.agent_name,
  w.team_id,
  w.shift_date,
  w.shift_code,
  strftime(w.starts_at::TIMESTAMP, '%Y-%m-%d %H:%M') AS starts_local,
  strftime(w.ends_at::TIMESTAMP, '%Y-%m-%d %H:%M') AS ends_local,
  strftime(w.clock_in::TIMESTAMP, '%Y-%m-%d %H:%M') AS clock_in_local,
  strftime(w.clock_out::TIMESTAMP, '%Y-%m-%d %H:%M') AS clock_out_local,
  w.status,
  w.late,
  CASE WHEN w.late THEN epoch(w.clock_in - w.starts_at) / 60 ELSE 0 END AS late_min,
  w.left_early,
  w.missing_punch,
  w.worked_h,
  w.scheduled_h,
  w.in_schedule_h,
  w.week_start,
  w.week_hours,
  (w.week_start + 3) >= b.m0 AND (w.week_start + 3) < b.m1 AS week_in_month,
  NOT w.week_has_leave AND w.week_hours < $min_week_hours::DOUBLE AS week_under_min,
  $min_week_hours::DOUBLE AS min_week_hours
FROM weeks w
CROSS JOIN bounds b
WHERE w.shift_date >= b.m0 AND w.shift_date < b.m1
ORDER BY w.agent_id, w.shift_date
