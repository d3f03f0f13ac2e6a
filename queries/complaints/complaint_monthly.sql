-- name: complaint_monthly
-- description.zh: 顾客投诉分类统计表：某月各大类、各原因的投诉数、占比、严重程度、有效与结案情况、回访满意与改进措施
-- description.en: Monthly complaint classification table (顾客投诉分类统计表): per group and cause for one month, complaints, share, severity, valid and closed counts, callback satisfaction and improvement actions
-- formula.zh: month 所在自然月内受理的投诉，按有效原因；share = 该原因 ÷ 当月全部投诉；valid = 判断为成立的数；closed = 已结案数；closed_in_24h = 受理后 24 小时内结案的数；satisfied = 最后一次接通回访为满意的数；actions = 该原因投诉"总结"事件中记录的改进措施（去重）
-- formula.en: complaints opened in the calendar month of `month`, by effective cause; share = the cause ÷ all complaints of the month; valid = judged valid; closed = closed by now; closed_in_24h = closed within 24 hours of intake; satisfied = last reached callback satisfied; actions = the improvement actions recorded in the complaints' summary events (distinct)
-- unit: table
-- params:
--   month date required
WITH f AS (
  SELECT * FROM complaint_facts
  WHERE opened_at >= date_trunc('month', $month::DATE)::DATE::TIMESTAMPTZ
    AND opened_at < (date_trunc('month', $month::DATE) + INTERVAL 1 MONTH)::DATE::TIMESTAMPTZ
),
ev AS (
  SELECT e.ticket_id,
    bool_or(e.event = 'judged' AND e.result = 'valid') AS valid,
    arg_max(e.result, (e.occurred_at, e.seq)) FILTER (WHERE e.event = 'callback' AND e.result IN ('satisfied', 'unsatisfied')) AS last_callback,
    list(DISTINCT regexp_extract(e.note, '改进措施[:：]\s*(.+)$', 1)) FILTER (WHERE e.event = 'summary' AND regexp_matches(e.note, '改进措施')) AS actions
  FROM ticket_events e JOIN f ON f.ticket_id = e.ticket_id GROUP BY e.ticket_id
)
SELECT coalesce(f.cause_group, '') AS cause_group, g.name_zh AS group_zh, g.name_en AS group_en, f.cause, k.name_en,
       coalesce(k.department, any_value(f.department)) AS department,
       count(*) AS complaints, count(*) / sum(count(*)) OVER () AS share,
       count(*) FILTER (WHERE f.severity = 1) AS severity_1, count(*) FILTER (WHERE f.severity = 2) AS severity_2,
       count(*) FILTER (WHERE f.severity = 3) AS severity_3, count(*) FILTER (WHERE f.severity = 4) AS severity_4,
       count(*) FILTER (WHERE f.major) AS major,
       count(*) FILTER (WHERE ev.valid) AS valid,
       count(*) FILTER (WHERE f.closed_at IS NOT NULL) AS closed,
       count(*) FILTER (WHERE f.closed_at <= f.opened_at + INTERVAL 24 HOUR) AS closed_in_24h,
       count(ev.last_callback) AS callbacks_reached,
       count(*) FILTER (WHERE ev.last_callback = 'satisfied') AS satisfied,
       array_to_string(list_sort(list_distinct(flatten(list(ev.actions)))), '；') AS actions
FROM f
LEFT JOIN ev USING (ticket_id)
LEFT JOIN complaint_causes k ON k.cause = f.cause
LEFT JOIN complaint_cause_groups g ON g.group_code = f.cause_group
GROUP BY f.cause_group, g.name_zh, g.name_en, g.sort, f.cause, k.name_en, k.department, k.sort
ORDER BY g.sort NULLS LAST, f.cause_group, k.sort NULLS LAST, f.cause NULLS LAST;
