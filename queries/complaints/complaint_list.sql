-- name: complaint_list
-- description.zh: 投诉明细：符合条件的投诉（原因、部门、严重程度、时段、客户、停滞环节），供下钻
-- description.en: Complaint list: the complaints that match (cause, department, severity, period, customer, stage stalled at), for drill-down
-- formula.zh: complaint_facts 中区间内受理、符合各条件的投诉，按受理时间倒序，最多 limit 条。unclassified=yes 只列未分类的；bucket 为周或月的第一天（配合 interval）；stalled_at 为尚未结案、最远到达该环节的有效投诉（与漏斗一致）
-- formula.en: the complaints of complaint_facts opened in the range that match every condition, newest first, at most limit rows. unclassified=yes lists only those without a cause; bucket is the first day of a week or month (with interval); stalled_at lists complaints not judged invalid and not closed whose furthest stage is that one (as the funnel counts them)
-- unit: table
-- extends: complaint_scope
-- params:
--   cause text null
--   unclassified choice(no|yes) no
--   severity integer null
--   customer text null
--   interval choice(week|month) week
--   bucket date null
--   stalled_at choice(intake|judged|investigated|solution|implemented|callback) null
--   limit integer 500
WITH f AS (
  SELECT * FROM base
  WHERE ($cause::VARCHAR IS NULL OR cause = $cause::VARCHAR)
    AND ($unclassified::VARCHAR = 'no' OR cause IS NULL)
    AND ($severity::INTEGER IS NULL OR severity = $severity::INTEGER)
    AND ($customer::VARCHAR IS NULL OR customer_number = $customer::VARCHAR)
    AND ($bucket::DATE IS NULL OR date_trunc($interval::VARCHAR, opened_at::TIMESTAMP)::DATE = $bucket::DATE)
),
stage AS (
  SELECT e.ticket_id,
    CASE
      WHEN bool_or(e.event = 'closed') THEN 'closed'
      WHEN bool_or(e.event = 'callback') THEN 'callback'
      WHEN bool_or(e.event = 'implemented') THEN 'implemented'
      WHEN bool_or(e.event = 'solution') THEN 'solution'
      WHEN bool_or(e.event = 'investigated') THEN 'investigated'
      WHEN bool_or(e.event = 'judged') THEN 'judged'
      ELSE 'intake'
    END AS stage,
    bool_or(e.event = 'judged' AND e.result = 'invalid') AS invalid
  FROM ticket_events e JOIN f ON f.ticket_id = e.ticket_id
  GROUP BY e.ticket_id
)
SELECT f.ticket_id, strftime(f.opened_at, '%Y-%m-%d %H:%M') AS opened_local, f.status, coalesce(s.stage, 'intake') AS stage,
       f.severity, f.major, f.cause_group, f.cause, f.sub_cause, f.cause_source, f.confidence, f.department, f.call_id,
       f.summary, strftime(f.closed_at, '%Y-%m-%d %H:%M') AS closed_local
FROM f LEFT JOIN stage s ON s.ticket_id = f.ticket_id
WHERE $stalled_at::VARCHAR IS NULL OR (coalesce(s.stage, 'intake') = $stalled_at::VARCHAR AND NOT coalesce(s.invalid, false))
ORDER BY f.opened_at DESC, f.ticket_id
LIMIT $limit::INTEGER;
