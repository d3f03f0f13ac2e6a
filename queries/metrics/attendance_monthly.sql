-- name: attendance_monthly
-- description.zh: 每月考勤统计表：每位坐席的排班天数、出勤、迟到、早退、缺勤、请假、漏打卡、工时、工时不足周数与排班遵从率
-- description.en: Monthly attendance table (考勤统计表): per agent, days scheduled, present, late, left early, absent, on leave, missing punches, hours worked, weeks under the minimum hours and schedule adherence
-- formula.zh: 由考勤明细（attendance_days）按坐席汇总：天数为排班数；工时 = Σ(下班打卡 − 上班打卡)；工时不足周 = 归属本月、无请假且周工时 < 最低周工时（默认 30 小时）的周数；排班遵从率 = Σ排班内在岗时长 ÷ Σ排班时长（请假的班次不计）
-- formula.en: attendance_days summed per agent: days are scheduled shifts; hours worked = Σ(clock-out − clock-in); weeks under the minimum = weeks of this month without leave whose hours are below the minimum (30 h by default); schedule adherence = Σ time clocked in within the schedule ÷ Σ scheduled time (shifts on leave left out)
-- unit: table
-- extends: attendance_days
SELECT
  agent_id,
  any_value(agent_name) AS agent_name,
  any_value(team_id) AS team_id,
  count(*) AS days_scheduled,
  count(*) FILTER (WHERE status = 'present') AS days_present,
  count(*) FILTER (WHERE late) AS days_late,
  count(*) FILTER (WHERE left_early) AS days_left_early,
  count(*) FILTER (WHERE status = 'absent') AS days_absent,
  count(*) FILTER (WHERE status = 'leave') AS days_on_leave,
  count(*) FILTER (WHERE missing_punch) AS missing_punches,
  sum(late_min) AS late_minutes,
  sum(worked_h) AS hours_worked,
  sum(scheduled_h) AS hours_scheduled,
  count(DISTINCT week_start) FILTER (WHERE week_in_month AND week_under_min) AS weeks_under_min,
  sum(in_schedule_h) FILTER (WHERE status <> 'leave') / nullif(sum(scheduled_h) FILTER (WHERE status <> 'leave'), 0) AS adherence
FROM base
GROUP BY agent_id
ORDER BY agent_id;
