-- name: complaint_sla
-- description.zh: 各原因的投诉时限达标率：受理 3 小时、部门联系 24 小时、方案 48 小时、回访 3 天
-- description.en: SLA compliance by cause: received within 3 hours, department contact within 24 hours, solution within 48 hours, callback within 3 days
-- formula.zh: 每张投诉的每项时限：received 以首次"判断"对 received_due_at，contact 以首次"调查"对 contact_due_at，solution 以首次"方案"对 solution_due_at，callback 以首次接通的"回访"对 callback_due_at。在截止前发生为达标；发生在截止之后、或截止已过（按仓库最新事件时间）仍未发生为超时；其余为进行中不计。达标率 = 达标 ÷ (达标 + 超时)；无效投诉不计方案与回访
-- formula.en: for each complaint and each limit: received = first "judged" against received_due_at, contact = first "investigated" against contact_due_at, solution = first "solution" against solution_due_at, callback = first callback that reached the customer against callback_due_at. Done by the due time = met; done later, or not done and the due time past (as of the warehouse's latest event) = breached; otherwise pending and not counted. Compliance = met ÷ (met + breached); invalid complaints do not count for solution and callback
-- unit: table
-- extends: complaint_scope
WITH now_ AS (SELECT max(occurred_at) AS latest FROM ticket_events),
ev AS (
  SELECT e.ticket_id,
    min(e.occurred_at) FILTER (WHERE e.event = 'judged') AS judged_at,
    min(e.occurred_at) FILTER (WHERE e.event = 'investigated') AS contacted_at,
    min(e.occurred_at) FILTER (WHERE e.event = 'solution') AS solution_at,
    min(e.occurred_at) FILTER (WHERE e.event = 'callback' AND e.result IN ('satisfied', 'unsatisfied')) AS reached_at,
    bool_or(e.event = 'judged' AND e.result = 'invalid') AS invalid
  FROM ticket_events e JOIN base f ON f.ticket_id = e.ticket_id GROUP BY e.ticket_id
),
clocks AS (
  SELECT f.cause, 'received' AS target, f.received_due_at AS due, ev.judged_at AS done FROM base f LEFT JOIN ev USING (ticket_id)
  UNION ALL SELECT f.cause, 'contact', f.contact_due_at, ev.contacted_at FROM base f LEFT JOIN ev USING (ticket_id) WHERE NOT coalesce(ev.invalid, false)
  UNION ALL SELECT f.cause, 'solution', f.solution_due_at, ev.solution_at FROM base f LEFT JOIN ev USING (ticket_id) WHERE NOT coalesce(ev.invalid, false)
  UNION ALL SELECT f.cause, 'callback', f.callback_due_at, ev.reached_at FROM base f LEFT JOIN ev USING (ticket_id) WHERE NOT coalesce(ev.invalid, false)
),
judged AS (
  SELECT c.cause, c.target,
    CASE WHEN c.due IS NULL THEN NULL
         WHEN c.done IS NOT NULL AND c.done <= c.due THEN 'met'
         WHEN c.done IS NOT NULL OR c.due < now_.latest THEN 'breached'
         ELSE NULL END AS outcome
  FROM clocks c, now_
)
SELECT cause, target, count(*) FILTER (WHERE outcome = 'met') AS met, count(*) FILTER (WHERE outcome = 'breached') AS breached,
       count(*) FILTER (WHERE outcome = 'met') / nullif(count(*) FILTER (WHERE outcome IS NOT NULL), 0) AS compliance
FROM judged GROUP BY cause, target ORDER BY cause NULLS LAST, target;
