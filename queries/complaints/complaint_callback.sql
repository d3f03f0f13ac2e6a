-- name: complaint_callback
-- description.zh: 各原因的回访满意度：最后一次接通的回访中满意的比例
-- description.en: Callback satisfaction by cause: the share of complaints whose last reached callback was satisfied
-- formula.zh: 区间内受理、至少有一次接通回访（满意或不满意）的投诉，按有效原因；satisfaction = 最后一次接通回访为满意的投诉数 ÷ 有接通回访的投诉数；unsatisfied_rounds = 回访不满意的次数（每次都退回部门重新处理）
-- formula.en: complaints opened in the range with at least one callback that reached the customer (satisfied or unsatisfied), by effective cause; satisfaction = complaints whose last reached callback was satisfied ÷ complaints with a reached callback; unsatisfied_rounds = callbacks answered "unsatisfied" (each sends the complaint back to the department)
-- unit: table
-- extends: complaint_scope
WITH cb AS (
  SELECT e.ticket_id, arg_max(e.result, (e.occurred_at, e.seq)) AS last_result, count(*) FILTER (WHERE e.result = 'unsatisfied') AS unsatisfied_rounds
  FROM ticket_events e JOIN base f ON f.ticket_id = e.ticket_id
  WHERE e.event = 'callback' AND e.result IN ('satisfied', 'unsatisfied')
  GROUP BY e.ticket_id
)
SELECT f.cause, count(*) AS reached, count(*) FILTER (WHERE cb.last_result = 'satisfied') AS satisfied,
       count(*) FILTER (WHERE cb.last_result = 'satisfied') / count(*) AS satisfaction, sum(cb.unsatisfied_rounds) AS unsatisfied_rounds
FROM base f JOIN cb USING (ticket_id)
GROUP BY f.cause ORDER BY satisfaction, f.cause NULLS LAST;
