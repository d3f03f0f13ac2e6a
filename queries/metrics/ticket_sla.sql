-- name: ticket_sla
-- description.zh: 服务时限明细：区间内受理的每张工单在各项服务目标下的计时（开始、结束、耗时）与结果（达标、超时、进行中）
-- description.en: Service-target detail: for each ticket opened in the range and each service target, the clock (start, stop, hours taken) and the outcome (met, breached, pending)
-- formula.zh: 时限与时钟取自 sla_targets（可编辑）。回电 callback_5min：来电者留下回电请求（处理结果为"预约回呼"）的电话，从该电话结束到首次向同一号码的回访或外呼（工单号一栏为通话编号）；投诉受理 complaint_received：投诉从受理到首次"判断"；部门联系 department_contact：投诉从受理到首次"调查"（责任部门致电顾客）；方案 solution：有效投诉从受理到首次"方案"；回访 callback_3d：从首次"实施"到首次接通的"回访"（满意或不满意）；投诉周期 complaint_cycle：投诉从受理到结案；回访率 callback_rate：已结案工单（无效投诉除外）中有回访记录的比例（无时限）。耗时 ≤ 时限为达标；尚未结束且已超过时限为超时；尚未结束且未超时为进行中（按仓库最新事件时间计）。日历时钟计每一小时；工作时钟只计 work_calendar 中工作日的工作时段（中心时区）
-- formula.en: limits and clocks come from sla_targets (editable). callback_5min: a call in which the caller left a callback request (disposition "callback"), from the end of that call to the first callback or outbound call to the same number (the ticket column holds the call id); complaint_received: a complaint from intake to its first "judged" event; department_contact: a complaint from intake to the first "investigated" event (the department phones the customer); solution: a valid complaint from intake to the first "solution"; callback_3d: from the first "implemented" event to the first callback that reached the customer (satisfied or unsatisfied); complaint_cycle: a complaint from intake to closing; callback_rate: closed tickets (invalid complaints aside) that have a callback event (no time limit). Hours taken ≤ the limit = met; not stopped yet but past the limit = breached; not stopped and within the limit = pending (as of the warehouse's latest ticket event). A calendar clock counts every hour; a business clock only the working hours of work_calendar's working days (center's time zone)
-- unit: table
-- params:
--   from date required
--   to date required
--   type text null
--   department text null
--   interval choice(day|week|month|total) total
WITH scope AS (
  SELECT t.*,
    CASE $interval::VARCHAR
      WHEN 'day' THEN date_trunc('day', t.opened_at::TIMESTAMP)
      WHEN 'week' THEN date_trunc('week', t.opened_at::TIMESTAMP)
      WHEN 'month' THEN date_trunc('month', t.opened_at::TIMESTAMP)
      ELSE $from::DATE::TIMESTAMP
    END AS bucket
  FROM tickets t
  WHERE t.opened_at >= $from::DATE::TIMESTAMPTZ
    AND t.opened_at < ($to::DATE + 1)::TIMESTAMPTZ
    AND ($type::VARCHAR IS NULL OR t.type = $type::VARCHAR)
    AND ($department::VARCHAR IS NULL OR t.department = $department::VARCHAR)
),
ev AS (
  SELECT
    e.ticket_id,
    min(e.occurred_at) FILTER (WHERE e.event = 'judged') AS judged_at,
    min(e.occurred_at) FILTER (WHERE e.event = 'investigated') AS contacted_at,
    min(e.occurred_at) FILTER (WHERE e.event = 'solution') AS solution_at,
    min(e.occurred_at) FILTER (WHERE e.event = 'implemented') AS implemented_at,
    min(e.occurred_at) FILTER (WHERE e.event = 'callback' AND e.result IN ('satisfied', 'unsatisfied')) AS reached_at,
    bool_or(e.event = 'callback') AS has_callback,
    bool_or(e.event = 'judged' AND e.result = 'invalid') AS invalid
  FROM ticket_events e
  JOIN scope s ON s.ticket_id = e.ticket_id
  GROUP BY e.ticket_id
),
horizon AS (
  SELECT greatest((SELECT max(occurred_at) FROM ticket_events), (SELECT max(opened_at) FROM tickets), (SELECT max(enqueued_at) FROM calls)) AS as_of
),
call_requests AS (
  -- Callers who left a callback request: the clock runs from the end of their call to the first
  -- callback or outbound call to the same number.
  SELECT
    r.call_id, r.ended_at,
    CASE $interval::VARCHAR
      WHEN 'day' THEN date_trunc('day', r.enqueued_at::TIMESTAMP)
      WHEN 'week' THEN date_trunc('week', r.enqueued_at::TIMESTAMP)
      WHEN 'month' THEN date_trunc('month', r.enqueued_at::TIMESTAMP)
      ELSE $from::DATE::TIMESTAMP
    END AS bucket,
    (SELECT min(c.enqueued_at) FROM calls c
     WHERE c.caller_number = r.caller_number AND c.direction IN ('callback', 'outbound') AND c.enqueued_at >= r.ended_at) AS called_back_at
  FROM calls r
  WHERE r.direction = 'inbound'
    AND r.disposition = 'callback'
    AND r.enqueued_at >= $from::DATE::TIMESTAMPTZ
    AND r.enqueued_at < ($to::DATE + 1)::TIMESTAMPTZ
    AND ($type::VARCHAR IS NULL OR $type::VARCHAR = 'call')
    AND $department::VARCHAR IS NULL
),
clocks AS (
  SELECT
    s.ticket_id, s.type, s.department, s.opened_at, s.closed_at, s.status, s.bucket,
    r.target_id, r.limit_hours, r.goal, r.clock,
    CASE r.target_id WHEN 'callback_3d' THEN ev.implemented_at ELSE s.opened_at END AS start_at,
    CASE r.target_id
      WHEN 'complaint_received' THEN ev.judged_at
      WHEN 'department_contact' THEN ev.contacted_at
      WHEN 'solution' THEN ev.solution_at
      WHEN 'callback_3d' THEN ev.reached_at
      WHEN 'complaint_cycle' THEN s.closed_at
    END AS stop_at,
    coalesce(ev.has_callback, false) AS has_callback,
    h.as_of
  FROM scope s
  LEFT JOIN ev ON ev.ticket_id = s.ticket_id
  CROSS JOIN horizon h
  JOIN sla_targets r ON
    CASE r.target_id
      WHEN 'complaint_received' THEN s.type = 'complaint'
      WHEN 'department_contact' THEN s.type = 'complaint' AND NOT coalesce(ev.invalid, false)
      WHEN 'solution' THEN s.type = 'complaint' AND NOT coalesce(ev.invalid, false)
      WHEN 'complaint_cycle' THEN s.type = 'complaint'
      WHEN 'callback_3d' THEN ev.implemented_at IS NOT NULL
      WHEN 'callback_rate' THEN NOT coalesce(ev.invalid, false)
      ELSE false
    END
  UNION ALL
  SELECT
    q.call_id, 'call', NULL, q.ended_at, NULL, NULL, q.bucket,
    r.target_id, r.limit_hours, r.goal, r.clock,
    q.ended_at, q.called_back_at, false, h.as_of
  FROM call_requests q
  CROSS JOIN horizon h
  JOIN sla_targets r ON r.target_id = 'callback_5min'
),
business AS (
  -- Working hours between start and stop (or now): each day's overlap with its working window.
  SELECT ticket_id, target_id, sum(greatest(0, epoch(least(end_local, day + w.ends) - greatest(start_local, day + w.starts)))) / 3600 AS hours
  FROM (
    SELECT ticket_id, target_id, start_at::TIMESTAMP AS start_local, coalesce(stop_at, as_of)::TIMESTAMP AS end_local,
           unnest(generate_series(start_at::TIMESTAMP::DATE, coalesce(stop_at, as_of)::TIMESTAMP::DATE, INTERVAL 1 DAY))::DATE AS day
    FROM clocks
    WHERE clock = 'business' AND start_at IS NOT NULL AND target_id <> 'callback_rate'
  ) d
  JOIN work_calendar w ON w.weekday = isodow(d.day) AND w.working
  GROUP BY ticket_id, target_id
),
timed AS (
  SELECT
    c.*,
    CASE
      WHEN c.target_id = 'callback_rate' OR c.start_at IS NULL THEN NULL
      WHEN c.clock = 'business' THEN coalesce(b.hours, 0)
      ELSE epoch(coalesce(c.stop_at, c.as_of) - c.start_at) / 3600
    END AS hours_taken
  FROM clocks c
  LEFT JOIN business b ON b.ticket_id = c.ticket_id AND b.target_id = c.target_id
)
SELECT
  strftime(bucket, '%Y-%m-%d %H:%M') AS bucket,
  target_id,
  ticket_id,
  type,
  department,
  strftime(opened_at::TIMESTAMP, '%Y-%m-%d %H:%M') AS opened_local,
  strftime(start_at::TIMESTAMP, '%Y-%m-%d %H:%M') AS start_local,
  strftime(stop_at::TIMESTAMP, '%Y-%m-%d %H:%M') AS stop_local,
  clock,
  limit_hours,
  goal,
  hours_taken,
  CASE
    WHEN target_id = 'callback_rate' THEN CASE WHEN closed_at IS NULL THEN 'pending' WHEN has_callback THEN 'met' ELSE 'breached' END
    WHEN stop_at IS NOT NULL AND hours_taken <= limit_hours THEN 'met'
    WHEN hours_taken > limit_hours THEN 'breached'
    ELSE 'pending'
  END AS outcome
FROM timed
ORDER BY bucket, target_id, opened_at, ticket_id
